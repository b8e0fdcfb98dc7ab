//! The roll-up for a terminal and in Markdown: what a large evaluation leads with (see
//! [`Rollup`]), and all a reader gets of it unless every row is asked for.

use super::Style;
use super::display::{format_decimal, format_value, kind_word, target_text};
use super::eval::{color, header, status_mark, status_word, truncate};
use super::rollup::{ATTENTION_LIMIT, Counts, Rollup};
use crate::eval::{Evaluation, GoalResult, Status};
use crate::lang::Lang;
use crate::score::Scores;
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// A count with its thousands grouped as the language writes them (`3.321`, `3,321`).
pub(super) fn count(n: usize, lang: Lang) -> String {
    format_decimal(Decimal::from(n), 0, lang)
}

/// A kind's name in words; units without a kind (known only from data) say so.
pub(super) fn kind_name(kind: &str, lang: Lang) -> String {
    if kind.is_empty() {
        lang.pick("(không có loại)", "(no kind)").into()
    } else {
        kind_word(kind, lang).replace('`', "")
    }
}

/// `met · on track · behind · other` counts of one cell; `—` when the goal applies to no unit
/// of the kind.
fn split(c: &Counts, lang: Lang) -> String {
    if c.applicable() == 0 {
        return "—".into();
    }
    let other = c
        .applicable()
        .saturating_sub(c.get(Status::Met) + c.get(Status::OnTrack) + c.behind());
    format!(
        "{} · {} · {} · {}",
        count(c.get(Status::Met), lang),
        count(c.get(Status::OnTrack), lang),
        count(c.behind(), lang),
        count(other, lang)
    )
}

/// The words for what a split cell counts.
pub(super) fn split_legend(lang: Lang) -> &'static str {
    lang.pick(
        "đạt · đúng tiến độ · chậm (không đạt hoặc chậm tiến độ) · khác",
        "met · on track · behind (not met or off track) · other",
    )
}

/// A matrix cell as text: the unit's own status mark, then the share of the units below it that
/// are behind (`✓ 35%`); only the mark when nothing below it is judged.
fn matrix_cell(own: Status, below: &Counts) -> String {
    let mark = if own == Status::NotApplicable {
        "·"
    } else {
        status_mark(own)
    };
    if below.applicable() == 0 {
        mark.to_string()
    } else {
        format!("{mark}{}%", below.percent(below.behind()))
    }
}

/// How a result is off: `45,00% / mục tiêu > 80,00% (thiếu 35,00%)`.
fn shortfall(r: &GoalResult, lang: Lang) -> String {
    let actual = r
        .actual
        .map_or_else(|| "—".into(), |a| format_value(a, r.value_unit, lang));
    let mut text = format!(
        "{actual} {} {}",
        lang.pick("/ mục tiêu", "/ target"),
        target_text(r, lang)
    );
    if let Some(g) = r.gap {
        let _ = write!(
            text,
            " ({} {})",
            lang.pick("thiếu", "gap"),
            format_value(g, r.value_unit, lang)
        );
    }
    text
}

/// The unit of a result with the top-level unit it belongs to, when that is another unit.
fn unit_label(rollup: &Rollup, i: usize, r: &GoalResult) -> String {
    let top = rollup
        .result_top
        .get(i)
        .copied()
        .flatten()
        .and_then(|t| rollup.tops.get(t))
        .filter(|t| t.unit != r.unit);
    match top {
        Some(t) => format!("{} ({}) — {}", r.unit_name, r.unit, t.unit_name),
        None => format!("{} ({})", r.unit_name, r.unit),
    }
}

/// The summary line: every status with its count.
fn summary(rollup: &Rollup, lang: Lang) -> String {
    let mut all = Counts::default();
    for g in &rollup.goals {
        for s in Status::ALL {
            for _ in 0..g.all.get(s) {
                all.add(s);
            }
        }
    }
    Status::ALL
        .iter()
        .filter(|&&s| s != Status::NotApplicable && all.get(s) > 0)
        .map(|&s| format!("{} {}", status_word(s, lang), count(all.get(s), lang)))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The report of a large evaluation for a terminal: the header, the summary, the goals' counts
/// by unit kind, the matrix of top-level units × goals, the units needing attention (the first
/// [`ATTENTION_LIMIT`], the rest counted) and the index by rank; with `all`, then every unit's
/// results (as [`eval_human`](super::eval_human) lists them) and the whole index table.
pub fn rollup_human(
    ev: &Evaluation,
    rollup: &Rollup,
    scores: Option<&Scores>,
    lang: Lang,
    style: Style,
    all: bool,
) -> String {
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
    let _ = writeln!(
        out,
        "\n{}: {}",
        lang.pick("Tổng hợp", "Summary"),
        summary(rollup, lang)
    );
    // Goals × kinds.
    let _ = writeln!(
        out,
        "\n{}",
        paint(
            "1",
            lang.pick("Chỉ tiêu theo loại đơn vị", "Goals by unit kind")
        )
    );
    let _ = writeln!(out, "  ({})", split_legend(lang));
    let cells: Vec<Vec<String>> = rollup
        .goals
        .iter()
        .map(|g| g.by_kind.iter().map(|c| split(c, lang)).collect())
        .collect();
    let widths: Vec<usize> = rollup
        .kinds
        .iter()
        .enumerate()
        .map(|(k, name)| {
            cells
                .iter()
                .filter_map(|row| row.get(k))
                .map(|c| c.chars().count())
                .chain(std::iter::once(kind_name(name, lang).chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let id_width = rollup
        .goals
        .iter()
        .map(|g| g.goal.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(4, 24);
    let mut head = format!("  {} {}", " ".repeat(id_width), " ".repeat(32));
    for (k, w) in rollup.kinds.iter().zip(&widths) {
        let _ = write!(head, "  {}", truncate(&kind_name(k, lang), *w));
    }
    let _ = writeln!(out, "{}", head.trim_end());
    for (g, row) in rollup.goals.iter().zip(&cells) {
        let mut line = format!(
            "  {} {}",
            truncate(&g.goal, id_width),
            truncate(&g.title, 32)
        );
        for (c, w) in row.iter().zip(&widths) {
            let _ = write!(line, "  {}", truncate(c, *w));
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    // The matrix.
    if rollup.tops.iter().any(|t| !t.below.is_empty()) {
        let _ = writeln!(
            out,
            "\n{}",
            paint(
                "1",
                lang.pick("Đơn vị cấp trên × chỉ tiêu", "Top-level units × goals")
            )
        );
        let _ = writeln!(
            out,
            "  ({})",
            lang.pick(
                "mỗi ô: trạng thái của chính đơn vị, rồi tỷ lệ đơn vị trực thuộc đang chậm (không đạt hoặc chậm tiến độ); · không áp dụng",
                "each cell: the unit's own status, then the share of the units below it that are behind (not met or off track); · not applicable"
            )
        );
        let cell_w = rollup
            .tops
            .iter()
            .flat_map(|t| t.cells.iter().map(|c| matrix_cell(c.own, &c.below)))
            .map(|c| c.chars().count())
            .chain(rollup.goals.iter().map(|g| g.goal.chars().count()))
            .max()
            .unwrap_or(4);
        let mut head = format!("  {}", " ".repeat(28));
        for g in &rollup.goals {
            let _ = write!(head, " {}", truncate(&g.goal, cell_w));
        }
        let _ = writeln!(out, "{}", head.trim_end());
        for t in &rollup.tops {
            let mut line = format!("  {}", truncate(&format!("{} {}", t.unit, t.unit_name), 28));
            for c in &t.cells {
                let text = matrix_cell(c.own, &c.below);
                let shown = truncate(&text, cell_w);
                let _ = write!(line, " {}", paint(color(c.own), &shown));
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
    attention_human(&mut out, ev, rollup, lang, &paint);
    if let (Some(s), Some(sr)) = (scores, &rollup.scores) {
        let _ = writeln!(
            out,
            "\n{}",
            paint(
                "1",
                &format!(
                    "{} — {} {}",
                    super::scores::title(s),
                    lang.pick("kỳ", "period"),
                    sr.period
                )
            )
        );
        let _ = writeln!(out, "  {}", bands_line(rollup, lang));
        let rows = super::scores::rows(s, lang);
        let head = super::scores::headings(s, lang);
        let _ = writeln!(out, "  {}", head.join(" | "));
        let limit = if all { usize::MAX } else { ATTENTION_LIMIT };
        for &i in sr.rows.iter().take(limit) {
            if let Some(r) = rows.get(i) {
                let _ = writeln!(out, "  {}", r.join(" | "));
            }
        }
        more_line(&mut out, sr.rows.len(), limit, lang);
    }
    if all {
        let _ = writeln!(
            out,
            "\n{}",
            paint("1", lang.pick("Từng đơn vị", "Every unit"))
        );
        let full = super::eval_human(ev, lang, style);
        // Without its header, already printed above.
        let printed = format!("{}\n{when}\n", paint("1", &title));
        out.push_str(full.strip_prefix(&printed).unwrap_or(&full));
    }
    out
}

fn more_line(out: &mut String, total: usize, limit: usize, lang: Lang) {
    if total > limit {
        let _ = writeln!(
            out,
            "  … {} {} {} ({})",
            lang.pick("và", "and"),
            count(total - limit, lang),
            lang.pick("kết quả nữa", "more"),
            lang.pick("`--all` liệt kê mọi đơn vị", "`--all` lists every unit")
        );
    }
}

/// The band distribution: `Xuất sắc 3 · Tốt 12 · …`.
pub(super) fn bands_line(rollup: &Rollup, lang: Lang) -> String {
    let Some(sr) = &rollup.scores else {
        return String::new();
    };
    let mut parts: Vec<String> = sr
        .bands
        .iter()
        .map(|(b, n)| format!("{b} {}", count(*n, lang)))
        .collect();
    if sr.unbanded > 0 {
        parts.push(format!(
            "{} {}",
            lang.pick("chưa xếp loại", "no band"),
            count(sr.unbanded, lang)
        ));
    }
    format!("{}: {}", lang.pick("Xếp loại", "Bands"), parts.join(" · "))
}

/// The heading of the attention list.
pub(super) fn attention_heading(rollup: &Rollup, shown: usize, lang: Lang) -> String {
    let n = count(rollup.attention.len(), lang);
    match lang {
        Lang::Vi => format!(
            "Cần chú ý: {n} kết quả không đạt hoặc chậm tiến độ; {} kết quả xa mục tiêu nhất (theo tỷ lệ còn thiếu so với mục tiêu)",
            count(shown, lang)
        ),
        Lang::En => format!(
            "Needing attention: {n} results not met or off track; the {} furthest from their target (gap as a share of the target)",
            count(shown, lang)
        ),
    }
}

fn attention_human(
    out: &mut String,
    ev: &Evaluation,
    rollup: &Rollup,
    lang: Lang,
    paint: &dyn Fn(&str, &str) -> String,
) {
    if rollup.attention.is_empty() {
        return;
    }
    let shown = rollup.attention.len().min(ATTENTION_LIMIT);
    let _ = writeln!(
        out,
        "\n{}",
        paint("1", &attention_heading(rollup, shown, lang))
    );
    for &i in rollup.attention.iter().take(ATTENTION_LIMIT) {
        let Some(r) = ev.results.get(i) else { continue };
        let status = format!(
            "{} {}",
            status_mark(r.status),
            truncate(status_word(r.status, lang), 13)
        );
        let _ = writeln!(
            out,
            "  {} {} {} — {}",
            paint(color(r.status), &status),
            r.goal,
            unit_label(rollup, i, r),
            shortfall(r, lang)
        );
    }
    more_line(out, rollup.attention.len(), ATTENTION_LIMIT, lang);
}

/// The Markdown report of a large evaluation: as [`rollup_human`], in tables.
pub fn rollup_markdown(
    ev: &Evaluation,
    rollup: &Rollup,
    scores: Option<&Scores>,
    lang: Lang,
    all: bool,
) -> String {
    let cell = |s: &str| s.replace('|', "\\|");
    let mut out = String::new();
    let (title, when) = header(ev, lang);
    let _ = writeln!(out, "# {title}\n\n{when}\n");
    let _ = writeln!(
        out,
        "**{}:** {}\n",
        lang.pick("Tổng hợp", "Summary"),
        summary(rollup, lang)
    );
    let _ = writeln!(
        out,
        "## {}\n\n{}\n",
        lang.pick("Chỉ tiêu theo loại đơn vị", "Goals by unit kind"),
        split_legend(lang)
    );
    let mut head = vec![
        lang.pick("Chỉ tiêu", "Goal").to_string(),
        lang.pick("Nội dung", "Title").to_string(),
    ];
    head.extend(rollup.kinds.iter().map(|k| kind_name(k, lang)));
    let _ = writeln!(out, "| {} |", head.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(head.len()));
    for g in &rollup.goals {
        let mut row = vec![cell(&g.goal), cell(&g.title)];
        row.extend(g.by_kind.iter().map(|c| split(c, lang)));
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    if rollup.tops.iter().any(|t| !t.below.is_empty()) {
        let _ = writeln!(
            out,
            "\n## {}\n\n{}\n",
            lang.pick("Đơn vị cấp trên × chỉ tiêu", "Top-level units × goals"),
            lang.pick(
                "Mỗi ô: trạng thái của chính đơn vị, rồi tỷ lệ đơn vị trực thuộc đang chậm (không đạt hoặc chậm tiến độ); · không áp dụng.",
                "Each cell: the unit's own status, then the share of the units below it that are behind (not met or off track); · not applicable."
            )
        );
        let mut head = vec![lang.pick("Đơn vị", "Unit").to_string()];
        head.extend(rollup.goals.iter().map(|g| cell(&g.goal)));
        let _ = writeln!(out, "| {} |", head.join(" | "));
        let _ = writeln!(out, "|{}", "---|".repeat(head.len()));
        for t in &rollup.tops {
            let mut row = vec![cell(&format!("{} ({})", t.unit_name, t.unit))];
            row.extend(t.cells.iter().map(|c| matrix_cell(c.own, &c.below)));
            let _ = writeln!(out, "| {} |", row.join(" | "));
        }
    }
    if !rollup.attention.is_empty() {
        let shown = rollup.attention.len().min(ATTENTION_LIMIT);
        let _ = writeln!(out, "\n## {}\n", attention_heading(rollup, shown, lang));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |\n|---|---|---|---|",
            lang.pick("Trạng thái", "Status"),
            lang.pick("Chỉ tiêu", "Goal"),
            lang.pick("Đơn vị", "Unit"),
            lang.pick("Thực tế / mục tiêu", "Actual / target"),
        );
        for &i in rollup.attention.iter().take(ATTENTION_LIMIT) {
            let Some(r) = ev.results.get(i) else { continue };
            let _ = writeln!(
                out,
                "| {} {} | {} | {} | {} |",
                status_mark(r.status),
                status_word(r.status, lang),
                cell(&r.goal),
                cell(&unit_label(rollup, i, r)),
                cell(&shortfall(r, lang)),
            );
        }
        more_line(&mut out, rollup.attention.len(), ATTENTION_LIMIT, lang);
    }
    if let (Some(s), Some(sr)) = (scores, &rollup.scores) {
        let _ = writeln!(
            out,
            "\n## {} — {} {}\n\n{}\n",
            cell(&super::scores::title(s)),
            lang.pick("kỳ", "period"),
            sr.period,
            bands_line(rollup, lang)
        );
        let head = super::scores::headings(s, lang);
        let _ = writeln!(out, "| {} |", head.join(" | "));
        let _ = writeln!(out, "|{}", "---|".repeat(head.len()));
        let rows = super::scores::rows(s, lang);
        let limit = if all { usize::MAX } else { ATTENTION_LIMIT };
        for &i in sr.rows.iter().take(limit) {
            if let Some(r) = rows.get(i) {
                let cells: Vec<String> = r
                    .iter()
                    .map(|c| c.replace('|', "\\|").replace('*', "\\*"))
                    .collect();
                let _ = writeln!(out, "| {} |", cells.join(" | "));
            }
        }
        more_line(&mut out, sr.rows.len(), limit, lang);
    }
    if all {
        let _ = writeln!(out, "\n## {}", lang.pick("Từng đơn vị", "Every unit"));
        let full = super::eval_markdown(ev, lang);
        // Without its title and date, already written above.
        let written = format!("# {title}\n\n{when}\n\n");
        out.push_str(full.strip_prefix(&written).unwrap_or(&full));
    }
    out
}
