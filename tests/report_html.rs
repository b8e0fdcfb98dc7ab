//! The HTML report: self-contained, printable, escaped, in both languages.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::process::Command;

fn html(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn main_report(lang: &str) -> String {
    html(&common::main_args(
        "eval",
        &["--format", "html", "--lang", lang],
    ))
}

/// The text a reader sees: tags removed, entities kept, blank runs collapsed; the style sheet
/// and SVG coordinates are left out so the snapshot is about words.
fn visible_text(page: &str) -> String {
    let body = page.split("</style>").nth(1).unwrap_or(page);
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_page_is_self_contained_and_printable() {
    let page = main_report("en");
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<html lang=\"en\">"));
    assert!(page.contains("<meta charset=\"utf-8\">"));
    assert!(page.contains("@media print"));
    assert!(page.contains("size: A4"));
    for banned in [
        "<script", "<link", "<img", "src=", "http://", "https://", "url(",
    ] {
        assert!(!page.contains(banned), "found `{banned}`");
    }
    // Links only within the page (the summary's list of goals).
    assert!(
        page.split("href=\"")
            .skip(1)
            .all(|rest| rest.starts_with("#goal-"))
    );
    // Per goal a badge, per judged result a bar with the target mark, trajectory charts with
    // the observed series, the planned path and the target.
    assert_eq!(page.matches("<section class=\"goal\"").count(), 19);
    assert!(page.matches("<svg class=\"bar\"").count() >= 8);
    assert!(page.matches("<svg class=\"chart\"").count() >= 2);
    assert!(page.contains("class=\"planned\""));
    assert!(page.contains("class=\"baseline\""));
    assert!(page.contains("class=\"target\""));
    // No index in this plan: no index table.
    assert!(!page.contains("class=\"index\""));
}

#[test]
fn html_snapshots_in_both_languages() {
    insta::assert_snapshot!("html_text_en", visible_text(&main_report("en")));
    insta::assert_snapshot!("html_text_vi", visible_text(&main_report("vi")));
}

#[test]
fn the_plan_language_is_the_default() {
    // Plan 22 says `lang: vi`.
    let page = html(&common::main_args("eval", &["--format", "html"]));
    assert!(page.contains("<html lang=\"vi\">"));
    assert!(page.contains("Đánh giá đến ngày"));
}

#[test]
fn text_from_plans_and_data_is_escaped() {
    let dir = std::env::temp_dir().join(format!("chitieu-html-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let plan = dir.join("p.yaml");
    std::fs::write(
        &plan,
        "chitieu: 1\nplan:\n  id: \"<P&1>\"\n  title: \"<script>alert('x')</script>\"\n  \
         period: 2026-01-01 .. 2030-12-31\n  lang: en\n\
         indicators:\n  x: { name: \"X\", unit: count }\n\
         goals:\n  - id: g1\n    title: \"\\\"quoted\\\" <b>bold</b>\"\n    rule: x >= 10 by 2030-12-31\n",
    )
    .unwrap();
    let data = dir.join("d.csv");
    std::fs::write(&data, "unit,indicator,period,value\nU<1>,x,2026,12\n").unwrap();
    let units = dir.join("u.csv");
    std::fs::write(
        &units,
        "id,name,kind,parent\nU<1>,Xã <i>A</i> & B,province,\n",
    )
    .unwrap();
    let page = html(&[
        "eval",
        plan.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--units",
        units.to_str().unwrap(),
        "--as-of",
        "2026-12-31",
        "--format",
        "html",
    ]);
    assert!(!page.contains("<script"));
    assert!(!page.contains("<b>bold"));
    assert!(!page.contains("<i>A"));
    assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(page.contains("&quot;quoted&quot; &lt;b&gt;bold&lt;/b&gt;"));
    assert!(page.contains("Xã &lt;i&gt;A&lt;/i&gt; &amp; B"));
    assert!(page.contains("U&lt;1&gt;"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn extreme_decimals_are_drawn_not_a_panic() {
    // Issue 11: the value axis (`hi + (hi - lo) / 10`) and the table bar (`hi - lo`) overflowed
    // between ±79,228,162,514,264,337,593,543,950,335 and the report panicked (exit 101).
    let dir = std::env::temp_dir().join(format!("chitieu-html-extreme-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let max = "79228162514264337593543950335";
    let plan = format!(
        "chitieu: 1\nplan:\n  id: X\n  title: X\n  period: 2026-01-01 .. 2030-12-31\n  baseline: 2025\n\
         indicators:\n  x: {{ name: X, unit: count }}\ngoals:\n\
         \x20 - {{ id: g, title: G, rule: \"x >= {max} by 2030-12-31\" }}\n\
         \x20 - {{ id: h, title: H, rule: \"x <= -{max}\" }}\n"
    );
    std::fs::write(dir.join("plan.yaml"), plan).unwrap();
    std::fs::write(
        dir.join("data.csv"),
        format!("unit,indicator,period,value\nP,x,2025,-{max}\nP,x,2026,{max}\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("units.csv"),
        "id,name,kind,parent\nP,Tỉnh,province,\n",
    )
    .unwrap();
    let path = |f: &str| dir.join(f).to_string_lossy().into_owned();
    let (plan, data, units) = (path("plan.yaml"), path("data.csv"), path("units.csv"));
    let page = html(&[
        "eval",
        &plan,
        "--data",
        &data,
        "--units",
        &units,
        "--as-of",
        "2026-12-31",
        "--format",
        "html",
    ]);
    assert_eq!(page.matches("<svg class=\"bar\"").count(), 2);
    assert!(page.contains("<svg class=\"chart\""));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_summary_lists_the_goals_needing_attention_first_with_links() {
    let page = main_report("vi");
    let nav = page.split("<nav class=\"contents\">").nth(1).unwrap();
    let nav = nav.split("</nav>").next().unwrap();
    assert!(nav.contains("3 chỉ tiêu cần chú ý"));
    // II.1.a (not met) comes before II.2.c (on track), which the plan lists earlier than II.2.h.
    let at = |id: &str| nav.find(&format!("href=\"#goal-{id}\"")).unwrap();
    assert!(at("II.1.a") < at("II.2.h") && at("II.2.i") < at("II.1.b"));
    assert_eq!(nav.matches("<li").count(), 19);
    // Each link has its target.
    assert!(page.contains("id=\"goal-II.2.h\""));
    // The strip's colours are explained once, in words.
    assert!(page.contains("class=\"legend\""));
    assert!(page.contains("trạng thái vào cuối mỗi tháng"));
}

#[test]
fn charts_have_the_unit_as_title_and_no_end_target_without_a_deadline() {
    let page = main_report("en");
    // II.1.a has no deadline: its chart draws the target level, not a point at the plan's end.
    let ii1a = page.split("id=\"goal-II.1.a\"").nth(1).unwrap();
    let ii1a = ii1a.split("<section").next().unwrap();
    assert!(ii1a.contains("class=\"target\""));
    assert!(
        !ii1a.contains("2030-12-31"),
        "an end target drawn at the plan's end"
    );
    assert!(ii1a.contains("<figure><figcaption>UBND tỉnh Vĩnh Long</figcaption><svg"));
    // II.2.c has a deadline: its target point is there.
    let ii2c = page.split("id=\"goal-II.2.c\"").nth(1).unwrap();
    assert!(
        ii2c.split("<section")
            .next()
            .unwrap()
            .contains("target 2030-12-31")
    );
}

#[test]
fn an_index_plan_page_charts_its_scores() {
    let page = html(&[
        "eval",
        "plans/vinh-long/thi-dua-766-2026.yaml",
        "--data",
        "examples/data/thi-dua-766.csv",
        "--units",
        "examples/data/units.csv",
        "--as-of",
        "2026-10-31",
        "--format",
        "html",
    ]);
    let chart = page.split("<svg class=\"score-chart\"").nth(1).unwrap();
    let chart = chart.split("</svg>").next().unwrap();
    // A row per scored unit: 7 units × 6 groups, each a slot and its fill.
    assert_eq!(chart.matches("<rect").count(), 7 * 6 * 2 + 6);
    // The bands' minima are marked.
    assert_eq!(chart.matches("class=\"band\"").count(), 5);
    assert!(chart.contains("Xuất sắc ≥ 90"));
}
