//! Terminal manners: colour only on a terminal and never with NO_COLOR; the chunked
//! evaluation behind the progress bar gives the same results.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::Command;

const EVAL: &str = "eval plans/vinh-long/22-kh-ubnd-2026-2030.yaml --data examples/data/observations.csv \
                    --units examples/data/units.csv --as-of 2026-10-31 --lang en";

fn run(env: &[(&str, &str)], args: &str) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_chitieu"));
    cmd.args(args.split_whitespace()).env_remove("NO_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

/// Runs under a pseudo-terminal with util-linux `script`, when it is installed.
fn run_on_terminal(env: &str, args: &str) -> Option<String> {
    let script = Command::new("script").arg("--version").output().ok()?;
    if !script.status.success() {
        return None;
    }
    let cmd = format!("{env} {} {args}", env!("CARGO_BIN_EXE_chitieu"));
    let out = Command::new("script")
        .args(["-qec", &format!("env -u NO_COLOR {cmd}"), "/dev/null"])
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn no_colour_when_piped() {
    let out = run(&[], EVAL);
    assert!(out.contains("not met"));
    assert!(!out.contains('\x1b'), "escape codes in piped output");
    let out = run(&[], "check tests/fixtures/check/unknown-name.yaml");
    assert!(!out.contains('\x1b'));
}

#[test]
fn colour_on_a_terminal_unless_no_color() {
    let Some(tty) = run_on_terminal("", EVAL) else {
        eprintln!("note: `script` is not installed; terminal colour not tested");
        return;
    };
    assert!(tty.contains("\x1b["), "no colour on a terminal:\n{tty}");
    let plain = run_on_terminal("NO_COLOR=1", EVAL).unwrap();
    assert!(plain.contains("not met"));
    assert!(
        !plain.contains("\x1b["),
        "colour despite NO_COLOR:\n{plain}"
    );
}

#[test]
fn chunked_evaluation_gives_the_same_results() {
    for format in ["json", "human", "junit"] {
        let args = format!("{EVAL} --format {format}");
        let whole = run(&[], &args);
        let chunked = run(&[("CHITIEU_PROGRESS", "always")], &args);
        assert_eq!(whole, chunked, "{format}");
    }
}
