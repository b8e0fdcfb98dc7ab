//! `chitieu eval` and `chitieu explain` on the shipped example: reports, gates, exit codes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::process::{Command, Output};

const PLAN: &str = "plans/vinh-long/22-kh-ubnd-2026-2030.yaml";

fn chitieu(extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args(common::main_args("eval", extra))
        .env("NO_COLOR", "1")
        .output()
        .expect("run chitieu")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn the_main_command_shows_every_kind_of_status() {
    let o = chitieu(&["--lang", "en"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    for word in [
        "✓ met",
        "✗ not met",
        "↗ on track",
        "↘ off track",
        "… in progress",
        "? no data",
    ] {
        assert!(out.contains(word), "missing {word:?} in\n{out}");
    }
    insta::assert_snapshot!("eval_human_en", out);
}

#[test]
fn reports_in_vietnamese_by_the_plan_language() {
    let out = stdout(&chitieu(&[]));
    assert!(out.contains("Đánh giá đến ngày 31/10/2026"), "{out}");
    insta::assert_snapshot!("eval_human_vi", out);
}

#[test]
fn markdown_report() {
    let out = stdout(&chitieu(&[
        "--format", "markdown", "--unit", "H61", "H61.SNV",
    ]));
    insta::assert_snapshot!("eval_markdown_vi", out);
}

#[test]
fn json_report_is_versioned_with_exact_decimals() {
    let out = stdout(&chitieu(&[
        "--format", "json", "--unit", "H61.X01", "H61", "--goal", "II.2.h", "II.2.c",
    ]));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["schema"], "chitieu.eval/v1");
    assert_eq!(doc["as_of"], "2026-10-31");
    assert_eq!(doc["plan"]["id"], "22/KH-UBND");
    let results = doc["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    let ward = results
        .iter()
        .find(|r| r["unit"] == "H61.X01" && r["goal"] == "II.2.h")
        .unwrap();
    assert_eq!(ward["status"], "met");
    assert_eq!(ward["actual"], "0.8564013840830449826989619377");
    assert_eq!(ward["target"], "0.8");
    assert_eq!(ward["value_unit"], "percent");
    assert_eq!(ward["deadline"], "2030-12-31");
    for key in ["gap", "progress", "expected", "sdg", "explanation"] {
        assert!(ward.get(key).is_some(), "{key}");
    }
    insta::assert_json_snapshot!("eval_json", doc);
}

#[test]
fn fail_on_gates_exit_1() {
    assert_eq!(chitieu(&["--fail-on", "off_track"]).status.code(), Some(1));
    assert_eq!(chitieu(&["--fail-on", "error"]).status.code(), Some(0));
    let o = chitieu(&["--fail-on", "unknown_status"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn unknown_ids_are_usage_errors_with_a_suggestion() {
    let o = chitieu(&["--goal", "II.2.x"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains("II.2.x"), "{err}");
    let o = chitieu(&["--unit", "H6l"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8(o.stderr).unwrap().contains("H61"));
}

#[test]
fn invalid_data_is_located_and_exits_1() {
    let dir = std::env::temp_dir().join(format!("chitieu-bad-data-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "unit,indicator,period,value\nH61,online_dossiers,2026-Q3,\"1,675\"\n",
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args([
            "eval",
            PLAN,
            "--units",
            "examples/data/units.csv",
            "--lang",
            "en",
            "--data",
        ])
        .arg(&bad)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains("bad.csv:2:"), "{err}");
    assert!(err.contains("ambiguous-number"), "{err}");
    assert!(o.stdout.is_empty(), "nothing is reported from invalid data");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn explain_prints_the_trace() {
    let o = Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args(common::main_args(
            "explain",
            &["--unit", "H61", "--goal", "II.2.h", "--lang", "en"],
        ))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.contains(
            "online_rate = online_dossiers / total_dossiers = 84,120 / 100,950 = 83.33% (2026-Q3)"
        ),
        "{out}"
    );
    assert!(out.contains("Status: ✓ met"), "{out}");
    // JSON: the same lines in the report's language, beside the typed steps.
    for (lang, line) in [
        (
            "en",
            "online_rate = online_dossiers / total_dossiers = 84,120 / 100,950 = 83.33% (2026-Q3)",
        ),
        (
            "vi",
            "online_rate = online_dossiers / total_dossiers = 84.120 / 100.950 = 83,33% (2026-Q3)",
        ),
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_chitieu"))
            .args(common::main_args(
                "explain",
                &[
                    "--unit", "H61", "--goal", "II.2.h", "--lang", lang, "--format", "json",
                ],
            ))
            .output()
            .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(doc["explanation"][0], line, "{doc:#}");
        assert_eq!(doc["steps"][0]["step"], "computed", "{doc:#}");
        assert_eq!(doc["steps"][1]["outcome"]["value"], true, "{doc:#}");
    }
}

#[test]
fn junit_output_names_each_unit_and_goal() {
    let out = stdout(&chitieu(&["--format", "junit", "--unit", "H61"]));
    assert!(out.starts_with("<?xml"));
    assert!(
        out.contains("<testcase classname=\"H61\" name=\"II.2.i "),
        "{out}"
    );
    assert!(out.contains("<failure"), "{out}");
}

#[test]
fn aspirational_goals_say_so_in_json_and_in_words() {
    // “Phấn đấu” targets (II.2.f, II.2.o) carry `"aspirational": true`; the others do not.
    let out = stdout(&chitieu(&["--format", "json", "--unit", "H61"]));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let results = doc["results"].as_array().unwrap();
    let flag = |g: &str| {
        results
            .iter()
            .find(|r| r["goal"] == g)
            .map(|r| r["aspirational"].clone())
            .unwrap()
    };
    assert_eq!(flag("II.2.f"), serde_json::json!(true));
    assert_eq!(flag("II.2.o"), serde_json::json!(true));
    assert_eq!(flag("II.2.h"), serde_json::Value::Null);
    let md = stdout(&chitieu(&[
        "--format", "markdown", "--lang", "en", "--unit", "H61",
    ]));
    let line = md.lines().find(|l| l.contains("II.2.f")).unwrap();
    assert!(line.contains("100.00% (aspirational)"), "{line}");
}
