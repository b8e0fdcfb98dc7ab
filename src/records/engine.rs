//! Running measures: on Apache DataFusion embedded (feature `records`), Parquet and CSV files,
//! folders or globs, read as streams by DataFusion's own readers, the per-source queries of
//! [`super::sql`] in the DataFusion dialect, results read back as exact decimals; or on a Spark
//! standalone cluster (`super::spark`), the same queries in Spark's dialect. Either way the
//! records' columns are read and checked here first, so faults read the same.

use super::spark;
use super::{Agg, ColumnType, Dialect, Kind, Measure, Query, Schema, check_columns, measures};
use crate::diag::{Diagnostic, Severity};
use crate::period::{Period, YEARS};
use crate::plan::{Grain, Plan};
use crate::source::Location;
use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Int64Type, Schema as ArrowSchema};
use datafusion::prelude::{
    CsvReadOptions, DataFrame, ParquetReadOptions, SessionConfig, SessionContext,
};
use rust_decimal::Decimal;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// One measured value: an indicator of a unit in a period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Observation {
    /// The unit's id, as the records write it.
    pub unit: String,
    /// The indicator's id.
    pub indicator: String,
    /// The period.
    pub period: Period,
    /// The value, exact.
    pub value: Decimal,
}

/// Where a source's records are: files, folders or globs (`dossiers=exports/*.parquet`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Records {
    /// The source's id.
    pub source: String,
    /// The paths; files ending in `.csv` are read as CSV with a header row, others as Parquet.
    pub paths: Vec<String>,
}

/// Where measures run (`--engine`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Engine {
    /// Apache DataFusion, embedded: `datafusion`, the default.
    DataFusion,
    /// A Spark standalone cluster, through Spark's `spark-sql` driver: `spark://HOST:PORT`.
    Spark {
        /// The master's host.
        host: String,
        /// The master's port.
        port: u16,
    },
}

impl Engine {
    /// Reads an `--engine` value: `datafusion` or `spark://HOST:PORT`.
    ///
    /// ```
    /// use chitieu::records::engine::Engine;
    /// assert_eq!(Engine::parse("datafusion"), Ok(Engine::DataFusion));
    /// assert_eq!(
    ///     Engine::parse("spark://127.0.0.1:7077"),
    ///     Ok(Engine::Spark { host: "127.0.0.1".into(), port: 7077 })
    /// );
    /// assert!(Engine::parse("ballista://127.0.0.1:50050").unwrap_err().contains("spark://"));
    /// ```
    pub fn parse(s: &str) -> Result<Engine, String> {
        if s == "datafusion" {
            return Ok(Engine::DataFusion);
        }
        if let Some(address) = s.strip_prefix("spark://") {
            let parsed = address
                .rsplit_once(':')
                .and_then(|(host, port)| Some((host, port.parse::<u16>().ok()?)))
                .filter(|(host, port)| !host.is_empty() && !host.contains('/') && *port > 0);
            return match parsed {
                Some((host, port)) => Ok(Engine::Spark {
                    host: host.trim_start_matches('[').trim_end_matches(']').into(),
                    port,
                }),
                None => Err(format!(
                    "`{s}` is not a Spark master's address: write spark://HOST:PORT, e.g. spark://127.0.0.1:7077"
                )),
            };
        }
        if s.starts_with("ballista://") {
            return Err(format!(
                "`{s}`: Ballista is not built into chitieu (its client, scheduler and executors \
                 would add 189 crates to the `records` build, among them datafusion-proto, \
                 arrow-flight and tonic, and compile DataFusion again with other features; see \
                 docs/records.md); run the same queries on a Spark standalone cluster with \
                 `--engine spark://HOST:PORT`"
            ));
        }
        Err(format!(
            "unknown engine `{s}` (expected `datafusion` or `spark://HOST:PORT`)"
        ))
    }
}

/// Measures a plan's indicators over records on DataFusion embedded (see [`measure_on`]).
pub fn measure(plan: &Plan, records: &[Records]) -> Result<Vec<Observation>, Vec<Diagnostic>> {
    measure_on(plan, records, &Engine::DataFusion)
}

/// Measures a plan's indicators over records on an engine: the observations, sorted by
/// indicator (in plan order), unit and period, or every fault (in the plan, given the records'
/// columns, in reading them, or the engine's).
pub fn measure_on(
    plan: &Plan,
    records: &[Records],
    engine: &Engine,
) -> Result<Vec<Observation>, Vec<Diagnostic>> {
    let (measures, diags) = measures(plan);
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return Err(diags);
    }
    // The cluster is checked before any record is read: a missing driver or a master that is
    // not up is said at once, not after the records' schemas.
    let spark = match engine {
        Engine::DataFusion => None,
        Engine::Spark { host, port } => Some(
            spark::ready(host, *port, records)
                .map_err(|f| vec![Diagnostic::new(Kind::Spark(f))])?,
        ),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| vec![plan_error(plan, "runtime", &e.to_string())])?;
    let opened = runtime.block_on(open_all(plan, &measures, records))?;
    let mut out = match spark {
        None => runtime.block_on(run(plan, &opened))?,
        Some(driver) => {
            let queries = super::sql(plan, &measures, Dialect::Spark);
            spark::run(&driver, plan, &queries, &opened.sources)
                .map_err(|k| vec![Diagnostic::new(k)])?
        }
    };
    let order = |id: &str| plan.indicators.iter().position(|i| i.id.name == id);
    out.sort_by(|a, b| {
        (order(&a.indicator), &a.unit, a.period.start()).cmp(&(
            order(&b.indicator),
            &b.unit,
            b.period.start(),
        ))
    });
    Ok(out)
}

fn plan_error(plan: &Plan, column: &str, reason: &str) -> Diagnostic {
    Diagnostic::error(
        Kind::BadResult {
            column: column.into(),
            reason: reason.into(),
        },
        plan.location.clone(),
    )
}

/// A source's records, opened and checked against its measures.
pub(super) struct Opened {
    /// The source's id.
    pub(super) name: String,
    /// Its paths, as given.
    pub(super) paths: Vec<String>,
    /// Its columns, in file order.
    pub(super) columns: Vec<String>,
}

/// The sources of a plan's queries, opened on DataFusion (in the context kept with them).
struct OpenedAll {
    ctx: SessionContext,
    queries: Vec<Query>,
    sources: Vec<Opened>,
}

/// Opens the records of every source that has measures, and checks the measures against their
/// columns: every fault, or the sources registered as tables.
async fn open_all(
    plan: &Plan,
    measures: &[Measure],
    records: &[Records],
) -> Result<OpenedAll, Vec<Diagnostic>> {
    let mut config = SessionConfig::new();
    // Literals such as `0.5` are exact decimals, as in the rule language, not floats.
    config.options_mut().sql_parser.parse_float_as_decimal = true;
    let ctx = SessionContext::new_with_config(config);
    let mut diags = Vec::new();
    let queries = super::sql(plan, measures, Dialect::DataFusion);
    for given in records {
        if plan.records.iter().all(|s| s.id.name != given.source) {
            diags.push(Diagnostic::error(
                crate::diag::Common::UnknownName {
                    thing: crate::diag::Thing::RecordSource,
                    name: given.source.clone(),
                    suggestion: crate::diag::suggest(
                        &given.source,
                        plan.records.iter().map(|s| s.id.name.as_str()),
                    ),
                },
                plan.location.clone(),
            ));
        }
    }
    let mut sources = Vec::new();
    for q in &queries {
        let Some(source) = plan.records.get(q.source) else {
            continue;
        };
        let given = records.iter().find(|r| r.source == source.id.name);
        let Some(given) = given else {
            diags.push(Diagnostic::error(
                Kind::Unreadable {
                    source: source.id.name.clone(),
                    path: "--records".into(),
                    reason: format!("no files given (--records {}=PATH)", source.id.name),
                },
                source.id.location.clone(),
            ));
            continue;
        };
        match open(&ctx, &source.id.name, &given.paths).await {
            Ok(df) => {
                let schema = schema_of(&df);
                let mut found = check_columns(measures, q.source, &schema);
                for (col, what) in [(&source.unit, "unit"), (&source.date, "date")] {
                    if schema.get(&col.name).is_none() {
                        found.push(Diagnostic::error(
                            crate::diag::Common::UnknownName {
                                thing: crate::diag::Thing::Column,
                                name: col.name.clone(),
                                suggestion: crate::diag::suggest(
                                    &col.name,
                                    schema.columns.iter().map(|(n, _)| n.as_str()),
                                ),
                            },
                            col.location.clone(),
                        ));
                    } else if what == "date" && schema.get(&col.name) != Some(&ColumnType::Date) {
                        found.push(Diagnostic::error(
                            Kind::Expected {
                                expected: "date",
                                found: "value",
                            },
                            col.location.clone(),
                        ));
                    }
                }
                diags.extend(found);
                if let Err(e) = ctx.register_table(source.id.name.as_str(), df.into_view()) {
                    diags.push(unreadable(
                        &source.id.name,
                        &given.paths,
                        &e.to_string(),
                        &source.id.location,
                    ));
                }
                sources.push(Opened {
                    name: source.id.name.clone(),
                    paths: given.paths.clone(),
                    columns: schema.columns.into_iter().map(|(n, _)| n).collect(),
                });
            }
            Err(d) => diags.push(d.at(&source.id.location)),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(OpenedAll {
        ctx,
        queries,
        sources,
    })
}

/// Runs the queries on DataFusion.
async fn run(plan: &Plan, opened: &OpenedAll) -> Result<Vec<Observation>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    for q in &opened.queries {
        let Some(source) = plan.records.get(q.source) else {
            continue;
        };
        let paths = opened
            .sources
            .iter()
            .find(|o| o.name == source.id.name)
            .map(|o| o.paths.clone())
            .unwrap_or_default();
        let batches = match execute(&opened.ctx, q).await {
            Ok(b) => b,
            Err(e) => {
                return Err(vec![unreadable(
                    &source.id.name,
                    &paths,
                    &e,
                    &source.id.location,
                )]);
            }
        };
        for batch in &batches {
            read_batch(batch, q, source.period, &mut out)
                .map_err(|d| vec![d.at(&plan.location)])?;
        }
    }
    Ok(out)
}

async fn execute(ctx: &SessionContext, q: &Query) -> Result<Vec<RecordBatch>, String> {
    let df = ctx.sql(&q.sql).await.map_err(|e| e.to_string())?;
    df.collect().await.map_err(|e| e.to_string())
}

/// A fault not yet placed in a file.
struct Unplaced(Kind);

impl Unplaced {
    fn at(self, location: &Location) -> Diagnostic {
        Diagnostic::error(self.0, location.clone())
    }
}

fn unreadable(source: &str, paths: &[String], reason: &str, at: &Location) -> Diagnostic {
    Diagnostic::error(
        Kind::Unreadable {
            source: source.into(),
            path: paths.join(", "),
            reason: reason.into(),
        },
        at.clone(),
    )
}

/// Opens a source's files as one table. Each path is opened alone first, so that a missing or
/// corrupt file is reported with its own path.
async fn open(ctx: &SessionContext, source: &str, paths: &[String]) -> Result<DataFrame, Unplaced> {
    let fail = |path: &str, reason: String| {
        Unplaced(Kind::Unreadable {
            source: source.into(),
            path: path.into(),
            reason,
        })
    };
    let csv = paths.iter().all(|p| p.to_lowercase().ends_with(".csv"));
    if !csv && paths.iter().any(|p| p.to_lowercase().ends_with(".csv")) {
        return Err(fail(
            &paths.join(", "),
            "Parquet and CSV files mixed in one source".into(),
        ));
    }
    for path in paths {
        let plain = !path.contains(['*', '?', '[']);
        if plain && !std::path::Path::new(path).exists() {
            return Err(fail(path, "no such file or folder".into()));
        }
        if plain && !csv {
            for file in parquet_files(Path::new(path)) {
                if let Err(reason) = parquet_footer(&file) {
                    return Err(fail(&file.to_string_lossy(), reason));
                }
            }
        }
        let one = if csv {
            ctx.read_csv(path.as_str(), CsvReadOptions::new()).await
        } else {
            ctx.read_parquet(path.as_str(), ParquetReadOptions::default())
                .await
        };
        if let Err(e) = one {
            return Err(fail(path, e.to_string()));
        }
    }
    let all: Vec<&str> = paths.iter().map(String::as_str).collect();
    let df = if csv {
        // CSV has no types: DataFusion infers them, and reads `12.50` as a float. Such columns
        // are read again as exact decimals (10 places), so that sums of money stay exact.
        let inferred = ctx
            .read_csv(all.clone(), CsvReadOptions::new())
            .await
            .map_err(|e| fail(&paths.join(", "), e.to_string()))?;
        let fields: Vec<Field> = inferred
            .schema()
            .fields()
            .iter()
            .map(|f| match f.data_type() {
                DataType::Float16 | DataType::Float32 | DataType::Float64 => {
                    Field::new(f.name(), DataType::Decimal128(38, 10), true)
                }
                _ => f.as_ref().clone(),
            })
            .collect();
        let exact = ArrowSchema::new(fields);
        ctx.read_csv(all, CsvReadOptions::new().schema(&exact))
            .await
    } else {
        ctx.read_parquet(all, ParquetReadOptions::default()).await
    };
    df.map_err(|e| fail(&paths.join(", "), e.to_string()))
}

/// The Parquet files a path names: itself, or the `.parquet` files of a folder (and below).
fn parquet_files(path: &Path) -> Vec<PathBuf> {
    if !path.is_dir() {
        return vec![path.to_path_buf()];
    }
    let mut out = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
            {
                out.push(p);
            }
        }
    }
    out
}

/// Checks a Parquet file's frame: `PAR1` at both ends and a footer length that fits. The
/// Parquet reader trusts the length and can fail badly on a file that is not Parquet at all (a
/// truncated download, a CSV renamed): such a file is reported here, with its path.
fn parquet_footer(path: &Path) -> Result<(), String> {
    use std::io::{Read, Seek, SeekFrom};
    let not =
        || "not a Parquet file (no valid Parquet footer; truncated or another format?)".to_string();
    let mut f = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let size = f.metadata().map_err(|e| e.to_string())?.len();
    if size < 12 {
        return Err(not());
    }
    let mut head = [0u8; 4];
    f.read_exact(&mut head).map_err(|e| e.to_string())?;
    let mut tail = [0u8; 8];
    f.seek(SeekFrom::End(-8)).map_err(|e| e.to_string())?;
    f.read_exact(&mut tail).map_err(|e| e.to_string())?;
    let [a, b, c, d, m0, m1, m2, m3] = tail;
    let footer = u64::from(u32::from_le_bytes([a, b, c, d]));
    if &head != b"PAR1" || [m0, m1, m2, m3] != *b"PAR1" || footer + 12 > size {
        return Err(not());
    }
    Ok(())
}

fn schema_of(df: &DataFrame) -> Schema {
    let columns = df
        .schema()
        .fields()
        .iter()
        .map(|f| (f.name().clone(), column_type(f.data_type())))
        .collect();
    Schema { columns }
}

fn column_type(t: &DataType) -> ColumnType {
    match t {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => ColumnType::Text,
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64 => ColumnType::Integer,
        DataType::Decimal32(..)
        | DataType::Decimal64(..)
        | DataType::Decimal128(..)
        | DataType::Decimal256(..) => ColumnType::Decimal,
        DataType::Float16 | DataType::Float32 | DataType::Float64 => ColumnType::Float,
        DataType::Boolean => ColumnType::Bool,
        DataType::Date32 | DataType::Date64 | DataType::Timestamp(..) => ColumnType::Date,
        DataType::Dictionary(_, inner) => column_type(inner),
        other => ColumnType::Other(other.to_string()),
    }
}

/// Reads one result batch into observations: `unit`, `period`, then the measure columns.
fn read_batch(
    batch: &RecordBatch,
    q: &Query,
    grain: Grain,
    out: &mut Vec<Observation>,
) -> Result<(), Unplaced> {
    let bad = |column: &str, reason: &str| {
        Unplaced(Kind::BadResult {
            column: column.into(),
            reason: reason.into(),
        })
    };
    let text = |name: &str| -> Result<Vec<Option<String>>, Unplaced> {
        let col = batch
            .column_by_name(name)
            .ok_or_else(|| bad(name, "missing from the result"))?;
        let col = cast(col, &DataType::Utf8).map_err(|e| bad(name, &e.to_string()))?;
        let col = col.as_string::<i32>();
        Ok((0..col.len())
            .map(|i| (!col.is_null(i)).then(|| col.value(i).to_string()))
            .collect())
    };
    let units = text("unit")?;
    let periods = {
        let col = batch
            .column_by_name("period")
            .ok_or_else(|| bad("period", "missing from the result"))?;
        let col = cast(col, &DataType::Int64).map_err(|e| bad("period", &e.to_string()))?;
        let col = col.as_primitive::<Int64Type>();
        (0..col.len())
            .map(|i| (!col.is_null(i)).then(|| col.value(i)))
            .collect::<Vec<_>>()
    };
    let decimals = |name: &str| -> Result<Vec<Option<Decimal>>, Unplaced> {
        text(name)?
            .into_iter()
            .map(|v| match v {
                None => Ok(None),
                Some(s) => Decimal::from_str_exact(&s)
                    .map(Some)
                    .map_err(|_| bad(name, &format!("`{s}` is not a decimal number"))),
            })
            .collect()
    };
    let mut columns = Vec::new();
    for name in result_columns(q) {
        columns.push((name, decimals(name)?));
    }
    for (row, (unit, period)) in units.iter().zip(&periods).enumerate() {
        let (Some(unit), Some(p)) = (unit, period) else {
            continue;
        };
        let value = |name: &str| {
            columns
                .iter()
                .find(|(n, _)| *n == name)
                .and_then(|(_, values)| values.get(row).copied().flatten())
        };
        observe(q, grain, unit, *p, &value, out).map_err(Unplaced)?;
    }
    Ok(())
}

/// The measure columns of a query's result, in order, after `unit` and `period` (for `avg`, its
/// sum then its count).
pub(super) fn result_columns(q: &Query) -> impl Iterator<Item = &str> {
    q.outputs
        .iter()
        .flat_map(|o| std::iter::once(o.column.as_str()).chain(o.count.as_deref()))
}

/// The observations of one result row, of unit `unit` in period `period` (the query's integer),
/// where `value` gives a measure column's value.
pub(super) fn observe(
    q: &Query,
    grain: Grain,
    unit: &str,
    period: i64,
    value: &dyn Fn(&str) -> Option<Decimal>,
    out: &mut Vec<Observation>,
) -> Result<(), Kind> {
    let p = period_of(grain, period).ok_or_else(|| Kind::BadResult {
        column: "period".into(),
        reason: format!("{period}"),
    })?;
    for o in &q.outputs {
        let v = value(&o.column);
        let v = match (o.agg, &o.count) {
            (Agg::Avg, Some(count)) => match (v, value(count)) {
                (Some(sum), Some(n)) if !n.is_zero() => sum.checked_div(n),
                _ => None,
            },
            _ => v,
        };
        if let Some(v) = v {
            out.push(Observation {
                unit: unit.to_string(),
                indicator: o.indicator.clone(),
                period: p,
                value: v.normalize(),
            });
        }
    }
    Ok(())
}

/// The period a query's integer `period` names (`202603`, `20261`, `2026`).
pub fn period_of(grain: Grain, n: i64) -> Option<Period> {
    let year = |y: i64| i32::try_from(y).ok().filter(|y| YEARS.contains(y));
    match grain {
        Grain::Year => Some(Period::Year(year(n)?)),
        Grain::Month => {
            let m = u8::try_from(n % 100)
                .ok()
                .filter(|m| (1..=12).contains(m))?;
            Some(Period::Month(year(n / 100)?, m))
        }
        Grain::Quarter => {
            let q = u8::try_from(n % 10).ok().filter(|q| (1..=4).contains(q))?;
            Some(Period::Quarter(year(n / 10)?, q))
        }
    }
}

/// Observations as the long CSV form `eval --data` reads: `unit,indicator,period,value`.
pub fn to_csv(observations: &[Observation]) -> String {
    let mut out = String::from("unit,indicator,period,value\n");
    for o in observations {
        let _ = writeln!(
            out,
            "{},{},{},{}",
            csv_cell(&o.unit),
            o.indicator,
            o.period,
            o.value
        );
    }
    out
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
