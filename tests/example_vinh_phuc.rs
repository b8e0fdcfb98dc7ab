//! The Vĩnh Phúc ward example (`examples/vinh-phuc/`): a real 2025-Q3 figure, run on its own
//! files, is judged met with the warning that it is from before the plan's period.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::Command;

fn run(command: &str, lang: &str) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args([
            command,
            "plans/vinh-long/22-kh-ubnd-2026-2030.yaml",
            "--data",
            "examples/vinh-phuc/observations.csv",
            "--units",
            "examples/vinh-phuc/units.csv",
            "--as-of",
            "2026-10-31",
            "--unit",
            "PT.VINHPHUC",
            "--goal",
            "II.2.h",
            "--lang",
            lang,
        ])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.is_empty(), "{stderr}");
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn explain_of_the_ward_is_met_with_the_warning_about_data_before_the_plan() {
    let (code, out) = run("explain", "en");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("Status: ✓ met"), "{out}");
    assert!(
        out.contains(
            "⚠ judged on data of 2025-Q3, before the plan's period (which starts 2026-01-01)"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "online_rate = online_dossiers / total_dossiers = 3,410 / 3,806 = 89.60% (2025-Q3)"
        ),
        "{out}"
    );
}

#[test]
fn eval_of_the_ward_is_met_with_the_warning_in_vietnamese() {
    let (code, out) = run("eval", "vi");
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("✓ đạt              II.2.h")
            && out.contains("89,60% / mục tiêu > 80,00% [2025-Q3]"),
        "{out}"
    );
    assert!(
        out.contains(
            "⚠ đánh giá trên số liệu kỳ 2025-Q3, trước thời kỳ của kế hoạch (bắt đầu 2026-01-01)"
        ),
        "{out}"
    );
}

#[test]
fn the_parent_province_is_marked_inferred() {
    let units = std::fs::read_to_string("examples/vinh-phuc/units.csv").unwrap();
    assert!(
        units.contains("PT,UBND tỉnh Phú Thọ (suy luận),province,"),
        "{units}"
    );
    assert!(
        units.lines().any(|l| l.starts_with("# Inferred")),
        "{units}"
    );
}
