//! What `eval`, `explain` and `eval --history` read, and how they open it: the arguments naming
//! a plan, its data and units, turned into the library facade's inputs.

use super::{Format, Outcome, parse_lang};
use crate::data::Locale;
use crate::eval::Status;
use crate::lang::Lang;
use crate::period::Period;
use crate::report::{Style, render_diagnostic};
use crate::{Error, Project, Workspace};
use chrono::NaiveDate;
use std::path::PathBuf;

/// What `eval` and `explain` read.
#[derive(clap::Args, Debug)]
pub(crate) struct Inputs {
    /// The plan file.
    pub(super) plan: PathBuf,
    /// Observation files (CSV, YAML, JSON, or spreadsheets: .xlsx, .xlsm, .xls, .ods).
    #[arg(long, required_unless_present = "records", num_args = 1..)]
    pub(super) data: Vec<PathBuf>,
    /// Records to measure the plan's `measure:` indicators from, before evaluating:
    /// `dossiers=PATH…` as `chitieu measure` reads them (needs the `records` feature).
    #[arg(long, num_args = 1..)]
    pub(super) records: Vec<String>,
    /// Where `--records` are measured: `datafusion` (embedded, the default) or
    /// `spark://HOST:PORT`, as `chitieu measure --engine`.
    #[arg(long, default_value = "datafusion")]
    pub(super) engine: String,
    /// Read only this sheet of spreadsheet data files (default: every sheet with a data header).
    #[arg(long)]
    pub(super) sheet: Option<String>,
    /// The unit registry (CSV, YAML or a spreadsheet: id, name, kind, parent).
    #[arg(long = "units")]
    pub(super) registry: Option<PathBuf>,
    /// The evaluation date (default: today).
    #[arg(long, value_parser = parse_as_of)]
    pub(super) as_of: Option<NaiveDate>,
    /// Number format of the data: `vi` reads 1.675 as 1675 and 93,3 as 93.3.
    #[arg(long, value_parser = parse_locale, default_value = "default")]
    pub(super) locale: Locale,
    /// Language of the report (default: the plan's `lang`).
    #[arg(long, value_parser = parse_lang)]
    pub(super) lang: Option<Lang>,
}

/// Arguments of `chitieu eval`.
#[derive(clap::Args, Debug)]
pub(crate) struct EvalArgs {
    #[command(flatten)]
    pub(super) inputs: Inputs,
    /// Only these units.
    #[arg(long = "unit", num_args = 1..)]
    pub(super) unit_ids: Vec<String>,
    /// Only these goals.
    #[arg(long = "goal", num_args = 1..)]
    pub(super) goal_ids: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(super) format: Format,
    /// Exit 1 when any result has one of these statuses (not_met, off_track, no_data, …).
    #[arg(long, num_args = 1.., value_parser = parse_status)]
    pub(super) fail_on: Vec<Status>,
    /// Evaluate at the end of every month FROM..TO (e.g. `2026-01..2030-12`): a status history.
    #[arg(long, value_parser = parse_range, conflicts_with = "as_of")]
    pub(super) history: Option<(crate::period::Period, crate::period::Period)>,
    /// List every unit's results even when the evaluation is large (more than 200 results):
    /// by default a large report leads with the roll-up and lists only the units needing
    /// attention.
    #[arg(long)]
    pub(super) all: bool,
}

/// Arguments of `chitieu explain`.
#[derive(clap::Args, Debug)]
pub(crate) struct ExplainArgs {
    #[command(flatten)]
    pub(super) inputs: Inputs,
    /// The unit.
    #[arg(long)]
    pub(super) unit: String,
    /// The goal.
    #[arg(long, required_unless_present = "score")]
    pub(super) goal: Option<String>,
    /// Explain the unit's index scores instead of a goal: every group and metric with its
    /// formula, the values it read and its rounding.
    #[arg(long, conflicts_with = "goal")]
    pub(super) score: bool,
    /// Output format: `human` or `json` (the report formats are `eval`'s).
    #[arg(long, default_value = "human", value_parser = parse_explain_format)]
    pub(super) format: Format,
}

/// `explain` writes text or JSON; Markdown, JUnit, HTML and GitHub annotations are reports of a
/// whole evaluation (a usage error rather than text printed under another name).
fn parse_explain_format(s: &str) -> Result<Format, String> {
    match s {
        "human" => Ok(Format::Human),
        "json" => Ok(Format::Json),
        other => Err(format!(
            "explain writes `human` or `json`, not `{other}` (the other formats are for `eval`)"
        )),
    }
}

fn parse_as_of(s: &str) -> Result<NaiveDate, String> {
    crate::period::parse_date(s).map_err(|_| format!("`{s}` is not a date (YYYY-MM-DD)"))
}

fn parse_locale(s: &str) -> Result<Locale, String> {
    s.parse()
        .map_err(|_| format!("unknown locale `{s}` (expected `default` or `vi`)"))
}

fn parse_status(s: &str) -> Result<Status, String> {
    Status::from_name(s).ok_or_else(|| {
        let names: Vec<&str> = Status::ALL.iter().map(|s| s.name()).collect();
        format!(
            "unknown status `{s}` (expected one of {})",
            names.join(", ")
        )
    })
}

impl Inputs {
    fn to_inputs(&self) -> crate::Inputs {
        let mut i = crate::Inputs::new(&self.plan).locale(self.locale);
        i.data = self.data.clone();
        i.units = self.registry.clone();
        i.lang = self.lang;
        i.sheet = self.sheet.clone();
        i
    }

    /// The evaluation date: `--as-of`, or today.
    pub(super) fn as_of(&self) -> NaiveDate {
        self.as_of
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }
}

/// Prints an error's diagnostics to stderr; the outcome is 2 when the command could not run
/// (an unreadable file, an unknown unit or goal), 1 for findings.
pub(super) fn fail(e: &Error) -> Outcome {
    let style = Style {
        color: std::io::IsTerminal::is_terminal(&std::io::stderr())
            && std::env::var_os("NO_COLOR").is_none(),
    };
    for d in e.diagnostics() {
        super::error_line(&render_diagnostic(d, e.lang(), style));
    }
    if e.could_not_run() {
        Outcome::Failed
    } else {
        Outcome::Findings
    }
}

/// The name the observations measured by `--records` go by among the data files.
const MEASURED: &str = "measured-from-records.csv";

/// Opens the project the arguments name (through the library facade) and prints its warnings.
pub(super) fn open(inputs: &Inputs) -> Result<Project, Outcome> {
    let mut to = inputs.to_inputs();
    let workspace = if inputs.records.is_empty() {
        Workspace::new()
    } else {
        // The measured observations join the data files as one more file, in memory.
        let csv = super::records::observations(
            &inputs.plan,
            &inputs.records,
            &inputs.engine,
            inputs.lang,
        )?;
        let name = PathBuf::from(MEASURED);
        let mut top = crate::files::InMemory::new();
        top.insert(&name, csv);
        to.data.push(name);
        Workspace::with_files(crate::files::Overlay::new(top, crate::files::FileSystem))
    };
    let project = workspace.open(&to).map_err(|e| fail(&e))?;
    for w in project.warnings() {
        super::error_line(&render_diagnostic(w, project.lang(), Style::default()));
    }
    Ok(project)
}

/// Parses `2026-01..2030-12` (months; a year stands for its months, `2026..2030`).
pub(super) fn parse_range(s: &str) -> Result<(Period, Period), String> {
    let bad = || format!("`{s}` is not a range of months (FROM..TO, e.g. 2026-01..2030-12)");
    let (a, b) = s.split_once("..").ok_or_else(bad)?;
    let from: Period = a.trim().parse().map_err(|_| bad())?;
    let to: Period = b.trim().parse().map_err(|_| bad())?;
    // A year, half or quarter as FROM starts at its first month.
    let from = Period::month_of(from.start());
    if to.end() < from.end() {
        return Err(format!("`{s}`: the range ends before it starts"));
    }
    Ok((from, to))
}
