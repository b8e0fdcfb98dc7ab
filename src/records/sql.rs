//! Measures → SQL: one `GROUP BY` unit and period query per source of records.
//!
//! Every dialect gets the same query shape, so any engine's result reads the same way: the unit
//! id as `unit`, the period as one integer `period` (`202603` for March 2026, `20261` for its
//! first quarter, `2026` for the year), then one column per measure (two for `avg`: its sum and
//! count, divided exactly by chitieu rather than in the engine's floating point).

use super::{Agg, Measure};
use crate::plan::{Grain, Plan, RecordSource};
use crate::quantity::nearest_fraction;
use crate::syntax::{BinaryOp, CmpOp, Expr, ExprKind, UnaryOp};
use std::fmt::Write as _;

/// The SQL dialect to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// Apache DataFusion, which `chitieu measure` runs embedded.
    DataFusion,
    /// Apache Spark SQL: identifiers in backquotes, backslash escapes in text.
    Spark,
    /// DuckDB.
    DuckDb,
}

impl Dialect {
    /// Every dialect.
    pub const ALL: [Dialect; 3] = [Dialect::DataFusion, Dialect::Spark, Dialect::DuckDb];

    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::DataFusion => "datafusion",
            Dialect::Spark => "spark",
            Dialect::DuckDb => "duckdb",
        }
    }

    pub(super) fn ident(self, name: &str) -> String {
        match self {
            Dialect::Spark => format!("`{}`", name.replace('`', "``")),
            Dialect::DataFusion | Dialect::DuckDb => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    pub(super) fn text(self, value: &str) -> String {
        match self {
            // Spark reads `''` as two adjacent literals, not a quote: it escapes with `\`.
            Dialect::Spark => format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'")),
            Dialect::DataFusion | Dialect::DuckDb => format!("'{}'", value.replace('\'', "''")),
        }
    }
}

/// One column of a query's result that an observation is read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// The indicator measured.
    pub indicator: String,
    /// How.
    pub agg: Agg,
    /// The result column with the value (for `avg`, the sum).
    pub column: String,
    /// For `avg`: the result column with the count of values.
    pub count: Option<String>,
}

/// The query of one source.
#[derive(Clone, Debug)]
pub struct Query {
    /// The source's index in [`Plan::records`].
    pub source: usize,
    /// The SQL text; the source's table is named by the source's id.
    pub sql: String,
    /// The measure columns, after `unit` and `period`.
    pub outputs: Vec<Output>,
}

/// The queries of a plan's measures: one per source that has measures, in `records:` order.
///
/// ```
/// let (plan, _) = chitieu::plan::load_str("p.yaml", "chitieu: 1\n\
///     plan: { id: P, title: T, period: 2026 .. 2030 }\n\
///     records:\n  dossiers: { unit: agency_id, date: received_at, period: month }\n\
///     indicators:\n  online: { name: O, unit: count, measure: \"count(dossiers, channel = 'online')\" }\n");
/// let plan = plan.unwrap();
/// let (measures, faults) = chitieu::records::measures(&plan);
/// assert!(faults.is_empty());
/// let q = chitieu::records::sql(&plan, &measures, chitieu::records::Dialect::DuckDb);
/// assert!(q[0].sql.contains("COUNT(CASE WHEN (\"channel\" = 'online') THEN 1 END) AS \"online\""));
/// ```
pub fn sql(plan: &Plan, measures: &[Measure], dialect: Dialect) -> Vec<Query> {
    let mut out = Vec::new();
    for (i, source) in plan.records.iter().enumerate() {
        let mine: Vec<&Measure> = measures.iter().filter(|m| m.source == i).collect();
        if mine.is_empty() {
            continue;
        }
        out.push(query(i, source, &mine, dialect));
    }
    out
}

fn query(index: usize, source: &RecordSource, measures: &[&Measure], d: Dialect) -> Query {
    let unit = d.ident(&source.unit.name);
    let date = d.ident(&source.date.name);
    let part = |p: &str| format!("CAST(EXTRACT({p} FROM {date}) AS BIGINT)");
    let period = match source.period {
        Grain::Month => format!("{} * 100 + {}", part("YEAR"), part("MONTH")),
        Grain::Quarter => format!("{} * 10 + {}", part("YEAR"), part("QUARTER")),
        Grain::Year => part("YEAR"),
    };
    let mut sql = format!(
        "-- {}: {} by {}, {} of {}\nSELECT\n  {unit} AS unit,\n  {period} AS period",
        source.id.name,
        source.unit.name,
        source.period.name(),
        source.period.name(),
        source.date.name
    );
    let mut outputs = Vec::new();
    for m in measures {
        let when = |x: String| match &m.cond {
            Some(c) => format!("CASE WHEN {} THEN {x} END", expr(c, d)),
            None => x,
        };
        let value = m.value.as_ref().map(|v| expr(v, d)).unwrap_or_default();
        let text = match m.agg {
            Agg::Count => match &m.cond {
                Some(_) => format!("COUNT({})", when("1".into())),
                None => "COUNT(*)".into(),
            },
            // The sum of no values is 0, as a total of fees paid is; SQL's SUM gives null.
            Agg::Sum => format!("COALESCE(SUM({}), 0)", when(value.clone())),
            Agg::Avg => format!("SUM({})", when(value.clone())),
            Agg::Min => format!("MIN({})", when(value.clone())),
            Agg::Max => format!("MAX({})", when(value.clone())),
        };
        let name = match m.agg {
            Agg::Avg => format!("{}__sum", m.indicator),
            _ => m.indicator.clone(),
        };
        let _ = write!(sql, ",\n  {text} AS {}", d.ident(&name));
        let count = (m.agg == Agg::Avg).then(|| {
            let n = format!("{}__count", m.indicator);
            let _ = write!(sql, ",\n  COUNT({}) AS {}", when(value), d.ident(&n));
            n
        });
        outputs.push(Output {
            indicator: m.indicator.clone(),
            agg: m.agg,
            column: name,
            count,
        });
    }
    let _ = write!(
        sql,
        "\nFROM {}\nWHERE {unit} IS NOT NULL AND {date} IS NOT NULL\nGROUP BY {unit}, {period}\nORDER BY 1, 2",
        d.ident(&source.id.name)
    );
    Query {
        source: index,
        sql,
        outputs,
    }
}

/// An expression over one record, fully parenthesised (no precedence to get wrong between
/// dialects).
fn expr(e: &Expr, d: Dialect) -> String {
    match &e.kind {
        ExprKind::Number { value } => value.normalize().to_string(),
        ExprKind::Percent { value } => nearest_fraction(*value).normalize().to_string(),
        ExprKind::Date { value } => format!("DATE '{value}'"),
        ExprKind::Bool { value } => if *value { "TRUE" } else { "FALSE" }.into(),
        ExprKind::Text { value } => d.text(value),
        // Checked measures hold `null` only as a null check, written below; a period never.
        ExprKind::Null | ExprKind::Period { .. } => "NULL".into(),
        ExprKind::Name { name } => d.ident(name),
        ExprKind::Unary { op, operand } => match op {
            UnaryOp::Neg => format!("(-{})", expr(operand, d)),
            UnaryOp::Not => format!("(NOT {})", expr(operand, d)),
        },
        ExprKind::Binary { op, left, right } => {
            let op = match op {
                BinaryOp::And => "AND",
                BinaryOp::Or => "OR",
                BinaryOp::Add => "+",
                BinaryOp::Sub => "-",
                BinaryOp::Mul => "*",
                BinaryOp::Div => "/",
            };
            format!("({} {op} {})", expr(left, d), expr(right, d))
        }
        ExprKind::Compare { first, rest } => {
            let mut links = Vec::new();
            let mut left: &Expr = first;
            for (op, _, right) in rest {
                links.push(compare(left, *op, right, d));
                left = right;
            }
            if links.len() == 1 {
                links.concat()
            } else {
                format!("({})", links.join(" AND "))
            }
        }
        ExprKind::Call { func, args, .. } => {
            let args: Vec<String> = args.iter().map(|a| expr(a, d)).collect();
            match (func.name(), args.as_slice()) {
                ("if", [c, a, b]) => format!("(CASE WHEN {c} THEN {a} ELSE {b} END)"),
                (name, _) => format!("{}({})", name.to_uppercase(), args.join(", ")),
            }
        }
    }
}

fn compare(left: &Expr, op: CmpOp, right: &Expr, d: Dialect) -> String {
    let null_check = |x: &Expr| match op {
        CmpOp::Ne => format!("({} IS NOT NULL)", expr(x, d)),
        _ => format!("({} IS NULL)", expr(x, d)),
    };
    match (&left.kind, &right.kind) {
        (_, ExprKind::Null) => null_check(left),
        (ExprKind::Null, _) => null_check(right),
        _ => {
            let op = match op {
                CmpOp::Ne => "<>",
                other => other.symbol(),
            };
            format!("({} {op} {})", expr(left, d), expr(right, d))
        }
    }
}
