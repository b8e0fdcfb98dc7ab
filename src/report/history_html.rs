//! A status history (`eval --history --format html`) as pages: the index charts, per goal, how
//! many units were met, on track, behind… at each month end, and links to a page per top-level
//! unit with the same charts for the units below it and every unit's month-by-month marks
//! (`#u-ID` anchors). One page for small histories, a folder (`-o DIR`) for large ones, as the
//! evaluation report.

use super::eval::{status_mark, status_word};
use super::format_date;
use super::history_rollup::{HistoryRollup, HistoryTop, UnitSeries};
use super::html::{colour, coord, escape};
use super::html_site::{Page, foot, page_head, unit_page_name};
use super::rollup::Counts;
use super::rollup_text::count;
use crate::eval::Status;
use crate::lang::Lang;
use chrono::Datelike;
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// The statuses stacked in the charts, from the bottom.
const STACK: [Status; 7] = [
    Status::Met,
    Status::OnTrack,
    Status::InProgress,
    Status::OffTrack,
    Status::NotMet,
    Status::Error,
    Status::NoData,
];

const HISTORY_CSS: &str = r#"
nav.crumbs { margin: 0 0 8px; } nav.crumbs a { color: #0969da; }
td.marks { font-family: ui-monospace, monospace; font-size: .9em; white-space: nowrap; width: 100%; }
section.part { margin: 0 0 24px; } div.wide { overflow-x: auto; }
section.goal, section.part { content-visibility: auto; contain-intrinsic-size: auto 600px; }
"#;

fn head(title: &str, lang: Lang) -> String {
    page_head(title, HISTORY_CSS, lang)
}

fn legend(lang: Lang) -> String {
    let mut out = String::from("<p class=\"legend\">");
    for s in STACK {
        let _ = write!(
            out,
            " <span class=\"swatch\" style=\"background:{}\"></span>{} {}",
            colour(s),
            status_mark(s),
            escape(status_word(s, lang))
        );
    }
    out.push_str("</p>\n");
    out
}

/// Stacked columns, a column per month end: how many units had each status.
fn over_time(caption: &str, counts: &[Counts], h: &HistoryRollup, lang: Lang) -> String {
    let most = counts.iter().map(Counts::applicable).max().unwrap_or(0);
    if most == 0 {
        return String::new();
    }
    let (left, col, plot_h) = (Decimal::from(44), Decimal::from(9), Decimal::from(110));
    let width = left + col * Decimal::from(counts.len()) + Decimal::from(10);
    let height = plot_h + Decimal::from(30);
    let mut svg = format!(
        "<figure class=\"history\"><figcaption>{c}</figcaption>\
         <svg role=\"img\" width=\"{w}\" height=\"{ht}\" viewBox=\"0 0 {w} {ht}\" aria-label=\"{c}\"><title>{c}</title>\
         <text x=\"{lx}\" y=\"10\" font-size=\"9\" text-anchor=\"end\" fill=\"#59636e\">{most}</text>\
         <text x=\"{lx}\" y=\"{zy}\" font-size=\"9\" text-anchor=\"end\" fill=\"#59636e\">0</text>",
        c = escape(caption),
        w = coord(width),
        ht = coord(height),
        lx = coord(left - Decimal::from(4)),
        zy = coord(plot_h + Decimal::from(4)),
        most = count(most, lang),
    );
    let scale = |n: usize| {
        (Decimal::from(n) * plot_h)
            .checked_div(Decimal::from(most))
            .unwrap_or_default()
    };
    let mut year = None;
    for (i, (c, d)) in counts.iter().zip(&h.dates).enumerate() {
        let x = left + col * Decimal::from(i);
        let mut y = plot_h + Decimal::from(2);
        let mut tip = format_date(*d, lang);
        for s in STACK {
            let n = c.get(s);
            if n == 0 {
                continue;
            }
            let _ = write!(tip, " · {} {}", status_word(s, lang), count(n, lang));
            let hgt = scale(n);
            y -= hgt;
            let _ = write!(
                svg,
                "<rect x=\"{}\" y=\"{}\" width=\"8\" height=\"{}\" fill=\"{}\"/>",
                coord(x),
                coord(y),
                coord(hgt),
                colour(s)
            );
        }
        // The month's figures as its tooltip, over the whole column.
        let _ = write!(
            svg,
            "<rect x=\"{}\" y=\"2\" width=\"9\" height=\"{}\" fill=\"transparent\"><title>{}</title></rect>",
            coord(x),
            coord(plot_h),
            escape(&tip)
        );
        if year != Some(d.year()) {
            year = Some(d.year());
            let _ = write!(
                svg,
                "<text x=\"{}\" y=\"{}\" font-size=\"9\" fill=\"#59636e\">{}</text>",
                coord(x),
                coord(plot_h + Decimal::from(16)),
                d.year()
            );
        }
    }
    svg.push_str("</svg></figure>\n");
    svg
}

fn marks(statuses: &[Status]) -> String {
    statuses.iter().map(|&s| status_mark(s)).collect()
}

/// Where a top-level unit's history is: its page, or its section of the single page.
fn top_link(i: usize, t: &HistoryTop, single: bool) -> String {
    if single {
        format!("#top-{}", escape(&t.unit))
    } else {
        unit_page_name(i, &t.unit)
    }
}

fn index_body(plan_title: &str, h: &HistoryRollup, single: bool, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "<h1>{}</h1>", escape(plan_title));
    if let (Some(first), Some(last)) = (h.dates.first(), h.dates.last()) {
        let _ = writeln!(
            out,
            "<p class=\"meta\">{} {} … {}</p>",
            escape(lang.pick(
                "Diễn biến trạng thái cuối mỗi tháng,",
                "Status at the end of each month,"
            )),
            format_date(*first, lang),
            format_date(*last, lang)
        );
    }
    out.push_str(&legend(lang));
    let _ = write!(
        out,
        "<section class=\"part\" id=\"units\"><h2>{}</h2><ul>",
        escape(lang.pick("Đơn vị cấp trên", "Top-level units"))
    );
    for (i, t) in h.tops.iter().enumerate() {
        let _ = write!(
            out,
            "<li><a href=\"{}\">{}</a> <span class=\"id\">({})</span></li>",
            top_link(i, t, single),
            escape(&t.unit_name),
            escape(&t.unit)
        );
    }
    out.push_str("</ul></section>\n");
    for ((id, title), counts) in h.goals.iter().zip(&h.counts) {
        let chart = over_time(
            lang.pick(
                "Số đơn vị theo trạng thái, cuối mỗi tháng",
                "Units by status at each month end",
            ),
            counts,
            h,
            lang,
        );
        if chart.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "<section class=\"goal\" id=\"goal-{}\"><header><span class=\"id\">{}</span><h2>{}</h2></header>{chart}</section>",
            escape(id),
            escape(id),
            escape(title)
        );
    }
    out
}

fn top_body(h: &HistoryRollup, t: &HistoryTop, single: bool, lang: Lang) -> String {
    let mut out = String::new();
    let title = format!("{} ({})", t.unit_name, t.unit);
    if single {
        let _ = write!(
            out,
            "<section class=\"part\" id=\"top-{}\"><h2>{}</h2>",
            escape(&t.unit),
            escape(&title)
        );
    } else {
        let _ = write!(
            out,
            "<nav class=\"crumbs\"><a href=\"index.html\">← {}</a></nav>\n<h1>{}</h1>\n",
            escape(lang.pick("Trang tổng hợp", "Overview")),
            escape(&title)
        );
        out.push_str(&legend(lang));
    }
    // The units' rows: the top itself first, then those below.
    let mut rows: Vec<(&str, &str, &UnitSeries)> = Vec::new();
    if let Some(own) = &t.own {
        rows.push((&t.unit, &t.unit_name, own));
    }
    for (id, name, s) in &t.below {
        rows.push((id, name, s));
    }
    for (gi, ((id, gtitle), counts)) in h.goals.iter().zip(&t.counts).enumerate() {
        let chart = over_time(
            lang.pick(
                "Đơn vị (chính nó và trực thuộc) theo trạng thái, cuối mỗi tháng",
                "The unit and the units below it by status, at each month end",
            ),
            counts,
            h,
            lang,
        );
        if chart.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            "<section class=\"goal\" id=\"{}goal-{}\"><header><span class=\"id\">{}</span><h3>{}</h3></header>{chart}\
             <div class=\"wide\"><table><tbody>",
            if single {
                format!("{}-", escape(&t.unit))
            } else {
                String::new()
            },
            escape(id),
            escape(id),
            escape(gtitle)
        );
        for (uid, name, series) in &rows {
            let Some(Some(statuses)) = series.get(gi) else {
                continue;
            };
            let _ = write!(
                out,
                "<tr><td class=\"nowrap\">{} <span class=\"id\">({})</span></td><td class=\"marks\">{}</td></tr>",
                escape(name),
                escape(uid),
                marks(statuses)
            );
        }
        out.push_str("</tbody></table></div></section>\n");
    }
    // Every unit's anchor, with its goals' histories in marks.
    let _ = write!(
        out,
        "<section class=\"part\"><h3>{}</h3><div class=\"wide\"><table><thead><tr><th>{}</th>",
        escape(lang.pick("Từng đơn vị", "Every unit")),
        escape(lang.pick("Đơn vị", "Unit"))
    );
    let _ = write!(out, "<th>{}</th>", escape(lang.pick("Chỉ tiêu", "Goal")));
    out.push_str("<th></th></tr></thead><tbody>");
    for (uid, name, series) in &rows {
        let mut first = true;
        for ((gid, _), s) in h.goals.iter().zip(series.iter()) {
            let Some(statuses) = s else { continue };
            let cell = if first {
                format!(
                    "<td class=\"nowrap\" id=\"u-{}\">{} <span class=\"id\">({})</span></td>",
                    escape(uid),
                    escape(name),
                    escape(uid)
                )
            } else {
                "<td></td>".into()
            };
            first = false;
            let _ = write!(
                out,
                "<tr>{cell}<td class=\"nowrap\">{}</td><td class=\"marks\">{}</td></tr>",
                escape(gid),
                marks(statuses)
            );
        }
    }
    out.push_str("</tbody></table></div></section>\n");
    if single {
        out.push_str("</section>\n");
    }
    out
}

/// The history's pages: with `single`, one page (`index.html`) holding every top-level unit's
/// section; otherwise `index.html` and a page per top-level unit (named by
/// [`unit_page_name`]).
pub fn history_html_pages(
    plan_title: &str,
    h: &HistoryRollup,
    single: bool,
    lang: Lang,
) -> Vec<Page> {
    let mut index = head(plan_title, lang);
    index.push_str(&index_body(plan_title, h, single, lang));
    if single {
        for t in &h.tops {
            index.push_str(&top_body(h, t, true, lang));
        }
    }
    index.push_str(&foot(lang));
    let mut pages = vec![Page {
        name: "index.html".into(),
        html: index,
    }];
    if !single {
        for (i, t) in h.tops.iter().enumerate() {
            let mut html = head(
                &format!("{} ({}) · {plan_title}", t.unit_name, t.unit),
                lang,
            );
            html.push_str(&top_body(h, t, false, lang));
            html.push_str(&foot(lang));
            pages.push(Page {
                name: unit_page_name(i, &t.unit),
                html,
            });
        }
    }
    pages
}
