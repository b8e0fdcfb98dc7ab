//! The typed syntax tree of the rule language. Every node carries the [`Span`] of its text.

pub use super::functions::Func;
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
            (K::Text { value: a }, K::Text { value: b }) => a == b,
            (K::Null, K::Null) => true,
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
    /// A text literal `'online'`: in measures only (a record column's value).
    Text {
        /// The text, quotes removed and doubled quotes made single.
        value: String,
    },
    /// `null`, in measures only: `x = null` holds when a record has no value in column `x`.
    Null,
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
            | ExprKind::Name { .. }
            | ExprKind::Text { .. }
            | ExprKind::Null => Vec::new(),
            ExprKind::Unary { operand, .. } => vec![operand],
            ExprKind::Binary { left, right, .. } => vec![left, right],
            ExprKind::Compare { first, rest } => std::iter::once(first.as_ref())
                .chain(rest.iter().map(|(_, _, e)| e))
                .collect(),
            ExprKind::Call { args, .. } => args.iter().collect(),
        }
    }
}

/// A word of rule text found by position ([`Expr::word_at`]): a name (an indicator, or a unit
/// kind where an aggregate expects one) or a function's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Word<'a> {
    /// A name, as written.
    Name(&'a str),
    /// The name of a function call.
    Function(Func),
}

impl Expr {
    /// The name or function name whose text holds byte `offset` of the rule text (its end
    /// included, where a cursor stands after typing it), with its span: what an editor hovers,
    /// completes or jumps from.
    ///
    /// ```
    /// use chitieu::syntax::{Func, Span, ast::Word, parse_expr};
    /// let e = parse_expr("share(commune, online_rate > 80%)").unwrap();
    /// assert_eq!(e.word_at(2), Some((Word::Function(Func::Share), Span::new(0, 5))));
    /// assert_eq!(e.word_at(20), Some((Word::Name("online_rate"), Span::new(15, 26))));
    /// assert_eq!(e.word_at(29), None);
    /// ```
    pub fn word_at(&self, offset: usize) -> Option<(Word<'_>, Span)> {
        let within = |s: Span| s.start <= offset && offset <= s.end;
        if !within(self.span) {
            return None;
        }
        match &self.kind {
            ExprKind::Name { name } => return Some((Word::Name(name), self.span)),
            ExprKind::Call {
                func, name_span, ..
            } if within(*name_span) => return Some((Word::Function(*func), *name_span)),
            _ => {}
        }
        self.children().into_iter().find_map(|c| c.word_at(offset))
    }

    /// Every name written in the expression, with its span, left to right.
    ///
    /// ```
    /// let e = chitieu::syntax::parse_expr("a / (b + a)").unwrap();
    /// let names: Vec<_> = e.names().into_iter().map(|(n, s)| (n, s.start)).collect();
    /// assert_eq!(names, [("a", 0), ("b", 5), ("a", 9)]);
    /// ```
    pub fn names(&self) -> Vec<(&str, Span)> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            if let ExprKind::Name { name } = &e.kind {
                out.push((name.as_str(), e.span));
            }
            stack.extend(e.children().into_iter().rev());
        }
        out
    }
}
