//! Explanations as typed steps: the values a rule read, each with its unit and period, then the
//! comparison with its outcome. `report` puts them into words (vi/en):
//!
//! ```text
//! online_rate = online_dossiers / total_dossiers = 3,410 / 3,806 = 89.60% (2025-Q3)
//! 89.60% > 80.00% ✓
//! ```

use super::compile::{N, Node, children};
use super::engine::{Engine, Fault, NoTrace, Trace, Val, When};
use crate::data::UnitId;
use crate::period::Period;
use crate::plan::Unit;
use crate::syntax::functions::Over;
use crate::syntax::{CmpOp, Func};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// A value an explanation shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StepValue {
    /// A number (a percent as its fraction).
    Number {
        /// The exact value.
        value: Decimal,
    },
    /// A condition's truth.
    Bool {
        /// The truth.
        value: bool,
    },
    /// No data.
    Missing,
    /// Evaluation failed.
    Error(FaultAt),
}

/// An evaluation fault and the sub-expression where it happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FaultAt {
    /// What went wrong.
    pub fault: Fault,
    /// The text of the sub-expression that failed.
    pub expr: String,
}

/// A value with the unit it is displayed in.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Quantity {
    /// The value (its fields stand beside `unit` in JSON).
    #[serde(flatten)]
    pub value: StepValue,
    /// Its unit (`None`: shown as a plain value).
    pub unit: Option<Unit>,
}

/// An input of a derived indicator's formula: where it stands in the formula text, and the
/// value it had.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Input {
    /// The input indicator's id.
    pub indicator: String,
    /// First byte of its name in the formula text.
    pub start: usize,
    /// One past the last byte of its name.
    pub end: usize,
    /// Its value in the formula's period.
    pub value: Quantity,
}

/// One step of an explanation.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ExplainStep {
    /// A measured indicator's value, and the period it is of.
    Read {
        /// The indicator's id.
        indicator: String,
        /// Its value.
        value: Quantity,
        /// The period of the value (`None`: no data).
        period: Option<Period>,
    },
    /// A derived indicator computed by its formula from the inputs of one period.
    Computed {
        /// The indicator's id.
        indicator: String,
        /// Its formula as written.
        formula: String,
        /// The inputs the formula read, in text order (empty when no period had data).
        inputs: Vec<Input>,
        /// The formula's value.
        value: Quantity,
        /// The period computed (`None`: no data).
        period: Option<Period>,
    },
    /// A target assigned to the evaluated unit (giao chỉ tiêu, `assigned: true`): the value of
    /// the period containing `date` (the rule's deadline, or the evaluation date), or of the
    /// latest period before it.
    Assigned {
        /// The indicator's id.
        indicator: String,
        /// The unit's id.
        unit: String,
        /// The unit's name.
        unit_name: String,
        /// The target (missing: no target was assigned to the unit).
        value: Quantity,
        /// The period the target is for (`None`: none assigned).
        period: Option<Period>,
        /// The date the target was sought for.
        date: NaiveDate,
    },
    /// A sub-expression's value in a fixed period: `baseline(x)`, `value(x, P)`, `previous(x)`,
    /// the base of `change(x)` and `improve(x)`.
    AtPeriod {
        /// The sub-expression's text.
        expr: String,
        /// Its value in that period.
        value: Quantity,
        /// The period.
        period: Period,
    },
    /// An aggregate over the units of a kind below the evaluated one, with its coverage.
    Aggregate {
        /// The aggregate's text.
        expr: String,
        /// The function.
        function: Func,
        /// The unit kind aggregated over.
        kind: String,
        /// The aggregate's value.
        value: Quantity,
        /// How many units had a value (or a known condition).
        counted: u32,
        /// How many units of the kind there are.
        total: u32,
        /// Over a condition: how many units satisfy it.
        holds: Option<u32>,
    },
    /// The rule's comparison: each operand's value, the operators between them, the outcome.
    Comparison {
        /// The operands, left to right.
        operands: Vec<Quantity>,
        /// The operators between consecutive operands.
        ops: Vec<CmpOp>,
        /// Whether the comparison holds.
        outcome: StepValue,
    },
    /// A rule that is not a single comparison: its text and outcome.
    Condition {
        /// The rule's text.
        expr: String,
        /// Its value.
        outcome: StepValue,
    },
}

#[derive(Clone, Copy)]
enum Event {
    Ind(u32, Val, Option<Period>),
    Agg(Val, u32, u32, u32),
    At(Val, Period),
    Assigned(Val, Option<Period>, NaiveDate),
}

#[derive(Default)]
struct Recorder {
    events: Vec<(N, Event)>,
}

impl Trace for Recorder {
    fn ind(&mut self, node: N, ind: u32, value: Val, period: Option<Period>) {
        self.events.push((node, Event::Ind(ind, value, period)));
    }
    fn agg(&mut self, node: N, value: Val, counted: u32, total: u32, hits: u32) {
        self.events
            .push((node, Event::Agg(value, counted, total, hits)));
    }
    fn records_agg(&self) -> bool {
        true
    }
    fn records_ind(&self) -> bool {
        true
    }
    fn at(&mut self, node: N, value: Val, period: Period) {
        self.events.push((node, Event::At(value, period)));
    }
    fn assigned(&mut self, node: N, value: Val, period: Option<Period>, date: NaiveDate) {
        self.events
            .push((node, Event::Assigned(value, period, date)));
    }
}

impl Engine<'_> {
    /// A value as a step shows it.
    pub(crate) fn step_value(&self, v: Val) -> StepValue {
        match v {
            Val::Num(value) => StepValue::Number { value },
            Val::Bool(value) => StepValue::Bool { value },
            Val::Missing => StepValue::Missing,
            Val::Error(fault, node) => StepValue::Error(self.fault_at(fault, node)),
        }
    }

    /// A fault with the text of the sub-expression where it happened.
    pub(crate) fn fault_at(&self, fault: Fault, node: N) -> FaultAt {
        FaultAt {
            fault,
            expr: self.c.source(node).to_string(),
        }
    }

    fn quantity(&self, v: Val, unit: Option<Unit>) -> Quantity {
        Quantity {
            value: self.step_value(v),
            unit,
        }
    }

    /// Explains rule `rule` for unit `u` at `t`: a step per indicator, aggregate and
    /// fixed-period value it read, then the comparison with its outcome.
    pub(crate) fn explain(&self, rule: N, u: UnitId, t: NaiveDate) -> Vec<ExplainStep> {
        let (mut steps, holds) = self.trace(rule, u, When::Now(t), t);
        steps.push(self.verdict(rule, holds, u, t));
        steps
    }

    /// The values expression `n` read for unit `u` (`when`, with `t` the date data is known
    /// by): a step per indicator, aggregate and fixed-period value, and its own value.
    pub(crate) fn trace(
        &self,
        n: N,
        u: UnitId,
        when: When,
        t: NaiveDate,
    ) -> (Vec<ExplainStep>, Val) {
        let mut rec = Recorder::default();
        let holds = self.eval(n, u, when, &mut rec);
        let mut steps = Vec::new();
        // A node read twice (a derived indicator in a rule and its measure) is explained once;
        // `improve(x)` records two readings on one node, the current and the baseline value.
        let mut seen: Vec<(N, u8)> = Vec::new();
        for (node, event) in rec.events {
            let key = (
                node,
                match event {
                    Event::Ind(..) => 0,
                    Event::Agg(..) => 1,
                    Event::At(..) => 2,
                    Event::Assigned(..) => 3,
                },
            );
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let step = match event {
                Event::Ind(i, v, period) => self.indicator_step(i, v, period, u, t),
                Event::Assigned(v, period, date) => {
                    let Node::Assigned { ind, .. } = *self.c.node(node) else {
                        continue;
                    };
                    let info = self.c.plan.indicators.get(ind as usize);
                    Some(ExplainStep::Assigned {
                        indicator: info.map_or_else(String::new, |i| i.id.name.clone()),
                        unit: self.units.id(u).to_string(),
                        unit_name: self
                            .units
                            .info(u)
                            .map_or_else(String::new, |i| i.name.clone()),
                        value: self.quantity(v, info.map(|i| i.unit)),
                        period,
                        date,
                    })
                }
                Event::At(v, period) => {
                    // `improve(x)`'s second reading is indicator x in the baseline period.
                    let (expr, unit) = match *self.c.node(node) {
                        Node::Improve(i, _) => match self.c.plan.indicators.get(i as usize) {
                            Some(ind) => (ind.id.name.clone(), Some(ind.unit)),
                            None => (String::new(), None),
                        },
                        _ => (self.c.source(node).to_string(), self.c.unit_of(node)),
                    };
                    Some(ExplainStep::AtPeriod {
                        expr,
                        value: self.quantity(v, unit),
                        period,
                    })
                }
                Event::Agg(v, counted, total, hits) => {
                    let Node::Agg {
                        func,
                        agg,
                        kind,
                        arg,
                    } = *self.c.node(node)
                    else {
                        continue;
                    };
                    Some(ExplainStep::Aggregate {
                        expr: self.c.source(node).to_string(),
                        function: func,
                        kind: self
                            .c
                            .plan
                            .kinds
                            .get(kind as usize)
                            .map_or_else(String::new, |k| k.name.clone()),
                        value: self.quantity(v, self.c.unit_of(node)),
                        counted,
                        total,
                        holds: (arg.is_some() && agg.over == Over::Condition).then_some(hits),
                    })
                }
            };
            steps.extend(step);
        }
        (steps, holds)
    }

    fn indicator_step(
        &self,
        i: u32,
        v: Val,
        period: Option<Period>,
        u: UnitId,
        t: NaiveDate,
    ) -> Option<ExplainStep> {
        let ind = self.c.plan.indicators.get(i as usize)?;
        let indicator = ind.id.name.clone();
        let value = self.quantity(v, Some(ind.unit));
        let (Some(formula), Some(f)) = (&ind.formula, self.c.indicator(i).and_then(|x| x.formula))
        else {
            return Some(ExplainStep::Read {
                indicator,
                value,
                period,
            });
        };
        // Each indicator the formula names, with its value in the period computed: the
        // compiled nodes keep the span of every name in the formula's text.
        let mut inputs = Vec::new();
        if let Some(p) = period {
            let mut stack = vec![f];
            while let Some(n) = stack.pop() {
                let node = self.c.node(n);
                if let Node::Ind { ind: j, .. } = *node {
                    let span = self.c.span(n);
                    let input_unit = self.c.plan.indicators.get(j as usize).map(|x| x.unit);
                    inputs.push(Input {
                        indicator: self
                            .c
                            .plan
                            .indicators
                            .get(j as usize)
                            .map_or_else(String::new, |x| x.id.name.clone()),
                        start: span.start,
                        end: span.end,
                        value: self.quantity(self.ind(j, u, When::In(p, t)).0, input_unit),
                    });
                }
                stack.extend(children(node, self.c));
            }
            inputs.sort_by_key(|x| x.start);
        }
        Some(ExplainStep::Computed {
            indicator,
            formula: formula.text.text.clone(),
            inputs,
            value,
            period,
        })
    }

    fn verdict(&self, rule: N, holds: Val, u: UnitId, t: NaiveDate) -> ExplainStep {
        match self.c.node(rule) {
            Node::Cmp { first, start, len } => {
                let links = self.c.links(*start, *len);
                ExplainStep::Comparison {
                    operands: std::iter::once(*first)
                        .chain(links.iter().map(|l| l.1))
                        .map(|n| self.operand(n, u, t))
                        .collect(),
                    ops: links.iter().map(|l| l.0).collect(),
                    outcome: self.step_value(holds),
                }
            }
            _ => ExplainStep::Condition {
                expr: self.c.source(rule).to_string(),
                outcome: self.step_value(holds),
            },
        }
    }

    fn operand(&self, n: N, u: UnitId, t: NaiveDate) -> Quantity {
        let v = self.eval(n, u, When::Now(t), &mut NoTrace);
        self.quantity(v, self.c.unit_of(n))
    }
}
