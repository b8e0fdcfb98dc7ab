//! Checking a plan: names, units, functions, formula cycles, deadlines.
//!
//! [`check`] reports every fault it finds; [`checked`] turns a plan without errors into a
//! [`CheckedPlan`], the only form the evaluator accepts.

mod index;
mod kind;
mod types;

pub use kind::{ArgForm, Kind};
pub use types::{Ty, type_of};

use crate::diag::{Common, Diagnostic, Severity, Thing, suggest};
use crate::plan::Kind as PlanKind;
use crate::plan::{Formula, Goal, Plan, RuleText, ScalarText, Unit};
use crate::syntax::Kind as SyntaxKind;
use crate::syntax::{Expr, ExprKind, Func};
use std::collections::HashMap;
use std::ops::Deref;

/// A plan that passed [`check`] without errors.
#[derive(Clone, Debug)]
pub struct CheckedPlan {
    plan: Plan,
    warnings: Vec<Diagnostic>,
}

impl CheckedPlan {
    /// The warnings the check gave.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The plan.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }
}

impl Deref for CheckedPlan {
    type Target = Plan;
    fn deref(&self) -> &Plan {
        &self.plan
    }
}

/// Checks a plan, returning it as a [`CheckedPlan`] when no finding is an error.
///
/// ```
/// let plan = chitieu::plan::load("plans/vinh-long/22-kh-ubnd-2026-2030.yaml").unwrap();
/// let checked = chitieu::check::checked(plan).unwrap();
/// assert!(checked.goals.len() >= 18);
/// ```
pub fn checked(plan: Plan) -> Result<CheckedPlan, Vec<Diagnostic>> {
    let diags = check(&plan);
    if diags.iter().any(|d| d.severity == Severity::Error) {
        Err(diags)
    } else {
        Ok(CheckedPlan {
            plan,
            warnings: diags,
        })
    }
}

/// Every finding about a plan, in the order of the files.
pub fn check(plan: &Plan) -> Vec<Diagnostic> {
    let mut c = Checker::new(plan);
    c.kinds_and_units();
    for ind in &plan.indicators {
        if let Some(f) = &ind.formula {
            if ind.assigned {
                c.diags.push(Diagnostic::error(
                    Kind::AssignedFormula {
                        indicator: ind.id.name.clone(),
                    },
                    f.text.node(),
                ));
            }
            c.formula(ind.id.name.as_str(), ind.unit, f);
        }
    }
    let deps = c.cycles();
    c.formula_depth(&deps);
    for goal in &plan.goals {
        c.goal(goal);
    }
    c.index();
    c.diags.extend(crate::records::check(plan));
    c.diags
}

/// How many levels of derived indicators may be built on each other.
pub const MAX_FORMULA_DEPTH: usize = 16;

pub(crate) struct Checker<'p> {
    pub(crate) plan: &'p Plan,
    pub(crate) indicators: HashMap<&'p str, usize>,
    pub(crate) diags: Vec<Diagnostic>,
}

/// Where an expression is being checked: what it may use.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// A goal's rule or milestone.
    Rule,
    /// A derived indicator's formula (same-period inputs only).
    Formula,
}

impl<'p> Checker<'p> {
    pub(crate) fn new(plan: &'p Plan) -> Checker<'p> {
        let indicators = plan
            .indicators
            .iter()
            .enumerate()
            .map(|(i, ind)| (ind.id.name.as_str(), i))
            .collect();
        Checker {
            plan,
            indicators,
            diags: Vec::new(),
        }
    }

    fn is_kind(&self, name: &str) -> bool {
        self.plan.kinds.iter().any(|k| k.name == name)
    }

    fn unknown_kind(&mut self, name: &str, location: crate::source::Location) {
        let suggestion = suggest(name, self.plan.kinds.iter().map(|k| k.name.as_str()));
        self.diags.push(Diagnostic::error(
            Common::UnknownKind {
                name: name.into(),
                suggestion,
                known: self.plan.kinds.iter().map(|k| k.name.clone()).collect(),
            },
            location,
        ));
    }

    fn kinds_and_units(&mut self) {
        let plan = self.plan;
        for unit in &plan.units {
            if !self.is_kind(&unit.kind.name) {
                self.unknown_kind(&unit.kind.name, unit.kind.location.clone());
            }
            if let Some(parent) = &unit.parent
                && plan.units.iter().all(|u| u.id.name != parent.name)
            {
                let suggestion =
                    suggest(&parent.name, plan.units.iter().map(|u| u.id.name.as_str()));
                self.diags.push(Diagnostic::error(
                    Common::UnknownName {
                        thing: Thing::Unit,
                        name: parent.name.clone(),
                        suggestion,
                    },
                    parent.location.clone(),
                ));
            }
        }
    }

    fn formula(&mut self, id: &str, declared: Unit, f: &Formula) {
        let ty = self.expr(&f.expr, &f.text, Place::Formula);
        let ok = match (declared, ty) {
            (_, Ty::Unknown) => true,
            (Unit::Boolean, t) => t == Ty::Bool,
            (_, Ty::Bool | Ty::Period | Ty::Kind) => false,
            (Unit::Number, _) => true,
            (_, Ty::Scalar) => true,
            (d, Ty::Unit { unit, .. }) => d == unit,
        };
        if !ok {
            self.diags.push(Diagnostic::error(
                Kind::WrongUnit {
                    thing: Thing::Indicator,
                    name: id.to_string(),
                    expected: declared.name().into(),
                    found: ty.name().into(),
                },
                f.text.locate(f.expr.span),
            ));
        }
    }

    /// Reports circles in the formulas, once each, at the first indicator of the circle;
    /// returns each indicator's formula inputs.
    fn cycles(&mut self) -> Vec<Vec<usize>> {
        let plan = self.plan;
        let n = plan.indicators.len();
        let deps: Vec<Vec<usize>> = plan
            .indicators
            .iter()
            .map(|ind| {
                let mut out = Vec::new();
                if let Some(f) = &ind.formula {
                    names(&f.expr, &mut |name| {
                        if let Some(&j) = self.indicators.get(name) {
                            out.push(j);
                        }
                    });
                }
                out
            })
            .collect();
        // 0 unvisited, 1 on the path, 2 done. Iterative, so a long chain cannot overflow.
        let mut state = vec![0u8; n];
        for root in 0..n {
            if state.get(root) != Some(&0) {
                continue;
            }
            let mut path: Vec<(usize, usize)> = vec![(root, 0)];
            if let Some(s) = state.get_mut(root) {
                *s = 1;
            }
            while let Some(&mut (node, ref mut next)) = path.last_mut() {
                let child = deps.get(node).and_then(|d| d.get(*next)).copied();
                *next += 1;
                match child {
                    None => {
                        if let Some(s) = state.get_mut(node) {
                            *s = 2;
                        }
                        path.pop();
                    }
                    Some(c) => match state.get(c) {
                        Some(0) => {
                            if let Some(s) = state.get_mut(c) {
                                *s = 1;
                            }
                            path.push((c, 0));
                        }
                        Some(1) => {
                            let start = path.iter().position(|&(p, _)| p == c).unwrap_or(0);
                            let mut cycle: Vec<String> = path
                                .get(start..)
                                .unwrap_or_default()
                                .iter()
                                .filter_map(|&(p, _)| plan.indicators.get(p))
                                .map(|i| i.id.name.clone())
                                .collect();
                            if let Some(first) = cycle.first().cloned() {
                                cycle.push(first);
                            }
                            if let Some(f) = plan.indicators.get(c).and_then(|i| i.formula.as_ref())
                            {
                                self.diags.push(Diagnostic::error(
                                    Kind::FormulaCycle { cycle },
                                    f.text.node(),
                                ));
                            }
                        }
                        _ => {}
                    },
                }
            }
        }
        deps
    }

    /// Reports derived indicators built on more than [`MAX_FORMULA_DEPTH`] levels of other
    /// derived indicators: evaluation follows formulas recursively, and a bounded depth keeps it
    /// from exhausting the stack. Computed without recursion (longest path, inputs first).
    fn formula_depth(&mut self, deps: &[Vec<usize>]) {
        let n = deps.len();
        let mut users: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut pending: Vec<usize> = deps.iter().map(Vec::len).collect();
        for (i, d) in deps.iter().enumerate() {
            for &j in d {
                if let Some(u) = users.get_mut(j) {
                    u.push(i);
                }
            }
        }
        let mut depth = vec![0usize; n];
        let mut ready: Vec<usize> = (0..n).filter(|&i| pending.get(i) == Some(&0)).collect();
        while let Some(i) = ready.pop() {
            let d = depth.get(i).copied().unwrap_or(0);
            for &u in users.get(i).map(Vec::as_slice).unwrap_or_default() {
                if let Some(du) = depth.get_mut(u) {
                    *du = (*du).max(d + 1);
                }
                if let Some(p) = pending.get_mut(u) {
                    *p -= 1;
                    if *p == 0 {
                        ready.push(u);
                    }
                }
            }
        }
        for (i, &d) in depth.iter().enumerate() {
            if d > MAX_FORMULA_DEPTH
                && let Some(f) = self
                    .plan
                    .indicators
                    .get(i)
                    .and_then(|ind| ind.formula.as_ref())
            {
                self.diags.push(Diagnostic::error(
                    SyntaxKind::NestingTooDeep {
                        limit: MAX_FORMULA_DEPTH,
                    },
                    f.text.node(),
                ));
            }
        }
    }

    fn goal(&mut self, goal: &'p Goal) {
        if let Some(kinds) = &goal.applies_to {
            if kinds.is_empty() {
                self.diags.push(Diagnostic::error(
                    PlanKind::InvalidValue {
                        key: "applies_to".into(),
                        found: "[]".into(),
                        expected: self.plan.kinds.iter().map(|k| k.name.clone()).collect(),
                        suggestion: None,
                    },
                    goal.id.location.clone(),
                ));
            }
            for k in kinds {
                if !self.is_kind(&k.name) {
                    self.unknown_kind(&k.name, k.location.clone());
                }
            }
        }
        let deadline = self.rule(&goal.rule);
        for m in &goal.milestones {
            match self.rule(m) {
                None => self
                    .diags
                    .push(Diagnostic::error(Kind::MilestoneNeedsDate, m.text.node())),
                Some(date) => {
                    if let (Some(d), Some((_, span))) = (deadline, m.rule.deadline)
                        && date >= d
                    {
                        self.diags.push(Diagnostic::error(
                            Kind::MilestoneAfterDeadline {
                                date: date.to_string(),
                                deadline: d.to_string(),
                            },
                            m.text.locate(span),
                        ));
                    }
                }
            }
        }
        if goal.progress.is_some() && self.plan.baseline.is_none() {
            self.diags.push(Diagnostic::error(
                Kind::NoBaseline {
                    function: "progress: sdg".into(),
                },
                goal.id.location.clone(),
            ));
        }
    }

    /// Checks a rule; returns its deadline.
    fn rule(&mut self, r: &RuleText) -> Option<chrono::NaiveDate> {
        let ty = self.expr(&r.rule.expr, &r.text, Place::Rule);
        if !matches!(ty, Ty::Bool | Ty::Unknown) {
            self.diags.push(Diagnostic::error(
                Kind::NotCondition {
                    found: ty.name().into(),
                },
                r.text.locate(r.rule.expr.span),
            ));
        }
        let (date, span) = r.rule.deadline?;
        let period = self.plan.period;
        if date < period.start || date > period.end {
            self.diags.push(Diagnostic::error(
                Kind::DeadlineOutsidePeriod {
                    date: date.to_string(),
                    start: period.start.to_string(),
                    end: period.end.to_string(),
                },
                r.text.locate(span),
            ));
        }
        Some(date)
    }

    /// Checks an expression and returns its type; faults are recorded, and an operand with a
    /// fault has type `Unknown` so that one mistake is reported once.
    pub(crate) fn expr(&mut self, e: &Expr, text: &ScalarText, place: Place) -> Ty {
        let mut cx = types::Cx {
            checker: self,
            text,
            place,
        };
        cx.ty(e)
    }

    /// Whether `name` is an indicator whose entry could not be read (and was reported then).
    pub(crate) fn unreadable(&self, name: &str) -> bool {
        self.plan.unreadable.iter().any(|u| u == name)
    }

    pub(crate) fn resolve(&mut self, name: &str, e: &Expr, text: &ScalarText) -> Option<usize> {
        if let Some(&i) = self.indicators.get(name) {
            return Some(i);
        }
        // Its entry was reported when the plan was read: once is enough.
        if self.unreadable(name) {
            return None;
        }
        let suggestion = suggest(name, self.indicators.keys().copied());
        self.diags.push(Diagnostic::error(
            Common::UnknownName {
                thing: Thing::Indicator,
                name: name.into(),
                suggestion,
            },
            text.locate(e.span),
        ));
        None
    }

    /// Checks the unit-kind argument of an aggregate.
    pub(crate) fn kind_arg(&mut self, func: Func, e: &Expr, text: &ScalarText) {
        match &e.kind {
            ExprKind::Name { name } if self.is_kind(name) => {}
            ExprKind::Name { name } if !self.indicators.contains_key(name.as_str()) => {
                self.unknown_kind(name, text.locate(e.span));
            }
            _ => self.diags.push(Diagnostic::error(
                Kind::ArgumentForm {
                    function: func.name().into(),
                    position: 1,
                    expected: ArgForm::UnitKind,
                },
                text.locate(e.span),
            )),
        }
    }
}

/// Calls `f` with every name an expression mentions.
pub(crate) fn names<'e>(e: &'e Expr, f: &mut impl FnMut(&'e str)) {
    if let ExprKind::Name { name } = &e.kind {
        f(name);
    }
    for child in e.children() {
        names(child, f);
    }
}
