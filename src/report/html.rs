//! The HTML report: one self-contained page (inline CSS and SVG, no script, no network) with,
//! per goal, a status badge per unit, an actual-versus-target bar with the target marked, a
//! trajectory chart (baseline, milestones, target, observed values over time) and a per-unit
//! table; then the index table where the plan has an index. Printable on A4.
//!
//! The drawing works on decimals scaled to SVG coordinates; the series themselves come from
//! [`crate::eval::trajectory`], so nothing here evaluates.

use super::eval::{status_mark, status_word};
use super::format_value;
use super::{format_date, format_target};
use crate::eval::{Evaluation, GoalResult, Point, Status, Trajectory};
use crate::lang::Lang;
use crate::plan::Unit;
use crate::score::Scores;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// Most trajectory charts drawn per goal (the first units, in registry order, with observed
/// values): callers need not compute more trajectories than this.
pub const CHARTS_PER_GOAL: usize = 4;

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One row of the index scores table: unit, period and band are text; scores and rank are
/// numbers (right-aligned).
pub(super) fn score_row(out: &mut String, row: &[String]) {
    out.push_str("<tr>");
    let n = row.len();
    for (i, c) in row.iter().enumerate() {
        let class = if i < 2 || i + 2 == n {
            ""
        } else {
            " class=\"num\""
        };
        let _ = write!(out, "<td{class}>{}</td>", escape(c));
    }
    out.push_str("</tr>");
}

pub(super) fn class(s: Status) -> &'static str {
    match s {
        Status::Met => "met",
        Status::NotMet => "not-met",
        Status::OnTrack => "on-track",
        Status::OffTrack => "off-track",
        Status::InProgress => "in-progress",
        Status::NoData => "no-data",
        Status::NotApplicable => "na",
        Status::Error => "error",
    }
}

pub(super) fn colour(s: Status) -> &'static str {
    match s {
        Status::Met => "#1a7f37",
        Status::OnTrack => "#2da44e",
        Status::NotMet | Status::Error => "#cf222e",
        Status::OffTrack => "#bf8700",
        Status::InProgress => "#0969da",
        Status::NoData | Status::NotApplicable => "#8c959f",
    }
}

pub(super) const CSS: &str = r#"
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans", "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink);
  margin: 0 auto; max-width: 1100px; padding: 24px; line-height: 1.4; background: #fff; }
h1 { font-size: 1.6em; margin: 0 0 4px; }
h2 { font-size: 1.25em; margin: 0; }
.meta { color: var(--muted); margin: 0 0 16px; }
.summary { display: flex; flex-wrap: wrap; gap: 8px; margin: 12px 0 24px; }
.badge { display: inline-block; border-radius: 999px; padding: 2px 10px; color: #fff;
  font-size: .85em; font-weight: 600; white-space: nowrap; }
.badge.met { background: #1a7f37; } .badge.on-track { background: #2da44e; }
.badge.not-met, .badge.error { background: #cf222e; } .badge.off-track { background: #bf8700; }
.badge.in-progress { background: #0969da; } .badge.no-data, .badge.na { background: #8c959f; }
section.goal { border: 1px solid var(--line); border-radius: 8px; padding: 16px; margin: 0 0 20px;
  page-break-inside: avoid; break-inside: avoid; }
.goal header { display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }
.goal .id { font-family: ui-monospace, monospace; color: var(--muted); }
.goal .rule { font-family: ui-monospace, monospace; font-size: .9em; color: var(--muted); margin: 4px 0 8px; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0; }
figure { margin: 0; } figcaption { font-size: .85em; color: var(--muted); }
figure svg { display: block; }
table { border-collapse: collapse; width: 100%; font-size: .9em; margin-top: 8px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: middle; }
th { background: #f6f8fa; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
svg text { font-family: inherit; }
footer { color: var(--muted); font-size: .8em; margin-top: 24px; }
nav.contents ol { margin: 4px 0 16px; padding-left: 1.4em; }
nav.contents li { margin: 2px 0; } nav.contents li.attention a { font-weight: 600; }
nav.contents a { color: inherit; }
.legend { color: var(--muted); font-size: .85em; }
.swatch { display: inline-block; width: 10px; height: 10px; margin: 0 3px 0 8px; vertical-align: baseline; }
figcaption { font-weight: 600; color: var(--ink); margin-bottom: 2px; }
figure.scores { margin: 8px 0 16px; overflow-x: auto; }
.rule { overflow-wrap: anywhere; } td, th { overflow-wrap: break-word; }
td.num, td.nowrap { white-space: nowrap; }
svg.bar { width: 100%; max-width: 160px; height: auto; }
@media (max-width: 960px) { body { padding: 12px; } th, td { padding: 4px; } }
@media print {
  @page { size: A4; margin: 14mm; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  section.goal { border-color: #999; }
  .badge { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  svg { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// A decimal as an SVG coordinate with one decimal place.
pub(super) fn coord(d: Decimal) -> String {
    crate::quantity::round(d, 1).normalize().to_string()
}

/// Maps `v` from `lo..hi` onto `from..to` (linear; the middle when the range is empty).
///
/// Works on quarters so that no difference overflows, even between the extreme decimals
/// (`hi − lo` of ±7.9e28 panicked; halves still overflow once rounded): a unit in the 28th
/// digit is far below a pixel.
pub(super) fn scale(v: Decimal, lo: Decimal, hi: Decimal, from: Decimal, to: Decimal) -> Decimal {
    let span = quarter(hi) - quarter(lo);
    if span.is_zero() {
        return from / Decimal::TWO + to / Decimal::TWO;
    }
    from + (quarter(v) - quarter(lo))
        .checked_div(span)
        .unwrap_or_default()
        .checked_mul(to - from)
        .unwrap_or_default()
}

fn quarter(d: Decimal) -> Decimal {
    d / Decimal::from(4)
}

fn day(d: NaiveDate) -> Decimal {
    Decimal::from(d.num_days_from_ce())
}

/// The value axis: from zero (or the lowest value if negative) to a little above the highest
/// (a tenth of the range, or the highest decimal itself when that would overflow).
fn value_axis(lo: Decimal, hi: Decimal, unit: Option<Unit>) -> (Decimal, Decimal) {
    let lo = lo.min(Decimal::ZERO);
    let hi = if unit == Some(Unit::Percent) && hi <= Decimal::ONE {
        Decimal::ONE
    } else if hi <= lo {
        lo.checked_add(Decimal::ONE).unwrap_or(lo)
    } else {
        let tenth = (quarter(hi) - quarter(lo)) / Decimal::from(5) * Decimal::TWO;
        hi.checked_add(tenth).unwrap_or(hi)
    };
    (lo, hi)
}

/// The actual-versus-target bar: the actual value filled in the status colour, the target a
/// dark mark.
pub(super) fn bar(r: &GoalResult, lang: Lang) -> String {
    let (Some(actual), Some(target)) = (r.actual, r.target) else {
        return String::new();
    };
    let (lo, hi) = value_axis(actual.min(target), actual.max(target), r.value_unit);
    let (w, h) = (Decimal::from(160), Decimal::from(14));
    let x = |v| scale(v, lo, hi, Decimal::ZERO, w);
    let zero = x(Decimal::ZERO.max(lo));
    let a = x(actual);
    let t = x(target);
    let label = format!(
        "{} {} / {} {}",
        lang.pick("thực tế", "actual"),
        format_value(actual, r.value_unit, lang),
        lang.pick("mục tiêu", "target"),
        format_target(target, r.comparator, r.value_unit, lang)
    );
    format!(
        "<svg class=\"bar\" role=\"img\" width=\"160\" height=\"18\" viewBox=\"0 0 160 18\" \
         aria-label=\"{label}\"><title>{label}</title>\
         <rect x=\"0\" y=\"2\" width=\"{w}\" height=\"{h}\" fill=\"#eaeef2\"/>\
         <rect x=\"{x0}\" y=\"2\" width=\"{bw}\" height=\"{h}\" fill=\"{fill}\"/>\
         <rect x=\"{tx}\" y=\"0\" width=\"2.5\" height=\"18\" fill=\"#1f2328\"/></svg>",
        label = escape(&label),
        w = coord(w),
        h = coord(h),
        x0 = coord(zero.min(a)),
        bw = coord((a - zero).abs()),
        fill = colour(r.status),
        tx = coord((t - Decimal::ONE).max(Decimal::ZERO).min(w - Decimal::TWO)),
    )
}

/// The trajectory chart of one unit's goal.
///
/// A goal without a deadline has no target date: its target is drawn as a level, not as a point
/// at the plan's end, and the time axis ends at the evaluation date.
pub(super) fn chart(
    tr: &Trajectory,
    title: &str,
    as_of: NaiveDate,
    dated: bool,
    lang: Lang,
) -> String {
    let target = tr.target.filter(|_| dated);
    let dates = tr
        .baseline
        .iter()
        .chain(&tr.milestones)
        .chain(&target)
        .chain(&tr.observed)
        .map(|p| p.date);
    let dated_range = dates.fold(None, |acc: Option<(NaiveDate, NaiveDate)>, d| match acc {
        None => Some((d, d)),
        Some((lo, hi)) => Some((lo.min(d), hi.max(d))),
    });
    let (Some((vlo, vhi)), Some((dlo, dhi))) = (tr.value_range(), dated_range) else {
        return String::new();
    };
    let dhi = dhi.max(as_of);
    let (vlo, vhi) = value_axis(vlo, vhi, tr.value_unit);
    let (w, h) = (Decimal::from(360), Decimal::from(200));
    let (left, right, top, bottom) = (
        Decimal::from(56),
        Decimal::from(350),
        Decimal::from(12),
        Decimal::from(160),
    );
    let x = |d: NaiveDate| scale(day(d), day(dlo), day(dhi), left, right);
    let y = |v: Decimal| scale(v, vlo, vhi, bottom, top);
    let fmt = |v: Decimal| format_value(v, tr.value_unit, lang);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart\" role=\"img\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         aria-label=\"{t}\"><title>{t}</title>\
         <rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>",
        w = coord(w),
        h = coord(h),
        t = escape(title)
    );
    // Axes and their labels.
    for v in [vlo, vlo / Decimal::TWO + vhi / Decimal::TWO, vhi] {
        let _ = write!(
            svg,
            "<line x1=\"{l}\" x2=\"{r}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#d1d9e0\"/>\
             <text x=\"{tx}\" y=\"{ty}\" font-size=\"10\" text-anchor=\"end\" fill=\"#59636e\">{v}</text>",
            l = coord(left),
            r = coord(right),
            y = coord(y(v)),
            tx = coord(left - Decimal::from(4)),
            ty = coord(y(v) + Decimal::from(3)),
            v = escape(&fmt(v)),
        );
    }
    for (d, anchor) in [(dlo, "start"), (dhi, "end")] {
        let _ = write!(
            svg,
            "<text x=\"{x}\" y=\"{y}\" font-size=\"10\" text-anchor=\"{anchor}\" fill=\"#59636e\">{d}</text>",
            x = coord(x(d)),
            y = coord(bottom + Decimal::from(14)),
            d = format_date(d, lang),
        );
    }
    // The evaluation date.
    let _ = write!(
        svg,
        "<line x1=\"{x}\" x2=\"{x}\" y1=\"{t}\" y2=\"{b}\" stroke=\"#8c959f\" stroke-dasharray=\"2 3\"/>\
         <text x=\"{tx}\" y=\"{ty}\" font-size=\"9\" text-anchor=\"end\" fill=\"#59636e\">{label}</text>",
        x = coord(x(as_of)),
        tx = coord(x(as_of) - Decimal::from(3)),
        t = coord(top),
        b = coord(bottom),
        ty = coord(top + Decimal::from(10)),
        label = escape(&format!(
            "{} {}",
            lang.pick("đến", "as of"),
            format_date(as_of, lang)
        )),
    );
    // The planned path: baseline, milestones, target.
    let planned: Vec<Point> = tr
        .baseline
        .iter()
        .chain(&tr.milestones)
        .chain(&target)
        .copied()
        .collect();
    if planned.len() > 1 {
        let pts: Vec<String> = planned
            .iter()
            .map(|p| format!("{},{}", coord(x(p.date)), coord(y(p.value))))
            .collect();
        let _ = write!(
            svg,
            "<polyline class=\"planned\" points=\"{}\" fill=\"none\" stroke=\"#8250df\" \
             stroke-width=\"1.5\" stroke-dasharray=\"5 4\"/>",
            pts.join(" ")
        );
    }
    if let Some(b) = tr.baseline {
        let _ = write!(
            svg,
            "<rect class=\"baseline\" x=\"{x}\" y=\"{y}\" width=\"7\" height=\"7\" fill=\"#8250df\">\
             <title>{t}</title></rect>",
            x = coord(x(b.date) - Decimal::from(3)),
            y = coord(y(b.value) - Decimal::from(3)),
            t = escape(&format!(
                "{} {}: {}",
                lang.pick("kỳ gốc", "baseline"),
                format_date(b.date, lang),
                fmt(b.value)
            )),
        );
    }
    for m in &tr.milestones {
        let _ = write!(
            svg,
            "<polygon class=\"milestone\" points=\"{x},{y1} {x2},{y} {x},{y2} {x1},{y}\" fill=\"#8250df\">\
             <title>{t}</title></polygon>",
            x = coord(x(m.date)),
            x1 = coord(x(m.date) - Decimal::from(5)),
            x2 = coord(x(m.date) + Decimal::from(5)),
            y = coord(y(m.value)),
            y1 = coord(y(m.value) - Decimal::from(5)),
            y2 = coord(y(m.value) + Decimal::from(5)),
            t = escape(&format!(
                "{} {}: {}",
                lang.pick("mốc", "milestone"),
                format_date(m.date, lang),
                fmt(m.value)
            )),
        );
    }
    if let Some(t) = tr.target {
        // The target level across the plot; its point only where the goal has a deadline.
        let _ = write!(
            svg,
            "<line class=\"target\" x1=\"{l}\" x2=\"{r}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#cf222e\" \
             stroke-width=\"1\" stroke-dasharray=\"1 3\"><title>{title}</title></line>",
            l = coord(left),
            r = coord(right),
            y = coord(y(t.value)),
            title = escape(&format!(
                "{} {}",
                lang.pick("mục tiêu", "target"),
                fmt(t.value)
            )),
        );
        if dated {
            let _ = write!(
                svg,
                "<circle cx=\"{x}\" cy=\"{y}\" r=\"5\" fill=\"none\" stroke=\"#cf222e\" stroke-width=\"2\">\
                 <title>{title}</title></circle>",
                x = coord(x(t.date)),
                y = coord(y(t.value)),
                title = escape(&format!(
                    "{} {}: {}",
                    lang.pick("mục tiêu", "target"),
                    format_date(t.date, lang),
                    fmt(t.value)
                )),
            );
        }
    }
    if !tr.observed.is_empty() {
        let pts: Vec<String> = tr
            .observed
            .iter()
            .map(|p| format!("{},{}", coord(x(p.date)), coord(y(p.value))))
            .collect();
        let _ = write!(
            svg,
            "<polyline class=\"observed\" points=\"{}\" fill=\"none\" stroke=\"#0969da\" stroke-width=\"2\"/>",
            pts.join(" ")
        );
        for p in &tr.observed {
            let _ = write!(
                svg,
                "<circle class=\"observation\" cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"#0969da\">\
                 <title>{}</title></circle>",
                coord(x(p.date)),
                coord(y(p.value)),
                escape(&format!("{}: {}", format_date(p.date, lang), fmt(p.value)))
            );
        }
    }
    // Legend.
    let legend = [
        ("#0969da", lang.pick("thực tế", "observed")),
        ("#8250df", lang.pick("tiến độ kế hoạch", "planned")),
        ("#cf222e", lang.pick("mục tiêu", "target")),
    ];
    let mut lx = Decimal::from(60);
    for (c, word) in legend {
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"189\" width=\"10\" height=\"4\" fill=\"{c}\"/>\
             <text x=\"{tx}\" y=\"194\" font-size=\"10\" fill=\"#1f2328\">{word}</text>",
            x = coord(lx),
            tx = coord(lx + Decimal::from(14)),
            word = escape(word),
        );
        lx += Decimal::from(90);
    }
    svg.push_str("</svg>");
    svg
}

/// The status history under a chart: one cell per month end, coloured by the goal's status
/// then, each with its date and status as a tooltip. Empty without history.
pub(super) fn strip(tr: &Trajectory, lang: Lang) -> String {
    let n = tr.statuses.len();
    if n == 0 {
        return String::new();
    }
    // 294 px wide under the chart's plot area (x 56..350), at least 1 px per month.
    let cell = (Decimal::from(294) / Decimal::from(n)).max(Decimal::ONE);
    let mut svg = format!(
        "<svg class=\"strip\" role=\"img\" width=\"360\" height=\"26\" viewBox=\"0 0 360 26\" \
         aria-label=\"{t}\"><title>{t}</title>\
         <text x=\"52\" y=\"13\" font-size=\"9\" text-anchor=\"end\" fill=\"#59636e\">{t}</text>",
        t = escape(lang.pick("Trạng thái", "Status"))
    );
    let mut x = Decimal::from(56);
    for st in &tr.statuses {
        let _ = write!(
            svg,
            "<rect x=\"{}\" y=\"4\" width=\"{}\" height=\"12\" fill=\"{}\">\
             <title>{} {}</title></rect>",
            coord(x),
            coord(cell),
            colour(st.status),
            format_date(st.date, lang),
            escape(status_word(st.status, lang))
        );
        x += cell;
    }
    if let (Some(first), Some(last)) = (tr.statuses.first(), tr.statuses.last()) {
        let _ = write!(
            svg,
            "<text x=\"56\" y=\"25\" font-size=\"8\" fill=\"#59636e\">{}</text>\
             <text x=\"350\" y=\"25\" font-size=\"8\" text-anchor=\"end\" fill=\"#59636e\">{}</text>",
            format_date(first.date, lang),
            format_date(last.date, lang)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The index table: the index's title, a row per (unit, period) with group scores, total, band
/// and rank (the same cells as the text reports), and its footnotes. Empty when the plan has no
/// index.
pub fn index_table(scores: Option<&Scores>, lang: Lang) -> String {
    let Some(s) = scores else {
        return String::new();
    };
    let mut out = String::new();
    let _ = write!(
        out,
        "<section class=\"index\"><h2>{}</h2><table><thead><tr>",
        escape(&super::scores::title(s))
    );
    for h in super::scores::headings(s, lang) {
        let _ = write!(out, "<th>{}</th>", escape(&h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in super::scores::rows(s, lang) {
        score_row(&mut out, &row);
    }
    out.push_str("</tbody></table>");
    for note in super::scores::footnotes(s, lang) {
        let _ = write!(out, "<p class=\"meta\">{}</p>", escape(&note));
    }
    out.push_str("</section>\n");
    out
}

/// The summary's list of goals: those needing attention first (error, not met, off track, in
/// progress, in that order), then the others in plan order; each a link to its section with its
/// worst status.
fn contents(ev: &Evaluation, goals: &[(&str, &str)], lang: Lang) -> String {
    const ATTENTION: [Status; 4] = [
        Status::Error,
        Status::NotMet,
        Status::OffTrack,
        Status::InProgress,
    ];
    if goals.is_empty() {
        return String::new();
    }
    let mut rows: Vec<(usize, &str, &str, Option<Status>)> = goals
        .iter()
        .map(|&(g, title)| {
            let rs: Vec<&GoalResult> = ev
                .results
                .iter()
                .filter(|r| r.goal == g && r.status != Status::NotApplicable)
                .collect();
            let worst = headline(&rs);
            let rank = worst
                .and_then(|w| ATTENTION.iter().position(|a| *a == w))
                .unwrap_or(ATTENTION.len());
            (rank, g, title, worst)
        })
        .collect();
    // Stable: plan order within each rank.
    rows.sort_by_key(|(rank, ..)| *rank);
    let needing = rows.iter().filter(|r| r.0 < ATTENTION.len()).count();
    let mut out = format!(
        "<nav class=\"contents\"><h2>{}</h2><p class=\"meta\">{}</p><ol>",
        escape(lang.pick("Các chỉ tiêu", "Goals")),
        escape(&match lang {
            Lang::Vi => format!("{needing} chỉ tiêu cần chú ý, xếp trước."),
            Lang::En => format!("{needing} goals need attention, listed first."),
        })
    );
    for (rank, g, title, worst) in rows {
        let _ = write!(
            out,
            "<li{}><a href=\"#goal-{}\"><span class=\"id\">{}</span> {}</a> {}</li>",
            if rank < ATTENTION.len() {
                " class=\"attention\""
            } else {
                ""
            },
            escape(g),
            escape(g),
            escape(title),
            worst.map(|s| badge(s, lang)).unwrap_or_default()
        );
    }
    out.push_str("</ol></nav>\n");
    out
}

/// What the colours of the month-by-month strips under the charts mean.
pub(super) fn strip_legend(lang: Lang) -> String {
    let mut out = format!(
        "<p class=\"legend\">{}",
        escape(lang.pick(
            "Dải màu dưới mỗi biểu đồ: trạng thái vào cuối mỗi tháng —",
            "The strip under each chart: the status at each month end —"
        ))
    );
    for s in [
        Status::Met,
        Status::OnTrack,
        Status::InProgress,
        Status::OffTrack,
        Status::NotMet,
        Status::NoData,
    ] {
        let _ = write!(
            out,
            " <span class=\"swatch\" style=\"background:{}\"></span>{}",
            colour(s),
            escape(status_word(s, lang))
        );
    }
    out.push_str("</p>\n");
    out
}

/// Colours of an index's groups in the score chart.
const GROUP_COLOURS: [&str; 8] = [
    "#0969da", "#1a7f37", "#8250df", "#bf8700", "#cf222e", "#1b7c83", "#6e7781", "#953800",
];

/// The index chart: per unit and period, the groups as stacked bars, each group's slot as wide
/// as its maximum and filled to its score, the bands' minima marked; empty without an index.
pub fn score_chart(scores: Option<&Scores>, lang: Lang) -> String {
    let Some(s) = scores else {
        return String::new();
    };
    if s.units.is_empty() || s.max <= Decimal::ZERO {
        return String::new();
    }
    let (label_w, bar_w, row_h, top) = (
        Decimal::from(190),
        Decimal::from(440),
        Decimal::from(22),
        Decimal::from(34),
    );
    let rows = s.units.len().min(60);
    let height = top + row_h * Decimal::from(rows) + Decimal::from(40);
    let width = label_w + bar_w + Decimal::from(70);
    let x = |v: Decimal| label_w + scale(v, Decimal::ZERO, s.max, Decimal::ZERO, bar_w);
    let mut svg = format!(
        "<figure class=\"scores\"><figcaption>{}</figcaption>\
         <svg class=\"score-chart\" role=\"img\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         aria-label=\"{t}\"><title>{t}</title>",
        escape(&super::scores::title(s)),
        w = coord(width),
        h = coord(height),
        t = escape(&super::scores::title(s)),
    );
    // Band minima: a dashed line each, its title above.
    for (i, (title, min)) in s.bands.iter().enumerate() {
        let bx = x(*min);
        let ty = if i % 2 == 0 { 12 } else { 24 };
        let _ = write!(
            svg,
            "<line class=\"band\" x1=\"{bx}\" x2=\"{bx}\" y1=\"{y1}\" y2=\"{y2}\" stroke=\"#59636e\" \
             stroke-dasharray=\"3 3\"/><text x=\"{bx}\" y=\"{ty}\" font-size=\"9\" text-anchor=\"middle\" \
             fill=\"#59636e\">{label}</text>",
            bx = coord(bx),
            y1 = coord(top - Decimal::from(6)),
            y2 = coord(top + row_h * Decimal::from(rows)),
            label = escape(&format!(
                "{} ≥ {}",
                title,
                super::format_decimal(*min, 0, lang)
            )),
        );
    }
    for (i, u) in s.units.iter().take(rows).enumerate() {
        let y = top + row_h * Decimal::from(i);
        let _ = write!(
            svg,
            "<text x=\"{lx}\" y=\"{ty}\" font-size=\"10\" text-anchor=\"end\" fill=\"#1f2328\">{name}</text>",
            lx = coord(label_w - Decimal::from(6)),
            ty = coord(y + Decimal::from(13)),
            name = escape(&format!("{} ({})", u.unit_name, u.period)),
        );
        let mut start = Decimal::ZERO;
        for (k, (info, g)) in s.groups.iter().zip(&u.groups).enumerate() {
            let c = GROUP_COLOURS
                .get(k % GROUP_COLOURS.len())
                .copied()
                .unwrap_or("#0969da");
            let end = start.checked_add(info.max).unwrap_or(start);
            let score = g
                .score
                .unwrap_or(Decimal::ZERO)
                .clamp(Decimal::ZERO, info.max);
            let shown = g
                .score
                .map_or_else(|| "—".into(), |v| super::format_decimal(v, s.places, lang));
            let _ = write!(
                svg,
                "<rect x=\"{sx}\" y=\"{y}\" width=\"{sw}\" height=\"16\" fill=\"#ffffff\" stroke=\"{c}\"/>\
                 <rect x=\"{sx}\" y=\"{y}\" width=\"{fw}\" height=\"16\" fill=\"{c}\">\
                 <title>{t}</title></rect>",
                sx = coord(x(start)),
                y = coord(y),
                sw = coord(x(end) - x(start)),
                fw = coord(x(start.checked_add(score).unwrap_or(start)) - x(start)),
                t = escape(&format!(
                    "{} — {}: {shown} / {}",
                    u.unit_name,
                    info.title,
                    super::format_decimal(info.max, s.places, lang)
                )),
            );
            start = end;
        }
        let total = u
            .total
            .map_or_else(|| "—".into(), |t| super::format_decimal(t, s.places, lang));
        let _ = write!(
            svg,
            "<text x=\"{tx}\" y=\"{ty}\" font-size=\"10\" fill=\"#1f2328\">{total}</text>",
            tx = coord(label_w + bar_w + Decimal::from(6)),
            ty = coord(y + Decimal::from(13)),
            total = escape(&total),
        );
    }
    // The groups' legend.
    let ly = top + row_h * Decimal::from(rows) + Decimal::from(20);
    let mut lx = label_w;
    for (k, info) in s.groups.iter().enumerate() {
        let c = GROUP_COLOURS
            .get(k % GROUP_COLOURS.len())
            .copied()
            .unwrap_or("#0969da");
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{y}\" width=\"10\" height=\"10\" fill=\"{c}\"/>\
             <text x=\"{tx}\" y=\"{ty}\" font-size=\"10\" fill=\"#1f2328\">{id}</text>",
            x = coord(lx),
            y = coord(ly - Decimal::from(9)),
            tx = coord(lx + Decimal::from(13)),
            ty = coord(ly),
            id = escape(&info.id),
        );
        lx += Decimal::from(70);
    }
    svg.push_str("</svg></figure>\n");
    svg
}

pub(super) fn badge(s: Status, lang: Lang) -> String {
    format!(
        "<span class=\"badge {}\">{} {}</span>",
        class(s),
        status_mark(s),
        escape(status_word(s, lang))
    )
}

/// The worst status among a goal's results, for its heading badge.
fn headline(rs: &[&GoalResult]) -> Option<Status> {
    const ORDER: [Status; 8] = [
        Status::Error,
        Status::NotMet,
        Status::OffTrack,
        Status::InProgress,
        Status::OnTrack,
        Status::Met,
        Status::NoData,
        Status::NotApplicable,
    ];
    ORDER
        .into_iter()
        .find(|s| rs.iter().any(|r| r.status == *s))
}

/// The whole page. `rules` gives each goal's rule text by goal id; `trajectories` the series
/// per (unit, goal); `scores` the index's scores (`None`: no index section).
pub fn eval_html(
    ev: &Evaluation,
    rules: &[(String, String)],
    trajectories: &[Trajectory],
    scores: Option<&Scores>,
    lang: Lang,
) -> String {
    let plan = &ev.plan;
    let mut out = String::new();
    let title = format!("{} — {}", plan.id, plan.title);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        lang.code(),
        escape(&title)
    );
    let _ = writeln!(out, "<h1>{}</h1>", escape(&title));
    let mut meta = format!(
        "{} {}",
        lang.pick("Đánh giá đến ngày", "Evaluated as of"),
        format_date(ev.as_of, lang)
    );
    if let Some(issuer) = &plan.issuer {
        meta = format!("{issuer} · {meta}");
    }
    let _ = writeln!(out, "<p class=\"meta\">{}</p>", escape(&meta));
    // Summary badges.
    out.push_str("<div class=\"summary\">");
    for s in Status::ALL {
        let n = ev.results.iter().filter(|r| r.status == s).count();
        if n > 0 && s != Status::NotApplicable {
            let _ = write!(
                out,
                "<span class=\"badge {}\">{} {} {n}</span>",
                class(s),
                status_mark(s),
                escape(status_word(s, lang))
            );
        }
    }
    out.push_str("</div>\n");
    // Goals, in plan order.
    let mut goals: Vec<(&str, &str)> = Vec::new();
    for r in &ev.results {
        if !goals.iter().any(|(g, _)| *g == r.goal) {
            goals.push((&r.goal, &r.title));
        }
    }
    out.push_str(&contents(ev, &goals, lang));
    out.push_str(&strip_legend(lang));
    out.push_str(&score_chart(scores, lang));
    out.push_str(&index_table(scores, lang));
    for (goal, goal_title) in goals {
        let rs: Vec<&GoalResult> = ev
            .results
            .iter()
            .filter(|r| r.goal == goal && r.status != Status::NotApplicable)
            .collect();
        let _ = write!(
            out,
            "<section class=\"goal\" id=\"goal-{}\"><header><span class=\"id\">{}</span>\
             <h2>{}</h2>{}</header>",
            escape(goal),
            escape(goal),
            escape(goal_title),
            headline(&rs).map(|s| badge(s, lang)).unwrap_or_default()
        );
        if let Some((_, rule)) = rules.iter().find(|(g, _)| g == goal) {
            let _ = write!(out, "<div class=\"rule\">{}</div>", escape(rule));
        }
        let charts: Vec<(&GoalResult, &Trajectory)> = rs
            .iter()
            .filter_map(|r| {
                trajectories
                    .iter()
                    .find(|t| t.goal == r.goal && t.unit == r.unit && !t.observed.is_empty())
                    .map(|t| (*r, t))
            })
            .take(CHARTS_PER_GOAL)
            .collect();
        if !charts.is_empty() {
            out.push_str("<div class=\"charts\">");
            for (r, t) in charts {
                let caption = format!("{} — {}", r.unit_name, goal);
                // The unit's name is the chart's title, above it.
                let _ = write!(
                    out,
                    "<figure><figcaption>{}</figcaption>{}{}</figure>",
                    escape(&r.unit_name),
                    chart(t, &caption, ev.as_of, r.deadline.is_some(), lang),
                    strip(t, lang),
                );
            }
            out.push_str("</div>");
        }
        if rs.is_empty() {
            let _ = write!(
                out,
                "<p class=\"meta\">{}</p>",
                escape(lang.pick(
                    "Không áp dụng cho đơn vị nào.",
                    "Applies to no unit evaluated."
                ))
            );
        } else {
            let _ = write!(
                out,
                "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>\
                 <th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
                escape(lang.pick("Đơn vị", "Unit")),
                escape(lang.pick("Trạng thái", "Status")),
                escape(lang.pick("Thực tế", "Actual")),
                escape(lang.pick("Mục tiêu", "Target")),
                escape(lang.pick("Thực tế so với mục tiêu", "Actual vs target")),
                escape(lang.pick("Theo tiến độ", "Expected")),
                escape(lang.pick("Kỳ số liệu", "Period")),
                escape(lang.pick("Thời hạn", "Deadline")),
            );
            for r in rs {
                let v = |d: Option<Decimal>| {
                    d.map_or_else(|| "—".into(), |d| format_value(d, r.value_unit, lang))
                };
                let _ = write!(
                    out,
                    "<tr class=\"{}\"><td>{} <span class=\"id\">({})</span></td><td>{}</td>\
                     <td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td>\
                     <td class=\"num\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td></tr>",
                    class(r.status),
                    escape(&r.unit_name),
                    escape(&r.unit),
                    badge(r.status, lang),
                    escape(&v(r.actual)),
                    escape(&super::display::target_text(r, lang)),
                    bar(r, lang),
                    escape(&v(r.expected)),
                    r.period
                        .map_or_else(|| "—".into(), |p| escape(&p.to_string())),
                    r.deadline
                        .map_or_else(|| "—".into(), |d| format_date(d, lang)),
                );
            }
            out.push_str("</tbody></table>");
        }
        out.push_str("</section>\n");
    }
    let _ = writeln!(
        out,
        "<footer>{}</footer>\n</body>\n</html>",
        escape(&format!(
            "chitieu {} · {}",
            env!("CARGO_PKG_VERSION"),
            lang.pick(
                "Trang tự chứa: không tải gì từ mạng.",
                "Self-contained page: nothing is loaded from the network."
            )
        ))
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn index_table_is_empty_without_an_index() {
        assert_eq!(index_table(None, Lang::En), "");
    }

    #[test]
    fn scale_maps_ends_and_handles_empty_ranges() {
        let d = Decimal::from;
        assert_eq!(scale(d(0), d(0), d(10), d(0), d(100)), d(0));
        assert_eq!(scale(d(10), d(0), d(10), d(0), d(100)), d(100));
        assert_eq!(scale(d(5), d(5), d(5), d(0), d(100)), d(50));
    }
}
