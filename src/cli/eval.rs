//! `chitieu eval PLAN --data FILE…` and `chitieu explain PLAN --data … --unit ID --goal ID`.

use super::{Format, Out, Outcome, parse_lang};
use crate::check::checked;
use crate::data::{Dataset, Locale, Units, load_observations, load_units};
use crate::diag::Diagnostic;
use crate::eval::{Compiled, Evaluation, Options, Status, evaluate};
use crate::lang::Lang;
use crate::report::{
    Style, eval_human, eval_json, eval_junit, eval_markdown, explain_human, render_diagnostic,
};
use chrono::NaiveDate;
use std::path::PathBuf;

/// What `eval` and `explain` read.
#[derive(clap::Args, Debug)]
pub(crate) struct Inputs {
    /// The plan file.
    plan: PathBuf,
    /// Observation files (CSV, YAML or JSON).
    #[arg(long, required = true, num_args = 1..)]
    data: Vec<PathBuf>,
    /// The unit registry (CSV or YAML: id, name, kind, parent).
    #[arg(long = "units")]
    registry: Option<PathBuf>,
    /// The evaluation date (default: today).
    #[arg(long, value_parser = parse_as_of)]
    as_of: Option<NaiveDate>,
    /// Number format of the data: `vi` reads 1.675 as 1675 and 93,3 as 93.3.
    #[arg(long, value_parser = parse_locale, default_value = "default")]
    locale: Locale,
    /// Language of the report (default: the plan's `lang`).
    #[arg(long, value_parser = parse_lang)]
    lang: Option<Lang>,
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
    #[arg(long, value_parser = super::history::parse_range, conflicts_with = "as_of")]
    pub(super) history: Option<(crate::period::Period, crate::period::Period)>,
}

/// Arguments of `chitieu explain`.
#[derive(clap::Args, Debug)]
pub(crate) struct ExplainArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// The unit.
    #[arg(long)]
    unit: String,
    /// The goal.
    #[arg(long)]
    goal: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
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

pub(super) struct Loaded {
    pub(super) compiled: Compiled,
    pub(super) units: Units,
    pub(super) data: Dataset,
    pub(super) lang: Lang,
    as_of: NaiveDate,
}

/// Prints diagnostics to stderr; the outcome is 2 when a file could not be read at all.
pub(super) fn fail(diags: &[Diagnostic], lang: Lang) -> Outcome {
    let style = Style {
        color: std::io::IsTerminal::is_terminal(&std::io::stderr())
            && std::env::var_os("NO_COLOR").is_none(),
    };
    for d in diags {
        eprintln!("{}", render_diagnostic(d, lang, style));
    }
    if diags
        .iter()
        .any(|d| d.location.is_none() && d.code() == "io")
    {
        Outcome::Failed
    } else {
        Outcome::Findings
    }
}

pub(super) fn load(inputs: &Inputs) -> Result<Loaded, Outcome> {
    let fallback = inputs.lang.unwrap_or(Lang::En);
    let plan = crate::plan::load(&inputs.plan).map_err(|d| fail(&d, fallback))?;
    let lang = inputs.lang.unwrap_or(plan.lang);
    let plan = checked(plan).map_err(|d| fail(&d, lang))?;
    for w in plan.warnings() {
        eprintln!("{}", render_diagnostic(w, lang, Style::default()));
    }
    let mut units = load_units(inputs.registry.as_deref(), &plan).map_err(|d| fail(&d, lang))?;
    let data = load_observations(&inputs.data, &plan, &mut units, inputs.locale)
        .map_err(|d| fail(&d, lang))?;
    let as_of = inputs
        .as_of
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    Ok(Loaded {
        compiled: Compiled::new(plan),
        units,
        data,
        lang,
        as_of,
    })
}

fn run_evaluation(
    l: &Loaded,
    units: Vec<String>,
    goals: Vec<String>,
) -> Result<Evaluation, Outcome> {
    let options = Options {
        as_of: l.as_of,
        units,
        goals,
        lang: l.lang,
    };
    evaluate(&l.compiled, &l.data, &l.units, &options).map_err(|d| {
        fail(&d, l.lang);
        // An unknown --unit or --goal is a usage error.
        Outcome::Failed
    })
}

pub(crate) fn run(args: &EvalArgs, out: &mut Out) -> Outcome {
    if let Some(range) = args.history {
        return super::history::run(args, range);
    }
    let loaded = match load(&args.inputs) {
        Ok(l) => l,
        Err(o) => return o,
    };
    let ev = match run_evaluation(&loaded, args.unit_ids.clone(), args.goal_ids.clone()) {
        Ok(ev) => ev,
        Err(o) => return o,
    };
    let lang = loaded.lang;
    match args.format {
        Format::Human => out.write(&eval_human(&ev, lang, Style { color: out.color })),
        Format::Markdown => out.write(&eval_markdown(&ev, lang)),
        Format::Json => out.write(&format!("{:#}\n", eval_json(&ev, serde_json::json!([])))),
        Format::Junit => {
            let failing = if args.fail_on.is_empty() {
                vec![Status::NotMet, Status::OffTrack, Status::Error]
            } else {
                args.fail_on.clone()
            };
            out.write(&eval_junit(&ev, &failing, lang));
        }
    }
    let tripped = ev.results.iter().any(|r| args.fail_on.contains(&r.status));
    if tripped {
        Outcome::Findings
    } else {
        Outcome::Ok
    }
}

pub(crate) fn explain(args: &ExplainArgs, out: &mut Out) -> Outcome {
    let loaded = match load(&args.inputs) {
        Ok(l) => l,
        Err(o) => return o,
    };
    let ev = match run_evaluation(&loaded, vec![args.unit.clone()], vec![args.goal.clone()]) {
        Ok(ev) => ev,
        Err(o) => return o,
    };
    let Some(result) = ev.results.first() else {
        return Outcome::Failed;
    };
    match args.format {
        Format::Json => {
            let doc = serde_json::to_value(result).unwrap_or_default();
            out.write(&format!("{doc:#}\n"));
        }
        _ => out.write(&explain_human(&ev, result, loaded.lang)),
    }
    Outcome::Ok
}
