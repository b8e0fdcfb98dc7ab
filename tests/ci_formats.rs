//! CI formats: JUnit parses as XML, SARIF validates against the SARIF 2.1.0 JSON Schema,
//! GitHub annotations follow the workflow-command syntax.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::process::{Command, Output};

fn chitieu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn eval(extra: &[&str]) -> Output {
    let args = common::main_args("eval", extra);
    chitieu(&args)
}

fn fixtures() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir("tests/fixtures/check")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    files
}

#[test]
fn check_junit_is_xml_with_a_test_case_per_file() {
    let mut args = vec!["check", "--format", "junit", "plans/"];
    let files = fixtures();
    args.extend(files.iter().map(String::as_str));
    let out = chitieu(&args);
    let text = stdout(&out);
    let doc = roxmltree::Document::parse(&text).unwrap();
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let plans = std::fs::read_dir("plans")
        .unwrap()
        .flat_map(|d| std::fs::read_dir(d.unwrap().path()).unwrap())
        .filter(|f| {
            f.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|e| e == "yaml")
        })
        .count();
    assert!(plans >= 6);
    assert_eq!(cases.len(), files.len() + plans);
    let failed = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .count();
    assert!(
        failed >= files.len() - 5,
        "{failed} of {} fixtures failed",
        files.len()
    );
    for plan in [
        "plans/vinh-long/22-kh-ubnd-2026-2030.yaml",
        "plans/catalogue/cchc-indicators.yaml",
    ] {
        let case = cases
            .iter()
            .find(|c| c.attribute("name") == Some(plan))
            .unwrap();
        assert!(
            !case.children().any(|n| n.has_tag_name("failure")),
            "{plan}"
        );
    }
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(root.attribute("tests"), Some(&*cases.len().to_string()));
}

#[test]
fn eval_junit_is_xml_with_a_test_case_per_unit_and_goal() {
    let out = eval(&["--format", "junit", "--lang", "vi"]);
    let text = stdout(&out);
    let doc = roxmltree::Document::parse(&text).unwrap();
    let suites: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    let cases = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .count();
    let units = std::fs::read_to_string("examples/data/units.csv")
        .unwrap()
        .lines()
        .count()
        - 1;
    assert_eq!(suites.len(), units);
    assert_eq!(cases, units * 19);
    let failure = doc
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert!(["không đạt", "chậm lộ trình"].contains(&failure.attribute("message").unwrap()));
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("tests/fixtures/schemas/sarif-schema-2.1.0.json").unwrap(),
    )
    .unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

#[test]
fn check_sarif_validates_against_the_sarif_2_1_0_schema() {
    let v = sarif_validator();
    let mut args = vec!["check", "--format", "sarif", "plans/"];
    let files = fixtures();
    args.extend(files.iter().map(String::as_str));
    let out = chitieu(&args);
    assert_eq!(out.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors: Vec<String> = v
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(results.len() >= files.len() - 5);
    let unknown = results
        .iter()
        .find(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                == "tests/fixtures/check/unknown-name.yaml"
        })
        .unwrap();
    assert_eq!(unknown["ruleId"], "unknown-name");
    assert_eq!(unknown["level"], "error");
    let region = &unknown["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(19), Some(11))
    );
    // Every result's rule is listed at its index.
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
    }
    // A clean run is valid too, with no results.
    let out = chitieu(&["check", "--format", "sarif", "plans/"]);
    assert_eq!(out.status.code(), Some(0));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.is_valid(&log));
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn the_sarif_schema_rejects_a_broken_log() {
    let v = sarif_validator();
    let out = chitieu(&[
        "check",
        "--format",
        "sarif",
        "tests/fixtures/check/unknown-name.yaml",
    ]);
    let mut log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.is_valid(&log));
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!v.is_valid(&log));
    log["version"] = "2.0.0".into();
    assert!(!v.is_valid(&log));
}

/// `::error file=…,line=…,col=…::message` (properties optional), one per line.
fn is_annotation(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("::") else {
        return false;
    };
    let Some((head, message)) = rest.split_once("::") else {
        return false;
    };
    let (level, props) = head.split_once(' ').unwrap_or((head, ""));
    ["error", "warning", "notice"].contains(&level)
        && !message.is_empty()
        && !message.contains('\n')
        && props.split(',').filter(|p| !p.is_empty()).all(|p| {
            p.split_once('=').is_some_and(|(k, v)| {
                ["file", "line", "col", "endLine", "endColumn", "title"].contains(&k)
                    && !v.contains(':')
            })
        })
}

#[test]
fn check_github_annotates_each_diagnostic_at_its_place() {
    let out = chitieu(&[
        "check",
        "--format",
        "github",
        "--lang",
        "en",
        "tests/fixtures/check/unknown-name.yaml",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.lines().all(is_annotation), "{text}");
    insta::assert_snapshot!("check_github_en", text);
    let out = chitieu(&[
        "check",
        "--format",
        "github",
        "--lang",
        "vi",
        "tests/fixtures/check/unknown-name.yaml",
    ]);
    insta::assert_snapshot!("check_github_vi", stdout(&out));
    // A clean plan: no annotation at all.
    let out = chitieu(&["check", "--format", "github", "plans/"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "");
}

#[test]
fn eval_github_annotates_failing_results_at_the_goal() {
    let out = eval(&["--format", "github", "--lang", "en"]);
    let text = stdout(&out);
    assert!(text.lines().all(is_annotation), "{text}");
    assert!(text.contains("::error file=plans/vinh-long/22-kh-ubnd-2026-2030.yaml,line="));
    insta::assert_snapshot!("eval_github_en", text);
    let out = eval(&["--format", "github", "--lang", "vi", "--fail-on", "not_met"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(text.lines().all(is_annotation), "{text}");
    // Off-track results are warnings when only not_met fails.
    assert!(
        text.lines()
            .any(|l| l.starts_with("::warning ") && l.contains("chậm tiến độ"))
    );
    insta::assert_snapshot!("eval_github_vi", text);
}
