//! Index scores (docs/plan-format.md, `index`): every metric of a plan's `index:` evaluated per unit and period,
//! rounded, summed into groups and a total, classified into a band and ranked.
//!
//! - A metric's score is its formula's exact decimal value, rounded to the index's `places`
//!   half away from zero ([`crate::quantity::round`]); a group with metrics is
//!   the sum of its *rounded* metric scores; a single-formula group is its formula rounded.
//! - A group is computed when every one of its formulas has a value; otherwise it is read from its
//!   `supplied:` indicator (same period); with neither it is missing: no data, not zero.
//! - The total is the sum of the groups, and is missing when any group is: a partial sum would
//!   look like a (bad) score. A unit without a total has no band and no rank.
//! - Ranks compare units of the same kind in the same period, highest total first; ties share a
//!   rank and the next rank is skipped (1, 2, 2, 4).
//!
//! Division by zero and the other special cases of a method are written in the plan, with
//! `on_zero:` on the derived indicators, `min(…)` and `coalesce(…)`: nothing here knows Decision
//! 766. The facade ([`Project`](crate::Project)) then gives goals a copy of the data in which the
//! indicator declared as the index's total (`index: <id>`) has the computed totals, so goals
//! can read them (`score_766 >= 97`, `share(department, score_766 >= 97) = 100%`).
//!
//! ```
//! use chitieu::{check, data, eval, plan, score};
//! let checked = check::checked(plan::load("plans/national/766-dvcqg-2026.yaml").unwrap()).unwrap();
//! let mut units = data::load_units(Some("tests/fixtures/766/units.csv".as_ref()), &checked).unwrap();
//! let data = data::load_observations(&["tests/fixtures/766/observations.csv".into()], &checked, &mut units, data::Locale::Default).unwrap();
//! let compiled = eval::Compiled::new(checked);
//! let as_of = chitieu::period::parse_date("2026-10-11").unwrap();
//! let scores = score::compute(&compiled, &data, &units, as_of).unwrap();
//! let h20 = scores.units.iter().find(|s| s.unit == "H20").unwrap();
//! assert_eq!(h20.group("MDHL").unwrap().to_string(), "14.67");
//! assert_eq!(h20.total.unwrap().to_string(), "68.80");
//! assert_eq!(h20.rank, Some(1));
//! ```

use crate::data::{Dataset, UnitId, Units};
use crate::eval::{Compiled, ExplainStep, Val, indicator_in, trace_in, value_in};
use crate::period::Period;
use crate::plan::{Index, Ranking};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};
use std::collections::{BTreeSet, HashMap};

/// The scores of a plan's index as of a date.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Scores {
    /// The index's id.
    pub index: String,
    /// Its title.
    pub title: String,
    /// Its maximum total.
    pub max: Decimal,
    /// Decimal places of scores.
    pub places: u32,
    /// The groups: id, title and maximum, in plan order.
    pub groups: Vec<GroupInfo>,
    /// One score per (unit, period) with data, units in registry order, periods in order.
    pub units: Vec<UnitScore>,
    /// The bands (xếp loại): title and lowest total, highest first, for charts to mark.
    pub bands: Vec<(String, Decimal)>,
}

/// A group of the index, as reports head their columns.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct GroupInfo {
    /// Its id (`CKMB`).
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its maximum.
    pub max: Decimal,
}

/// The score of one unit in one period.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct UnitScore {
    /// The unit's id.
    pub unit: String,
    /// The unit's name.
    pub unit_name: String,
    /// The period.
    pub period: Period,
    /// Each group's score (`None`: missing), in the index's group order.
    pub groups: Vec<GroupScore>,
    /// The total (`None` when a group is missing).
    pub total: Option<Decimal>,
    /// The band's id.
    pub band: Option<String>,
    /// The band's title (`Xuất sắc`).
    pub band_title: Option<String>,
    /// The rank among units of the same kind in the same period (`None`: unranked).
    pub rank: Option<u32>,
    /// How many units of its kind were ranked with it.
    pub ranked: u32,
}

/// One group's score for a unit and period.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct GroupScore {
    /// The group's id.
    pub id: String,
    /// The score (`None`: missing).
    pub score: Option<Decimal>,
    /// Where it comes from.
    pub source: ScoreSource,
    /// The rounded metric scores (id, score), for a group with metrics.
    pub metrics: Vec<(String, Option<Decimal>)>,
}

/// Where a group score comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreSource {
    /// Computed from its inputs.
    Computed,
    /// Read from its `supplied:` indicator, its inputs being incomplete.
    Supplied,
    /// Neither: no data.
    Missing,
}

impl UnitScore {
    /// A group's score by id.
    pub fn group(&self, id: &str) -> Option<Decimal> {
        self.groups
            .iter()
            .find(|g| g.id == id)
            .and_then(|g| g.score)
    }
}

/// The JSON shape of the evaluation (README, “Command line”): `{"unit", "period", "groups": {...}, "total", "band", "rank"}`,
/// decimals as strings.
impl Serialize for UnitScore {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Groups<'a>(&'a [GroupScore]);
        impl Serialize for Groups<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut map = s.serialize_map(Some(self.0.len()))?;
                for g in self.0 {
                    map.serialize_entry(&g.id, &g.score)?;
                }
                map.end()
            }
        }
        let mut st = s.serialize_struct("UnitScore", 6)?;
        st.serialize_field("unit", &self.unit)?;
        st.serialize_field("period", &self.period)?;
        st.serialize_field("groups", &Groups(&self.groups))?;
        st.serialize_field("total", &self.total)?;
        st.serialize_field("band", &self.band)?;
        st.serialize_field("rank", &self.rank)?;
        st.end()
    }
}

/// Rounds (see [`crate::quantity::round`]) and shows exactly `places` decimals, as the index
/// publishes its scores (`93.30`).
fn round(v: Decimal, places: u32) -> Decimal {
    let mut r = crate::quantity::round(v, places);
    r.rescale(places);
    r
}

fn num(v: Val) -> Option<Decimal> {
    match v {
        Val::Num(d) => Some(d),
        _ => None,
    }
}

/// Computes the index of a compiled plan for every unit and period with data as of `as_of`.
///
/// Returns `None` when the plan has no index.
pub fn compute(c: &Compiled, data: &Dataset, units: &Units, as_of: NaiveDate) -> Option<Scores> {
    let x: &Index = c.plan().index.as_ref()?;
    let ci = c.index.as_ref()?;
    let places = x.places;
    let mut out = Vec::new();
    for (u, info) in units.iter() {
        let periods: BTreeSet<Period> = ci
            .inputs
            .iter()
            .flat_map(|&i| data.series(i as usize, u).iter())
            .filter(|pt| pt.visible_from() <= as_of)
            .map(|pt| pt.period())
            .collect();
        for p in periods {
            let mut groups = Vec::with_capacity(x.groups.len());
            for (g, cg) in x.groups.iter().zip(&ci.groups) {
                let value = |n: u32| num(value_in(c, data, units, n, u, p, as_of));
                let metrics: Vec<(String, Option<Decimal>)> = g
                    .metrics
                    .iter()
                    .zip(&cg.metrics)
                    .map(|(m, &n)| (m.id.name.clone(), value(n).map(|v| round(v, places))))
                    .collect();
                let computed = if let Some(n) = cg.score {
                    value(n).map(|v| round(v, places))
                } else if !metrics.is_empty() {
                    metrics
                        .iter()
                        .try_fold(Decimal::ZERO, |acc, (_, v)| acc.checked_add((*v)?))
                } else {
                    None
                };
                let supplied = || {
                    cg.supplied
                        .and_then(|s| num(indicator_in(c, data, units, s, u, p, as_of)))
                        .map(|v| round(v, places))
                };
                let (score, source) = match computed {
                    Some(v) => (Some(v), ScoreSource::Computed),
                    None => match supplied() {
                        Some(v) => (Some(v), ScoreSource::Supplied),
                        None => (None, ScoreSource::Missing),
                    },
                };
                groups.push(GroupScore {
                    id: g.id.name.clone(),
                    score,
                    source,
                    metrics,
                });
            }
            let total = groups
                .iter()
                .try_fold(Decimal::ZERO, |acc, g| acc.checked_add(g.score?))
                .map(|t| round(t, places));
            let band = total.and_then(|t| x.bands.iter().find(|b| t >= b.min.value));
            out.push((
                u,
                UnitScore {
                    unit: info.id.clone(),
                    unit_name: info.name.clone(),
                    period: p,
                    groups,
                    total,
                    band: band.map(|b| b.id.name.clone()),
                    band_title: band.map(|b| b.title.clone()),
                    rank: None,
                    ranked: 0,
                },
            ));
        }
    }
    if x.ranking == Ranking::Descending {
        rank(&mut out, units);
    }
    Some(Scores {
        bands: x
            .bands
            .iter()
            .map(|b| (b.title.clone(), b.min.value))
            .collect(),
        index: x.id.name.clone(),
        title: x.title.clone(),
        max: x.max.value,
        places,
        groups: x
            .groups
            .iter()
            .map(|g| GroupInfo {
                id: g.id.name.clone(),
                title: g.title.clone(),
                max: g.max.value,
            })
            .collect(),
        units: out.into_iter().map(|(_, s)| s).collect(),
    })
}

/// Why a unit scored what it did in one period: every group and metric with its formula, the
/// values the formula read and the rounded score (`chitieu explain --score`).
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct ScoreExplanation {
    /// The score being explained: groups, total, band and rank.
    pub score: UnitScore,
    /// Each group, in the index's order.
    pub groups: Vec<GroupExplanation>,
}

/// One group of a [`ScoreExplanation`].
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct GroupExplanation {
    /// The group's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its maximum.
    pub max: Decimal,
    /// Its score (`None`: missing) and where it comes from.
    pub score: Option<Decimal>,
    /// Computed, supplied or missing.
    pub source: ScoreSource,
    /// The single formula of a group without metrics, with what it read.
    pub formula: Option<FormulaExplanation>,
    /// The indicator of its supplied score.
    pub supplied: Option<String>,
    /// Its metrics.
    pub metrics: Vec<MetricExplanation>,
}

/// One metric of a [`GroupExplanation`].
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct MetricExplanation {
    /// The metric's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its maximum.
    pub max: Decimal,
    /// Its formula, value and rounded score.
    pub formula: FormulaExplanation,
}

/// A score formula as evaluated.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct FormulaExplanation {
    /// The formula as written.
    pub text: String,
    /// The values it read, step by step (`report` puts them into words:
    /// `publish_on_time = … = 4.65% (2026)`).
    pub steps: Vec<ExplainStep>,
    /// Its exact value (`None`: no data).
    pub value: Option<Decimal>,
    /// Its value rounded to the index's places.
    pub rounded: Option<Decimal>,
}

/// Explains the scores of unit `unit` in `scores` (computed by [`compute`] with the same data
/// and date): one explanation per period the unit has a score for, in period order. Empty when
/// the plan has no index or the unit has no score.
pub fn explain(
    c: &Compiled,
    data: &Dataset,
    units: &Units,
    scores: &Scores,
    unit: &str,
    as_of: NaiveDate,
) -> Vec<ScoreExplanation> {
    let (Some(x), Some(ci), Some(u)) = (c.plan().index.as_ref(), c.index.as_ref(), units.get(unit))
    else {
        return Vec::new();
    };
    let places = scores.places;
    let formula = |text: &str, n: u32, p: Period| {
        let value = num(value_in(c, data, units, n, u, p, as_of));
        FormulaExplanation {
            text: text.to_string(),
            steps: trace_in(c, data, units, n, u, p, as_of),
            value,
            rounded: value.map(|v| round(v, places)),
        }
    };
    scores
        .units
        .iter()
        .filter(|s| s.unit == unit)
        .map(|s| ScoreExplanation {
            score: s.clone(),
            groups: x
                .groups
                .iter()
                .zip(&ci.groups)
                .zip(&s.groups)
                .map(|((g, cg), gs)| GroupExplanation {
                    id: g.id.name.clone(),
                    title: g.title.clone(),
                    max: g.max.value,
                    score: gs.score,
                    source: gs.source,
                    formula: g
                        .score
                        .as_ref()
                        .zip(cg.score)
                        .map(|(f, n)| formula(&f.text.text, n, s.period)),
                    supplied: g.supplied.as_ref().map(|n| n.name.clone()),
                    metrics: g
                        .metrics
                        .iter()
                        .zip(&cg.metrics)
                        .map(|(m, &n)| MetricExplanation {
                            id: m.id.name.clone(),
                            title: m.title.clone(),
                            max: m.max.value,
                            formula: formula(&m.score.text.text, n, s.period),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

/// Ranks by total, descending, within each (kind, period): ties share a rank, the next is
/// skipped (1, 2, 2, 4); a unit without a total is unranked.
fn rank(scores: &mut [(UnitId, UnitScore)], units: &Units) {
    let mut cohorts: HashMap<(Option<usize>, Period), Vec<usize>> = HashMap::new();
    for (i, (u, s)) in scores.iter().enumerate() {
        if s.total.is_some() {
            cohorts
                .entry((units.kind(*u), s.period))
                .or_default()
                .push(i);
        }
    }
    for members in cohorts.values() {
        let totals: Vec<Option<Decimal>> = members
            .iter()
            .map(|&i| scores.get(i).and_then(|(_, s)| s.total))
            .collect();
        let n = u32::try_from(members.len()).unwrap_or(u32::MAX);
        for (&i, r) in members.iter().zip(ranks(&totals)) {
            if let Some((_, s)) = scores.get_mut(i) {
                s.rank = r;
                s.ranked = n;
            }
        }
    }
}

/// Ranks totals, descending: ties share a rank, the next is skipped; `None` stays unranked.
///
/// ```
/// use rust_decimal::Decimal;
/// let t = |v: i64| Some(Decimal::from(v));
/// assert_eq!(chitieu::score::ranks(&[t(90), t(80), t(80), None, t(70)]),
///            vec![Some(1), Some(2), Some(2), None, Some(4)]);
/// ```
pub fn ranks(totals: &[Option<Decimal>]) -> Vec<Option<u32>> {
    totals
        .iter()
        .map(|t| {
            let t = (*t)?;
            let better = totals.iter().flatten().filter(|&&o| o > t).count();
            Some(u32::try_from(better).unwrap_or(u32::MAX).saturating_add(1))
        })
        .collect()
}

/// The data with the index totals as values of the indicator declared as the index's total
/// (`index: <id>` on an indicator), so goals can read them; the data unchanged when the plan
/// declares no such indicator.
///
/// A total of a period not yet over at `as_of` is visible from `as_of` (a year-to-date figure).
pub(crate) fn with_totals(
    c: &Compiled,
    data: &Dataset,
    scores: &Scores,
    units: &Units,
    as_of: NaiveDate,
) -> Dataset {
    let Some(total) = c.index.as_ref().and_then(|ci| ci.total) else {
        return data.clone();
    };
    let values: Vec<_> = scores
        .units
        .iter()
        .filter_map(|s| {
            let u = units.get(&s.unit)?;
            let t = s.total?;
            let seen = (s.period.end() > as_of).then_some(as_of);
            Some((u, s.period, seen, t))
        })
        .collect();
    data.with_values(total as usize, values)
}
