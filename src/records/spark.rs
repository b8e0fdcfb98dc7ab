//! Running measures on a Spark standalone cluster (`--engine spark://HOST:PORT`, feature
//! `records`), through Spark's own `spark-sql` driver rather than a client built into chitieu.
//!
//! chitieu writes one script: a temporary view per source over its Parquet files, then each
//! source's query in the Spark dialect (the text `chitieu sql --dialect spark` prints), its
//! columns cast to text so decimals print exactly and the unit in hexadecimal so no id can be
//! mistaken for `NULL` or split by a tab. `spark-sql` runs it on the cluster and prints the rows;
//! they are read into observations by the same code as DataFusion's results.

use super::engine::{Observation, Opened, observe, result_columns};
use super::{Dialect, Kind, Query, SparkFault};
use crate::plan::Plan;
use rust_decimal::Decimal;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// How long the master's port may take to accept a connection before it is said unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// A cluster ready to take the job: its driver program and master URL.
pub(super) struct Driver {
    program: PathBuf,
    master: String,
}

/// Checks what can fail before any record is read: CSV records (refused: CSV has no column
/// types, and Spark's inference differs from DataFusion's, so the same file could give other
/// values), the `spark-sql` program, and a listening master.
pub(super) fn ready(
    host: &str,
    port: u16,
    records: &[super::engine::Records],
) -> Result<Driver, SparkFault> {
    let csv = records
        .iter()
        .flat_map(|r| &r.paths)
        .find(|p| p.to_lowercase().ends_with(".csv"));
    if let Some(path) = csv {
        return Err(SparkFault::Csv { path: path.clone() });
    }
    let program = program()?;
    reachable(host, port)?;
    // An IPv6 host goes in brackets in the URL.
    let master = if host.contains(':') {
        format!("spark://[{host}]:{port}")
    } else {
        format!("spark://{host}:{port}")
    };
    Ok(Driver { program, master })
}

/// `$SPARK_HOME/bin/spark-sql`, else `spark-sql` on `PATH`.
fn program() -> Result<PathBuf, SparkFault> {
    let home = std::env::var_os("SPARK_HOME").map(|h| Path::new(&h).join("bin"));
    let path = std::env::var_os("PATH").unwrap_or_default();
    home.into_iter()
        .chain(std::env::split_paths(&path))
        .map(|dir| dir.join("spark-sql"))
        .find(|p| p.is_file())
        .ok_or(SparkFault::Missing)
}

/// Whether something accepts connections at the master's address, within a short timeout: a
/// driver started against nothing would retry for minutes.
fn reachable(host: &str, port: u16) -> Result<(), SparkFault> {
    let address = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let unreachable = |reason: String| SparkFault::Unreachable {
        address: address.clone(),
        reason,
    };
    let addrs = (host, port)
        .to_socket_addrs()
        .map_err(|e| unreachable(e.to_string()))?;
    let mut last = String::from("the host has no address");
    for a in addrs {
        match TcpStream::connect_timeout(&a, CONNECT_TIMEOUT) {
            Ok(_) => return Ok(()),
            Err(e) => last = e.to_string(),
        }
    }
    Err(unreachable(last))
}

/// The script `spark-sql` runs: the views, then each query with its result cast to text, its
/// rows led by the query's index.
fn script(queries: &[Query], sources: &[Opened]) -> String {
    let d = Dialect::Spark;
    let mut out = String::new();
    for s in sources {
        let paths: Vec<String> = s.paths.iter().map(|p| absolute(p)).collect();
        let view = |name: &str, path: &str| {
            // A folder is read as DataFusion reads it: its `.parquet` files, in subfolders too.
            let folder = if Path::new(path).is_dir() {
                ", pathGlobFilter '*.parquet', recursiveFileLookup 'true'"
            } else {
                ""
            };
            format!(
                "CREATE TEMPORARY VIEW {} USING parquet OPTIONS (path {}{folder});\n",
                d.ident(name),
                d.text(path)
            )
        };
        match paths.as_slice() {
            [one] => out.push_str(&view(&s.name, one)),
            many => {
                // One view per path, then their union, by column name (files may order them
                // differently).
                let columns: Vec<String> = s.columns.iter().map(|c| d.ident(c)).collect();
                let mut parts = Vec::new();
                for (i, p) in many.iter().enumerate() {
                    let name = format!("chitieu_{}_{i}", s.name);
                    out.push_str(&view(&name, p));
                    parts.push(format!(
                        "SELECT {} FROM {}",
                        columns.join(", "),
                        d.ident(&name)
                    ));
                }
                let _ = writeln!(
                    out,
                    "CREATE TEMPORARY VIEW {} AS {};",
                    d.ident(&s.name),
                    parts.join(" UNION ALL ")
                );
            }
        }
    }
    for (i, q) in queries.iter().enumerate() {
        let mut cells = vec![
            format!("{i}"),
            "hex(encode(CAST(unit AS STRING), 'UTF-8'))".into(),
            "CAST(period AS STRING)".into(),
        ];
        cells.extend(result_columns(q).map(|c| format!("CAST({} AS STRING)", d.ident(c))));
        // The query's leading comment names the source's columns: left out, as a quote or a
        // semicolon in a name there would confuse spark-sql's splitting of statements.
        let body: Vec<&str> = q.sql.lines().filter(|l| !l.starts_with("--")).collect();
        let _ = writeln!(
            out,
            "SELECT {}\nFROM (\n{}\n) AS chitieu_result;",
            cells.join(", "),
            body.join("\n")
        );
    }
    out
}

/// A path as the cluster must see it: absolute, since the driver runs in a scratch folder.
fn absolute(path: &str) -> String {
    std::path::absolute(path)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| path.to_string())
}

/// Runs the queries on the cluster: the observations, or why not.
pub(super) fn run(
    driver: &Driver,
    plan: &Plan,
    queries: &[Query],
    sources: &[Opened],
) -> Result<Vec<Observation>, Kind> {
    let stdout = submit(driver, &script(queries, sources)).map_err(Kind::Spark)?;
    read(plan, queries, &stdout)
}

/// A folder of its own for one run (the script, and what the driver writes in its working
/// folder), removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Spark's warning, every 15 s, that the job has no executor: the job would wait forever.
const STARVED: &str = "Initial job has not accepted any resources";
/// Spark's words when the address is not a standalone master: the job will never run.
const NO_MASTER: &str = "All masters are unresponsive";

/// Runs `spark-sql` on the script: its standard output, or why it failed.
fn submit(driver: &Driver, script: &str) -> Result<String, SparkFault> {
    let start = |reason: String| SparkFault::Start {
        program: driver.program.to_string_lossy().into_owned(),
        reason,
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let dir =
        Scratch(std::env::temp_dir().join(format!("chitieu-spark-{}-{nanos}", std::process::id())));
    std::fs::create_dir_all(&dir.0).map_err(|e| start(e.to_string()))?;
    let file = dir.0.join("measures.sql");
    std::fs::write(&file, script).map_err(|e| start(e.to_string()))?;
    let mut child = Command::new(&driver.program)
        .args(["--master", &driver.master, "-S"])
        // No Hive metastore (it would create `metastore_db/`): the views are temporary anyway.
        .args(["--conf", "spark.sql.catalogImplementation=in-memory"])
        // Timestamps placed in periods as DataFusion places them: in UTC.
        .args(["--conf", "spark.sql.session.timeZone=UTC"])
        .arg("-f")
        .arg(&file)
        .current_dir(&dir.0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| start(e.to_string()))?;
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.read_to_string(&mut text);
        }
        text
    });
    let mut log = Vec::new();
    let mut hopeless = None;
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            // Such a driver is stopped, not waited for.
            if let Some(h) = [STARVED, NO_MASTER].into_iter().find(|h| line.contains(h)) {
                hopeless = Some(h);
                let _ = child.kill();
                break;
            }
            log.push(line);
        }
    }
    let status = child.wait().map_err(|e| start(e.to_string()))?;
    // A stopped driver's output is not waited for (a process it started may still hold it).
    match hopeless {
        Some(STARVED) => Err(SparkFault::NoExecutor {
            master: driver.master.clone(),
        }),
        Some(h) => Err(SparkFault::Failed { line: h.into() }),
        None if status.success() => Ok(reader.join().unwrap_or_default()),
        None => Err(SparkFault::Failed {
            line: error_line(&log),
        }),
    }
}

/// The line of a failed driver's log that says why: Spark's error (`[ERROR_CLASS] …`), else
/// the last exception's message, else the last line; never the stack or the whole log.
fn error_line(log: &[String]) -> String {
    let lines: Vec<&str> = log
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && !l.starts_with("at "))
        .collect();
    let classed = |l: &&&str| {
        l.strip_prefix('[')
            .and_then(|r| r.split_once(']'))
            .is_some_and(|(class, _)| {
                !class.is_empty()
                    && class
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c == '_' || c == '.')
            })
    };
    let exception = |l: &&&str| l.contains("Exception: ") || l.starts_with("Error in query");
    let line = lines
        .iter()
        .find(classed)
        .or_else(|| lines.iter().rev().find(exception))
        .or_else(|| lines.last())
        .copied()
        .unwrap_or("spark-sql exited without saying why");
    // One line of a reasonable length: Spark's messages can carry a whole plan.
    match line.char_indices().nth(400) {
        Some((at, _)) => format!("{}…", line.get(..at).unwrap_or(line)),
        None => line.to_string(),
    }
}

/// Reads `spark-sql`'s rows (tab-separated: query index, unit in hexadecimal, period, measure
/// columns; `NULL` for nulls) into observations.
fn read(plan: &Plan, queries: &[Query], stdout: &str) -> Result<Vec<Observation>, Kind> {
    let mut out = Vec::new();
    for line in stdout.lines().filter(|l| !l.trim().is_empty()) {
        let bad = |reason: String| {
            Kind::Spark(SparkFault::Output {
                line: line.chars().take(200).collect(),
                reason,
            })
        };
        let cells: Vec<&str> = line.split('\t').collect();
        let query = cells
            .first()
            .and_then(|c| c.parse::<usize>().ok())
            .and_then(|i| queries.get(i))
            .ok_or_else(|| bad("not a result row".into()))?;
        let names: Vec<&str> = result_columns(query).collect();
        let [_, unit, period, values @ ..] = cells.as_slice() else {
            return Err(bad("not a result row".into()));
        };
        if values.len() != names.len() {
            return Err(bad(format!(
                "{} cells, expected {}",
                cells.len(),
                names.len() + 3
            )));
        }
        let Some(unit) = text(unit).map_err(bad)? else {
            continue;
        };
        if *period == "NULL" {
            continue;
        }
        let period: i64 = period
            .parse()
            .map_err(|_| bad(format!("period `{period}` is not a whole number")))?;
        let mut decimals = Vec::new();
        for (name, cell) in names.iter().zip(values) {
            let value = match *cell {
                "NULL" => None,
                v => Some(
                    Decimal::from_str_exact(v)
                        .map_err(|_| bad(format!("`{name}`: `{v}` is not a decimal number")))?,
                ),
            };
            decimals.push((*name, value));
        }
        let value = |name: &str| {
            decimals
                .iter()
                .find(|(n, _)| *n == name)
                .and_then(|(_, v)| *v)
        };
        let grain = plan
            .records
            .get(query.source)
            .map(|s| s.period)
            .ok_or_else(|| bad("no such source".into()))?;
        observe(query, grain, &unit, period, &value, &mut out)
            .map_err(|_| bad(format!("period `{period}` is not a {}", grain.name())))?;
    }
    Ok(out)
}

/// A unit id printed in hexadecimal UTF-8 (`NULL` for none).
fn text(hex: &str) -> Result<Option<String>, String> {
    if hex == "NULL" {
        return Ok(None);
    }
    let bad = || format!("unit `{hex}` is not hexadecimal UTF-8");
    if !hex.len().is_multiple_of(2) {
        return Err(bad());
    }
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| {
            hex.get(i..i + 2)
                .and_then(|b| u8::from_str_radix(b, 16).ok())
                .ok_or_else(bad)
        })
        .collect::<Result<Vec<u8>, String>>()?;
    String::from_utf8(bytes).map(Some).map_err(|_| bad())
}
