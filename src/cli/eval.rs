//! `chitieu eval PLAN --data FILE…` and `chitieu explain PLAN --data … --unit ID --goal ID`.

use super::project::{EvalArgs, ExplainArgs, fail, open};
use super::{Format, Out, Outcome};
use crate::eval::Status;
use crate::report::{
    GoalSite, Style, eval_github, eval_human, eval_junit, eval_junit_scores, eval_markdown,
    explain_human, result_json, rollup_human, rollup_markdown, score_explanation_human,
    score_explanation_json, scores_human, scores_markdown,
};
use crate::{Error, Project, Query, Report};
use chrono::NaiveDate;

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

/// The report, evaluated in chunks of units with a progress bar when the evaluation is long
/// and stderr a terminal. The result is the same either way.
fn evaluate(p: &Project, q: &Query) -> Result<Report, Error> {
    use std::io::IsTerminal;
    let units = if q.units.is_empty() {
        p.units().len()
    } else {
        q.units.len()
    };
    let goals = if q.goals.is_empty() {
        p.plan().goals.len()
    } else {
        q.goals.len()
    };
    let forced = std::env::var("CHITIEU_PROGRESS").as_deref() == Ok("always");
    if !wants_progress(
        units.saturating_mul(goals),
        std::io::stderr().is_terminal(),
        forced,
    ) {
        return p.evaluate_query(q);
    }
    let bar = indicatif::ProgressBar::new(units as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {bar:40} {pos}/{len} {msg} ({eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message(p.lang().pick("đơn vị", "units"));
    // Forced (tests): small chunks, so that merging is exercised on small data.
    let size = if forced { 3 } else { PROGRESS_CHUNK };
    let report = p.evaluate_in_chunks(q, size, |done, _| bar.set_position(done as u64));
    bar.finish_and_clear();
    report
}

pub(crate) fn run(args: &EvalArgs, out: &mut Out) -> Outcome {
    let project = match open(&args.inputs) {
        Ok(p) => p,
        Err(o) => return o,
    };
    out.lang = project.lang();
    let query = Query::new(args.inputs.as_of())
        .units(args.unit_ids.iter().cloned())
        .goals(args.goal_ids.iter().cloned());
    let report = match evaluate(&project, &query) {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    let lang = project.lang();
    let ev = &report.evaluation;
    let scores = report.scores.as_ref();
    let style = Style { color: out.color };
    // A large evaluation for people leads with its roll-up; `--unit` asks for those units'
    // rows, so it keeps the full table.
    let rollup = (matches!(args.format, Format::Human | Format::Markdown)
        && args.unit_ids.is_empty())
    .then(|| project.rollup(&report))
    .filter(crate::report::Rollup::is_large);
    match args.format {
        Format::Human | Format::Markdown if rollup.is_some() => {
            if let Some(r) = &rollup {
                out.write(&match args.format {
                    Format::Markdown => rollup_markdown(ev, r, scores, lang, args.all),
                    _ => rollup_human(ev, r, scores, lang, style, args.all),
                });
            }
        }
        Format::Human => {
            let mut text = eval_human(ev, lang, style);
            if let Some(s) = scores {
                text.push('\n');
                text.push_str(&scores_human(s, lang, style));
            }
            out.write(&text);
        }
        Format::Markdown => {
            let mut text = eval_markdown(ev, lang);
            if let Some(s) = scores {
                text.push_str(&scores_markdown(s, lang));
            }
            out.write(&text);
        }
        Format::Json => out.write(&format!("{:#}\n", report.to_json())),
        Format::Junit => out.write(&match scores {
            Some(s) => eval_junit_scores(ev, &failing(args), lang, s),
            None => eval_junit(ev, &failing(args), lang),
        }),
        Format::Github => out.write(&eval_github(ev, &sites(&project), &failing(args), lang)),
        Format::Html => {
            let rollup = project.rollup(&report);
            match out.output.clone().filter(|p| super::site::is_folder(p)) {
                Some(dir) => {
                    let pages = project.html_site(&report, &rollup);
                    if let Outcome::Failed = super::site::write_site(&dir, &pages, out) {
                        return Outcome::Failed;
                    }
                }
                None if rollup.applicable > super::site::MAX_PAGE_RESULTS => {
                    // Refused: nothing is written, not even an empty `-o` file.
                    let target = out.output.take();
                    return super::site::refuse_page(rollup.applicable, target.as_deref(), lang);
                }
                None => out.write(&project.html(&report)),
            }
        }
        #[cfg(feature = "xlsx")]
        Format::Xlsx => match crate::report::eval_xlsx(project.plan().plan(), ev, scores, lang) {
            Ok(bytes) => out.write_bytes(&bytes),
            Err(e) => {
                super::error_line(&format!("error: {e}"));
                return Outcome::Failed;
            }
        },
    }
    if report.any(&args.fail_on) {
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
fn sites(p: &Project) -> Vec<GoalSite> {
    p.plan()
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

pub(crate) fn explain(args: &ExplainArgs, out: &mut Out) -> Outcome {
    let project = match open(&args.inputs) {
        Ok(p) => p,
        Err(o) => return o,
    };
    out.lang = project.lang();
    let as_of = args.inputs.as_of();
    let Some(goal) = &args.goal else {
        return explain_score(args, &project, as_of, out);
    };
    let report = match project.explain(as_of, &args.unit, goal) {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    let Some(result) = report.results().first() else {
        return Outcome::Failed;
    };
    match args.format {
        Format::Json => {
            let doc = result_json(result, project.lang());
            out.write(&format!("{doc:#}\n"));
        }
        _ => out.write(&explain_human(&report.evaluation, result, project.lang())),
    }
    Outcome::Ok
}

/// `explain --unit U --score`: the unit's index scores, group by group and metric by metric.
fn explain_score(args: &ExplainArgs, p: &Project, as_of: NaiveDate, out: &mut Out) -> Outcome {
    let (scores, ex) = match p.explain_score(as_of, &args.unit) {
        Ok(Some(found)) => found,
        Ok(None) => {
            super::error_line(p.lang().pick(
                "lỗi: kế hoạch không có bộ chỉ số (`index:`) để giải thích điểm",
                "error: the plan has no index (`index:`) whose scores could be explained",
            ));
            return Outcome::Failed;
        }
        Err(e) => return fail(&e),
    };
    match args.format {
        Format::Json => {
            let doc = score_explanation_json(&ex, p.lang());
            out.write(&format!("{doc:#}\n"));
        }
        _ => out.write(&score_explanation_human(&scores, &ex, p.lang())),
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
