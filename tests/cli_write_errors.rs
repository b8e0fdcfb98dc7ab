//! Output that cannot be written: a full disk is an error (exit 2, a message on stderr), a
//! reader that stopped is not, and a failing stderr never panics.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::main_args;
use std::process::{Command, Output, Stdio};

fn full() -> Stdio {
    Stdio::from(
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap(),
    )
}

fn run(args: &[&str], stdout: Stdio, stderr: Stdio) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args(args)
        .stdout(stdout)
        .stderr(stderr)
        .output()
        .unwrap()
}

fn with_unformatted_plan(test: &str) -> (std::path::PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("chitieu-write-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("p.yaml");
    std::fs::write(
        &file,
        "chitieu: 1\nplan: { id: P, title: T, period: 2026 .. 2030 }\nindicators:\n  \
         y: { name: Y, unit: count }\ngoals:\n  - { id: a, title: A, rule: y>1 }\n",
    )
    .unwrap();
    let path = file.to_str().unwrap().to_string();
    (dir, path)
}

#[test]
fn a_full_disk_on_stdout_is_exit_2_with_a_message_for_every_command() {
    let (dir, plan) = with_unformatted_plan("stdout");
    let commands: Vec<Vec<&str>> = vec![
        main_args("eval", &[]),
        main_args("eval", &["--format", "json"]),
        main_args("eval", &["--format", "html"]),
        main_args("explain", &["--unit", "H61", "--goal", "II.2.h"]),
        vec!["check", "plans/"],
        vec!["check", "plans/", "--format", "sarif"],
        vec!["schema"],
        vec!["fmt", &plan],
        vec![
            "eval",
            "plans/vinh-long/22-kh-ubnd-2026-2030.yaml",
            "--data",
            "examples/data/observations.csv",
            "--units",
            "examples/data/units.csv",
            "--history",
            "2026-01..2026-06",
        ],
    ];
    for args in &commands {
        let out = run(args, full(), Stdio::piped());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write the output: No space left on device")
                || stderr.contains("không ghi được kết quả: ổ đĩa đã đầy"),
            "{args:?}: {stderr}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_message_is_in_the_report_language() {
    let out = run(
        &main_args("eval", &["--lang", "vi"]),
        full(),
        Stdio::piped(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "lỗi: không ghi được kết quả: ổ đĩa đã đầy\n"
    );
}

#[test]
fn a_reader_that_stopped_is_not_an_error() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args(main_args("eval", &["--format", "json"]))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end before the report is written: the write fails with a broken pipe.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn a_full_stderr_never_panics() {
    let (dir, plan) = with_unformatted_plan("stderr");
    let commands: Vec<Vec<&str>> = vec![
        vec!["check", "no-such-plan.yaml"],
        vec!["eval", "no-such-plan.yaml", "--data", "x.csv"],
        vec!["fmt", "--write", &plan],
        vec!["fmt", "--check", "no-such-plan.yaml"],
    ];
    for args in &commands {
        let out = run(args, full(), full());
        let code = out.status.code();
        assert!(matches!(code, Some(0..=2)), "{args:?}: {code:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_missing_file_is_said_in_one_language() {
    let out = run(
        &["check", "no-such-plan.yaml", "--lang", "vi"],
        Stdio::piped(),
        Stdio::piped(),
    );
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        all.contains("không đọc được tệp: không tìm thấy tệp hoặc thư mục"),
        "{all}"
    );
    assert!(!all.contains("No such file"), "{all}");
}
