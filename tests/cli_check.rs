//! `chitieu check` as CI pipelines run it: exit codes, human and JSON output.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::{Command, Output};

fn chitieu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run chitieu")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn shipped_plans_check_clean() {
    let o = chitieu(&["check", "plans/"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).contains(" 0 lỗi") || stdout(&o).contains(" 0 errors"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_finding_exits_1_with_the_place_and_a_hint() {
    let o = chitieu(&["check", "tests/fixtures/check/unknown-name.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("tests/fixtures/check/unknown-name.yaml:19:11"),
        "{out}"
    );
    assert!(out.contains("did you mean `online_rate`?"), "{out}");
    assert!(
        !out.contains('\u{1b}'),
        "no colour when not a terminal: {out}"
    );
}

#[test]
fn empty_and_non_utf8_files_exit_1() {
    for f in ["empty-file", "not-utf8"] {
        let o = chitieu(&["check", &format!("tests/fixtures/check/{f}.yaml")]);
        assert_eq!(o.status.code(), Some(1), "{f}");
    }
}

#[test]
fn unreadable_paths_and_bad_usage_exit_2() {
    let o = chitieu(&["check", "no/such/plan.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    let o = chitieu(&["check"]);
    assert_eq!(o.status.code(), Some(2));
    let o = chitieu(&["check", "plans/", "--format", "yaml"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn json_output_is_versioned_and_located() {
    let o = chitieu(&[
        "check",
        "tests/fixtures/check/unknown-name.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["schema"], "chitieu.check/v1");
    assert_eq!(doc["files"][0], "tests/fixtures/check/unknown-name.yaml");
    let d = &doc["diagnostics"][0];
    assert_eq!(d["file"], "tests/fixtures/check/unknown-name.yaml");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(19), Some(11))
    );
    assert_eq!(
        (d["end_line"].as_u64(), d["end_column"].as_u64()),
        (Some(19), Some(21))
    );
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "unknown-name");
    assert_eq!(d["message"], "unknown indicator `online_rat`");
    assert_eq!(d["help"], "did you mean `online_rate`?");
}

#[test]
fn folders_are_searched_recursively_for_yaml() {
    let o = chitieu(&[
        "check",
        "tests/fixtures/check/include-cycle",
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let files: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "tests/fixtures/check/include-cycle/a.yaml",
            "tests/fixtures/check/include-cycle/b.yaml"
        ]
    );
}

#[test]
fn messages_follow_the_plan_language_unless_told() {
    let o = chitieu(&["check", "plans/vinh-long/22-kh-ubnd-2026-2030.yaml"]);
    assert!(stdout(&o).contains("đã kiểm tra 1 tệp"), "{}", stdout(&o));
    let o = chitieu(&[
        "check",
        "plans/vinh-long/22-kh-ubnd-2026-2030.yaml",
        "--lang",
        "en",
    ]);
    assert!(stdout(&o).contains("checked 1 file"), "{}", stdout(&o));
}

#[test]
fn plans_only_skips_named_yaml_that_is_not_a_plan() {
    let files = [
        "tests/fixtures/pre-commit/good.yaml",
        "tests/fixtures/pre-commit/not-a-plan.yaml",
    ];
    // Named, a workflow file is read as a plan and fails; with --plans-only, as pre-commit
    // hooks run it, it is skipped with a note.
    let o = chitieu(&["check", files[0], files[1]]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let o = chitieu(&["check", "--plans-only", files[0], files[1]]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("checked 1 file: 0 errors"),
        "{}",
        stdout(&o)
    );
    let stderr = String::from_utf8(o.stderr).unwrap();
    assert!(
        stderr.contains("skipped tests/fixtures/pre-commit/not-a-plan.yaml: no `chitieu:` key"),
        "{stderr}"
    );
    // Plans are still checked, and a missing file still cannot be.
    let o = chitieu(&[
        "check",
        "--plans-only",
        "tests/fixtures/pre-commit/bad-check.yaml",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("bad-check.yaml:18:11"),
        "{}",
        stdout(&o)
    );
    let o = chitieu(&["check", "--plans-only", "no/such/plan.yaml"]);
    assert_eq!(o.status.code(), Some(2));
}
