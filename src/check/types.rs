//! Units of expressions: what each sub-expression measures, and which combinations make sense.
//!
//! A percent is a fraction: `count / count` is a percent and compares with `80%`. A plain
//! number (a literal, or an indicator of unit `number`) goes with any unit: `cost * 0.8` is in
//! vnd, `score >= 97` compares points. Multiplying a quantity by a plain number *scales* it, and a
//! scaled quantity divided by its own unit is a plain number again: `6 * a / b` is a number of
//! points in an index metric, not a percent. Comparing or adding different units (points with a
//! percent, vnd with a count) is an error.

use super::{ArgForm, Checker, Kind, Place};
use crate::diag::Diagnostic;
use crate::plan::{Plan, ScalarText, Unit};
use crate::syntax::functions::{AggregateUnit, Over, Role, Scalar, Time};
use crate::syntax::{BinaryOp, CmpOp, Expr, ExprKind, Func, UnaryOp};
use rust_decimal::Decimal;

/// The type of an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// A quantity in a unit; `scaled` when multiplied by a plain number.
    Unit {
        /// The unit.
        unit: Unit,
        /// Whether a plain number multiplied it.
        scaled: bool,
    },
    /// A plain number, which goes with any unit.
    Scalar,
    /// A condition.
    Bool,
    /// A period literal.
    Period,
    /// A unit kind name.
    Kind,
    /// Unknown because of an earlier fault.
    Unknown,
}

impl Ty {
    fn of(unit: Unit) -> Ty {
        match unit {
            Unit::Number => Ty::Scalar,
            Unit::Boolean => Ty::Bool,
            unit => Ty::Unit {
                unit,
                scaled: false,
            },
        }
    }

    /// The word for the type in messages (a unit name, `number`, `condition`…).
    pub fn name(self) -> &'static str {
        match self {
            Ty::Unit { unit, .. } => unit.name(),
            Ty::Scalar => "number",
            Ty::Bool => "condition",
            Ty::Period => "period",
            Ty::Kind => "unit kind",
            Ty::Unknown => "unknown",
        }
    }

    /// The unit of a value of this type, as reports display it.
    pub fn unit(self) -> Option<Unit> {
        match self {
            Ty::Unit { unit, .. } => Some(unit),
            Ty::Scalar => Some(Unit::Number),
            Ty::Bool => Some(Unit::Boolean),
            _ => None,
        }
    }

    fn numeric(self) -> bool {
        matches!(self, Ty::Scalar | Ty::Unknown)
            || matches!(self, Ty::Unit { unit, .. } if unit != Unit::Date)
    }
}

/// The type of an expression in a plan, without reporting faults (`Unknown` where one is).
///
/// ```
/// use chitieu::check::{type_of, Ty};
/// use chitieu::plan::Unit;
/// let text = "chitieu: 1\nplan: { id: P, title: T, period: 2026 .. 2030 }\n\
///             indicators:\n  a: { name: A, unit: count }\n  b: { name: B, unit: count }\n";
/// let plan = chitieu::plan::load_str("p.yaml", text).0.unwrap();
/// let e = chitieu::syntax::parse_expr("a / b").unwrap();
/// assert_eq!(type_of(&plan, &e).unit(), Some(Unit::Percent));
/// ```
pub fn type_of(plan: &Plan, e: &Expr) -> Ty {
    let mut checker = Checker::new(plan);
    let text = ScalarText::new(
        plan.files
            .first()
            .unwrap_or(&crate::source::SourceFile::new("", "")),
        String::new(),
        0,
        0,
    );
    checker.expr(e, &text, Place::Rule)
}

pub(super) struct Cx<'c, 'p, 't> {
    pub(super) checker: &'c mut Checker<'p>,
    pub(super) text: &'t ScalarText,
    pub(super) place: Place,
}

impl Cx<'_, '_, '_> {
    fn error(&mut self, kind: Kind, e: &Expr) {
        let loc = self.text.locate(e.span);
        self.checker.diags.push(Diagnostic::error(kind, loc));
    }

    fn warning(&mut self, kind: Kind, e: &Expr) {
        let loc = self.text.locate(e.span);
        self.checker.diags.push(Diagnostic::warning(kind, loc));
    }

    pub(super) fn ty(&mut self, e: &Expr) -> Ty {
        match &e.kind {
            ExprKind::Number { .. } => Ty::Scalar,
            ExprKind::Percent { .. } => Ty::of(Unit::Percent),
            ExprKind::Date { .. } => Ty::of(Unit::Date),
            ExprKind::Period { .. } => Ty::Period,
            ExprKind::Bool { .. } => Ty::Bool,
            // Only measures parse these, and `crate::records` checks them.
            ExprKind::Text { .. } | ExprKind::Null => Ty::Unknown,
            ExprKind::Name { name } => match self.checker.resolve(name, e, self.text) {
                Some(i) => match self.checker.plan.indicators.get(i) {
                    Some(ind) if ind.assigned && self.place == Place::Formula => {
                        self.error(
                            Kind::AssignedInFormula {
                                indicator: ind.id.name.clone(),
                            },
                            e,
                        );
                        Ty::Unknown
                    }
                    Some(ind) => Ty::of(ind.unit),
                    None => Ty::Unknown,
                },
                None => Ty::Unknown,
            },
            ExprKind::Unary { op, operand } => {
                let t = self.ty(operand);
                match op {
                    UnaryOp::Not => self.condition(t, operand),
                    UnaryOp::Neg => self.number(t, operand, "-"),
                }
            }
            ExprKind::Binary { op, left, right } => {
                let l = self.ty(left);
                let r = self.ty(right);
                match op {
                    BinaryOp::And | BinaryOp::Or => {
                        self.condition(l, left);
                        self.condition(r, right);
                        Ty::Bool
                    }
                    _ => self.arithmetic(*op, l, r, e, left, right),
                }
            }
            ExprKind::Compare { first, rest } => {
                let mut prev = self.ty(first);
                let mut prev_expr: &Expr = first;
                for (op, _, operand) in rest {
                    let t = self.ty(operand);
                    self.compare(*op, prev, t, e, prev_expr, operand);
                    prev = t;
                    prev_expr = operand;
                }
                Ty::Bool
            }
            ExprKind::Call {
                func,
                args,
                name_span,
            } => self.call(*func, args, e, *name_span),
        }
    }

    fn condition(&mut self, t: Ty, e: &Expr) -> Ty {
        if !matches!(t, Ty::Bool | Ty::Unknown) {
            self.error(
                Kind::NotCondition {
                    found: t.name().into(),
                },
                e,
            );
        }
        Ty::Bool
    }

    fn number(&mut self, t: Ty, e: &Expr, context: &str) -> Ty {
        if t == Ty::Bool {
            self.error(
                Kind::NotNumber {
                    context: format!("`{context}`"),
                },
                e,
            );
            return Ty::Unknown;
        }
        if !t.numeric() {
            self.error(
                Kind::UnitMismatch {
                    op: context.into(),
                    left: t.name().into(),
                    right: "number".into(),
                },
                e,
            );
            return Ty::Unknown;
        }
        t
    }

    fn arithmetic(&mut self, op: BinaryOp, l: Ty, r: Ty, e: &Expr, le: &Expr, re: &Expr) -> Ty {
        let sym = op.symbol();
        let l = self.number(l, le, sym);
        let r = self.number(r, re, sym);
        if l == Ty::Unknown || r == Ty::Unknown {
            return Ty::Unknown;
        }
        let percent = Unit::Percent;
        let mismatch = |cx: &mut Self| {
            cx.error(
                Kind::UnitMismatch {
                    op: sym.into(),
                    left: l.name().into(),
                    right: r.name().into(),
                },
                e,
            );
            Ty::Unknown
        };
        match op {
            BinaryOp::Add | BinaryOp::Sub => match (l, r) {
                (Ty::Scalar, t) | (t, Ty::Scalar) => t,
                (
                    Ty::Unit {
                        unit: a,
                        scaled: sa,
                    },
                    Ty::Unit {
                        unit: b,
                        scaled: sb,
                    },
                ) if a == b => Ty::Unit {
                    unit: a,
                    scaled: sa || sb,
                },
                _ => mismatch(self),
            },
            BinaryOp::Mul => match (l, r) {
                (Ty::Scalar, Ty::Scalar) => Ty::Scalar,
                (Ty::Scalar, Ty::Unit { unit, .. }) | (Ty::Unit { unit, .. }, Ty::Scalar) => {
                    if unit == percent {
                        Ty::Scalar
                    } else {
                        Ty::Unit { unit, scaled: true }
                    }
                }
                (Ty::Unit { unit: p, .. }, t) | (t, Ty::Unit { unit: p, .. }) if p == percent => t,
                _ => Ty::Scalar,
            },
            _ => match (l, r) {
                (t, Ty::Scalar) => t,
                (Ty::Scalar, _) => Ty::Scalar,
                (Ty::Unit { unit: a, scaled }, Ty::Unit { unit: b, .. }) if a == b => {
                    if scaled || a == percent {
                        Ty::Scalar
                    } else {
                        Ty::of(percent)
                    }
                }
                (t, Ty::Unit { unit: p, .. }) if p == percent => t,
                _ => Ty::Scalar,
            },
        }
    }

    fn compatible(a: Ty, b: Ty) -> bool {
        match (a, b) {
            (Ty::Unknown, _) | (_, Ty::Unknown) => true,
            (Ty::Scalar, t) | (t, Ty::Scalar) => t.numeric(),
            (Ty::Unit { unit: x, .. }, Ty::Unit { unit: y, .. }) => x == y,
            (Ty::Bool, Ty::Bool) => true,
            _ => false,
        }
    }

    fn compare(&mut self, op: CmpOp, l: Ty, r: Ty, e: &Expr, le: &Expr, re: &Expr) {
        let bools = l == Ty::Bool || r == Ty::Bool;
        let ok = if bools {
            matches!(op, CmpOp::Eq | CmpOp::Ne) && Self::compatible(l, r)
        } else {
            Self::compatible(l, r)
                && !matches!(l, Ty::Period | Ty::Kind)
                && !matches!(r, Ty::Period | Ty::Kind)
        };
        if !ok {
            self.error(
                Kind::UnitMismatch {
                    op: op.symbol().into(),
                    left: l.name().into(),
                    right: r.name().into(),
                },
                e,
            );
            return;
        }
        // `online_rate > 80` almost always means 80%: a fraction is never above 1.
        let percent = |t: Ty| {
            matches!(
                t,
                Ty::Unit {
                    unit: Unit::Percent,
                    scaled: false
                }
            )
        };
        for (t, other) in [(l, re), (r, le)] {
            if percent(t)
                && let ExprKind::Number { value } = &other.kind
                && *value > Decimal::ONE
            {
                self.warning(
                    Kind::PercentVersusNumber {
                        number: value.to_string(),
                    },
                    other,
                );
            }
        }
    }

    fn arity(&mut self, func: Func, n: usize, e: &Expr) -> bool {
        let (min, max) = func.arity();
        if n >= min && max.is_none_or(|m| n <= m) {
            return true;
        }
        let expected = match max {
            None => format!("at least {min}"),
            Some(m) if m == min => m.to_string(),
            Some(m) => format!("{min} or {m}"),
        };
        self.error(
            Kind::Arity {
                function: func.name().into(),
                expected,
                found: n,
            },
            e,
        );
        false
    }

    fn form_error(&mut self, func: Func, position: usize, expected: ArgForm, e: &Expr) {
        self.error(
            Kind::ArgumentForm {
                function: func.name().into(),
                position,
                expected,
            },
            e,
        );
    }

    fn period_arg(&mut self, func: Func, e: &Expr) {
        let ok = match &e.kind {
            ExprKind::Period { .. } => true,
            ExprKind::Number { value } => {
                value.fract().is_zero()
                    && crate::period::YEARS.contains(&i32::try_from(value.mantissa()).unwrap_or(0))
                    && value.scale() == 0
            }
            _ => false,
        };
        if !ok {
            self.form_error(func, 2, ArgForm::Period, e);
        }
    }

    fn needs_baseline(&mut self, func: Func, e: &Expr) {
        if self.checker.plan.baseline.is_none() {
            self.error(
                Kind::NoBaseline {
                    function: func.name().into(),
                },
                e,
            );
        }
    }

    /// Types a call by its function's role in the table (see [`crate::syntax::functions`]).
    fn call(&mut self, func: Func, args: &[Expr], e: &Expr, name_span: crate::syntax::Span) -> Ty {
        let name_only = Expr::new(ExprKind::Bool { value: false }, name_span);
        if !self.arity(func, args.len(), e) {
            return Ty::Unknown;
        }
        if self.place == Place::Formula && !func.in_formulas() {
            self.error(
                Kind::NotInFormula {
                    function: func.name().into(),
                },
                &name_only,
            );
            return Ty::Unknown;
        }
        let [first, rest @ ..] = args else {
            return Ty::Unknown;
        };
        match &func.spec().role {
            Role::Aggregate(agg) => {
                self.checker.kind_arg(func, first, self.text);
                let Some(arg) = rest.first() else {
                    // Only a count may omit its second argument: it counts the units.
                    return Ty::of(Unit::Count);
                };
                let t = self.ty(arg);
                let t = match agg.over {
                    Over::Condition => self.condition(t, arg),
                    Over::Value => self.number(t, arg, func.name()),
                };
                match agg.result {
                    AggregateUnit::Count => Ty::of(Unit::Count),
                    AggregateUnit::Percent => Ty::of(Unit::Percent),
                    AggregateUnit::Condition => Ty::Bool,
                    AggregateUnit::OfValue => t,
                }
            }
            Role::Scalar(Scalar::Fold(_)) => self.same_unit(func, args, false),
            Role::Scalar(Scalar::Coalesce) => self.same_unit(func, args, true),
            Role::Scalar(Scalar::Places(_)) => {
                let t = self.ty(first);
                let t = self.number(t, first, func.name());
                let places_ok = rest.first().is_some_and(|p| {
                    matches!(&p.kind, ExprKind::Number { value }
                        if value.fract().is_zero() && *value <= Decimal::from(28))
                });
                if !places_ok && let Some(p) = rest.first() {
                    self.form_error(func, 2, ArgForm::Places, p);
                }
                t
            }
            Role::Scalar(Scalar::If) => {
                let c = self.ty(first);
                self.condition(c, first);
                let (Some(a), Some(b)) = (rest.first(), rest.get(1)) else {
                    return Ty::Unknown;
                };
                let ta = self.ty(a);
                let tb = self.ty(b);
                if !Self::compatible(ta, tb) {
                    self.error(
                        Kind::UnitMismatch {
                            op: func.name().into(),
                            left: ta.name().into(),
                            right: tb.name().into(),
                        },
                        e,
                    );
                    return Ty::Unknown;
                }
                if ta == Ty::Scalar { tb } else { ta }
            }
            Role::Time(Time::At) => {
                let t = self.ty(first);
                match rest.first() {
                    Some(p) => self.period_arg(func, p),
                    None => self.needs_baseline(func, &name_only),
                }
                t
            }
            Role::Time(Time::Previous) => {
                if !matches!(first.kind, ExprKind::Name { .. }) {
                    self.form_error(func, 1, ArgForm::Indicator, first);
                    return Ty::Unknown;
                }
                self.no_assigned(func, first);
                self.ty(first)
            }
            Role::Time(Time::Change) => {
                self.needs_baseline(func, &name_only);
                self.no_assigned(func, first);
                let t = self.ty(first);
                self.number(t, first, func.name())
            }
            Role::Direction => {
                self.needs_baseline(func, &name_only);
                if !matches!(first.kind, ExprKind::Name { .. }) {
                    self.form_error(func, 1, ArgForm::Indicator, first);
                    return Ty::Bool;
                }
                self.no_assigned(func, first);
                let t = self.ty(first);
                self.number(t, first, func.name());
                Ty::Bool
            }
        }
    }

    /// Reports each assigned indicator read in the argument of a function comparing a current
    /// value with another period's: an assigned target is a value per period, fixed by the
    /// rule's deadline, so "its current value" and "the period before it" mean nothing, and the
    /// engine would read the raw series as if it were measured.
    fn no_assigned(&mut self, func: Func, arg: &Expr) {
        for (name, span) in arg.names() {
            let assigned = self
                .checker
                .indicators
                .get(name)
                .and_then(|&i| self.checker.plan.indicators.get(i))
                .is_some_and(|ind| ind.assigned);
            if assigned {
                self.error(
                    Kind::AssignedHistory {
                        indicator: name.into(),
                        function: func.name().into(),
                    },
                    &Expr::new(ExprKind::Bool { value: false }, span),
                );
            }
        }
    }

    /// Arguments of one unit, which is the result's: numbers, or for `coalesce` (`conditions`)
    /// conditions too.
    fn same_unit(&mut self, func: Func, args: &[Expr], conditions: bool) -> Ty {
        let mut acc = Ty::Scalar;
        let mut any_unknown = false;
        for a in args {
            let t = self.ty(a);
            if conditions && t == Ty::Bool {
                any_unknown = true;
                acc = Ty::Bool;
                continue;
            }
            let t = self.number(t, a, func.name());
            if t == Ty::Unknown {
                any_unknown = true;
            } else if !Self::compatible(acc, t) {
                self.error(
                    Kind::UnitMismatch {
                        op: func.name().into(),
                        left: acc.name().into(),
                        right: t.name().into(),
                    },
                    a,
                );
                any_unknown = true;
            } else if acc == Ty::Scalar {
                acc = t;
            }
        }
        if any_unknown && acc != Ty::Bool {
            Ty::Unknown
        } else {
            acc
        }
    }
}
