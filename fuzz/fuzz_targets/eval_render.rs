//! The whole pipeline from bytes: a plan, observations and (optionally) a unit registry are
//! loaded, checked, scored and evaluated, and every result goes through every renderer
//! (text in both languages, Markdown, JSON, JUnit, GitHub annotations, HTML with charts,
//! explanations, index scores). Nothing may panic.
//!
//! Input: `[as_of date line]` plan YAML `\n%%\n` observations CSV `[\n%%\n` registry CSV`]`.
#![no_main]

use chitieu::data::{Format, Locale, load_observations_str, load_units, load_units_str};
use chitieu::eval::Status;
use chitieu::eval::{Compiled, Options, evaluate, trajectory};
use chitieu::lang::Lang;
use chitieu::report::{
    GoalSite, Style, eval_github, eval_html, eval_human, eval_json, eval_junit, eval_junit_scores,
    eval_markdown, explain_human, score_explanation_human, scores_human, scores_json, scores_junit,
    scores_markdown,
};
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;

/// The plan is read as if it were a file of `plans/vinh-long/`, so the seeds' includes
/// (`../catalogue/…`) find the repository's catalogues.
const PLAN_NAME: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../plans/vinh-long/fuzz.yaml");

/// Whether the input could make an include read a device or a system file (`/dev/zero` never
/// ends): such inputs are skipped, the repository's own files are fair game.
fn reaches_outside(text: &str) -> bool {
    ["/dev", "/proc", "/sys"].iter().any(|p| text.contains(p))
}

fuzz_target!(|text: &str| {
    if reaches_outside(text) {
        return;
    }
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let (as_of, text) = match first.trim().parse::<NaiveDate>() {
        Ok(d) => (d, rest),
        Err(_) => (NaiveDate::from_ymd_opt(2026, 10, 31).expect("a date"), text),
    };
    let mut parts = text.splitn(3, "\n%%\n");
    let (Some(plan_text), Some(data_text)) = (parts.next(), parts.next()) else {
        return;
    };
    let registry = parts.next();
    let (Some(plan), _) = chitieu::plan::load_str(PLAN_NAME, plan_text) else {
        return;
    };
    let Ok(plan) = chitieu::check::checked(plan) else {
        return;
    };
    let units = match registry {
        Some(r) => load_units_str("units.csv", r, Format::Csv, &plan),
        None => load_units(None, &plan),
    };
    let Ok(mut units) = units else {
        return;
    };
    let Ok(data) = load_observations_str(
        "data.csv",
        data_text,
        Format::Csv,
        &plan,
        &mut units,
        Locale::Default,
    ) else {
        return;
    };
    let c = Compiled::new(plan);
    let scores = chitieu::score::compute(&c, &data, &units, as_of);
    let Ok(ev) = evaluate(&c, &data, &units, &Options::new(as_of)) else {
        return;
    };
    for lang in [Lang::Vi, Lang::En] {
        let failing = [Status::NotMet, Status::OffTrack, Status::Error];
        let _ = eval_human(&ev, lang, Style::default());
        let _ = eval_human(&ev, lang, Style { color: true });
        let _ = eval_markdown(&ev, lang);
        let json = scores
            .as_ref()
            .map_or_else(|| serde_json::json!([]), scores_json);
        let _ = eval_json(&ev, json, lang).to_string();
        let _ = eval_junit(&ev, &failing, lang);
        let sites: Vec<GoalSite> = c
            .plan()
            .goals
            .iter()
            .map(|g| {
                let (line, col) = g.rule.text.node().start_line_col();
                GoalSite {
                    goal: g.id.name.clone(),
                    file: "plan.yaml".into(),
                    line,
                    col,
                }
            })
            .collect();
        let _ = eval_github(&ev, &sites, &failing, lang);
        let rules: Vec<(String, String)> = c
            .plan()
            .goals
            .iter()
            .map(|g| (g.id.name.clone(), g.rule.text.text.clone()))
            .collect();
        let trajectories: Vec<_> = ev
            .results
            .iter()
            .take(16)
            .filter_map(|r| trajectory(&c, &data, &units, &r.unit, &r.goal, as_of))
            .collect();
        let _ = eval_html(&ev, &rules, &trajectories, scores.as_ref(), lang);
        for r in ev.results.iter().take(64) {
            let _ = explain_human(&ev, r, lang);
        }
        if let Some(s) = &scores {
            let _ = eval_junit_scores(&ev, &failing, lang, s);
            let _ = scores_human(s, lang, Style::default());
            let _ = scores_markdown(s, lang);
            let _ = scores_junit(s, lang);
            for u in s.units.iter().take(8) {
                let ex = chitieu::score::explain(&c, &data, &units, s, &u.unit, as_of);
                let _ = score_explanation_human(s, &ex, lang);
            }
        }
    }
});
