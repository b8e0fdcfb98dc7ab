//! Roll-ups of a status history (`eval --history`), for histories too large to list unit by
//! unit: per goal and month, how many units were met, on track, behind…; and the same for each
//! top-level unit of the registry (the unit and every unit of the history below it), with every
//! unit's own series, for drill-down pages. Counted from the history's blocks as they are
//! computed: nothing is evaluated again.

use super::eval::{status_mark, status_word};
use super::rollup::{Counts, LARGE_RESULTS};
use super::rollup_text::count;
use crate::data::{UnitId, Units};
use crate::eval::{Compiled, Status, UnitHistory};
use crate::lang::Lang;
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;
use std::fmt::Write as _;

/// One unit's statuses per goal (parallel to [`HistoryRollup::goals`]), one per date; `None`
/// where the goal does not apply to it.
pub type UnitSeries = Vec<Option<Vec<Status>>>;

/// A top-level unit of the registry and the history below it.
#[derive(Clone, Debug)]
pub struct HistoryTop {
    /// The unit's id.
    pub unit: String,
    /// Its name.
    pub unit_name: String,
    /// Per goal, per date: the statuses of the unit and of the units below it.
    pub counts: Vec<Vec<Counts>>,
    /// Its own series, when the history has it.
    pub own: Option<UnitSeries>,
    /// The units below it in the history: id, name and series, in the history's order.
    pub below: Vec<(String, String, UnitSeries)>,
}

/// The roll-up of a status history.
#[derive(Clone, Debug)]
pub struct HistoryRollup {
    /// The month ends.
    pub dates: Vec<NaiveDate>,
    /// The goals: id and title, in plan order.
    pub goals: Vec<(String, String)>,
    /// Per goal, per date: the statuses of every unit.
    pub counts: Vec<Vec<Counts>>,
    /// The top-level units of the registry, in the order the history meets them.
    pub tops: Vec<HistoryTop>,
    /// How many (unit, goal) series the history holds.
    pub series: usize,
    /// Goal plan index → position in `goals`.
    goal_at: HashMap<usize, usize>,
    top_at: HashMap<UnitId, usize>,
}

impl HistoryRollup {
    /// An empty roll-up for `goals` (plan indices) over `dates`.
    pub fn new(c: &Compiled, goals: &[usize], dates: &[NaiveDate]) -> HistoryRollup {
        let plan = c.plan();
        HistoryRollup {
            dates: dates.to_vec(),
            goals: goals
                .iter()
                .filter_map(|&g| plan.goals.get(g))
                .map(|g| (g.id.name.clone(), g.title.clone()))
                .collect(),
            counts: vec![vec![Counts::default(); dates.len()]; goals.len()],
            tops: Vec::new(),
            series: 0,
            goal_at: goals.iter().enumerate().map(|(i, &g)| (g, i)).collect(),
            top_at: HashMap::new(),
        }
    }

    /// Counts the histories of a block of units.
    pub fn block(&mut self, units: &Units, block: &[UnitHistory]) {
        let goals = self.goals.len();
        let dates = self.dates.len();
        for h in block {
            // The registry's root above the unit (bounded: the registry has no circles).
            let mut top = h.unit;
            for _ in 0..units.len() {
                match units.parent(top) {
                    Some(p) => top = p,
                    None => break,
                }
            }
            let ti = *self.top_at.entry(top).or_insert_with(|| {
                self.tops.push(HistoryTop {
                    unit: units.id(top).to_string(),
                    unit_name: units.info(top).map(|i| i.name.clone()).unwrap_or_default(),
                    counts: vec![vec![Counts::default(); dates]; goals],
                    own: None,
                    below: Vec::new(),
                });
                self.tops.len() - 1
            });
            let mut series: UnitSeries = vec![None; goals];
            for s in &h.series {
                let Some(&gi) = self.goal_at.get(&s.goal) else {
                    continue;
                };
                self.series += 1;
                let statuses: Vec<Status> = s.steps.iter().map(|st| st.status).collect();
                for (d, &st) in statuses.iter().enumerate() {
                    if let Some(c) = self.counts.get_mut(gi).and_then(|g| g.get_mut(d)) {
                        c.add(st);
                    }
                    if let Some(c) = self
                        .tops
                        .get_mut(ti)
                        .and_then(|t| t.counts.get_mut(gi))
                        .and_then(|g| g.get_mut(d))
                    {
                        c.add(st);
                    }
                }
                if let Some(slot) = series.get_mut(gi) {
                    *slot = Some(statuses);
                }
            }
            let Some(t) = self.tops.get_mut(ti) else {
                continue;
            };
            if top == h.unit {
                t.own = Some(series);
            } else {
                let name = units
                    .info(h.unit)
                    .map(|i| i.name.clone())
                    .unwrap_or_default();
                t.below.push((units.id(h.unit).to_string(), name, series));
            }
        }
    }

    /// Whether the history is large enough to lead with its roll-up (more than
    /// [`LARGE_RESULTS`] series), as evaluations do.
    pub fn is_large(&self) -> bool {
        self.series > LARGE_RESULTS
    }
}

/// A share as one of eight block heights (`▁`…`█`); a blank for none at all, so that a small
/// share still shows.
fn block_char(part: usize, all: usize) -> char {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    if part == 0 || all == 0 {
        return ' ';
    }
    let level = (part * 8).div_ceil(all).clamp(1, 8);
    BLOCKS.get(level - 1).copied().unwrap_or('█')
}

/// A line of a goal's roll-up: its mark, its words, and what it counts.
type Group = (&'static str, String, fn(&Counts) -> usize);

/// The three lines a goal's history rolls up to: per month, the share of units met, on track
/// and behind (not met or off track), as block heights; the last month's figures at the end.
fn goal_lines(counts: &[Counts], dates: &[NaiveDate], lang: Lang) -> Vec<String> {
    let groups: [Group; 3] = [
        (
            status_mark(Status::Met),
            status_word(Status::Met, lang).to_string(),
            |c| c.get(Status::Met),
        ),
        (
            status_mark(Status::OnTrack),
            status_word(Status::OnTrack, lang).to_string(),
            |c| c.get(Status::OnTrack),
        ),
        ("✗", lang.pick("chậm", "behind").to_string(), Counts::behind),
    ];
    groups
        .iter()
        .map(|(mark, word, part)| {
            let mut line = format!("  {mark} {:<14} ", super::eval::truncate(word, 14));
            let mut year = None;
            for (c, d) in counts.iter().zip(dates) {
                if year.is_some_and(|y| y != d.year()) {
                    line.push(' ');
                }
                year = Some(d.year());
                line.push(block_char(part(c), c.applicable()));
            }
            if let Some(last) = counts.last() {
                let n = part(last);
                let _ = write!(line, "  {}% ({})", last.percent(n), count(n, lang));
            }
            line.trim_end().to_string()
        })
        .collect()
}

/// The roll-up of a history for a terminal: per goal, the shares of units met, on track and
/// behind at each month end, one character a month.
pub fn history_rollup_human(c: &Compiled, h: &HistoryRollup, lang: Lang) -> String {
    let plan = c.plan();
    let mut out = String::new();
    let (Some(first), Some(last)) = (h.dates.first(), h.dates.last()) else {
        return out;
    };
    let _ = writeln!(
        out,
        "{} — {}\n{} {first} … {last}",
        plan.plan().id,
        plan.plan().title,
        lang.pick(
            "Diễn biến trạng thái cuối mỗi tháng,",
            "Status at the end of each month,"
        )
    );
    let _ = writeln!(
        out,
        "{}\n",
        lang.pick(
            "Mỗi ký tự một tháng: tỷ lệ đơn vị đạt, đúng tiến độ, chậm (không đạt hoặc chậm tiến độ), cao từ ▁ đến █ (100%); cuối dòng: tháng cuối.",
            "One character a month: the share of units met, on track, behind (not met or off track), from ▁ to █ (100%); at the end: the last month."
        )
    );
    let mut ruler = format!("  {:<16} ", "");
    let mut year = None;
    for d in &h.dates {
        if year != Some(d.year()) {
            if year.is_some() {
                ruler.push(' ');
            }
            let months = h.dates.iter().filter(|x| x.year() == d.year()).count();
            let label = d.year().to_string();
            let _ = write!(ruler, "{label:<months$}");
            year = Some(d.year());
        }
    }
    for ((id, title), counts) in h.goals.iter().zip(&h.counts) {
        let units = counts.last().map_or(0, Counts::applicable);
        if units == 0 {
            continue;
        }
        let _ = writeln!(
            out,
            "{id} {title} ({} {})",
            count(units, lang),
            lang.pick("đơn vị", "units")
        );
        let _ = writeln!(out, "{}", ruler.trim_end());
        for line in goal_lines(counts, &h.dates, lang) {
            let _ = writeln!(out, "{line}");
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{}",
        lang.pick(
            "`--all` liệt kê diễn biến của từng đơn vị.",
            "`--all` lists every unit's history."
        )
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_map_to_block_heights() {
        assert_eq!(block_char(0, 10), ' ');
        assert_eq!(block_char(1, 100), '▁');
        assert_eq!(block_char(10, 10), '█');
        assert_eq!(block_char(5, 10), '▄');
        assert_eq!(block_char(3, 0), ' ');
    }
}
