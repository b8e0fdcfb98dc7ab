//! The HTML folder reports (`eval --format html -o DIR`, and with `--history`) of a reduced
//! national workload rendered in headless Chromium: the index and a province page load without
//! console errors, with their charts in the DOM, and their screenshots are not blank.
//!
//! Runs only with `CHITIEU_CHROMIUM=1` (`.ci/run` installs Chromium and sets it), as
//! `tests/html_chromium.rs`; otherwise it prints a note and passes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[allow(dead_code)]
#[path = "../examples/national.rs"]
mod national;

use std::path::{Path, PathBuf};
use std::process::Command;

const CHROMIUM_FLAGS: [&str; 5] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
];

fn enabled() -> bool {
    if std::env::var("CHITIEU_CHROMIUM").as_deref() == Ok("1") {
        return true;
    }
    eprintln!("note: set CHITIEU_CHROMIUM=1 to render the HTML folder report in headless Chromium");
    false
}

/// 3 provinces of 4 departments, 15 communes, five years of months; its report as a folder.
fn site() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chitieu-site-chromium-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let units = national::units_sized(3, 4, 15);
    let (registry, observations) = national::csv_in_memory(&units, 60);
    std::fs::write(dir.join("plan.yaml"), national::plan()).unwrap();
    std::fs::write(dir.join("units.csv"), registry).unwrap();
    std::fs::write(dir.join("observations.csv"), observations).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .current_dir(&dir)
        .args([
            "eval",
            "plan.yaml",
            "--data",
            "observations.csv",
            "--units",
            "units.csv",
            "--as-of",
            "2028-06-30",
            "--format",
            "html",
            "-o",
            "site",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.code().unwrap() < 2,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

fn chromium(dir: &Path, name: &str, extra: &[String], page: &Path) -> std::process::Output {
    let profile = dir.join(format!("profile-{name}-{}", extra.len()));
    std::fs::create_dir_all(&profile).unwrap();
    Command::new("chromium")
        .args(CHROMIUM_FLAGS)
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium is installed (apt-get install chromium)")
}

/// Console messages, uncaught exceptions and failed loads (a broken link to a stylesheet or
/// image would be one) as Chromium logs them.
fn console_errors(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught") || l.contains("net::ERR_"))
        .collect()
}

fn check_page(dir: &Path, name: &str, expect: &[&str]) {
    let page = dir.join("site").join(name);
    let dom = chromium(
        dir,
        name,
        &[
            "--enable-logging=stderr".into(),
            "--v=0".into(),
            "--dump-dom".into(),
        ],
        &page,
    );
    let errors = console_errors(std::str::from_utf8(&dom.stderr).unwrap_or_default()).join("\n");
    assert!(errors.is_empty(), "{name}: console errors:\n{errors}");
    let html = String::from_utf8_lossy(&dom.stdout);
    for e in expect {
        assert!(html.contains(e), "{name}: `{e}` missing from the DOM");
    }
    let png = dir.join(format!("{name}.png"));
    let shot = chromium(
        dir,
        name,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1200,1600".into(),
            "--hide-scrollbars".into(),
        ],
        &page,
    );
    assert!(
        png.exists(),
        "{name}: no screenshot: {}",
        String::from_utf8_lossy(&shot.stderr)
    );
    let decoder = png::Decoder::new(std::fs::File::open(&png).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let bytes = &buf[..info.buffer_size()];
    let mut colours = std::collections::HashSet::new();
    let mut ink = 0usize;
    for px in bytes.chunks(channels) {
        let rgb = (px[0], px[1], px[2]);
        colours.insert(rgb);
        if rgb != (255, 255, 255) {
            ink += 1;
        }
    }
    assert!(colours.len() > 50, "{name}: only {} colours", colours.len());
    assert!(
        ink * 100 > bytes.len() / channels * 3,
        "{name}: blank page?"
    );
}

#[test]
fn folder_report_renders_in_chromium() {
    if !enabled() {
        return;
    }
    let dir = site();
    check_page(
        &dir,
        "index.html",
        &[
            "<figure class=\"distribution\"",
            "<table class=\"matrix\"",
            "href=\"unit-001-P01.html\"",
        ],
    );
    check_page(
        &dir,
        "unit-001-P01.html",
        &[
            "<svg class=\"chart\"",
            "<figure class=\"distribution\"",
            "href=\"index.html\"",
            "id=\"u-P01.X001\"",
        ],
    );
    // The history as a folder: its index and a province page.
    let out = Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .current_dir(&dir)
        .args([
            "eval",
            "plan.yaml",
            "--data",
            "observations.csv",
            "--units",
            "units.csv",
            "--history",
            "2026-01..2028-12",
            "--format",
            "html",
            "-o",
            "site",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.code().unwrap() < 2,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    check_page(
        &dir,
        "index.html",
        &["<figure class=\"history\"", "href=\"unit-001-P01.html\""],
    );
    check_page(
        &dir,
        "unit-001-P01.html",
        &[
            "<figure class=\"history\"",
            "href=\"index.html\"",
            "id=\"u-P01.X001\"",
        ],
    );
    let _ = std::fs::remove_dir_all(&dir);
}
