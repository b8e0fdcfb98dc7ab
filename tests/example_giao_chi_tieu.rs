//! The assigned-targets example (`examples/giao-chi-tieu/`): Plan 22's online-dossier target
//! assigned to each commune year by year, on illustrative data labelled so.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use serde_json::Value;
use std::process::Command;

const DIR: &str = "examples/giao-chi-tieu";

fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.is_empty(), "{stderr}");
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

fn eval(as_of: &str, extra: &[&str]) -> String {
    let (plan, obs, targets, units) = (
        format!("{DIR}/plan.yaml"),
        format!("{DIR}/observations.csv"),
        format!("{DIR}/targets.csv"),
        format!("{DIR}/units.csv"),
    );
    let mut args = vec![
        "eval", &plan, "--data", &obs, &targets, "--units", &units, "--as-of", as_of,
    ];
    args.extend_from_slice(extra);
    let (code, out) = run(&args);
    assert_eq!(code, Some(0), "{out}");
    out
}

fn result<'j>(doc: &'j Value, unit: &str, goal: &str) -> &'j Value {
    doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit"] == unit && r["goal"] == goal)
        .unwrap()
}

#[test]
fn the_example_plan_checks_clean() {
    let (code, out) = run(&["check", &format!("{DIR}/plan.yaml")]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("0 lỗi, 0 cảnh báo"), "{out}");
}

#[test]
fn each_commune_is_judged_against_its_own_yearly_targets() {
    let doc: Value =
        serde_json::from_str(&eval("2026-10-31", &["--format", "json", "--lang", "en"])).unwrap();
    let cases = [
        ("H61.X01", "on_track", Some("0.93")),
        ("H61.X02", "off_track", Some("0.9")),
        ("H61.X03", "on_track", Some("0.86")),
        ("H61.X04", "no_data", None),
    ];
    for (unit, status, target) in cases {
        let r = result(&doc, unit, "II.2.h.xa");
        assert_eq!(r["status"], status, "{unit}");
        assert_eq!(r["target"].as_str(), target, "{unit}");
    }
    let province = result(&doc, "H61", "II.2.h.nam");
    assert_eq!(province["status"], "not_met");
    assert!(
        province["explanation"][0]
            .as_str()
            .unwrap()
            .contains("(2 hold; 3 of 4 commune units have data)"),
        "{province}"
    );
    // After the first yearly step, its milestone is judged against each commune's 2026 target.
    let doc: Value = serde_json::from_str(&eval("2027-01-31", &["--format", "json"])).unwrap();
    for (unit, status) in [
        ("H61.X01", "met"),
        ("H61.X02", "not_met"),
        ("H61.X03", "met"),
    ] {
        let m = &result(&doc, unit, "II.2.h.xa")["milestones"][0];
        assert_eq!(m["deadline"], "2026-12-31");
        assert_eq!(m["status"], status, "{unit}");
    }
    let m = &result(&doc, "H61.X01", "II.2.h.xa")["milestones"][0];
    assert_eq!(m["target"], "0.85");
}

#[test]
fn every_data_row_is_labelled_illustrative_and_the_readme_shows_the_real_output() {
    for file in ["observations.csv", "targets.csv"] {
        let text = std::fs::read_to_string(format!("{DIR}/{file}")).unwrap();
        for line in text.lines().skip(1) {
            assert!(line.ends_with(",minh họa"), "{file}: {line}");
        }
    }
    let readme = std::fs::read_to_string(format!("{DIR}/README.md")).unwrap();
    let out = eval("2026-10-31", &["--lang", "en"]);
    assert!(readme.contains(&out), "README output differs from:\n{out}");
}
