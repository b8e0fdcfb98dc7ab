//! Indicators measured from records: `records:` sources and `measure:` expressions.
//!
//! A plan may name tables of records (`records: { dossiers: { unit: agency_id, date:
//! received_at, period: month } }`) and measure indicators over them: `count(dossiers)`,
//! `count(dossiers, finished_at <= due_at)`, `sum(dossiers, fee, paid_online)`, and `avg`,
//! `min`, `max` like `sum`. A measure is written in the rule language, whose operands may also
//! be record columns, text literals (`'online'`) and `null` (`x = null`, `x != null`).
//!
//! This module is the compiler: [`measures`] reads and checks the measures of a plan,
//! [`check_columns`] checks them against a source's columns when its schema is known, and
//! [`sql`] compiles one query per source (`GROUP BY` unit and period) in a [`Dialect`].
//! Running the queries is an engine's work: Apache DataFusion with the `records` feature
//! (`engine`), or a Spark standalone cluster through `spark-sql`, and any SQL engine can run
//! the printed text.
//!
//! Semantics are SQL's: a condition that is null (a missing date) does not count; `sum` of no
//! values is 0, `avg`, `min` and `max` of no values give no observation; a record without a
//! unit or a date is in no period and is not counted. Division is not allowed in a measure:
//! ratios are formulas over measured indicators, where `on_zero:` says what a zero gives.

#[cfg(feature = "records")]
pub mod engine;
mod kind;
#[cfg(feature = "records")]
mod spark;
mod sql;

pub use kind::{Kind, SparkFault};
pub use sql::{Dialect, Output, Query, sql};

use crate::diag::{Common, Diagnostic, Thing, suggest};
use crate::plan::{Formula, Plan, Unit};
use crate::syntax::{BinaryOp, CmpOp, Expr, ExprKind, Func, UnaryOp};

/// How a measure combines the records of a unit and period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Agg {
    /// How many records (that satisfy the condition).
    Count,
    /// The sum of a value; 0 when no record has one.
    Sum,
    /// The mean of a value, exact (the sum divided by the count); absent without values.
    Avg,
    /// The least value; absent without values.
    Min,
    /// The greatest value; absent without values.
    Max,
}

impl Agg {
    fn of(func: Func) -> Option<Agg> {
        match func.name() {
            "count" => Some(Agg::Count),
            "sum" => Some(Agg::Sum),
            "avg" => Some(Agg::Avg),
            "min" => Some(Agg::Min),
            "max" => Some(Agg::Max),
            _ => None,
        }
    }

    /// How it is called.
    fn usage(self) -> &'static str {
        match self {
            Agg::Count => "count(source) or count(source, condition)",
            Agg::Sum => "sum(source, value) or sum(source, value, condition)",
            Agg::Avg => "avg(source, value) or avg(source, value, condition)",
            Agg::Min => "min(source, value) or min(source, value, condition)",
            Agg::Max => "max(source, value) or max(source, value, condition)",
        }
    }

    /// Its name in measures.
    pub fn name(self) -> &'static str {
        match self {
            Agg::Count => "count",
            Agg::Sum => "sum",
            Agg::Avg => "avg",
            Agg::Min => "min",
            Agg::Max => "max",
        }
    }
}

/// A checked measure: an indicator, the source it reads, what it combines.
#[derive(Clone, Debug)]
pub struct Measure {
    /// The indicator's id.
    pub indicator: String,
    /// The source's index in [`Plan::records`].
    pub source: usize,
    /// How records are combined.
    pub agg: Agg,
    /// The value combined (`fee`); none for `count`.
    pub value: Option<Expr>,
    /// The condition a record must satisfy, if any.
    pub cond: Option<Expr>,
    /// The measure's text, for locating faults in it.
    pub formula: Formula,
}

/// The type of a record column, as far as measures care.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ColumnType {
    /// Text.
    Text,
    /// Whole numbers.
    Integer,
    /// Exact decimals.
    Decimal,
    /// Floating-point numbers: comparable, but never summed (their sums are not exact).
    Float,
    /// True or false.
    Bool,
    /// A date, or a date and time.
    Date,
    /// Anything else, by the engine's name for it.
    Other(String),
}

/// The columns of a source, as its files' schema gives them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schema {
    /// Each column's name and type, in file order.
    pub columns: Vec<(String, ColumnType)>,
}

impl Schema {
    fn get(&self, name: &str) -> Option<&ColumnType> {
        self.columns.iter().find(|(n, _)| n == name).map(|(_, t)| t)
    }
}

/// The measures of a plan, checked for form: each is one aggregate over a declared source,
/// with the right arguments, and uses only what SQL can compute exactly. Measures with faults
/// are left out, and their faults returned.
pub fn measures(plan: &Plan) -> (Vec<Measure>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for ind in &plan.indicators {
        let Some(formula) = &ind.measure else {
            continue;
        };
        if ind.formula.is_some() {
            diags.push(Diagnostic::error(
                Kind::MeasureAndFormula {
                    indicator: ind.id.name.clone(),
                },
                formula.text.node(),
            ));
            continue;
        }
        if matches!(ind.unit, Unit::Percent | Unit::Boolean | Unit::Date) {
            diags.push(Diagnostic::error(
                Kind::MeasureUnit {
                    unit: ind.unit.name().into(),
                },
                formula.text.node(),
            ));
            continue;
        }
        let before = diags.len();
        let measure = measure(plan, &ind.id.name, formula, &mut diags);
        if let Some(m) = measure
            && diags.len() == before
        {
            out.push(m);
        }
    }
    (out, diags)
}

/// Every finding about a plan's sources and measures, without their data (see [`measures`]).
pub fn check(plan: &Plan) -> Vec<Diagnostic> {
    measures(plan).1
}

fn measure(
    plan: &Plan,
    indicator: &str,
    formula: &Formula,
    diags: &mut Vec<Diagnostic>,
) -> Option<Measure> {
    let e = &formula.expr;
    let at = |e: &Expr| formula.text.locate(e.span);
    let (func, args) = match &e.kind {
        ExprKind::Call { func, args, .. } if Agg::of(*func).is_some() => (*func, args),
        _ => {
            diags.push(Diagnostic::error(Kind::NotAggregate, at(e)));
            return None;
        }
    };
    let agg = Agg::of(func)?;
    let (lo, hi) = match agg {
        Agg::Count => (1, 2),
        _ => (2, 3),
    };
    if args.len() < lo || args.len() > hi {
        diags.push(Diagnostic::error(
            Kind::Arity {
                usage: agg.usage().into(),
                found: args.len(),
            },
            at(e),
        ));
        return None;
    }
    let mut args = args.iter();
    let first = args.next()?;
    let source = match &first.kind {
        ExprKind::Name { name } => match plan.records.iter().position(|s| s.id.name == *name) {
            Some(i) => i,
            None => {
                diags.push(Diagnostic::error(
                    Common::UnknownName {
                        thing: Thing::RecordSource,
                        name: name.clone(),
                        suggestion: suggest(name, plan.records.iter().map(|s| s.id.name.as_str())),
                    },
                    at(first),
                ));
                return None;
            }
        },
        _ => {
            diags.push(Diagnostic::error(Kind::SourceFirst, at(first)));
            return None;
        }
    };
    let value = match agg {
        Agg::Count => None,
        _ => args.next().cloned(),
    };
    let cond = args.next().cloned();
    for part in value.iter().chain(&cond) {
        forms(part, formula, diags);
    }
    Some(Measure {
        indicator: indicator.into(),
        source,
        agg,
        value,
        cond,
        formula: formula.clone(),
    })
}

/// Reports what a measure's value or condition may not use: aggregates inside, periods,
/// division, functions SQL has no exact counterpart for, `null` outside `=`/`!=`.
fn forms(e: &Expr, formula: &Formula, diags: &mut Vec<Diagnostic>) {
    let at = |e: &Expr| formula.text.locate(e.span);
    match &e.kind {
        ExprKind::Period { .. } => diags.push(Diagnostic::error(
            Kind::NotInMeasure {
                what: "a period literal".into(),
            },
            at(e),
        )),
        ExprKind::Null => diags.push(Diagnostic::error(Kind::NullOperand, at(e))),
        ExprKind::Binary {
            op: BinaryOp::Div, ..
        } => diags.push(Diagnostic::error(Kind::Division, at(e))),
        ExprKind::Call {
            func, name_span, ..
        } if !matches!(func.name(), "abs" | "coalesce" | "if") => diags.push(Diagnostic::error(
            Kind::NotInMeasure {
                what: format!("`{}`", func.name()),
            },
            formula.text.locate(*name_span),
        )),
        ExprKind::Call { func, args, .. }
            if args.len() < func.spec().min_args
                || func.spec().max_args.is_some_and(|m| args.len() > m) =>
        {
            diags.push(Diagnostic::error(
                Kind::Arity {
                    usage: func.spec().signature.into(),
                    found: args.len(),
                },
                at(e),
            ));
        }
        ExprKind::Compare { first, rest } => {
            let mut left: &Expr = first;
            for (op, _, right) in rest {
                let null_check =
                    matches!(left.kind, ExprKind::Null) || matches!(right.kind, ExprKind::Null);
                if null_check {
                    let both =
                        matches!(left.kind, ExprKind::Null) && matches!(right.kind, ExprKind::Null);
                    if !matches!(op, CmpOp::Eq | CmpOp::Ne) || rest.len() > 1 || both {
                        diags.push(Diagnostic::error(Kind::NullOperand, at(e)));
                    }
                }
                left = right;
            }
            for child in e.children() {
                if !matches!(child.kind, ExprKind::Null) {
                    forms(child, formula, diags);
                }
            }
            return;
        }
        _ => {}
    }
    for child in e.children() {
        forms(child, formula, diags);
    }
}

/// What an expression over records gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ty {
    Number,
    Text,
    Bool,
    Date,
    /// A column of a type measures do not read, or a fault already reported.
    Unknown,
}

impl Ty {
    fn word(self) -> &'static str {
        match self {
            Ty::Number => "number",
            Ty::Text => "text",
            Ty::Bool => "condition",
            Ty::Date => "date",
            Ty::Unknown => "unknown",
        }
    }
}

/// Checks the measures over source `source` against its columns: unknown columns (with the
/// closest name), operands of different types, a condition that is not one, a value that is
/// not a number, a floating-point value summed.
pub fn check_columns(measures: &[Measure], source: usize, schema: &Schema) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for m in measures.iter().filter(|m| m.source == source) {
        let mut t = Typer {
            schema,
            formula: &m.formula,
            diags: &mut diags,
        };
        if let Some(v) = &m.value {
            let ty = t.ty(v);
            if ty != Ty::Number && ty != Ty::Unknown {
                t.error(
                    Kind::Expected {
                        expected: "number",
                        found: ty.word(),
                    },
                    v,
                );
            }
            if let ExprKind::Name { name } = &v.kind
                && schema.get(name) == Some(&ColumnType::Float)
                && m.agg != Agg::Min
                && m.agg != Agg::Max
            {
                t.error(
                    Kind::FloatSum {
                        column: name.clone(),
                    },
                    v,
                );
            }
        }
        if let Some(c) = &m.cond {
            t.condition(c);
        }
    }
    diags
}

struct Typer<'a> {
    schema: &'a Schema,
    formula: &'a Formula,
    diags: &'a mut Vec<Diagnostic>,
}

impl Typer<'_> {
    fn error(&mut self, kind: impl Into<crate::diag::Fault>, e: &Expr) {
        self.diags
            .push(Diagnostic::error(kind, self.formula.text.locate(e.span)));
    }

    fn condition(&mut self, e: &Expr) {
        let ty = self.ty(e);
        if ty != Ty::Bool && ty != Ty::Unknown {
            self.error(
                Kind::Expected {
                    expected: "condition",
                    found: ty.word(),
                },
                e,
            );
        }
    }

    fn number(&mut self, e: &Expr) {
        let ty = self.ty(e);
        if ty != Ty::Number && ty != Ty::Unknown {
            self.error(
                Kind::Expected {
                    expected: "number",
                    found: ty.word(),
                },
                e,
            );
        }
    }

    fn ty(&mut self, e: &Expr) -> Ty {
        match &e.kind {
            ExprKind::Number { .. } | ExprKind::Percent { .. } => Ty::Number,
            ExprKind::Text { .. } => Ty::Text,
            ExprKind::Bool { .. } => Ty::Bool,
            ExprKind::Date { .. } => Ty::Date,
            ExprKind::Period { .. } | ExprKind::Null => Ty::Unknown,
            ExprKind::Name { name } => match self.schema.get(name) {
                Some(ColumnType::Text) => Ty::Text,
                Some(ColumnType::Integer | ColumnType::Decimal | ColumnType::Float) => Ty::Number,
                Some(ColumnType::Bool) => Ty::Bool,
                Some(ColumnType::Date) => Ty::Date,
                Some(ColumnType::Other(_)) => Ty::Unknown,
                None => {
                    let names = self.schema.columns.iter().map(|(n, _)| n.as_str());
                    self.error(
                        Common::UnknownName {
                            thing: Thing::Column,
                            name: name.clone(),
                            suggestion: suggest(name, names),
                        },
                        e,
                    );
                    Ty::Unknown
                }
            },
            ExprKind::Unary { op, operand } => match op {
                UnaryOp::Neg => {
                    self.number(operand);
                    Ty::Number
                }
                UnaryOp::Not => {
                    self.condition(operand);
                    Ty::Bool
                }
            },
            ExprKind::Binary { op, left, right } => match op {
                BinaryOp::And | BinaryOp::Or => {
                    self.condition(left);
                    self.condition(right);
                    Ty::Bool
                }
                _ => {
                    self.number(left);
                    self.number(right);
                    Ty::Number
                }
            },
            ExprKind::Compare { first, rest } => {
                let mut left = self.ty(first);
                let mut left_expr: &Expr = first;
                for (op, _, right) in rest {
                    let r = self.ty(right);
                    let ordered = !matches!(op, CmpOp::Eq | CmpOp::Ne);
                    let null = matches!(right.kind, ExprKind::Null)
                        || matches!(left_expr.kind, ExprKind::Null);
                    // Equal types compare, except conditions by order (`true < false`).
                    let known = left != Ty::Unknown && r != Ty::Unknown;
                    if !null && known && (left != r || (ordered && left == Ty::Bool)) {
                        self.error(
                            Kind::CompareTypes {
                                left: left.word(),
                                right: r.word(),
                            },
                            e,
                        );
                    }
                    left = r;
                    left_expr = right;
                }
                Ty::Bool
            }
            ExprKind::Call { func, args, .. } => match func.name() {
                "abs" => {
                    for a in args {
                        self.number(a);
                    }
                    Ty::Number
                }
                "if" => {
                    let mut it = args.iter();
                    if let Some(c) = it.next() {
                        self.condition(c);
                    }
                    let tys: Vec<Ty> = it.map(|a| self.ty(a)).collect();
                    same(&tys)
                }
                _ => {
                    let tys: Vec<Ty> = args.iter().map(|a| self.ty(a)).collect();
                    same(&tys)
                }
            },
        }
    }
}

/// The type of values that must agree (`if` branches, `coalesce` arguments): theirs when they
/// do, else unknown (the engine will say what it cannot convert).
fn same(tys: &[Ty]) -> Ty {
    let mut known = tys.iter().copied().filter(|t| *t != Ty::Unknown);
    match known.next() {
        Some(t) if known.all(|u| u == t) => t,
        _ => Ty::Unknown,
    }
}
