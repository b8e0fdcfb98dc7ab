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
        "<script", "<link", "<img", "src=", "href=", "http://", "https://", "url(",
    ] {
        assert!(!page.contains(banned), "found `{banned}`");
    }
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
