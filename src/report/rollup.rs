//! Roll-ups of an evaluation, for reports that must stay readable at a country's scale: per goal,
//! status counts by unit kind; a matrix of the top-level units × goals (each one's own status and
//! its units' statuses below it); the units needing attention, worst gap first; the index scores
//! by rank with the distribution of bands.
//!
//! Everything here is counted from the evaluation's results (and the index's scores): nothing is
//! evaluated again, so the roll-up agrees with the JSON results by construction. The renderers
//! (terminal, Markdown, HTML) share it.

use crate::data::{UnitId, Units};
use crate::eval::{Evaluation, GoalResult, Status};
use crate::period::Period;
use crate::score::Scores;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Above this many results to show (those of goals that apply), the terminal and Markdown
/// reports lead with the roll-up and list only the units needing attention (unless `--all` or
/// `--unit`): a province with its departments and a hundred communes under 20 goals is already
/// some 2,400 lines, where a plan of a few units stays under a screen or two and keeps its full
/// table.
pub const LARGE_RESULTS: usize = 200;

/// How many units needing attention the condensed reports list (the rest are counted).
pub const ATTENTION_LIMIT: usize = 25;

/// How many results of each status, indexed as [`Status::ALL`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts([usize; 8]);

fn slot(s: Status) -> usize {
    match s {
        Status::Met => 0,
        Status::NotMet => 1,
        Status::OnTrack => 2,
        Status::OffTrack => 3,
        Status::InProgress => 4,
        Status::NoData => 5,
        Status::NotApplicable => 6,
        Status::Error => 7,
    }
}

impl Counts {
    /// Counts one more result of status `s`.
    pub fn add(&mut self, s: Status) {
        if let Some(n) = self.0.get_mut(slot(s)) {
            *n += 1;
        }
    }

    /// How many results have status `s`.
    pub fn get(&self, s: Status) -> usize {
        self.0.get(slot(s)).copied().unwrap_or(0)
    }

    /// How many results the goal applies to (every status but not applicable).
    pub fn applicable(&self) -> usize {
        self.0.iter().sum::<usize>() - self.get(Status::NotApplicable)
    }

    /// How many are behind: not met or off track.
    pub fn behind(&self) -> usize {
        self.get(Status::NotMet) + self.get(Status::OffTrack)
    }

    /// `part` as a whole percentage of the applicable results (rounded half up; 0 when none
    /// apply), for the matrix's shares.
    pub fn percent(&self, part: usize) -> usize {
        let all = self.applicable();
        if all == 0 {
            0
        } else {
            (part * 200 + all) / (all * 2)
        }
    }
}

/// One goal's counts.
#[derive(Clone, Debug)]
pub struct GoalRollup {
    /// The goal's id.
    pub goal: String,
    /// Its title.
    pub title: String,
    /// Its results' statuses per unit kind, parallel to [`Rollup::kinds`].
    pub by_kind: Vec<Counts>,
    /// Over every unit.
    pub all: Counts,
}

/// One cell of the matrix: a top-level unit and a goal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cell {
    /// The unit's own status (not applicable when the goal does not apply to it).
    pub own: Status,
    /// The statuses of the evaluated units below it.
    pub below: Counts,
}

/// One row of the matrix: a top-level unit (an evaluated unit none of whose ancestors is
/// evaluated: the provinces of a national evaluation, the unit itself with `--unit`).
#[derive(Clone, Debug)]
pub struct TopRow {
    /// The unit's id.
    pub unit: String,
    /// Its name.
    pub unit_name: String,
    /// One cell per goal, parallel to [`Rollup::goals`].
    pub cells: Vec<Cell>,
    /// Indices into the evaluation's results of its own results.
    pub own: Vec<usize>,
    /// Indices into the evaluation's results of the units below it, in results order.
    pub below: Vec<usize>,
    /// The evaluated units below it (ids), in results order.
    pub units_below: Vec<String>,
}

/// The index scores of the latest period, by rank.
#[derive(Clone, Debug)]
pub struct ScoreRollup {
    /// The period.
    pub period: Period,
    /// Indices into [`Scores::units`], the units' kinds in plan order, each kind by rank (the
    /// unranked last).
    pub rows: Vec<usize>,
    /// How many units got each band (title, count), the bands in the index's order; units
    /// without a band are left out.
    pub bands: Vec<(String, usize)>,
    /// How many units have no band (a missing group).
    pub unbanded: usize,
}

/// The roll-up of one evaluation.
#[derive(Clone, Debug)]
pub struct Rollup {
    /// The unit kinds met among the results, in plan order (`""`: units without a kind).
    pub kinds: Vec<String>,
    /// Per goal, in plan order.
    pub goals: Vec<GoalRollup>,
    /// The matrix, top-level units in registry order.
    pub tops: Vec<TopRow>,
    /// Per result (parallel to the evaluation's results), the index of its top-level row.
    pub result_top: Vec<Option<usize>>,
    /// The results needing attention (not met or off track), as indices into the evaluation's
    /// results, the largest relative gap first (see [`relative_gap`]).
    pub attention: Vec<usize>,
    /// How many results apply (every status but not applicable).
    pub applicable: usize,
    /// The index scores, where the plan has an index with scores.
    pub scores: Option<ScoreRollup>,
}

/// How far a result is from its target, comparable across goals of different units: the gap
/// as a share of the target (`0.25`: a quarter of the target is missing), or the gap itself when
/// the target is zero; `None` without a gap.
pub fn relative_gap(r: &GoalResult) -> Option<Decimal> {
    let gap = r.gap?;
    match r.target.map(|t| t.abs()) {
        Some(t) if !t.is_zero() => gap.checked_div(t),
        _ => Some(gap),
    }
}

impl Rollup {
    /// Counts the roll-up of `ev`. `units` is the evaluation's unit tree, `kinds` the plan's
    /// kind names (indexed as [`UnitInfo::kind`](crate::data::UnitInfo::kind)).
    pub fn new(ev: &Evaluation, units: &Units, kinds: &[&str], scores: Option<&Scores>) -> Rollup {
        let unit_of = |r: &GoalResult| units.get(&r.unit);
        let kind_of = |u: Option<UnitId>| -> &str {
            u.and_then(|u| units.kind(u))
                .and_then(|k| kinds.get(k).copied())
                .unwrap_or("")
        };
        // Goals in plan order (the order of the first unit's results), kinds in plan order.
        let mut goal_index: HashMap<&str, usize> = HashMap::new();
        let mut goals: Vec<GoalRollup> = Vec::new();
        let mut kind_seen: Vec<&str> = Vec::new();
        let result_units: Vec<Option<UnitId>> = ev.results.iter().map(unit_of).collect();
        for (r, &u) in ev.results.iter().zip(&result_units) {
            if !goal_index.contains_key(r.goal.as_str()) {
                goal_index.insert(&r.goal, goals.len());
                goals.push(GoalRollup {
                    goal: r.goal.clone(),
                    title: r.title.clone(),
                    by_kind: Vec::new(),
                    all: Counts::default(),
                });
            }
            let k = kind_of(u);
            if r.status != Status::NotApplicable && !kind_seen.contains(&k) {
                kind_seen.push(k);
            }
        }
        let mut kind_order: Vec<&str> = kinds
            .iter()
            .copied()
            .filter(|k| kind_seen.contains(k))
            .collect();
        if kind_seen.contains(&"") {
            kind_order.push("");
        }
        for g in &mut goals {
            g.by_kind = vec![Counts::default(); kind_order.len()];
        }
        // The evaluated units, and each one's highest evaluated ancestor (itself at the top).
        let evaluated: std::collections::HashSet<UnitId> =
            result_units.iter().flatten().copied().collect();
        let top_of = |u: UnitId| -> UnitId {
            let mut top = u;
            let mut at = u;
            // Bounded by the number of units: the registry rejects circles, this guards anyway.
            for _ in 0..units.len() {
                match units.parent(at) {
                    Some(p) => {
                        if evaluated.contains(&p) {
                            top = p;
                        }
                        at = p;
                    }
                    None => break,
                }
            }
            top
        };
        let mut tops: Vec<TopRow> = Vec::new();
        let mut top_index: HashMap<UnitId, usize> = HashMap::new();
        let mut result_top = Vec::with_capacity(ev.results.len());
        let mut attention = Vec::new();
        let mut applicable = 0;
        let mut open_tops: HashMap<&str, usize> = HashMap::new();
        let mut last_unit: Option<&str> = None;
        for (i, (r, &u)) in ev.results.iter().zip(&result_units).enumerate() {
            let gi = goal_index.get(r.goal.as_str()).copied().unwrap_or(0);
            let k = kind_of(u);
            if let Some(g) = goals.get_mut(gi) {
                g.all.add(r.status);
                if let Some(c) = kind_order
                    .iter()
                    .position(|x| *x == k)
                    .and_then(|p| g.by_kind.get_mut(p))
                {
                    c.add(r.status);
                }
            }
            if r.status != Status::NotApplicable {
                applicable += 1;
            }
            if matches!(r.status, Status::NotMet | Status::OffTrack) {
                attention.push(i);
            }
            // A unit known only by its id (an open set: no tree) is a top of its own.
            let new_row = |unit: &str, name: &str| TopRow {
                unit: unit.to_string(),
                unit_name: name.to_string(),
                cells: vec![
                    Cell {
                        own: Status::NotApplicable,
                        below: Counts::default(),
                    };
                    goals.len()
                ],
                own: Vec::new(),
                below: Vec::new(),
                units_below: Vec::new(),
            };
            let top = match u {
                Some(u) => {
                    let t = top_of(u);
                    let ti = *top_index.entry(t).or_insert_with(|| {
                        let name = units.info(t).map(|i| i.name.as_str()).unwrap_or_default();
                        tops.push(new_row(units.id(t), name));
                        tops.len() - 1
                    });
                    (ti, t == u)
                }
                None => {
                    let ti = *open_tops.entry(&r.unit).or_insert_with(|| {
                        tops.push(new_row(&r.unit, &r.unit_name));
                        tops.len() - 1
                    });
                    (ti, true)
                }
            };
            let (ti, is_top) = top;
            result_top.push(Some(ti));
            let Some(row) = tops.get_mut(ti) else {
                continue;
            };
            if is_top {
                // The top's name as its results give it (the registry's, or the data's id).
                if row.unit_name.is_empty() {
                    row.unit_name.clone_from(&r.unit_name);
                }
                row.own.push(i);
                if let Some(c) = row.cells.get_mut(gi) {
                    c.own = r.status;
                }
            } else {
                row.below.push(i);
                if last_unit != Some(r.unit.as_str()) {
                    row.units_below.push(r.unit.clone());
                }
                if let Some(c) = row.cells.get_mut(gi) {
                    c.below.add(r.status);
                }
            }
            last_unit = Some(&r.unit);
        }
        // Largest relative gap first; without a gap last; ties in results order (stable).
        attention.sort_by(|&a, &b| {
            let ga = ev.results.get(a).and_then(relative_gap);
            let gb = ev.results.get(b).and_then(relative_gap);
            match (ga, gb) {
                (Some(x), Some(y)) => y.cmp(&x),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
        });
        Rollup {
            kinds: kind_order.into_iter().map(String::from).collect(),
            goals,
            tops,
            result_top,
            attention,
            applicable,
            scores: scores.and_then(|s| score_rollup(s, units)),
        }
    }

    /// Whether the evaluation is large enough for the condensed reports (more than
    /// [`LARGE_RESULTS`] results apply).
    pub fn is_large(&self) -> bool {
        self.applicable > LARGE_RESULTS
    }
}

fn score_rollup(s: &Scores, units: &Units) -> Option<ScoreRollup> {
    let period = s.units.iter().map(|u| u.period).max()?;
    let mut rows: Vec<usize> = s
        .units
        .iter()
        .enumerate()
        .filter(|(_, u)| u.period == period)
        .map(|(i, _)| i)
        .collect();
    let kind = |i: usize| {
        s.units
            .get(i)
            .and_then(|u| units.get(&u.unit))
            .and_then(|u| units.kind(u))
            .unwrap_or(usize::MAX)
    };
    let rank = |i: usize| s.units.get(i).and_then(|u| u.rank).unwrap_or(u32::MAX);
    rows.sort_by_key(|&i| (kind(i), rank(i)));
    let mut bands: Vec<(String, usize)> = s.bands.iter().map(|(t, _)| (t.clone(), 0)).collect();
    let mut unbanded = 0;
    for &i in &rows {
        let title = s.units.get(i).and_then(|u| u.band_title.as_deref());
        match title.and_then(|t| bands.iter_mut().find(|(b, _)| b == t)) {
            Some((_, n)) => *n += 1,
            None => unbanded += 1,
        }
    }
    Some(ScoreRollup {
        period,
        rows,
        bands,
        unbanded,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_rounds_half_up_and_survives_no_results() {
        let mut c = Counts::default();
        assert_eq!(c.percent(0), 0);
        for s in [
            Status::Met,
            Status::Met,
            Status::NotMet,
            Status::NotApplicable,
        ] {
            c.add(s);
        }
        assert_eq!(c.applicable(), 3);
        assert_eq!(c.percent(2), 67);
        assert_eq!(c.percent(1), 33);
        assert_eq!(c.behind(), 1);
    }
}
