//! The typed syntax tree of the rule language. Every node carries the [`Span`] of its text.

use crate::period::Period;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::fmt;

/// A byte range inside a rule's text (not the file: see `plan` for the mapping to files).
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The range `start..end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// A goal rule: a condition with an optional deadline (`… by 2030-12-31`).
#[derive(Clone, Debug, Serialize)]
pub struct Rule {
    /// The condition.
    pub expr: Expr,
    /// The deadline and the span of the date.
    pub deadline: Option<(NaiveDate, Span)>,
}

/// An expression with its span.
#[derive(Clone, Debug, Serialize)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// Where its text is, parentheses included.
    pub span: Span,
}

/// Two expressions are equal when their trees are, wherever their text stood.
impl PartialEq for Expr {
    fn eq(&self, other: &Expr) -> bool {
        self.kind == other.kind
    }
}

/// Two rules are equal when their conditions and deadlines are, wherever their text stood.
impl PartialEq for Rule {
    fn eq(&self, other: &Rule) -> bool {
        self.expr == other.expr && self.deadline.map(|d| d.0) == other.deadline.map(|d| d.0)
    }
}

/// Spans (of operators, function names) are ignored: see [`Expr`]'s equality.
impl PartialEq for ExprKind {
    fn eq(&self, other: &ExprKind) -> bool {
        use ExprKind as K;
        match (self, other) {
            (K::Number { value: a }, K::Number { value: b })
            | (K::Percent { value: a }, K::Percent { value: b }) => a == b,
            (K::Date { value: a }, K::Date { value: b }) => a == b,
            (K::Period { value: a }, K::Period { value: b }) => a == b,
            (K::Bool { value: a }, K::Bool { value: b }) => a == b,
            (K::Name { name: a }, K::Name { name: b }) => a == b,
            (K::Unary { op: a, operand: x }, K::Unary { op: b, operand: y }) => a == b && x == y,
            (
                K::Binary {
                    op: a,
                    left: l1,
                    right: r1,
                },
                K::Binary {
                    op: b,
                    left: l2,
                    right: r2,
                },
            ) => a == b && l1 == l2 && r1 == r2,
            (K::Compare { first: a, rest: ra }, K::Compare { first: b, rest: rb }) => {
                a == b
                    && ra.len() == rb.len()
                    && ra
                        .iter()
                        .zip(rb)
                        .all(|((oa, _, ea), (ob, _, eb))| oa == ob && ea == eb)
            }
            (
                K::Call {
                    func: fa, args: aa, ..
                },
                K::Call {
                    func: fb, args: ab, ..
                },
            ) => fa == fb && aa == ab,
            _ => false,
        }
    }
}

/// The expression forms.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum ExprKind {
    /// A decimal literal: `80`, `93.3`, `1_675`.
    Number {
        /// Its value.
        value: Decimal,
    },
    /// A percentage literal: `80%` (value 80; it denotes the fraction 0.8).
    Percent {
        /// The number written before `%`.
        value: Decimal,
    },
    /// A date literal `2030-12-31`.
    Date {
        /// The date.
        value: NaiveDate,
    },
    /// A period literal `2026-Q3`, `2026-07`, `2026-H1` (a bare year is a [`ExprKind::Number`]).
    Period {
        /// The period.
        value: Period,
    },
    /// `true` or `false`.
    Bool {
        /// The value.
        value: bool,
    },
    /// A name: an indicator, or a unit kind where a function expects one.
    Name {
        /// The name as written.
        name: String,
    },
    /// `-x` or `not x`.
    Unary {
        /// The operator.
        op: UnaryOp,
        /// The operand.
        operand: Box<Expr>,
    },
    /// `a + b`, `a and b`, …
    Binary {
        /// The operator.
        op: BinaryOp,
        /// Left operand.
        left: Box<Expr>,
        /// Right operand.
        right: Box<Expr>,
    },
    /// A comparison, possibly chained: `91 <= score < 100` holds when every link does.
    Compare {
        /// The leftmost operand.
        first: Box<Expr>,
        /// Each further operator (with its span) and operand.
        rest: Vec<(CmpOp, Span, Expr)>,
    },
    /// A function call `name(args…)`.
    Call {
        /// The function.
        func: Func,
        /// The span of its name.
        name_span: Span,
        /// The arguments.
        args: Vec<Expr>,
    },
}

/// Prefix operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnaryOp {
    /// `-x`
    Neg,
    /// `not x`
    Not,
}

/// Infix operators other than comparisons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BinaryOp {
    /// `or` (three-valued)
    Or,
    /// `and` (three-valued)
    And,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

impl BinaryOp {
    /// The operator's canonical text.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
        }
    }
}

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CmpOp {
    /// `>=` or `≥`
    Ge,
    /// `>`
    Gt,
    /// `<=` or `≤`
    Le,
    /// `<`
    Lt,
    /// `=` or `==`
    Eq,
    /// `!=` or `≠`
    Ne,
}

impl CmpOp {
    /// The operator's canonical (ASCII) text.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Ge => ">=",
            CmpOp::Gt => ">",
            CmpOp::Le => "<=",
            CmpOp::Lt => "<",
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
        }
    }

    /// The operator read from the other side: `a >= b` is `b <= a`.
    pub fn flip(self) -> CmpOp {
        match self {
            CmpOp::Ge => CmpOp::Le,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Eq => CmpOp::Eq,
            CmpOp::Ne => CmpOp::Ne,
        }
    }
}

/// The functions of the rule language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Func {
    /// `min(a, b, …)`
    Min,
    /// `max(a, b, …)`
    Max,
    /// `abs(x)`
    Abs,
    /// `round(x, n)`, half away from zero
    Round,
    /// `if(cond, a, b)`
    If,
    /// `coalesce(a, b, …)`: the first value present
    Coalesce,
    /// `baseline(x)` or `baseline(x, PERIOD)`
    Baseline,
    /// `value(x, PERIOD)`
    Value,
    /// `previous(x)`: the value of the period before the current one
    Previous,
    /// `change(x)` = current − baseline
    Change,
    /// `improve(x)`: current better than baseline
    Improve,
    /// `count(kind)` or `count(kind, cond)`
    Count,
    /// `share(kind, cond)`
    Share,
    /// `all(kind, cond)`
    All,
    /// `any(kind, cond)`
    Any,
    /// `sum(kind, expr)`
    Sum,
    /// `avg(kind, expr)`
    Avg,
    /// `minimum(kind, expr)`
    Minimum,
    /// `maximum(kind, expr)`
    Maximum,
}

impl Func {
    /// Every function, in the order the reference lists them.
    pub const ALL: [Func; 19] = [
        Func::Min,
        Func::Max,
        Func::Abs,
        Func::Round,
        Func::If,
        Func::Coalesce,
        Func::Baseline,
        Func::Value,
        Func::Previous,
        Func::Change,
        Func::Improve,
        Func::Count,
        Func::Share,
        Func::All,
        Func::Any,
        Func::Sum,
        Func::Avg,
        Func::Minimum,
        Func::Maximum,
    ];

    /// The function's name in rule text.
    pub fn name(self) -> &'static str {
        match self {
            Func::Min => "min",
            Func::Max => "max",
            Func::Abs => "abs",
            Func::Round => "round",
            Func::If => "if",
            Func::Coalesce => "coalesce",
            Func::Baseline => "baseline",
            Func::Value => "value",
            Func::Previous => "previous",
            Func::Change => "change",
            Func::Improve => "improve",
            Func::Count => "count",
            Func::Share => "share",
            Func::All => "all",
            Func::Any => "any",
            Func::Sum => "sum",
            Func::Avg => "avg",
            Func::Minimum => "minimum",
            Func::Maximum => "maximum",
        }
    }

    /// The function of that name.
    pub fn from_name(name: &str) -> Option<Func> {
        Func::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Whether the function aggregates over the units below the evaluated one.
    pub fn is_aggregate(self) -> bool {
        matches!(
            self,
            Func::Count
                | Func::Share
                | Func::All
                | Func::Any
                | Func::Sum
                | Func::Avg
                | Func::Minimum
                | Func::Maximum
        )
    }

    /// Whether the function is an aggregate over a condition (its explanation counts the units
    /// where the condition holds).
    pub fn over_condition(self) -> bool {
        matches!(self, Func::Count | Func::Share | Func::All | Func::Any)
    }

    /// How many arguments the function takes: at least, at most (`None`: no upper bound).
    pub fn arity(self) -> (usize, Option<usize>) {
        match self {
            Func::Min | Func::Max => (2, None),
            Func::Coalesce => (2, None),
            Func::Abs | Func::Previous | Func::Change | Func::Improve => (1, Some(1)),
            Func::Round | Func::Value => (2, Some(2)),
            Func::If => (3, Some(3)),
            Func::Baseline | Func::Count => (1, Some(2)),
            Func::Share
            | Func::All
            | Func::Any
            | Func::Sum
            | Func::Avg
            | Func::Minimum
            | Func::Maximum => (2, Some(2)),
        }
    }
}

impl Expr {
    /// Builds a node.
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        Expr { kind, span }
    }

    /// The direct children, left to right.
    pub fn children(&self) -> Vec<&Expr> {
        match &self.kind {
            ExprKind::Number { .. }
            | ExprKind::Percent { .. }
            | ExprKind::Date { .. }
            | ExprKind::Period { .. }
            | ExprKind::Bool { .. }
            | ExprKind::Name { .. } => Vec::new(),
            ExprKind::Unary { operand, .. } => vec![operand],
            ExprKind::Binary { left, right, .. } => vec![left, right],
            ExprKind::Compare { first, rest } => std::iter::once(first.as_ref())
                .chain(rest.iter().map(|(_, _, e)| e))
                .collect(),
            ExprKind::Call { args, .. } => args.iter().collect(),
        }
    }
}
