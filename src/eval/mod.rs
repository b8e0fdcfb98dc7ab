//! Evaluation: a compiled plan and measured data in, per-goal compliance out (docs/rule-language.md and docs/plan-format.md).
//!
//! A [`Compiled`] plan resolves every name to an index once; [`evaluate`] then judges every
//! (unit, goal) pair as of a date, with no string look-up in the loop. Statuses are decided in
//! `status.rs`; explanations, which do allocate, are built only for the results reported.
//!
//! ```
//! use chitieu::{check, data, eval, plan};
//! let checked = check::checked(plan::load("plans/vinh-long/22-kh-ubnd-2026-2030.yaml").unwrap()).unwrap();
//! let mut units = data::load_units(Some("examples/data/units.csv".as_ref()), &checked).unwrap();
//! let data = data::load_observations(&["examples/data/observations.csv".into()], &checked, &mut units, data::Locale::Default).unwrap();
//! let compiled = eval::Compiled::new(checked);
//! let options = eval::Options::new(chitieu::period::parse_date("2026-10-31").unwrap());
//! let report = eval::evaluate(&compiled, &data, &units, &options).unwrap();
//! let online = report.results.iter().find(|r| r.unit == "H61" && r.goal == "II.2.h").unwrap();
//! assert_eq!(online.status, eval::Status::Met);
//! ```

pub mod chart;
mod columns;
mod compile;
mod engine;
mod evaluator;
mod explain;
mod fastdiv;
mod history;
pub mod sdg;
mod status;

pub use crate::period::month_ends;
pub use chart::{Point, StatusAt, Trajectory, trajectory};
pub use compile::Compiled;
pub use engine::{Fault, Val};
pub use evaluator::Evaluator;
pub use explain::{ExplainStep, FaultAt, Input, Quantity, StepValue};
pub use history::{History, Series, Step, UnitHistory};
pub use sdg::{Sdg, SdgStatus};
pub use status::{Outcome, Status};

use crate::data::{Dataset, UnitId, Units};
use crate::diag::{Common, Diagnostic, Thing, suggest};
use crate::lang::Lang;
use crate::period::Period;
use crate::plan::{PlanPeriod, Progress, Unit};
use chrono::{Datelike, NaiveDate};
use engine::{Engine, NoTrace, When};
use rust_decimal::Decimal;
use serde::Serialize;

/// What to evaluate.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Options {
    /// The evaluation date T.
    pub as_of: NaiveDate,
    /// Only these units (ids); empty: every unit.
    pub units: Vec<String>,
    /// Only these goals (ids); empty: every goal.
    pub goals: Vec<String>,
}

impl Options {
    /// Every unit and goal, as of `as_of`.
    pub fn new(as_of: NaiveDate) -> Options {
        Options {
            as_of,
            units: Vec::new(),
            goals: Vec::new(),
        }
    }
}

/// The plan an evaluation is of.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct PlanSummary {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its issuer.
    pub issuer: Option<String>,
    /// Its period.
    pub period: PlanPeriod,
    /// Its baseline period.
    pub baseline: Option<Period>,
    /// Its language.
    pub lang: Lang,
}

/// A milestone that has come due, judged like a goal.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct MilestoneResult {
    /// Its rule.
    pub rule: String,
    /// Its date.
    pub deadline: NaiveDate,
    /// Its status.
    pub status: Status,
    /// The measured value.
    pub actual: Option<Decimal>,
    /// Its target.
    pub target: Option<Decimal>,
}

/// The result of one goal for one unit.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct GoalResult {
    /// The unit's id.
    pub unit: String,
    /// The unit's name.
    pub unit_name: String,
    /// The goal's id.
    pub goal: String,
    /// The goal's title.
    pub title: String,
    /// The status.
    pub status: Status,
    /// The measured value (a percent as its fraction).
    pub actual: Option<Decimal>,
    /// The target value.
    pub target: Option<Decimal>,
    /// Shortfall in the better direction; positive when short.
    pub gap: Option<Decimal>,
    /// (actual − baseline) / (target − baseline).
    pub progress: Option<Decimal>,
    /// The trajectory's value at the evaluation date.
    pub expected: Option<Decimal>,
    /// The measure at the end of the baseline period.
    pub baseline: Option<Decimal>,
    /// The deadline.
    pub deadline: Option<NaiveDate>,
    /// The unit of `actual`, `target`, `gap` and `expected` (`percent`: fractions).
    pub value_unit: Option<Unit>,
    /// The period `actual` comes from.
    pub period: Option<Period>,
    /// The SDG progress measure, for goals with `progress: sdg`.
    pub sdg: Option<Sdg>,
    /// What went wrong, for status `error`.
    pub fault: Option<FaultAt>,
    /// Milestones that have come due.
    pub milestones: Vec<MilestoneResult>,
    /// The values the rule read and its comparison, step by step (`report` puts them into
    /// words).
    pub steps: Vec<ExplainStep>,
    /// Whether the goal is aspirational (“phấn đấu”): in JSON only when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub aspirational: bool,
    /// The rule's comparator, read as `actual op target`, for showing the target as the rule
    /// states it (`> 80%`).
    #[serde(skip)]
    pub comparator: Option<crate::syntax::CmpOp>,
    /// Whether the target is the baseline itself (`x >= baseline(x)`): a level to hold, which
    /// reports call the baseline rather than a figure of the plan.
    #[serde(skip)]
    pub target_is_baseline: bool,
}

/// The SDG measure averaged over a unit's goals.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct SdgMean {
    /// The unit.
    pub unit: String,
    /// Mean score.
    pub score: Decimal,
    /// Status of the mean.
    pub status: SdgStatus,
    /// How many goals have a score.
    pub goals: usize,
}

/// The results of a plan as of a date.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Evaluation {
    /// The plan.
    pub plan: PlanSummary,
    /// The evaluation date.
    pub as_of: NaiveDate,
    /// One result per (unit, goal), units in registry order, goals in plan order.
    pub results: Vec<GoalResult>,
    /// The SDG measure averaged per unit, where its goals have one.
    pub sdg: Vec<SdgMean>,
}

fn unknown(thing: Thing, name: &str, known: Vec<&str>) -> Diagnostic {
    Diagnostic::new(Common::UnknownName {
        thing,
        name: name.into(),
        suggestion: suggest(name, known),
    })
}

/// The units and goals an evaluation covers; unknown ids are errors with a suggestion.
pub(crate) fn selection(
    c: &Compiled,
    units: &Units,
    options: &Options,
) -> Result<(Vec<UnitId>, Vec<usize>), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let unit_ids: Vec<UnitId> = if options.units.is_empty() {
        units.iter().map(|(u, _)| u).collect()
    } else {
        options
            .units
            .iter()
            .filter_map(|id| {
                let found = units.get(id);
                if found.is_none() {
                    let known = units.iter().map(|(_, info)| info.id.as_str()).collect();
                    errors.push(unknown(Thing::Unit, id, known));
                }
                found
            })
            .collect()
    };
    let goals: Vec<usize> = if options.goals.is_empty() {
        (0..c.goals.len()).collect()
    } else {
        options
            .goals
            .iter()
            .filter_map(|id| {
                let found = c.plan.goals.iter().position(|g| g.id.name == *id);
                if found.is_none() {
                    let known = c.plan.goals.iter().map(|g| g.id.name.as_str()).collect();
                    errors.push(unknown(Thing::Goal, id, known));
                }
                found
            })
            .collect()
    };
    if errors.is_empty() {
        Ok((unit_ids, goals))
    } else {
        Err(errors)
    }
}

/// An `invalid-date` error for the first date outside [`YEARS`](crate::period::YEARS): the
/// library evaluates at the dates the command line accepts.
fn dates_in_range(dates: impl IntoIterator<Item = NaiveDate>) -> Result<(), Vec<Diagnostic>> {
    match dates
        .into_iter()
        .find(|&d| !crate::period::date_in_range(d))
    {
        Some(d) => Err(vec![Diagnostic::new(crate::syntax::Kind::InvalidDate {
            text: d.to_string(),
        })]),
        None => Ok(()),
    }
}

/// Evaluates every selected goal for every selected unit as of `options.as_of`. A date outside
/// [`YEARS`](crate::period::YEARS) is an `invalid-date` error.
pub fn evaluate(
    c: &Compiled,
    data: &Dataset,
    units: &Units,
    options: &Options,
) -> Result<Evaluation, Vec<Diagnostic>> {
    dates_in_range([options.as_of])?;
    let (unit_ids, goals) = selection(c, units, options)?;
    let engine = Engine::new(c, data, units);
    let t = options.as_of;
    let mut results = Vec::with_capacity(unit_ids.len() * goals.len());
    let mut means = Vec::new();
    for &u in &unit_ids {
        let info = units.info(u);
        let mut scores = Vec::new();
        for &g in &goals {
            let (Some(goal), Some(compiled)) = (c.plan.goals.get(g), c.goals.get(g)) else {
                continue;
            };
            let out = engine.goal(g, u, t);
            let applies = out.status != Status::NotApplicable;
            let sdg = if applies {
                engine.sdg(g, u, t, &out)
            } else {
                None
            };
            if let Some(score) = sdg.and_then(|s| s.score) {
                scores.push(score);
            }
            let milestones = if applies {
                compiled
                    .milestones
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| m.deadline <= t)
                    .map(|(i, m)| {
                        let mo = engine.milestone(g, i, u, t);
                        MilestoneResult {
                            rule: c.texts.get(m.text as usize).cloned().unwrap_or_default(),
                            deadline: m.deadline,
                            status: mo.status,
                            actual: mo.actual,
                            target: mo.target,
                        }
                    })
                    .collect()
            } else {
                Vec::new()
            };
            results.push(GoalResult {
                unit: units.id(u).to_string(),
                unit_name: info.map(|i| i.name.clone()).unwrap_or_default(),
                goal: goal.id.name.clone(),
                title: goal.title.clone(),
                status: out.status,
                actual: out.actual,
                target: out.target,
                gap: out.gap,
                progress: out.progress,
                expected: out.expected,
                baseline: out.baseline,
                deadline: out.deadline,
                value_unit: compiled.measure.and_then(|m| c.unit_of(m.m)),
                period: out.period,
                sdg,
                fault: out.fault.map(|(fault, node)| engine.fault_at(fault, node)),
                milestones,
                steps: if applies {
                    engine.explain(compiled.rule, u, t)
                } else {
                    Vec::new()
                },
                aspirational: goal.aspirational,
                comparator: compiled.measure.filter(|m| !m.improve).map(|m| m.op),
                target_is_baseline: target_is_baseline(&goal.rule.rule.expr),
            });
        }
        if let Some((score, status)) = sdg::mean(scores.iter().copied()) {
            means.push(SdgMean {
                unit: units.id(u).to_string(),
                score,
                status,
                goals: scores.len(),
            });
        }
    }
    let plan = c.plan.plan();
    Ok(Evaluation {
        plan: PlanSummary {
            id: plan.id.clone(),
            title: plan.title.clone(),
            issuer: plan.issuer.clone(),
            period: plan.period,
            baseline: plan.baseline,
            lang: plan.lang,
        },
        as_of: t,
        results,
        sdg: means,
    })
}

/// Evaluates one goal for one unit, without explanation: the fast path for library users who
/// judge many pairs (history, dashboards).
///
/// Returns `None` when the unit or goal id is unknown.
pub fn outcome(
    c: &Compiled,
    data: &Dataset,
    units: &Units,
    unit: &str,
    goal: &str,
    as_of: NaiveDate,
) -> Option<Outcome> {
    let u = units.get(unit)?;
    let g = c.plan.goals.iter().position(|x| x.id.name == goal)?;
    Some(Engine::new(c, data, units).goal(g, u, as_of))
}

/// The value of compiled node `n` for unit `u`, from the inputs of period `p` as known at `t`
/// (the per-period evaluation an index score needs).
pub(crate) fn value_in(
    c: &Compiled,
    data: &Dataset,
    units: &Units,
    n: u32,
    u: UnitId,
    p: Period,
    t: NaiveDate,
) -> Val {
    Engine::new(c, data, units).eval(n, u, When::In(p, t), &mut NoTrace)
}

/// The steps explaining node `n` for unit `u` in period `p` as known at `t`: the values it read.
pub(crate) fn trace_in(
    c: &Compiled,
    data: &Dataset,
    units: &Units,
    n: u32,
    u: UnitId,
    p: Period,
    t: NaiveDate,
) -> Vec<ExplainStep> {
    Engine::new(c, data, units).trace(n, u, When::In(p, t), t).0
}

/// The value of indicator `i` for unit `u` in period `p` as known at `t`.
pub(crate) fn indicator_in(
    c: &Compiled,
    data: &Dataset,
    units: &Units,
    i: u32,
    u: UnitId,
    p: Period,
    t: NaiveDate,
) -> Val {
    Engine::new(c, data, units).ind(i, u, When::In(p, t)).0
}

impl Compiled {
    /// The index of a goal in the plan, by id.
    pub fn goal_index(&self, id: &str) -> Option<usize> {
        self.plan.goals.iter().position(|g| g.id.name == id)
    }
}

impl Engine<'_> {
    /// The SDG measure of goal `g` for unit `u` (docs/plan-format.md, `progress`), for goals with `progress: sdg`.
    fn sdg(&self, g: usize, u: UnitId, t: NaiveDate, out: &Outcome) -> Option<Sdg> {
        let Progress::Sdg { limit } = self.c.plan.goals.get(g)?.progress?;
        let goal = self.c.goals.get(g)?;
        let not_available = Sdg {
            progress_value: None,
            score: None,
            status: SdgStatus::NotAvailable,
        };
        // A series without data still carries the block, as the reference implementation
        // reports it.
        let Some(value) = out.actual else {
            return Some(not_available);
        };
        let base_period = self.c.baseline?;
        // The measure, its direction and target: a single comparison, or `improve(x)`, which
        // has a direction and no target value.
        let measure = goal.measure?;
        let higher = match measure.op_direction() {
            Some(d) => d == status::Direction::Up,
            None => out.target? >= out.baseline.unwrap_or(Decimal::ZERO),
        };
        let target = if measure.target_fixed && !measure.improve {
            Some((out.target?, out.deadline?.year()))
        } else {
            None
        };
        let unit = self.c.unit_of(measure.m);
        let m = measure.m;
        let value_at = |w: When| -> Option<Decimal> {
            match self.eval(m, u, w, &mut NoTrace) {
                Val::Num(d) => Some(d),
                _ => None,
            }
        };
        let period = out.period;
        let year = period.map_or(t.year(), |p| p.year());
        // The base: the baseline period, or the next later year with data.
        let mut base = None;
        for y in base_period.year()..=year {
            let end = if y == base_period.year() {
                base_period.end()
            } else {
                Period::Year(y).end()
            };
            if let Some(b) = value_at(When::Now(end)) {
                base = Some((b, y));
                break;
            }
        }
        let Some((b, base_year)) = base else {
            return Some(not_available);
        };
        let limit = limit.map(|l| {
            if unit == Some(Unit::Percent) {
                crate::quantity::nearest_fraction(l)
            } else {
                l
            }
        });
        Some(sdg::sdg(sdg::SdgInput {
            base: b,
            base_year,
            value,
            year,
            target,
            higher_is_better: higher,
            limit,
        }))
    }
}

/// Whether a rule is a single comparison whose target side is `baseline(…)`.
fn target_is_baseline(e: &crate::syntax::Expr) -> bool {
    use crate::syntax::{ExprKind, Func};
    match &e.kind {
        ExprKind::Compare { rest, .. } => matches!(
            rest.as_slice(),
            [(_, _, target)] if matches!(target.kind, ExprKind::Call { func: Func::Baseline, .. })
        ),
        _ => false,
    }
}
