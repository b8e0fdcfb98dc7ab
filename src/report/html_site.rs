//! The HTML report as a folder, for evaluations too large for one page: `index.html` with the
//! roll-ups (status distribution per goal, goals by unit kind, the matrix of top-level units ×
//! goals, the results needing attention, the index by rank) and one page per top-level unit
//! (its own goals with their trajectories, the units below it, and per goal their distribution
//! and table). Pages link both ways: the index to every unit page (and to each unit needing
//! attention on it), every unit page back to the index; every evaluated unit has an anchor
//! (`#u-ID`) on its top-level unit's page, two links at most from the index.
//!
//! Every page is self-contained like the single page ([`eval_html`](super::eval_html)): inline
//! CSS and SVG, no script, printable.

use super::display::target_text;
use super::eval::{status_mark, status_word};
use super::html::{
    CSS, badge, bar, chart, class, colour, coord, escape, score_row, strip, strip_legend,
};
use super::rollup::{Counts, Rollup, TopRow};
use super::rollup_text::{attention_heading, bands_line, count, kind_name, split_legend};
use super::{format_date, format_value};
use crate::eval::{Evaluation, GoalResult, Status, Trajectory};
use crate::lang::Lang;
use crate::score::Scores;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::fmt::Write as _;

/// How many results needing attention the index lists (the rest are counted).
pub const SITE_ATTENTION_LIMIT: usize = 100;

/// How many rows of the index scores the index lists (the best by rank; the rest are counted).
pub const SITE_SCORE_ROWS: usize = 100;

/// One page of the folder: its file name and its HTML.
#[derive(Clone, Debug)]
pub struct Page {
    /// The file name (`index.html`, `unit-001-H61.html`).
    pub name: String,
    /// The page.
    pub html: String,
}

/// The statuses in the order the distribution bars stack them: good to bad, then unknown.
const STACK: [Status; 7] = [
    Status::Met,
    Status::OnTrack,
    Status::InProgress,
    Status::OffTrack,
    Status::NotMet,
    Status::Error,
    Status::NoData,
];

const SITE_CSS: &str = r#"
nav.crumbs { margin: 0 0 8px; } nav.crumbs a { color: #0969da; }
td.cell { text-align: center; white-space: nowrap; font-size: .85em; }
td.s-met { background: #dafbe1; } td.s-on-track { background: #eefbf1; }
td.s-not-met, td.s-error { background: #ffebe9; } td.s-off-track { background: #fff8c5; }
td.s-in-progress { background: #ddf4ff; } td.s-no-data, td.s-na { background: #f6f8fa; color: #8c959f; }
table.matrix th.goal { writing-mode: vertical-rl; transform: rotate(180deg); font-size: .8em; padding: 4px 2px; }
table.matrix td, table.matrix th { padding: 2px 4px; }
table.matrix td[class^="s-"] { text-align: center; font-size: .85em; }
table.rows td:nth-child(n+3) { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.rows td:nth-child(2) { white-space: nowrap; }
div.wide { overflow-x: auto; } svg.mini { vertical-align: middle; }
.split .met, .split .on-track { color: #1a7f37; } .split .behind { color: #cf222e; font-weight: 600; }
section.part { margin: 0 0 24px; }
/* Sections below the first screen are laid out when scrolled to (or printed): a province page
   with a hundred units' tables opens as fast as its first screen. */
section.goal, section.part { content-visibility: auto; contain-intrinsic-size: auto 600px; }
@media print { td.cell { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"#;

/// The file name of the page of the `i`-th top-level unit: its position keeps names unique, its
/// id (letters, digits, `-`, `_` and `.`; anything else `_`) keeps them readable.
pub fn unit_page_name(i: usize, unit: &str) -> String {
    let id: String = unit
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("unit-{:03}-{id}.html", i + 1)
}

/// The anchor of a unit on its page.
fn anchor(unit: &str) -> String {
    format!("u-{}", escape(unit))
}

fn head(title: &str, lang: Lang) -> String {
    page_head(title, SITE_CSS, lang)
}

/// The start of a self-contained page: the report's CSS and the page kind's own (`extra_css`).
/// Shared by the evaluation folder and the history pages.
pub(super) fn page_head(title: &str, extra_css: &str, lang: Lang) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{CSS}{extra_css}</style>\n</head>\n<body>\n",
        lang.code(),
        escape(title)
    )
}

/// The end of a self-contained page (evaluation folder and history pages).
pub(super) fn foot(lang: Lang) -> String {
    format!(
        "<footer>{}</footer>\n</body>\n</html>\n",
        escape(&format!(
            "chitieu {} · {}",
            env!("CARGO_PKG_VERSION"),
            lang.pick(
                "Trang tự chứa: không tải gì từ mạng.",
                "Self-contained page: nothing is loaded from the network."
            )
        ))
    )
}

fn meta(ev: &Evaluation, lang: Lang) -> String {
    let mut meta = format!(
        "{} {}",
        lang.pick("Đánh giá đến ngày", "Evaluated as of"),
        format_date(ev.as_of, lang)
    );
    if let Some(issuer) = &ev.plan.issuer {
        meta = format!("{issuer} · {meta}");
    }
    format!("<p class=\"meta\">{}</p>\n", escape(&meta))
}

fn badges(c: &Counts, lang: Lang) -> String {
    let mut out = String::from("<div class=\"summary\">");
    for s in Status::ALL {
        let n = c.get(s);
        if n > 0 && s != Status::NotApplicable {
            let _ = write!(
                out,
                "<span class=\"badge {}\">{} {} {}</span>",
                class(s),
                status_mark(s),
                escape(status_word(s, lang)),
                count(n, lang)
            );
        }
    }
    out.push_str("</div>\n");
    out
}

/// The distribution chart: a row per label, its applicable results as one bar stacked by
/// status (each part's share of the row), the number of results at the end.
fn distribution(caption: &str, rows: &[(String, Counts)], lang: Lang) -> String {
    let rows: Vec<&(String, Counts)> = rows.iter().filter(|(_, c)| c.applicable() > 0).collect();
    if rows.is_empty() {
        return String::new();
    }
    let (label_w, bar_w, row_h) = (Decimal::from(150), Decimal::from(420), Decimal::from(18));
    let height = row_h * Decimal::from(rows.len()) + Decimal::from(4);
    let width = label_w + bar_w + Decimal::from(70);
    let mut svg = format!(
        "<figure class=\"distribution\"><figcaption>{c}</figcaption>\
         <svg role=\"img\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" aria-label=\"{c}\">\
         <title>{c}</title>",
        c = escape(caption),
        w = coord(width),
        h = coord(height),
    );
    for (i, (label, c)) in rows.iter().enumerate() {
        let y = row_h * Decimal::from(i) + Decimal::TWO;
        let total = Decimal::from(c.applicable());
        let _ = write!(
            svg,
            "<text x=\"{lx}\" y=\"{ty}\" font-size=\"10\" text-anchor=\"end\" fill=\"#1f2328\">{l}</text>",
            lx = coord(label_w - Decimal::from(6)),
            ty = coord(y + Decimal::from(11)),
            l = escape(label),
        );
        let mut x = label_w;
        for s in STACK {
            let n = c.get(s);
            if n == 0 {
                continue;
            }
            let w = (Decimal::from(n) * bar_w)
                .checked_div(total)
                .unwrap_or_default();
            let _ = write!(
                svg,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"14\" fill=\"{f}\">\
                 <title>{t}</title></rect>",
                x = coord(x),
                y = coord(y),
                w = coord(w),
                f = colour(s),
                t = escape(&format!(
                    "{label}: {} {}",
                    status_word(s, lang),
                    count(n, lang)
                )),
            );
            x += w;
        }
        let _ = write!(
            svg,
            "<text x=\"{tx}\" y=\"{ty}\" font-size=\"10\" fill=\"#1f2328\">{n}</text>",
            tx = coord(label_w + bar_w + Decimal::from(6)),
            ty = coord(y + Decimal::from(11)),
            n = count(c.applicable(), lang),
        );
    }
    svg.push_str("</svg></figure>\n");
    svg
}

/// What the colours of the distribution bars mean.
fn legend(lang: Lang) -> String {
    let mut out = String::from("<p class=\"legend\">");
    for s in STACK {
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

/// A split of counts as coloured numbers: met · on track · behind · other.
fn split_html(c: &Counts, lang: Lang) -> String {
    if c.applicable() == 0 {
        return "—".into();
    }
    let other = c
        .applicable()
        .saturating_sub(c.get(Status::Met) + c.get(Status::OnTrack) + c.behind());
    format!(
        "<span class=\"split\"><span class=\"met\">{}</span> · <span class=\"on-track\">{}</span> · \
         <span class=\"behind\">{}</span> · {}</span>",
        count(c.get(Status::Met), lang),
        count(c.get(Status::OnTrack), lang),
        count(c.behind(), lang),
        count(other, lang)
    )
}

/// A matrix cell: the own status's colour and mark, then the shares of the units below that are
/// met, on track and behind, as text with the counts in its tooltip.
fn matrix_cell(own: Status, below: &Counts, lang: Lang) -> String {
    let mark = if own == Status::NotApplicable {
        "·"
    } else {
        status_mark(own)
    };
    let own_word = if own == Status::NotApplicable {
        lang.pick("không áp dụng", "not applicable")
    } else {
        status_word(own, lang)
    };
    if below.applicable() == 0 {
        return format!(
            "<td class=\"cell s-{}\" title=\"{}\">{mark}</td>",
            class(own),
            escape(own_word)
        );
    }
    let (met, on, behind) = (
        below.percent(below.get(Status::Met)),
        below.percent(below.get(Status::OnTrack)),
        below.percent(below.behind()),
    );
    let tip = match lang {
        Lang::Vi => format!(
            "{own_word}; {} đơn vị trực thuộc: đạt {met}%, đúng tiến độ {on}%, chậm {behind}%",
            count(below.applicable(), lang)
        ),
        Lang::En => format!(
            "{own_word}; {} results below: met {met}%, on track {on}%, behind {behind}%",
            count(below.applicable(), lang)
        ),
    };
    // A 30-pixel bar: met, on track and behind, each as wide as its share.
    let mut svg = String::from(
        "<svg class=\"mini\" width=\"30\" height=\"8\" viewBox=\"0 0 30 8\" aria-hidden=\"true\">\
         <rect width=\"30\" height=\"8\" fill=\"#eaeef2\"/>",
    );
    let mut x = 0;
    for (share, fill) in [(met, "#1a7f37"), (on, "#2da44e"), (behind, "#cf222e")] {
        let w = (share * 30 + 50) / 100;
        if w > 0 {
            let _ = write!(
                svg,
                "<rect x=\"{x}\" width=\"{w}\" height=\"8\" fill=\"{fill}\"/>"
            );
        }
        x += w;
    }
    svg.push_str("</svg>");
    format!(
        "<td class=\"cell s-{}\" title=\"{}\">{mark} {svg}</td>",
        class(own),
        escape(&tip)
    )
}

fn value(r: &GoalResult, v: Option<Decimal>, lang: Lang) -> String {
    v.map_or_else(|| "—".into(), |d| format_value(d, r.value_unit, lang))
}

/// The index page.
fn index_page(
    ev: &Evaluation,
    rollup: &Rollup,
    scores: Option<&Scores>,
    names: &[String],
    lang: Lang,
) -> String {
    let title = format!("{} — {}", ev.plan.id, ev.plan.title);
    let mut out = head(&title, lang);
    let _ = writeln!(out, "<h1>{}</h1>", escape(&title));
    out.push_str(&meta(ev, lang));
    let mut all = Counts::default();
    for g in &rollup.goals {
        for s in Status::ALL {
            for _ in 0..g.all.get(s) {
                all.add(s);
            }
        }
    }
    out.push_str(&badges(&all, lang));
    // Distribution per goal.
    let rows: Vec<(String, Counts)> = rollup
        .goals
        .iter()
        .map(|g| (g.goal.clone(), g.all))
        .collect();
    let _ = write!(
        out,
        "<section class=\"part\"><h2>{}</h2>",
        escape(lang.pick(
            "Phân bố trạng thái theo chỉ tiêu",
            "Status distribution per goal"
        ))
    );
    out.push_str(&distribution(
        lang.pick(
            "Số kết quả theo trạng thái, mỗi chỉ tiêu một dòng",
            "Results by status, a row per goal",
        ),
        &rows,
        lang,
    ));
    out.push_str(&legend(lang));
    out.push_str("</section>\n");
    // Goals × kinds.
    let _ = write!(
        out,
        "<section class=\"part\"><h2>{}</h2><p class=\"meta\">{}</p><table><thead><tr><th>{}</th><th>{}</th>",
        escape(lang.pick("Chỉ tiêu theo loại đơn vị", "Goals by unit kind")),
        escape(split_legend(lang)),
        escape(lang.pick("Chỉ tiêu", "Goal")),
        escape(lang.pick("Nội dung", "Title")),
    );
    for k in &rollup.kinds {
        let _ = write!(out, "<th>{}</th>", escape(&kind_name(k, lang)));
    }
    out.push_str("</tr></thead><tbody>");
    for g in &rollup.goals {
        let _ = write!(
            out,
            "<tr><td class=\"nowrap\">{}</td><td>{}</td>",
            escape(&g.goal),
            escape(&g.title)
        );
        for c in &g.by_kind {
            let _ = write!(out, "<td class=\"nowrap\">{}</td>", split_html(c, lang));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></section>\n");
    // The matrix: every top-level unit, a link to its page.
    let _ = write!(
        out,
        "<section class=\"part\" id=\"matrix\"><h2>{}</h2><p class=\"meta\">{}</p>\
         <div class=\"wide\"><table class=\"matrix\"><thead><tr><th>{}</th>",
        escape(lang.pick(
            "Đơn vị cấp trên × chỉ tiêu",
            "Top-level units × goals"
        )),
        escape(lang.pick(
            "Màu và dấu: trạng thái của chính đơn vị; thanh nhỏ: tỷ lệ đơn vị trực thuộc đạt (xanh đậm), đúng tiến độ (xanh nhạt), chậm — không đạt hoặc chậm tiến độ (đỏ); di chuột để xem số. Bấm tên đơn vị để xem chi tiết.",
            "Colour and mark: the unit's own status; small bar: the share of the units below it met (dark green), on track (light green), behind — not met or off track (red); hover for the figures. Follow a unit's name for its page."
        )),
        escape(lang.pick("Đơn vị", "Unit")),
    );
    for g in &rollup.goals {
        let _ = write!(
            out,
            "<th class=\"goal\" title=\"{}\">{}</th>",
            escape(&g.title),
            escape(&g.goal)
        );
    }
    out.push_str("</tr></thead><tbody>");
    for (t, name) in rollup.tops.iter().zip(names) {
        let _ = write!(
            out,
            "<tr><td class=\"nowrap\"><a href=\"{}\">{}</a> <span class=\"id\">({})</span></td>",
            escape(name),
            escape(&t.unit_name),
            escape(&t.unit)
        );
        for c in &t.cells {
            out.push_str(&matrix_cell(c.own, &c.below, lang));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div></section>\n");
    // Attention.
    if !rollup.attention.is_empty() {
        let shown = rollup.attention.len().min(SITE_ATTENTION_LIMIT);
        let _ = write!(
            out,
            "<section class=\"part\" id=\"attention\"><h2>{}</h2><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            escape(&attention_heading(rollup, shown, lang)),
            escape(lang.pick("Trạng thái", "Status")),
            escape(lang.pick("Chỉ tiêu", "Goal")),
            escape(lang.pick("Đơn vị", "Unit")),
            escape(lang.pick("Thực tế", "Actual")),
            escape(lang.pick("Mục tiêu", "Target")),
            escape(lang.pick("Còn thiếu", "Gap")),
        );
        for &i in rollup.attention.iter().take(SITE_ATTENTION_LIMIT) {
            let Some(r) = ev.results.get(i) else { continue };
            let page = rollup
                .result_top
                .get(i)
                .copied()
                .flatten()
                .and_then(|t| names.get(t))
                .cloned()
                .unwrap_or_default();
            let _ = write!(
                out,
                "<tr class=\"{}\"><td>{}</td><td class=\"nowrap\">{}</td><td><a href=\"{}#{}\">{}</a> <span class=\"id\">({})</span></td>\
                 <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                class(r.status),
                badge(r.status, lang),
                escape(&r.goal),
                escape(&page),
                anchor(&r.unit),
                escape(&r.unit_name),
                escape(&r.unit),
                escape(&value(r, r.actual, lang)),
                escape(&target_text(r, lang)),
                escape(&value(r, r.gap, lang)),
            );
        }
        out.push_str("</tbody></table>");
        more(&mut out, rollup.attention.len(), SITE_ATTENTION_LIMIT, lang);
        out.push_str("</section>\n");
    }
    // The index by rank.
    if let (Some(s), Some(sr)) = (scores, &rollup.scores) {
        let _ = write!(
            out,
            "<section class=\"part index\"><h2>{} — {} {}</h2><p>{}</p><table><thead><tr>",
            escape(&super::scores::title(s)),
            escape(lang.pick("kỳ", "period")),
            sr.period,
            escape(&bands_line(rollup, lang)),
        );
        for h in super::scores::headings(s, lang) {
            let _ = write!(out, "<th>{}</th>", escape(&h));
        }
        out.push_str("</tr></thead><tbody>");
        let rows = super::scores::rows(s, lang);
        for &i in sr.rows.iter().take(SITE_SCORE_ROWS) {
            let Some(row) = rows.get(i) else { continue };
            score_row(&mut out, row);
        }
        out.push_str("</tbody></table>");
        more(&mut out, sr.rows.len(), SITE_SCORE_ROWS, lang);
        out.push_str("</section>\n");
    }
    out.push_str(&foot(lang));
    out
}

fn more(out: &mut String, total: usize, limit: usize, lang: Lang) {
    if total > limit {
        let _ = write!(
            out,
            "<p class=\"meta\">{}</p>",
            escape(&match lang {
                Lang::Vi => format!(
                    "… và {} kết quả nữa (xem trang từng đơn vị).",
                    count(total - limit, lang)
                ),
                Lang::En => format!(
                    "… and {} more (see each unit's page).",
                    count(total - limit, lang)
                ),
            })
        );
    }
}

/// A results table: one row per result, with its unit or its goal first.
fn results_table(rs: &[&GoalResult], by_unit: bool, bars: bool, lang: Lang) -> String {
    let mut out = format!(
        "<table{}><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th>{}<th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        if bars { "" } else { " class=\"rows\"" },
        escape(if by_unit {
            lang.pick("Đơn vị", "Unit")
        } else {
            lang.pick("Chỉ tiêu", "Goal")
        }),
        escape(lang.pick("Trạng thái", "Status")),
        escape(lang.pick("Thực tế", "Actual")),
        escape(lang.pick("Mục tiêu", "Target")),
        if bars {
            format!(
                "<th>{}</th>",
                escape(lang.pick("Thực tế so với mục tiêu", "Actual vs target"))
            )
        } else {
            String::new()
        },
        escape(lang.pick("Theo tiến độ", "Expected")),
        escape(lang.pick("Kỳ số liệu", "Period")),
        escape(lang.pick("Thời hạn", "Deadline")),
    );
    for r in rs {
        let first = if by_unit {
            format!(
                "{} <span class=\"id\">({})</span>",
                escape(&r.unit_name),
                escape(&r.unit)
            )
        } else {
            format!(
                "<span class=\"id\">{}</span> {}",
                escape(&r.goal),
                escape(&r.title)
            )
        };
        // The units' tables are the bulk of a page: plain cells, aligned and coloured by the
        // table's style rather than by markup in every row.
        if !bars {
            let _ = write!(
                out,
                "<tr><td>{} ({})</td><td class=\"s-{}\">{} {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&r.unit_name),
                escape(&r.unit),
                class(r.status),
                status_mark(r.status),
                escape(status_word(r.status, lang)),
                escape(&value(r, r.actual, lang)),
                escape(&target_text(r, lang)),
                escape(&value(r, r.expected, lang)),
                r.period
                    .map_or_else(|| "—".into(), |p| escape(&p.to_string())),
                r.deadline
                    .map_or_else(|| "—".into(), |d| format_date(d, lang)),
            );
            continue;
        }
        let _ = write!(
            out,
            "<tr class=\"{}\"><td>{first}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>{}\
             <td class=\"num\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td></tr>",
            class(r.status),
            badge(r.status, lang),
            escape(&value(r, r.actual, lang)),
            escape(&target_text(r, lang)),
            if bars {
                format!("<td>{}</td>", bar(r, lang))
            } else {
                String::new()
            },
            escape(&value(r, r.expected, lang)),
            r.period
                .map_or_else(|| "—".into(), |p| escape(&p.to_string())),
            r.deadline
                .map_or_else(|| "—".into(), |d| format_date(d, lang)),
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// The page of one top-level unit.
fn unit_page(
    ev: &Evaluation,
    rollup: &Rollup,
    top: &TopRow,
    trajectories: &[Trajectory],
    kinds: &HashMap<String, String>,
    lang: Lang,
) -> String {
    let plan_title = format!("{} — {}", ev.plan.id, ev.plan.title);
    let title = format!("{} ({})", top.unit_name, top.unit);
    let mut out = head(&format!("{title} · {plan_title}"), lang);
    let _ = write!(
        out,
        "<nav class=\"crumbs\"><a href=\"index.html\">← {}</a> · {}</nav>\n<h1 id=\"{}\">{}</h1>\n",
        escape(lang.pick("Trang tổng hợp", "Overview")),
        escape(&plan_title),
        anchor(&top.unit),
        escape(&title)
    );
    out.push_str(&meta(ev, lang));
    let mut all = Counts::default();
    for &i in top.own.iter().chain(&top.below) {
        if let Some(r) = ev.results.get(i) {
            all.add(r.status);
        }
    }
    out.push_str(&badges(&all, lang));
    // Its own goals, with their trajectories.
    let own: Vec<&GoalResult> = top
        .own
        .iter()
        .filter_map(|&i| ev.results.get(i))
        .filter(|r| r.status != Status::NotApplicable)
        .collect();
    if !own.is_empty() {
        let _ = write!(
            out,
            "<section class=\"part\" id=\"own\"><h2>{}</h2>",
            escape(lang.pick("Chỉ tiêu của chính đơn vị", "The unit's own goals"))
        );
        out.push_str(&results_table(&own, false, true, lang));
        let charts: Vec<(&GoalResult, &Trajectory)> = own
            .iter()
            .filter_map(|r| {
                trajectories
                    .iter()
                    .find(|t| t.unit == r.unit && t.goal == r.goal && !t.observed.is_empty())
                    .map(|t| (*r, t))
            })
            .collect();
        if !charts.is_empty() {
            out.push_str("<div class=\"charts\">");
            for (r, t) in charts {
                let caption = format!("{} — {}", r.unit_name, r.goal);
                let _ = write!(
                    out,
                    "<figure><figcaption>{} {}</figcaption>{}{}</figure>",
                    escape(&r.goal),
                    escape(&r.title),
                    chart(t, &caption, ev.as_of, r.deadline.is_some(), lang),
                    strip(t, lang),
                );
            }
            out.push_str("</div>");
            out.push_str(&strip_legend(lang));
        }
        out.push_str("</section>\n");
    }
    if top.below.is_empty() {
        out.push_str(&foot(lang));
        return out;
    }
    // The units below: a row each (its anchor), a coloured mark per goal.
    let _ = write!(
        out,
        "<section class=\"part\" id=\"units\"><h2>{}</h2><div class=\"wide\"><table class=\"matrix\"><thead><tr><th>{}</th><th>{}</th>",
        escape(lang.pick("Các đơn vị trực thuộc", "The units below")),
        escape(lang.pick("Đơn vị", "Unit")),
        escape(lang.pick("Loại", "Kind")),
    );
    // A goal's heading links to its section, which only goals applying below have.
    for (g, c) in rollup.goals.iter().zip(&top.cells) {
        if c.below.applicable() > 0 {
            let _ = write!(
                out,
                "<th class=\"goal\" title=\"{}\"><a href=\"#goal-{}\">{}</a></th>",
                escape(&g.title),
                escape(&g.goal),
                escape(&g.goal)
            );
        } else {
            let _ = write!(
                out,
                "<th class=\"goal\" title=\"{}\">{}</th>",
                escape(&g.title),
                escape(&g.goal)
            );
        }
    }
    out.push_str("</tr></thead><tbody>");
    let mut start = 0;
    while let Some(&first) = top.below.get(start) {
        let Some(r0) = ev.results.get(first) else {
            break;
        };
        let end = top
            .below
            .get(start..)
            .unwrap_or_default()
            .iter()
            .position(|&i| ev.results.get(i).is_none_or(|r| r.unit != r0.unit))
            .map_or(top.below.len(), |n| start + n);
        let kind = kinds
            .get(&r0.unit)
            .map(|k| kind_name(k, lang))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<tr id=\"{}\"><td class=\"nowrap\">{} <span class=\"id\">({})</span></td><td>{}</td>",
            anchor(&r0.unit),
            escape(&r0.unit_name),
            escape(&r0.unit),
            escape(&kind),
        );
        let rows = top.below.get(start..end).unwrap_or_default();
        for g in &rollup.goals {
            let s = rows
                .iter()
                .filter_map(|&i| ev.results.get(i))
                .find(|r| r.goal == g.goal)
                .map_or(Status::NotApplicable, |r| r.status);
            let mark = if s == Status::NotApplicable {
                "·"
            } else {
                status_mark(s)
            };
            // No tooltip: the column is the goal, the mark its status (a page of a hundred
            // units × 20 goals stays light).
            let _ = write!(out, "<td class=\"s-{}\">{mark}</td>", class(s));
        }
        out.push_str("</tr>");
        start = end;
    }
    out.push_str("</tbody></table></div></section>\n");
    // Per goal: the distribution by kind, and the units' table.
    out.push_str(&legend(lang));
    for (gi, g) in rollup.goals.iter().enumerate() {
        let rs: Vec<&GoalResult> = top
            .below
            .iter()
            .filter_map(|&i| ev.results.get(i))
            .filter(|r| r.goal == g.goal && r.status != Status::NotApplicable)
            .collect();
        if rs.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            "<section class=\"goal\" id=\"goal-{}\"><header><span class=\"id\">{}</span><h2>{}</h2>{}</header>",
            escape(&g.goal),
            escape(&g.goal),
            escape(&g.title),
            top.cells
                .get(gi)
                .filter(|c| c.own != Status::NotApplicable)
                .map(|c| badge(c.own, lang))
                .unwrap_or_default()
        );
        let mut by_kind: Vec<(String, Counts)> = Vec::new();
        for r in &rs {
            let k = kinds
                .get(&r.unit)
                .map(|k| kind_name(k, lang))
                .unwrap_or_default();
            match by_kind.iter_mut().find(|(name, _)| *name == k) {
                Some((_, c)) => c.add(r.status),
                None => {
                    let mut c = Counts::default();
                    c.add(r.status);
                    by_kind.push((k, c));
                }
            }
        }
        out.push_str(&distribution(
            lang.pick(
                "Đơn vị trực thuộc theo trạng thái, mỗi loại một dòng",
                "The units below by status, a row per kind",
            ),
            &by_kind,
            lang,
        ));
        out.push_str(&results_table(&rs, true, false, lang));
        out.push_str("</section>\n");
    }
    out.push_str(&foot(lang));
    out
}

/// The folder's pages: `index.html` first, then one per top-level unit (named by
/// [`unit_page_name`]). `trajectories` are the top-level units' own series (drawn on their
/// pages); `kinds` each evaluated unit's kind name (`""`: none), by unit id.
pub fn eval_html_site(
    ev: &Evaluation,
    rollup: &Rollup,
    trajectories: &[Trajectory],
    kinds: &HashMap<String, String>,
    scores: Option<&Scores>,
    lang: Lang,
) -> Vec<Page> {
    let names: Vec<String> = rollup
        .tops
        .iter()
        .enumerate()
        .map(|(i, t)| unit_page_name(i, &t.unit))
        .collect();
    let mut pages = vec![Page {
        name: "index.html".into(),
        html: index_page(ev, rollup, scores, &names, lang),
    }];
    for (t, name) in rollup.tops.iter().zip(&names) {
        pages.push(Page {
            name: name.clone(),
            html: unit_page(ev, rollup, t, trajectories, kinds, lang),
        });
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_names_are_unique_and_safe() {
        assert_eq!(unit_page_name(0, "H61"), "unit-001-H61.html");
        assert_eq!(unit_page_name(11, "a/b c"), "unit-012-a_b_c.html");
    }
}
