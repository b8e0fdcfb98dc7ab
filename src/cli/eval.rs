//! `chitieu eval PLAN --data FILE…` and `chitieu explain PLAN --data … --unit ID --goal ID`.

use super::{Format, Out, Outcome, parse_lang};
use crate::check::checked;
use crate::data::{Dataset, Loader, Locale, Units, load_units};
use crate::diag::Diagnostic;
use crate::eval::{Compiled, Evaluation, Options, Status, Trajectory, evaluate, trajectory};
use crate::lang::Lang;
use crate::report::{
    CHARTS_PER_GOAL, GoalSite, Style, eval_github, eval_html, eval_human, eval_json, eval_junit,
    eval_junit_scores, eval_markdown, explain_human, render_diagnostic, result_json,
    score_explanation_human, score_explanation_json, scores_human, scores_json, scores_markdown,
};
use crate::score::{Scores, compute, with_totals};
use chrono::NaiveDate;
use std::path::PathBuf;

/// What `eval` and `explain` read.
#[derive(clap::Args, Debug)]
pub(crate) struct Inputs {
    /// The plan file.
    plan: PathBuf,
    /// Observation files (CSV, YAML, JSON, or spreadsheets: .xlsx, .xlsm, .xls, .ods).
    #[arg(long, required = true, num_args = 1..)]
    data: Vec<PathBuf>,
    /// Read only this sheet of spreadsheet data files (default: every sheet with a data header).
    #[arg(long)]
    sheet: Option<String>,
    /// The unit registry (CSV, YAML or a spreadsheet: id, name, kind, parent).
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
    #[arg(long, required_unless_present = "score")]
    goal: Option<String>,
    /// Explain the unit's index scores instead of a goal: every group and metric with its
    /// formula, the values it read and its rounding.
    #[arg(long, conflicts_with = "goal")]
    score: bool,
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
    /// The plan's index scores, when it has an index.
    scores: Option<Scores>,
}

/// Prints diagnostics to stderr; the outcome is 2 when a file could not be read at all.
pub(super) fn fail(diags: &[Diagnostic], lang: Lang) -> Outcome {
    let style = Style {
        color: std::io::IsTerminal::is_terminal(&std::io::stderr())
            && std::env::var_os("NO_COLOR").is_none(),
    };
    for d in diags {
        super::error_line(&render_diagnostic(d, lang, style));
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
        super::error_line(&render_diagnostic(w, lang, Style::default()));
    }
    let mut units = load_units(inputs.registry.as_deref(), &plan).map_err(|d| fail(&d, lang))?;
    let mut loader = Loader::new(&plan, &mut units, inputs.locale);
    loader.only_sheet(inputs.sheet.clone());
    for path in &inputs.data {
        loader.read_path(path);
    }
    for w in loader.warnings() {
        eprintln!("{}", render_diagnostic(w, lang, Style::default()));
    }
    let data = loader.finish().map_err(|d| fail(&d, lang))?;
    let as_of = inputs
        .as_of
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let compiled = Compiled::new(plan);
    // Index scores first: goals may read the index total (`score_766 >= 97`).
    let scores = compute(&compiled, &data, &units, as_of);
    let data = match &scores {
        Some(s) => with_totals(&compiled, &data, s, &units, as_of),
        None => data,
    };
    Ok(Loaded {
        compiled,
        units,
        data,
        lang,
        as_of,
        scores,
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
    };
    evaluate(&l.compiled, &l.data, &l.units, &options).map_err(|d| {
        fail(&d, l.lang);
        // An unknown --unit or --goal is a usage error.
        Outcome::Failed
    })
}

/// Unit × goal pairs from which an evaluation shows a progress bar (on a terminal).
const PROGRESS_MIN_PAIRS: usize = 20_000;
/// Units evaluated between two updates of the progress bar.
const PROGRESS_CHUNK: usize = 64;

/// Whether to evaluate in chunks with a progress bar on stderr: for long evaluations, only
/// when stderr is a terminal (`CHITIEU_PROGRESS=always` forces the chunked path, for tests;
/// indicatif still draws nothing off a terminal).
fn wants_progress(pairs: usize, stderr_is_terminal: bool, forced: bool) -> bool {
    forced || (stderr_is_terminal && pairs >= PROGRESS_MIN_PAIRS)
}

/// [`run_evaluation`], in chunks of units with a progress bar when the evaluation is long and
/// stderr a terminal. The result is the same either way.
fn run_with_progress(
    l: &Loaded,
    units: Vec<String>,
    goals: Vec<String>,
) -> Result<Evaluation, Outcome> {
    use std::io::IsTerminal;
    let all: Vec<String> = if units.is_empty() {
        l.units.iter().map(|(_, info)| info.id.clone()).collect()
    } else {
        units.clone()
    };
    let goal_count = if goals.is_empty() {
        l.compiled.plan().goals.len()
    } else {
        goals.len()
    };
    let forced = std::env::var("CHITIEU_PROGRESS").as_deref() == Ok("always");
    if !wants_progress(
        all.len().saturating_mul(goal_count),
        std::io::stderr().is_terminal(),
        forced,
    ) {
        return run_evaluation(l, units, goals);
    }
    let bar = indicatif::ProgressBar::new(all.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {bar:40} {pos}/{len} {msg} ({eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message(l.lang.pick("đơn vị", "units"));
    let mut merged: Option<Evaluation> = None;
    // Forced (tests): small chunks, so that merging is exercised on small data.
    let size = if forced { 3 } else { PROGRESS_CHUNK };
    for chunk in all.chunks(size) {
        let ev = match run_evaluation(l, chunk.to_vec(), goals.clone()) {
            Ok(ev) => ev,
            Err(o) => {
                bar.abandon();
                return Err(o);
            }
        };
        match merged.as_mut() {
            None => merged = Some(ev),
            Some(m) => {
                m.results.extend(ev.results);
                m.sdg.extend(ev.sdg);
            }
        }
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    match merged {
        Some(ev) => Ok(ev),
        None => run_evaluation(l, units, goals),
    }
}

pub(crate) fn run(args: &EvalArgs, out: &mut Out) -> Outcome {
    if let Some(range) = args.history {
        return super::history::run(args, range);
    }
    let loaded = match load(&args.inputs) {
        Ok(l) => l,
        Err(o) => return o,
    };
    out.lang = loaded.lang;
    let ev = match run_with_progress(&loaded, args.unit_ids.clone(), args.goal_ids.clone()) {
        Ok(ev) => ev,
        Err(o) => return o,
    };
    let lang = loaded.lang;
    let scores = loaded.scores.clone().map(|mut s| {
        if !args.unit_ids.is_empty() {
            s.units.retain(|u| args.unit_ids.contains(&u.unit));
        }
        s
    });
    let style = Style { color: out.color };
    match args.format {
        Format::Human => {
            let mut text = eval_human(&ev, lang, style);
            if let Some(s) = &scores {
                text.push('\n');
                text.push_str(&scores_human(s, lang, style));
            }
            out.write(&text);
        }
        Format::Markdown => {
            let mut text = eval_markdown(&ev, lang);
            if let Some(s) = &scores {
                text.push_str(&scores_markdown(s, lang));
            }
            out.write(&text);
        }
        Format::Json => {
            let s = scores
                .as_ref()
                .map_or_else(|| serde_json::json!([]), scores_json);
            out.write(&format!("{:#}\n", eval_json(&ev, s, lang)));
        }
        Format::Junit => out.write(&match &scores {
            Some(s) => eval_junit_scores(&ev, &failing(args), lang, s),
            None => eval_junit(&ev, &failing(args), lang),
        }),
        Format::Github => out.write(&eval_github(&ev, &sites(&loaded), &failing(args), lang)),
        Format::Html => out.write(&html(&loaded, &ev, scores.as_ref())),
    }
    let tripped = ev.results.iter().any(|r| args.fail_on.contains(&r.status));
    if tripped {
        Outcome::Findings
    } else {
        Outcome::Ok
    }
}

/// The statuses JUnit and GitHub annotations count as failures: `--fail-on`'s, by default
/// not met, off track and error.
fn failing(args: &EvalArgs) -> Vec<Status> {
    if args.fail_on.is_empty() {
        vec![Status::NotMet, Status::OffTrack, Status::Error]
    } else {
        args.fail_on.clone()
    }
}

/// Where each goal's rule is written, for annotations.
fn sites(l: &Loaded) -> Vec<GoalSite> {
    l.compiled
        .plan()
        .goals
        .iter()
        .map(|g| {
            let node = g.rule.text.node();
            let (line, col) = node.start_line_col();
            GoalSite {
                goal: g.id.name.clone(),
                file: node.file.path().to_string(),
                line,
                col,
            }
        })
        .collect()
}

/// The HTML report, with a trajectory for every applicable result.
fn html(l: &Loaded, ev: &Evaluation, scores: Option<&Scores>) -> String {
    let plan = l.compiled.plan();
    let rules: Vec<(String, String)> = plan
        .goals
        .iter()
        .map(|g| (g.id.name.clone(), g.rule.text.text.clone()))
        .collect();
    // Only the trajectories the page draws: per goal, the first units with observed values.
    let mut drawn: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut trajectories: Vec<Trajectory> = Vec::new();
    for r in ev
        .results
        .iter()
        .filter(|r| r.status != Status::NotApplicable)
    {
        let n = drawn.entry(r.goal.as_str()).or_insert(0);
        if *n >= CHARTS_PER_GOAL {
            continue;
        }
        if let Some(t) = trajectory(&l.compiled, &l.data, &l.units, &r.unit, &r.goal, ev.as_of)
            .filter(|t| !t.observed.is_empty())
        {
            *n += 1;
            trajectories.push(t);
        }
    }
    eval_html(ev, &rules, &trajectories, scores, l.lang)
}

pub(crate) fn explain(args: &ExplainArgs, out: &mut Out) -> Outcome {
    let loaded = match load(&args.inputs) {
        Ok(l) => l,
        Err(o) => return o,
    };
    out.lang = loaded.lang;
    let Some(goal) = &args.goal else {
        return explain_score(args, &loaded, out);
    };
    let ev = match run_evaluation(&loaded, vec![args.unit.clone()], vec![goal.clone()]) {
        Ok(ev) => ev,
        Err(o) => return o,
    };
    let Some(result) = ev.results.first() else {
        return Outcome::Failed;
    };
    match args.format {
        Format::Json => {
            let doc = result_json(result, loaded.lang);
            out.write(&format!("{doc:#}\n"));
        }
        _ => out.write(&explain_human(&ev, result, loaded.lang)),
    }
    Outcome::Ok
}

/// `explain --unit U --score`: the unit's index scores, group by group and metric by metric.
fn explain_score(args: &ExplainArgs, l: &Loaded, out: &mut Out) -> Outcome {
    // An unknown unit gets the same error (with a did-you-mean) as for a goal: a usage error.
    let only_unit = Options {
        units: vec![args.unit.clone()],
        ..Options::new(l.as_of)
    };
    if let Err(d) = crate::eval::selection(&l.compiled, &l.units, &only_unit) {
        fail(&d, l.lang);
        return Outcome::Failed;
    }
    let Some(scores) = &l.scores else {
        super::error_line(l.lang.pick(
            "lỗi: kế hoạch không có bộ chỉ số (`index:`) để giải thích điểm",
            "error: the plan has no index (`index:`) whose scores could be explained",
        ));
        return Outcome::Failed;
    };
    let ex = crate::score::explain(&l.compiled, &l.data, &l.units, scores, &args.unit, l.as_of);
    match args.format {
        Format::Json => {
            let doc = score_explanation_json(&ex, l.lang);
            out.write(&format!("{doc:#}\n"));
        }
        _ => out.write(&score_explanation_human(scores, &ex, l.lang)),
    }
    Outcome::Ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_only_for_long_evaluations_on_a_terminal() {
        assert!(!wants_progress(PROGRESS_MIN_PAIRS * 10, false, false));
        assert!(!wants_progress(PROGRESS_MIN_PAIRS - 1, true, false));
        assert!(wants_progress(PROGRESS_MIN_PAIRS, true, false));
        assert!(wants_progress(1, false, true));
    }
}
