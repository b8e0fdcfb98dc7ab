//! Rendering index scores (docs/plan-format.md, `index`): a table of groups, total, band and rank per unit and
//! period, for people (terminal, Markdown), as the `scores` array of the evaluation JSON, and
//! as a JUnit test suite.

use super::Style;
use super::format_decimal;
use super::xml;
use crate::lang::Lang;
use crate::score::{FormulaExplanation, ScoreExplanation, ScoreSource, Scores, UnitScore};
use serde_json::Value;
use std::fmt::Write as _;

fn cell(s: &Scores, v: Option<rust_decimal::Decimal>, lang: Lang) -> String {
    v.map_or_else(|| "—".into(), |d| format_decimal(d, s.places, lang))
}

/// Whether group `i`'s score is above the group's maximum (its formula can give more than its
/// `max:`): such a score is never shown as if it were in range.
fn above_max(s: &Scores, u: &UnitScore, i: usize) -> bool {
    match (u.groups.get(i).and_then(|g| g.score), s.groups.get(i)) {
        (Some(score), Some(info)) => score > info.max,
        _ => false,
    }
}

fn group_cell(s: &Scores, u: &UnitScore, i: usize, lang: Lang) -> String {
    u.groups.get(i).map_or_else(
        || "—".into(),
        |g| {
            let mut c = cell(s, g.score, lang);
            if g.source == ScoreSource::Supplied {
                c.push('*');
            }
            if above_max(s, u, i) {
                c.push('!');
            }
            c
        },
    )
}

fn rank_cell(u: &UnitScore) -> String {
    u.rank
        .map_or_else(|| "—".into(), |r| format!("{r}/{}", u.ranked))
}

pub(crate) fn headings(s: &Scores, lang: Lang) -> Vec<String> {
    let mut h = vec![
        lang.pick("Đơn vị", "Unit").to_string(),
        lang.pick("Kỳ", "Period").to_string(),
    ];
    h.extend(
        s.groups
            .iter()
            .map(|g| format!("{} ({})", g.id, format_decimal(g.max, 0, lang))),
    );
    h.push(format!(
        "{} ({})",
        lang.pick("Tổng", "Total"),
        format_decimal(s.max, 0, lang)
    ));
    h.push(lang.pick("Xếp loại", "Band").into());
    h.push(lang.pick("Hạng", "Rank").into());
    h
}

pub(crate) fn rows(s: &Scores, lang: Lang) -> Vec<Vec<String>> {
    s.units
        .iter()
        .map(|u| {
            let mut r = vec![u.unit.clone(), u.period.to_string()];
            r.extend((0..s.groups.len()).map(|i| group_cell(s, u, i, lang)));
            let mut total = cell(s, u.total, lang);
            if u.total.is_some_and(|t| t > s.max) {
                total.push('!');
            }
            r.push(total);
            r.push(u.band_title.clone().unwrap_or_else(|| "—".into()));
            r.push(rank_cell(u));
            r
        })
        .collect()
}

pub(crate) fn footnotes(s: &Scores, lang: Lang) -> Vec<String> {
    let mut notes = Vec::new();
    if s.units
        .iter()
        .flat_map(|u| &u.groups)
        .any(|g| g.source == ScoreSource::Supplied)
    {
        notes.push(
            lang.pick(
                "* điểm nhóm lấy từ số liệu công bố (không tính được từ số liệu đầu vào)",
                "* group score read from its supplied indicator (not computable from the inputs)",
            )
            .to_string(),
        );
    }
    let over = s.units.iter().any(|u| {
        (0..s.groups.len()).any(|i| above_max(s, u, i)) || u.total.is_some_and(|t| t > s.max)
    });
    if over {
        notes.push(
            lang.pick(
                "! điểm vượt mức tối đa (công thức cho điểm cao hơn `max:`; xem lại công thức)",
                "! above its maximum (the formula gives more than `max:`; check the formula)",
            )
            .to_string(),
        );
    }
    if s.units.iter().any(|u| u.total.is_none()) {
        notes.push(
            lang.pick(
                "— không có số liệu: thiếu điểm một nhóm thì không có tổng điểm, xếp loại, thứ hạng",
                "— no data: without every group there is no total, band or rank",
            )
            .to_string(),
        );
    }
    notes
}

pub(crate) fn title(s: &Scores) -> String {
    format!("{} ({})", s.title, s.index)
}

/// The score table for a terminal: one row per unit and period, groups, total, band and rank;
/// supplied group scores are marked `*`.
pub fn scores_human(s: &Scores, lang: Lang, style: Style) -> String {
    let mut out = String::new();
    let t = title(s);
    if style.color {
        let _ = writeln!(out, "\x1b[1m{t}\x1b[0m");
    } else {
        let _ = writeln!(out, "{t}");
    }
    let head = headings(s, lang);
    let body = rows(s, lang);
    let widths: Vec<usize> = (0..head.len())
        .map(|i| {
            std::iter::once(&head)
                .chain(&body)
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |r: &[String]| {
        let cells: Vec<String> = r
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (c, &w))| {
                let pad = " ".repeat(w.saturating_sub(c.chars().count()));
                // Names and bands left, numbers right.
                if i < 2 || i == r.len().saturating_sub(2) {
                    format!("{c}{pad}")
                } else {
                    format!("{pad}{c}")
                }
            })
            .collect();
        format!("  {}", cells.join("  ").trim_end())
    };
    let _ = writeln!(out, "{}", line(&head));
    for r in &body {
        let _ = writeln!(out, "{}", line(r));
    }
    for n in footnotes(s, lang) {
        let _ = writeln!(out, "  {n}");
    }
    out
}

/// The score table in Markdown.
pub fn scores_markdown(s: &Scores, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\n## {}\n", title(s).replace('|', "\\|"));
    let head = headings(s, lang);
    let _ = writeln!(out, "| {} |", head.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(head.len()));
    for r in rows(s, lang) {
        let cells: Vec<String> = r
            .iter()
            .map(|c| c.replace('|', "\\|").replace('*', "\\*"))
            .collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    let notes = footnotes(s, lang);
    if !notes.is_empty() {
        out.push('\n');
        for n in notes {
            let _ = writeln!(out, "{}  ", n.replace('*', "\\*"));
        }
    }
    out
}

/// The `scores` array of the evaluation JSON (README, “Command line”): `{"unit", "period", "groups": {...},
/// "total", "band", "rank"}` per unit and period, decimals as strings.
///
/// A unit whose group score (or total) is above its maximum carries `"above_max"`: the ids of
/// those groups (and `"total"`).
pub fn scores_json(s: &Scores) -> Value {
    let mut v = serde_json::to_value(&s.units).unwrap_or(Value::Array(Vec::new()));
    if let Value::Array(items) = &mut v {
        for (u, item) in s.units.iter().zip(items.iter_mut()) {
            let mut over: Vec<Value> = (0..s.groups.len())
                .filter(|&i| above_max(s, u, i))
                .filter_map(|i| s.groups.get(i).map(|g| Value::String(g.id.clone())))
                .collect();
            if u.total.is_some_and(|t| t > s.max) {
                over.push(Value::String("total".into()));
            }
            if let (false, Value::Object(obj)) = (over.is_empty(), item) {
                obj.insert("above_max".into(), Value::Array(over));
            }
        }
    }
    v
}

/// A JUnit test suite for the index: a test case per unit and period, the scores as properties;
/// a score without a total (a group missing) is skipped. Returns the suite and its test count.
pub fn scores_junit(s: &Scores, lang: Lang) -> (String, usize) {
    let mut out = String::new();
    let skipped = s.units.iter().filter(|u| u.total.is_none()).count();
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"0\" skipped=\"{skipped}\">",
        xml(&format!("{} {}", lang.pick("Bộ chỉ số", "index"), s.index)),
        s.units.len()
    );
    for u in &s.units {
        let _ = writeln!(
            out,
            "    <testcase classname=\"{}\" name=\"{}\">",
            xml(&u.unit),
            xml(&format!("{} {} {}", s.index, u.unit, u.period))
        );
        let _ = writeln!(out, "      <properties>");
        let mut prop = |name: &str, value: String| {
            let _ = writeln!(
                out,
                "        <property name=\"{}\" value=\"{}\"/>",
                xml(name),
                xml(&value)
            );
        };
        for g in &u.groups {
            prop(&g.id, g.score.map_or_else(String::new, |d| d.to_string()));
        }
        prop("total", u.total.map_or_else(String::new, |d| d.to_string()));
        prop("band", u.band.clone().unwrap_or_default());
        prop("rank", u.rank.map_or_else(String::new, |r| r.to_string()));
        let _ = writeln!(out, "      </properties>");
        if u.total.is_none() {
            let _ = writeln!(
                out,
                "      <skipped message=\"{}\"/>",
                xml(lang.pick("không có số liệu", "no data"))
            );
        }
        let _ = writeln!(out, "    </testcase>");
    }
    let _ = writeln!(out, "  </testsuite>");
    (out, s.units.len())
}

/// `chitieu explain --score`: for each period, the unit's total, band and rank, then every
/// group and metric with its score out of its maximum, its formula, the formula's exact value
/// and rounding, and the values it read.
pub fn score_explanation_human(s: &Scores, ex: &[ScoreExplanation], lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", title(s));
    let show = |v: Option<rust_decimal::Decimal>| cell(s, v, lang);
    let exact = |v: Option<rust_decimal::Decimal>| {
        v.map_or_else(
            || lang.pick("không có số liệu", "no data").to_string(),
            |d| {
                let places = d.normalize().scale().min(6);
                let shown = format_decimal(d, places, lang);
                if d.normalize().scale() > 6 {
                    format!("{shown}…")
                } else {
                    shown
                }
            },
        )
    };
    let formula = |out: &mut String, f: &FormulaExplanation, indent: &str| {
        let _ = writeln!(
            out,
            "{indent}{} = {} → {}",
            f.text,
            exact(f.value),
            show(f.rounded)
        );
        for line in super::explanation_lines(&f.steps, lang) {
            let _ = writeln!(out, "{indent}  {line}");
        }
    };
    for e in ex {
        let u = &e.score;
        let _ = writeln!(
            out,
            "\n{} ({}), {}: {} {}/{} — {} — {} {}",
            u.unit_name,
            u.unit,
            u.period,
            lang.pick("tổng điểm", "total"),
            show(u.total),
            format_decimal(s.max, 0, lang),
            u.band_title.as_deref().unwrap_or("—"),
            lang.pick("hạng", "rank"),
            rank_cell(u)
        );
        for g in &e.groups {
            let source = match g.source {
                ScoreSource::Computed => {
                    lang.pick("tính từ số liệu đầu vào", "computed from inputs")
                }
                ScoreSource::Supplied => {
                    lang.pick("lấy từ điểm công bố", "read from the supplied score")
                }
                ScoreSource::Missing => lang.pick("không có số liệu", "no data"),
            };
            let supplied = g
                .supplied
                .as_ref()
                .filter(|_| g.source == ScoreSource::Supplied)
                .map(|n| format!(" `{n}`"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {} {} — {}/{} ({source}{supplied})",
                g.id,
                g.title,
                show(g.score),
                format_decimal(g.max, g.max.normalize().scale(), lang)
            );
            if let Some(f) = &g.formula {
                formula(&mut out, f, "    ");
            }
            for m in &g.metrics {
                let _ = writeln!(
                    out,
                    "    {} {} — {}/{}",
                    m.id,
                    m.title,
                    show(m.formula.rounded),
                    format_decimal(m.max, m.max.normalize().scale(), lang)
                );
                formula(&mut out, &m.formula, "      ");
            }
        }
    }
    out
}

/// `chitieu explain --score --format json`: the explanations as they serialize, each formula
/// with its steps in words (`trace`, a line each) in `lang`.
pub fn score_explanation_json(ex: &[ScoreExplanation], lang: Lang) -> Value {
    let with_trace = |f: &FormulaExplanation| {
        let mut v = serde_json::to_value(f).unwrap_or_default();
        if let Some(obj) = v.as_object_mut() {
            obj.insert(
                "trace".into(),
                serde_json::json!(super::explanation_lines(&f.steps, lang)),
            );
        }
        v
    };
    let mut doc = serde_json::to_value(ex).unwrap_or_default();
    if let Some(items) = doc.as_array_mut() {
        for (item, e) in items.iter_mut().zip(ex) {
            let Some(groups) = item.get_mut("groups").and_then(Value::as_array_mut) else {
                continue;
            };
            for (group, g) in groups.iter_mut().zip(&e.groups) {
                if let (Some(f), Some(slot)) = (&g.formula, group.get_mut("formula")) {
                    *slot = with_trace(f);
                }
                let Some(metrics) = group.get_mut("metrics").and_then(Value::as_array_mut) else {
                    continue;
                };
                for (metric, m) in metrics.iter_mut().zip(&g.metrics) {
                    if let Some(slot) = metric.get_mut("formula") {
                        *slot = with_trace(&m.formula);
                    }
                }
            }
        }
    }
    doc
}
