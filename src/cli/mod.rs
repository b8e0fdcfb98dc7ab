//! The `chitieu` command line: `check`, `eval`, `explain`, `fmt`, `schema`, `lsp`.
//!
//! Exit codes: 0 success; 1 findings (a check error, invalid data, a `--fail-on` gate);
//! 2 the command could not run (usage, unreadable file). A panic is a bug.

mod check;
mod eval;
mod file;
mod fmt;
mod history;
mod project;
mod records;
mod site;
#[cfg(feature = "xlsx")]
mod template;

use crate::lang::Lang;
use clap::{Parser, Subcommand, ValueEnum};
use file::write_atomic;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Checkable numeric targets for reform plans.
#[derive(Parser, Debug)]
#[command(name = "chitieu", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Write the report to FILE instead of standard output (through a temporary file in the
    /// same folder and a rename: FILE is never left half-written). With `eval --format html`, a
    /// path that is a folder or does not end in `.html` gets a folder of pages.
    #[arg(short = 'o', long = "output", global = true, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check plan files: syntax, names, units, deadlines (folders are searched for *.yaml).
    Check(check::Args),
    /// Evaluate a plan against measured data: per-goal status for every unit.
    Eval(project::EvalArgs),
    /// Explain one goal for one unit: each sub-expression with its value.
    Explain(project::ExplainArgs),
    /// Rewrite rule expressions into canonical form, keeping every other byte.
    Fmt(fmt::Args),
    /// Print the JSON Schema of plan files (for editors and validators).
    Schema,
    /// Serve the Language Server Protocol over standard input and output, for editors.
    Lsp,
    /// Print the SQL each source's measures compile to: one `GROUP BY` unit, period query.
    Sql(records::SqlArgs),
    /// Measure indicators from records (`--records dossiers=PATH…`): observations as CSV
    /// (`unit,indicator,period,value`), as `eval --data` reads them. Needs the `records`
    /// feature.
    Measure(records::MeasureArgs),
    /// Write a data-entry workbook for a plan: a row per unit and period, a column per
    /// measured indicator (`-o FILE.xlsx`); filled in, it is read back by `eval --data`.
    #[cfg(feature = "xlsx")]
    Template(template::Args),
}

/// Output formats of `eval` and `explain`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Text for people.
    Human,
    /// Versioned JSON (`chitieu.eval/v1`).
    Json,
    /// A Markdown report.
    Markdown,
    /// JUnit XML: a test case per unit and goal.
    Junit,
    /// A self-contained HTML page with charts.
    Html,
    /// GitHub Actions workflow annotations (`::error file=…,line=…::…`).
    Github,
    /// An Excel workbook (`-o FILE.xlsx`): results, index scores, the plan.
    #[cfg(feature = "xlsx")]
    Xlsx,
}

/// Output formats of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum CheckFormat {
    /// Text for people.
    Human,
    /// Versioned JSON (`chitieu.check/v1`).
    Json,
    /// JUnit XML: a test case per file.
    Junit,
    /// GitHub Actions workflow annotations (`::error file=…,line=…::…`).
    Github,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

/// How a command ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Success.
    Ok,
    /// Findings: check errors, invalid data, a tripped gate.
    Findings,
    /// The command could not run.
    Failed,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        ExitCode::from(match o {
            Outcome::Ok => 0,
            Outcome::Findings => 1,
            Outcome::Failed => 2,
        })
    }
}

/// Where output goes, whether it may be coloured, and the language of the message when it
/// cannot be written.
pub(crate) struct Out {
    pub(crate) color: bool,
    pub(crate) lang: Lang,
    buffer: Vec<u8>,
    /// The file named by `-o`, written when the command ends.
    pub(crate) output: Option<PathBuf>,
    /// The output is a binary document (a workbook), not text.
    binary: bool,
}

impl Out {
    fn new(output: Option<PathBuf>) -> Out {
        let color = output.is_none()
            && std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none();
        Out {
            color,
            lang: Lang::En,
            buffer: Vec::new(),
            output,
            binary: false,
        }
    }

    pub(crate) fn write(&mut self, text: &str) {
        self.buffer.extend_from_slice(text.as_bytes());
    }

    /// Adds a binary document (a workbook) to the output.
    #[cfg_attr(not(feature = "xlsx"), allow(dead_code))]
    pub(crate) fn write_bytes(&mut self, bytes: &[u8]) {
        self.binary = true;
        self.buffer.extend_from_slice(bytes);
    }

    /// Writes the output to the `-o` file, or else to standard output, unless that is a
    /// terminal and the output binary (a workbook would only garble the screen).
    fn finish(self) -> Outcome {
        if let Some(path) = &self.output {
            let lang = self.lang;
            return match write_atomic(path, |w| w.write_all(&self.buffer)) {
                Ok(()) => Outcome::Ok,
                Err(e) => {
                    write_failed(&e, lang);
                    Outcome::Failed
                }
            };
        }
        if self.binary && std::io::stdout().is_terminal() {
            error_line(self.lang.pick(
                "lỗi: kết quả là một tệp bảng tính; ghi ra tệp với `-o TỆP.xlsx`",
                "error: the output is a workbook; write it to a file with `-o FILE.xlsx`",
            ));
            return Outcome::Failed;
        }
        self.flush(&mut std::io::stdout().lock())
    }

    /// Writes the output to `to`. A reader that stopped (`chitieu … | head`: a closed pipe) is
    /// not worth reporting; any other failure (a full disk) is: the report would be lost.
    fn flush(self, to: &mut impl Write) -> Outcome {
        let written = to.write_all(&self.buffer).and_then(|()| to.flush());
        match written {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                write_failed(&e, self.lang);
                Outcome::Failed
            }
            _ => Outcome::Ok,
        }
    }
}

/// Says on stderr that the output could not be written.
pub(crate) fn write_failed(e: &std::io::Error, lang: Lang) {
    error_line(&format!(
        "{}: {}",
        lang.pick(
            "lỗi: không ghi được kết quả",
            "error: cannot write the output"
        ),
        crate::lang::io_reason(&e.to_string(), lang)
    ));
}

/// Writes a line to stderr. Unlike `eprintln!` it never panics: when stderr itself cannot be
/// written there is nowhere left to say so, and the exit code still tells.
pub(crate) fn error_line(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr
        .write_all(text.as_bytes())
        .and_then(|()| stderr.write_all(b"\n"));
}

pub(crate) fn parse_lang(s: &str) -> Result<Lang, String> {
    s.parse()
}

/// Runs the command line and returns its exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let mut out = Out::new(cli.output);
    let outcome = match cli.command {
        Command::Check(args) => check::run(&args, &mut out),
        Command::Eval(args) => match args.history {
            Some(range) => history::run(&args, range, &mut out),
            None => eval::run(&args, &mut out),
        },
        Command::Explain(args) => eval::explain(&args, &mut out),
        Command::Fmt(args) => fmt::run(&args, &mut out),
        Command::Sql(args) => records::sql(&args, &mut out),
        Command::Measure(args) => records::measure(&args, &mut out),
        Command::Schema => {
            out.write(&format!("{:#}\n", crate::plan::schema()));
            Outcome::Ok
        }
        #[cfg(feature = "xlsx")]
        Command::Template(args) => template::run(&args, &mut out),
        Command::Lsp => match crate::lsp::stdio() {
            Ok(true) => Outcome::Ok,
            // `exit` without `shutdown`: the protocol's exit status is 1.
            Ok(false) => Outcome::Findings,
            Err(e) => {
                error_line(&format!("chitieu lsp: {e}"));
                Outcome::Failed
            }
        },
    };
    match out.finish() {
        Outcome::Ok => outcome.into(),
        failed => failed.into(),
    }
}

/// Files named on the command line, folders expanded to the plan files below them, sorted, so
/// output does not depend on the order the file system lists them. In a folder, a
/// `*.yaml`/`*.yml` file without a top-level `chitieu:` key is not a plan (data, a registry, a
/// CI workflow): it is left out, and said on stderr. A file named on the command line is
/// always read, unless `plans_only`: a pre-commit hook names every staged YAML file, and those
/// are sorted as a folder's are.
pub(crate) fn expand(paths: &[PathBuf], plans_only: bool, lang: Lang) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for p in paths {
        let candidates = if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found);
            found.sort();
            found
        } else if plans_only {
            vec![p.clone()]
        } else {
            files.push(p.clone());
            continue;
        };
        for file in candidates {
            if is_plan(&file) {
                files.push(file);
            } else {
                error_line(&format!(
                    "{}: {}",
                    lang.pick("ghi chú", "note"),
                    lang.pick(
                        "bỏ qua {}: không có khóa `chitieu:`, không phải tệp kế hoạch",
                        "skipped {}: no `chitieu:` key, not a plan file"
                    )
                    .replace("{}", &file.display().to_string())
                ));
            }
        }
    }
    files
}

/// Whether a file found in a folder (or named with `--plans-only`) is a plan: it has a top-level
/// `chitieu:` key. A file that
/// cannot be read (or is too large to be a plan) counts as one, so that loading it says why.
fn is_plan(path: &std::path::Path) -> bool {
    let regular = std::fs::metadata(path)
        .is_ok_and(|m| m.is_file() && m.len() <= crate::plan::MAX_PLAN_BYTES);
    if !regular {
        return true;
    }
    match std::fs::read(path) {
        Ok(bytes) => crate::plan::is_plan_text(&String::from_utf8_lossy(&bytes)),
        Err(_) => true,
    }
}

fn walk(dir: &std::path::Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, found);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            found.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
