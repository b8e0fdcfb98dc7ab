//! A reusable evaluator for callers that judge many (unit, goal, date) triples themselves:
//! no explanations, no allocation per evaluation, names resolved once.

use super::engine::{Engine, NoTrace, When};
use super::{Compiled, Outcome, Val};
use crate::data::{Dataset, UnitId, Units};
use chrono::NaiveDate;

/// Evaluates goals and rules of a compiled plan against one dataset.
///
/// ```
/// use chitieu::{check, data, eval, plan, period};
/// let checked = check::checked(plan::load("plans/vinh-long/22-kh-ubnd-2026-2030.yaml").unwrap()).unwrap();
/// let mut units = data::load_units(Some("examples/data/units.csv".as_ref()), &checked).unwrap();
/// let data = data::load_observations(&["examples/data/observations.csv".into()], &checked, &mut units, data::Locale::Default).unwrap();
/// let compiled = eval::Compiled::new(checked);
/// let ev = eval::Evaluator::new(&compiled, &data, &units);
/// let (h61, g) = (units.get("H61").unwrap(), compiled.goal_index("II.2.h").unwrap());
/// let t = period::parse_date("2026-10-31").unwrap();
/// assert_eq!(ev.rule(g, h61, t), eval::Val::Bool(true));
/// assert_eq!(ev.goal(g, h61, t).status, eval::Status::Met);
/// ```
pub struct Evaluator<'a> {
    engine: Engine<'a>,
}

impl<'a> Evaluator<'a> {
    /// An evaluator of plan `c` over `data`, whose units are those of `units`.
    pub fn new(c: &'a Compiled, data: &'a Dataset, units: &'a Units) -> Evaluator<'a> {
        Evaluator {
            engine: Engine::new(c, data, units),
        }
    }

    /// The value of goal `goal`'s rule (its index in the plan) for `unit` as of `t`: whether
    /// it holds (`Bool`), `Missing` without data, `Error` on overflow or division by zero.
    /// The rule alone: no deadline, trajectory or status.
    pub fn rule(&self, goal: usize, unit: UnitId, t: NaiveDate) -> Val {
        match self.engine.c.goals.get(goal) {
            Some(g) => self.engine.eval(g.rule, unit, When::Now(t), &mut NoTrace),
            None => Val::Missing,
        }
    }

    /// The outcome of goal `goal` for `unit` as of `t`, as [`evaluate`](super::evaluate)
    /// reports it, without explanation.
    pub fn goal(&self, goal: usize, unit: UnitId, t: NaiveDate) -> Outcome {
        self.engine.goal(goal, unit, t)
    }
}
