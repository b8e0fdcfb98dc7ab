//! The `chitieu` command line: `check`, `eval`, `explain`, `fmt`, `schema`.
//!
//! Exit codes: 0 success; 1 findings (a check error, invalid data, a `--fail-on` gate);
//! 2 the command could not run (usage, unreadable file). A panic is a bug.

mod check;
mod eval;
mod fmt;
mod history;

use crate::lang::Lang;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Checkable numeric targets for reform plans.
#[derive(Parser, Debug)]
#[command(name = "chitieu", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check plan files: syntax, names, units, deadlines (folders are searched for *.yaml).
    Check(check::Args),
    /// Evaluate a plan against measured data: per-goal status for every unit.
    Eval(eval::EvalArgs),
    /// Explain one goal for one unit: each sub-expression with its value.
    Explain(eval::ExplainArgs),
    /// Rewrite rule expressions into canonical form, keeping every other byte.
    Fmt(fmt::Args),
    /// Print the JSON Schema of plan files (for editors and validators).
    Schema,
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
}

impl Out {
    fn new() -> Out {
        let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Out {
            color,
            lang: Lang::En,
            buffer: Vec::new(),
        }
    }

    pub(crate) fn write(&mut self, text: &str) {
        self.buffer.extend_from_slice(text.as_bytes());
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
    let mut out = Out::new();
    let outcome = match cli.command {
        Command::Check(args) => check::run(&args, &mut out),
        Command::Eval(args) => eval::run(&args, &mut out),
        Command::Explain(args) => eval::explain(&args, &mut out),
        Command::Fmt(args) => fmt::run(&args, &mut out),
        Command::Schema => {
            out.write(&format!("{:#}\n", crate::plan::schema()));
            Outcome::Ok
        }
    };
    match out.flush(&mut std::io::stdout().lock()) {
        Outcome::Ok => outcome.into(),
        failed => failed.into(),
    }
}

/// Files named on the command line, folders expanded to the `*.yaml`/`*.yml` below them,
/// sorted, so output does not depend on the order the file system lists them.
pub(crate) fn expand(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found);
            found.sort();
            files.extend(found);
        } else {
            files.push(p.clone());
        }
    }
    files
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
