//! Rendering evaluations: a table for people (terminal or Markdown), versioned JSON, JUnit.

use super::Style;
use super::display::target_text;
use super::explain::{explanation_lines, fault_message, step_line};
use super::xml;
use super::{format_date, format_value, sdg_word};
use crate::eval::{Evaluation, ExplainStep, GoalResult, Status};
use crate::lang::Lang;
use serde_json::{Value, json};
use std::fmt::Write as _;

/// The schema id of evaluation JSON.
pub const EVAL_SCHEMA: &str = "chitieu.eval/v1";

/// A status in words.
pub fn status_word(s: Status, lang: Lang) -> &'static str {
    match s {
        Status::Met => lang.pick("đạt", "met"),
        Status::NotMet => lang.pick("không đạt", "not met"),
        Status::OnTrack => lang.pick("đúng tiến độ", "on track"),
        Status::OffTrack => lang.pick("chậm tiến độ", "off track"),
        Status::InProgress => lang.pick("đang thực hiện", "in progress"),
        Status::NoData => lang.pick("không có số liệu", "no data"),
        Status::NotApplicable => lang.pick("không áp dụng", "not applicable"),
        Status::Error => lang.pick("lỗi", "error"),
    }
}

/// A one-character mark for a status.
pub fn status_mark(s: Status) -> &'static str {
    match s {
        Status::Met => "✓",
        Status::NotMet => "✗",
        Status::OnTrack => "↗",
        Status::OffTrack => "↘",
        Status::InProgress => "…",
        Status::NoData => "?",
        Status::NotApplicable => "-",
        Status::Error => "!",
    }
}

pub(super) fn color(s: Status) -> &'static str {
    match s {
        Status::Met | Status::OnTrack => "32",
        Status::NotMet | Status::Error => "31",
        Status::OffTrack => "33",
        Status::InProgress => "36",
        Status::NoData | Status::NotApplicable => "2",
    }
}

fn value(r: &GoalResult, v: Option<rust_decimal::Decimal>, lang: Lang) -> String {
    v.map_or_else(|| "—".into(), |d| format_value(d, r.value_unit, lang))
}

pub(super) fn truncate(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count <= width {
        format!("{text}{}", " ".repeat(width - count))
    } else {
        let mut t: String = text.chars().take(width.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn counts(ev: &Evaluation) -> Vec<(Status, usize)> {
    Status::ALL
        .iter()
        .map(|&s| (s, ev.results.iter().filter(|r| r.status == s).count()))
        .filter(|&(_, n)| n > 0)
        .collect()
}

pub(super) fn header(ev: &Evaluation, lang: Lang) -> (String, String) {
    let plan = &ev.plan;
    let title = match &plan.issuer {
        Some(issuer) => format!("{} — {} ({issuer})", plan.id, plan.title),
        None => format!("{} — {}", plan.id, plan.title),
    };
    let mut when = format!(
        "{} {}",
        lang.pick("Đánh giá đến ngày", "Evaluated as of"),
        format_date(ev.as_of, lang)
    );
    if let Some(w) = as_of_warning(ev, lang) {
        when.push('\n');
        when.push_str(&w);
    }
    (title, when)
}

/// A warning line when the evaluation date lies outside the plan's period: statuses are then
/// judged before the plan began, or after it ended.
fn as_of_warning(ev: &Evaluation, lang: Lang) -> Option<String> {
    let p = ev.plan.period;
    (ev.as_of < p.start || ev.as_of > p.end).then(|| {
        format!(
            "⚠ {} {} ({} – {})",
            ev.as_of,
            lang.pick(
                "nằm ngoài thời kỳ của kế hoạch",
                "is outside the plan's period"
            ),
            p.start,
            p.end
        )
    })
}

/// A warning line when a result was judged on data of a period that ended before the plan
/// began (2025-Q3 data for a 2026–2030 plan): the plan's goals are about its own years.
fn data_period_warning(ev: &Evaluation, r: &GoalResult, lang: Lang) -> Option<String> {
    let period = r.period?;
    (period.end() < ev.plan.period.start).then(|| {
        format!(
            "⚠ {} {period}, {} ({} {})",
            lang.pick("đánh giá trên số liệu kỳ", "judged on data of"),
            lang.pick("trước thời kỳ của kế hoạch", "before the plan's period"),
            lang.pick("bắt đầu", "which starts"),
            ev.plan.period.start
        )
    })
}

/// The human report: per unit, one line per goal that applies to it.
pub fn eval_human(ev: &Evaluation, lang: Lang, style: Style) -> String {
    let paint = |code: &str, text: &str| {
        if style.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    let (title, when) = header(ev, lang);
    let _ = writeln!(out, "{}\n{when}", paint("1", &title));
    // Goal ids get a column as wide as the longest (8 to 24 characters), so none is cut short.
    let id_width = ev
        .results
        .iter()
        .map(|r| r.goal.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(8, 24);
    // Per unit: a line per judged goal, then the goals without data on one line.
    let mut start = 0;
    while let Some(first) = ev.results.get(start) {
        let end = ev
            .results
            .get(start..)
            .unwrap_or_default()
            .iter()
            .position(|r| r.unit != first.unit)
            .map_or(ev.results.len(), |n| start + n);
        let rows = ev.results.get(start..end).unwrap_or_default();
        start = end;
        if rows.iter().all(|r| r.status == Status::NotApplicable) {
            continue;
        }
        let _ = writeln!(
            out,
            "\n{}",
            paint("1", &format!("{} ({})", first.unit_name, first.unit))
        );
        for r in rows
            .iter()
            .filter(|r| !matches!(r.status, Status::NotApplicable | Status::NoData))
        {
            row(&mut out, r, id_width, lang, &paint);
            if let Some(w) = data_period_warning(ev, r, lang) {
                let _ = writeln!(out, "      {w}");
            }
        }
        let missing: Vec<&str> = rows
            .iter()
            .filter(|r| r.status == Status::NoData)
            .map(|r| r.goal.as_str())
            .collect();
        if !missing.is_empty() {
            let status = format!(
                "{} {}",
                status_mark(Status::NoData),
                truncate(status_word(Status::NoData, lang), 16)
            );
            let _ = writeln!(
                out,
                "  {} {}",
                paint(color(Status::NoData), &status),
                missing.join(", ")
            );
            // Which of them lack data because the unit was given no target: the data is not
            // missing there, the assignment is, and that is for whoever assigns targets.
            let unassigned: Vec<&str> = rows
                .iter()
                .filter(|r| r.status == Status::NoData && unassigned(r))
                .map(|r| r.goal.as_str())
                .collect();
            if !unassigned.is_empty() {
                let _ = writeln!(
                    out,
                    "      {}: {}",
                    lang.pick("chưa được giao chỉ tiêu", "no target assigned"),
                    unassigned.join(", ")
                );
            }
        }
    }
    let summary: Vec<String> = counts(ev)
        .into_iter()
        .map(|(s, n)| format!("{} {n}", status_word(s, lang)))
        .collect();
    // A plan with an index and no goals has nothing to sum up here.
    if !ev.results.is_empty() {
        let _ = writeln!(
            out,
            "\n{}: {}",
            lang.pick("Tổng hợp", "Summary"),
            summary.join(" · ")
        );
    }
    for m in &ev.sdg {
        let _ = writeln!(
            out,
            "{} {}: {} ({})",
            lang.pick("Tiến độ SDG trung bình", "Mean SDG progress"),
            m.unit,
            format_value(m.score, Some(crate::plan::Unit::Points), lang),
            sdg_word(m.status, lang)
        );
    }
    out
}

fn row(
    out: &mut String,
    r: &GoalResult,
    id_width: usize,
    lang: Lang,
    paint: &dyn Fn(&str, &str) -> String,
) {
    let status = format!(
        "{} {}",
        status_mark(r.status),
        truncate(status_word(r.status, lang), 16)
    );
    let detail = match r.status {
        Status::Error => r
            .fault
            .as_ref()
            .map(|f| fault_message(f, lang))
            .unwrap_or_default(),
        _ if r.actual.is_none() => r
            .steps
            .last()
            .map(|s| step_line(s, lang))
            .unwrap_or_default(),
        _ => {
            let mut d = format!(
                "{} {} {}",
                value(r, r.actual, lang),
                lang.pick("/ mục tiêu", "/ target"),
                target_text(r, lang),
            );
            if let Some(e) = r.expected {
                let _ = write!(
                    d,
                    " ({} {})",
                    lang.pick("theo tiến độ", "expected"),
                    format_value(e, r.value_unit, lang)
                );
            }
            if let Some(p) = r.period {
                let _ = write!(d, " [{p}]");
            }
            d
        }
    };
    let _ = writeln!(
        out,
        "  {} {} {} {detail}",
        paint(color(r.status), &status),
        truncate(&r.goal, id_width),
        truncate(&r.title, 48),
    );
    for m in &r.milestones {
        let _ = writeln!(
            out,
            "      {} {} {} ({} {})",
            status_mark(m.status),
            status_word(m.status, lang),
            m.rule,
            lang.pick("mốc", "milestone"),
            format_date(m.deadline, lang)
        );
    }
}

/// Whether a result's rule read a target assigned to its unit (`assigned: true`) and found
/// none: the unit was given no target.
fn unassigned(r: &GoalResult) -> bool {
    r.steps
        .iter()
        .any(|s| matches!(s, ExplainStep::Assigned { period: None, .. }))
}

/// The Markdown report: a table per unit.
pub fn eval_markdown(ev: &Evaluation, lang: Lang) -> String {
    let mut out = String::new();
    let (title, when) = header(ev, lang);
    let _ = writeln!(out, "# {title}\n\n{when}\n");
    let cols = [
        lang.pick("Trạng thái", "Status"),
        lang.pick("Chỉ tiêu", "Goal"),
        lang.pick("Nội dung", "Title"),
        lang.pick("Thực tế", "Actual"),
        lang.pick("Mục tiêu", "Target"),
        lang.pick("Theo tiến độ", "Expected"),
        lang.pick("Thời hạn", "Deadline"),
    ];
    let mut unit = "";
    for r in ev
        .results
        .iter()
        .filter(|r| r.status != Status::NotApplicable)
    {
        if r.unit != unit {
            unit = &r.unit;
            let _ = writeln!(out, "\n## {} ({})\n", r.unit_name, r.unit);
            let _ = writeln!(out, "| {} |", cols.join(" | "));
            let _ = writeln!(out, "|{}", "---|".repeat(cols.len()));
        }
        let cell = |s: String| s.replace('|', "\\|");
        let _ = writeln!(
            out,
            "| {} {} | {} | {} | {} | {} | {} | {} |",
            status_mark(r.status),
            status_word(r.status, lang),
            cell(r.goal.clone()),
            cell(r.title.clone()),
            value(r, r.actual, lang),
            if r.status == Status::NoData && unassigned(r) {
                lang.pick("chưa được giao", "not assigned").to_string()
            } else {
                target_text(r, lang)
            },
            r.expected
                .map_or_else(|| "—".into(), |e| format_value(e, r.value_unit, lang)),
            r.deadline
                .map_or_else(|| "—".into(), |d| format_date(d, lang)),
        );
    }
    let summary: Vec<String> = counts(ev)
        .into_iter()
        .map(|(s, n)| format!("{} {n}", status_word(s, lang)))
        .collect();
    if !ev.results.is_empty() {
        let _ = writeln!(
            out,
            "\n**{}:** {}",
            lang.pick("Tổng hợp", "Summary"),
            summary.join(" · ")
        );
    }
    out
}

/// The `chitieu.eval/v1` JSON document; explanations and messages in `lang`.
pub fn eval_json(ev: &Evaluation, scores: Value, lang: Lang) -> Value {
    let mut doc = json!({ "schema": EVAL_SCHEMA });
    if let (Some(obj), Ok(Value::Object(mut body))) =
        (doc.as_object_mut(), serde_json::to_value(ev))
    {
        body.insert(
            "results".into(),
            Value::Array(ev.results.iter().map(|r| result_json(r, lang)).collect()),
        );
        obj.extend(body);
        obj.insert("scores".into(), scores);
    }
    doc
}

/// One result as JSON: its fields, its explanation steps (`steps`), and the same steps in
/// words (`explanation`, a line each) with the fault in words (`message`), in `lang`.
pub fn result_json(r: &GoalResult, lang: Lang) -> Value {
    let mut v = serde_json::to_value(r).unwrap_or_default();
    if let Some(obj) = v.as_object_mut() {
        obj.insert(
            "explanation".into(),
            json!(explanation_lines(&r.steps, lang)),
        );
        obj.insert(
            "message".into(),
            json!(r.fault.as_ref().map(|f| fault_message(f, lang))),
        );
    }
    v
}

/// JUnit XML: a test suite per unit, a test case per goal; `failing` statuses are failures,
/// not-applicable and no-data results are skipped.
pub fn eval_junit(ev: &Evaluation, failing: &[Status], lang: Lang) -> String {
    junit(ev, failing, lang, None)
}

/// [`eval_junit`] with a further test suite for the plan's index scores (see
/// [`scores_junit`](super::scores_junit)).
pub fn eval_junit_scores(
    ev: &Evaluation,
    failing: &[Status],
    lang: Lang,
    scores: &crate::score::Scores,
) -> String {
    junit(ev, failing, lang, Some(super::scores_junit(scores, lang)))
}

fn junit(
    ev: &Evaluation,
    failing: &[Status],
    lang: Lang,
    extra: Option<(String, usize)>,
) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let total = ev.results.len() + extra.as_ref().map_or(0, |(_, n)| *n);
    let failures = ev
        .results
        .iter()
        .filter(|r| failing.contains(&r.status))
        .count();
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{total}\" failures=\"{failures}\">",
        xml(&ev.plan.id)
    );
    let mut units: Vec<&str> = ev.results.iter().map(|r| r.unit.as_str()).collect();
    units.dedup();
    for unit in units {
        let rs: Vec<&GoalResult> = ev.results.iter().filter(|r| r.unit == unit).collect();
        let f = rs.iter().filter(|r| failing.contains(&r.status)).count();
        let skipped = rs
            .iter()
            .filter(|r| matches!(r.status, Status::NotApplicable | Status::NoData))
            .count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{f}\" skipped=\"{skipped}\">",
            xml(unit),
            rs.len()
        );
        for r in rs {
            let _ = write!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\"",
                xml(&r.unit),
                xml(&format!("{} {}", r.goal, r.title))
            );
            let body = explanation_lines(&r.steps, lang).join("\n");
            if failing.contains(&r.status) {
                let _ = writeln!(
                    out,
                    ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                    xml(status_word(r.status, lang)),
                    xml(&body)
                );
            } else if matches!(r.status, Status::NotApplicable | Status::NoData) {
                let _ = writeln!(
                    out,
                    ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                    xml(status_word(r.status, lang))
                );
            } else {
                let _ = writeln!(out, "/>");
            }
        }
        let _ = writeln!(out, "  </testsuite>");
    }
    if let Some((suite, _)) = extra {
        out.push_str(&suite);
    }
    out.push_str("</testsuites>\n");
    out
}

/// The explanation of one result, for `chitieu explain`.
pub fn explain_human(ev: &Evaluation, r: &GoalResult, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} {} — {}", r.goal, r.title, r.unit_name);
    let _ = writeln!(
        out,
        "{} {}",
        lang.pick("Đánh giá đến ngày", "As of"),
        format_date(ev.as_of, lang)
    );
    for w in [as_of_warning(ev, lang), data_period_warning(ev, r, lang)]
        .into_iter()
        .flatten()
    {
        let _ = writeln!(out, "{w}");
    }
    for line in explanation_lines(&r.steps, lang) {
        let _ = writeln!(out, "  {line}");
    }
    let _ = writeln!(
        out,
        "{}: {} {}",
        lang.pick("Trạng thái", "Status"),
        status_mark(r.status),
        status_word(r.status, lang)
    );
    if let Some(a) = r.actual {
        let _ = writeln!(
            out,
            "  {}: {}",
            lang.pick("thực tế", "actual"),
            format_value(a, r.value_unit, lang)
        );
    }
    if r.target.is_some() {
        let _ = writeln!(
            out,
            "  {}: {}",
            lang.pick("mục tiêu", "target"),
            target_text(r, lang)
        );
    }
    let facts = [
        (lang.pick("kỳ gốc", "baseline"), r.baseline),
        (lang.pick("theo tiến độ", "expected"), r.expected),
        (lang.pick("còn thiếu", "gap"), r.gap),
    ];
    for (name, v) in facts {
        if let Some(v) = v {
            let _ = writeln!(out, "  {name}: {}", format_value(v, r.value_unit, lang));
        }
    }
    if let Some(p) = r.progress {
        let _ = writeln!(
            out,
            "  {}: {}",
            lang.pick("tiến độ", "progress"),
            format_value(p, Some(crate::plan::Unit::Percent), lang)
        );
    }
    if let Some(d) = r.deadline {
        let _ = writeln!(
            out,
            "  {}: {}",
            lang.pick("thời hạn", "deadline"),
            format_date(d, lang)
        );
    }
    if let Some(s) = &r.sdg {
        let _ = writeln!(
            out,
            "  SDG: {} ({})",
            s.score
                .map_or_else(|| "—".into(), |x| super::format_decimal(x, 2, lang)),
            sdg_word(s.status, lang)
        );
    }
    for m in &r.milestones {
        let _ = writeln!(
            out,
            "  {} {} {}: {}",
            lang.pick("mốc", "milestone"),
            format_date(m.deadline, lang),
            m.rule,
            status_word(m.status, lang)
        );
    }
    if let Some(f) = &r.fault {
        let _ = writeln!(out, "  {}", fault_message(f, lang));
    }
    out
}
