//! `chitieu sql PLAN` (the queries measures compile to) and `chitieu measure PLAN --records
//! SOURCE=PATH…` (the observations they give, with the `records` feature).

use super::{Out, Outcome, parse_lang};
use crate::Workspace;
use crate::diag::Diagnostic;
#[cfg(feature = "records")]
use crate::diag::Severity;
use crate::lang::Lang;
use crate::records::Dialect;
use crate::report::{Style, render_diagnostic};
use std::path::PathBuf;

/// Arguments of `chitieu sql`.
#[derive(clap::Args, Debug)]
pub(crate) struct SqlArgs {
    /// The plan file.
    plan: PathBuf,
    /// The SQL dialect: `datafusion` (what `measure` runs), `spark` or `duckdb`.
    #[arg(long, value_parser = parse_dialect, default_value = "datafusion")]
    dialect: Dialect,
    /// Language of messages (default: the plan's `lang`).
    #[arg(long, value_parser = parse_lang)]
    lang: Option<Lang>,
}

/// Arguments of `chitieu measure`.
#[derive(clap::Args, Debug)]
pub(crate) struct MeasureArgs {
    /// The plan file.
    plan: PathBuf,
    /// Records of each source: `dossiers=exports/2026.parquet` (files, folders or globs;
    /// Parquet, or CSV with a header row); a path without `SOURCE=` adds to the source before.
    #[arg(long, required = true, num_args = 1..)]
    pub(super) records: Vec<String>,
    /// The engine: `datafusion` (embedded, the default) or `spark://HOST:PORT` (a Spark
    /// standalone cluster, through `$SPARK_HOME/bin/spark-sql`; Parquet records only).
    #[arg(long, default_value = "datafusion")]
    pub(super) engine: String,
    /// Language of messages (default: the plan's `lang`).
    #[arg(long, value_parser = parse_lang)]
    lang: Option<Lang>,
}

fn parse_dialect(s: &str) -> Result<Dialect, String> {
    Dialect::ALL
        .into_iter()
        .find(|d| d.name() == s)
        .ok_or_else(|| format!("unknown dialect `{s}` (expected datafusion, spark or duckdb)"))
}

fn print(diags: &[Diagnostic], lang: Lang) {
    let style = Style {
        color: std::io::IsTerminal::is_terminal(&std::io::stderr())
            && std::env::var_os("NO_COLOR").is_none(),
    };
    for d in diags {
        super::error_line(&render_diagnostic(d, lang, style));
    }
}

/// Loads and checks the plan, printing its findings; the plan when it has no error.
fn plan(path: &PathBuf, lang: Option<Lang>) -> Result<crate::check::CheckedPlan, Outcome> {
    match Workspace::new().plan(path, lang) {
        Ok(p) => {
            print(p.warnings(), lang.unwrap_or(p.lang));
            Ok(p)
        }
        Err(e) => Err(super::project::fail(&e)),
    }
}

pub(crate) fn sql(args: &SqlArgs, out: &mut Out) -> Outcome {
    let plan = match plan(&args.plan, args.lang) {
        Ok(p) => p,
        Err(o) => return o,
    };
    out.lang = args.lang.unwrap_or(plan.lang);
    let (measures, _) = crate::records::measures(&plan);
    let queries = crate::records::sql(&plan, &measures, args.dialect);
    let text: Vec<String> = queries.iter().map(|q| format!("{};\n", q.sql)).collect();
    out.write(&text.join("\n"));
    Outcome::Ok
}

#[cfg(feature = "records")]
/// `--records` values grouped by source: `SOURCE=PATH`, and bare paths for the source before.
pub(super) fn sources(values: &[String]) -> Result<Vec<(String, Vec<String>)>, String> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for v in values {
        match v.split_once('=') {
            Some((source, path)) if !source.is_empty() && !source.contains(['/', '\\', '.']) => {
                match out.iter_mut().find(|(s, _)| s == source) {
                    Some((_, paths)) => paths.push(path.to_string()),
                    None => out.push((source.to_string(), vec![path.to_string()])),
                }
            }
            _ => match out.last_mut() {
                Some((_, paths)) => paths.push(v.clone()),
                None => {
                    return Err(format!(
                        "`{v}`: name the source first, as in `--records dossiers={v}`"
                    ));
                }
            },
        }
    }
    Ok(out)
}

/// Measures the plan's indicators over the records given: the observations as CSV, or the
/// outcome to exit with (findings printed).
#[cfg(feature = "records")]
pub(super) fn observations(
    plan_path: &PathBuf,
    records: &[String],
    engine: &str,
    lang: Option<Lang>,
) -> Result<String, Outcome> {
    use crate::records::engine::{Engine, Records, measure_on, to_csv};
    let engine = Engine::parse(engine).map_err(|e| {
        super::error_line(&format!("error: {e}"));
        Outcome::Failed
    })?;
    let grouped = sources(records).map_err(|e| {
        super::error_line(&format!("error: {e}"));
        Outcome::Failed
    })?;
    let plan = plan(plan_path, lang)?;
    let lang = lang.unwrap_or(plan.lang);
    let records: Vec<Records> = grouped
        .into_iter()
        .map(|(source, paths)| Records { source, paths })
        .collect();
    match measure_on(&plan, &records, &engine) {
        Ok(obs) => Ok(to_csv(&obs)),
        Err(diags) => {
            print(&diags, lang);
            // Faults in the plan or the records' columns are findings; unreadable records or
            // an engine that cannot run mean the command could not run.
            let unreadable = diags.iter().any(|d| {
                d.severity == Severity::Error
                    && matches!(
                        d.kind::<crate::records::Kind>(),
                        Some(
                            crate::records::Kind::Unreadable { .. }
                                | crate::records::Kind::Spark(_)
                        )
                    )
            });
            Err(if unreadable {
                Outcome::Failed
            } else {
                Outcome::Findings
            })
        }
    }
}

/// Without the `records` feature, says how to get it.
#[cfg(not(feature = "records"))]
pub(super) fn observations(
    _plan: &PathBuf,
    _records: &[String],
    _engine: &str,
    _lang: Option<Lang>,
) -> Result<String, Outcome> {
    super::error_line(
        "error: this chitieu was built without records support; build it with \
         `cargo install chitieu --features records`",
    );
    Err(Outcome::Failed)
}

pub(crate) fn measure(args: &MeasureArgs, out: &mut Out) -> Outcome {
    match observations(&args.plan, &args.records, &args.engine, args.lang) {
        Ok(csv) => {
            out.write(&csv);
            Outcome::Ok
        }
        Err(o) => o,
    }
}
