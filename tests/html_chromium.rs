//! The HTML report of the README's main command, rendered in headless Chromium: it loads
//! without console errors, its charts are in the DOM, and its screenshot is not blank.
//!
//! Runs only with `CHITIEU_CHROMIUM=1` (`.ci/run` installs Chromium and sets it); otherwise it
//! prints a note and passes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

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
    eprintln!("note: set CHITIEU_CHROMIUM=1 to render the HTML report in headless Chromium");
    false
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chitieu-chromium-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn report(dir: &Path, lang: &str) -> PathBuf {
    let out = Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args(common::main_args(
            "eval",
            &["--format", "html", "--lang", lang],
        ))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = dir.join("report.html");
    std::fs::write(&page, &out.stdout).unwrap();
    page
}

fn chromium(dir: &Path, extra: &[String], page: &Path) -> std::process::Output {
    let profile = dir.join(format!("profile-{}", extra.len()));
    std::fs::create_dir_all(&profile).unwrap();
    Command::new("chromium")
        .args(CHROMIUM_FLAGS)
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium is installed (apt-get install chromium)")
}

/// Console messages, uncaught exceptions and failed loads as Chromium logs them. Chromium
/// logs `console.error` at level INFO, so every console line counts: the page has no script.
fn console_errors(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught") || l.contains("net::ERR_"))
        .collect()
}

#[test]
fn console_error_lines_are_recognised() {
    // As Chromium 14x prints them for `console.error("boom"); undefined_fn()`.
    let log = "[1:1:1124/000058.065158:INFO:CONSOLE:1] \"boom\", source: file:///bad.html (1)\n\
               [1:1:1124/000058.067355:INFO:CONSOLE:1] \"Uncaught ReferenceError: undefined_fn is not defined\", source: file:///bad.html (1)\n\
               [1:2:1124/000058.000000:ERROR:dbus/bus.cc:405] Failed to connect to the bus";
    assert_eq!(console_errors(log).len(), 2);
}

fn check_language(lang: &str, heading: &str) {
    if !enabled() {
        return;
    }
    let dir = scratch(lang);
    let page = report(&dir, lang);

    // The DOM after load, with Chromium's log on stderr: no console error, charts present.
    let dom = chromium(
        &dir,
        &[
            "--enable-logging=stderr".into(),
            "--v=0".into(),
            "--dump-dom".into(),
        ],
        &page,
    );
    let stderr = String::from_utf8_lossy(&dom.stderr);
    let errors = console_errors(&stderr);
    assert!(errors.is_empty(), "console errors:\n{}", errors.join("\n"));
    let html = String::from_utf8_lossy(&dom.stdout);
    assert!(html.contains("<svg class=\"chart\""), "no chart in the DOM");
    assert!(html.contains("class=\"observed\""), "no observed series");
    assert!(html.contains("class=\"target\""), "no target");
    assert!(
        html.contains("<svg class=\"bar\""),
        "no actual-vs-target bar"
    );
    assert!(html.contains(heading), "heading `{heading}` missing");

    // The screenshot is not blank: many distinct colours and a fair share of non-white pixels.
    let png = dir.join("shot.png");
    let shot = chromium(
        &dir,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1200,1600".into(),
            "--hide-scrollbars".into(),
        ],
        &page,
    );
    assert!(
        png.exists(),
        "no screenshot: {}",
        String::from_utf8_lossy(&shot.stderr)
    );
    let decoder = png::Decoder::new(std::fs::File::open(&png).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let bytes = &buf[..info.buffer_size()];
    let channels = info.color_type.samples();
    assert!(
        channels >= 3,
        "unexpected colour type {:?}",
        info.color_type
    );
    let mut colours = std::collections::HashSet::new();
    let mut ink = 0usize;
    let pixels = bytes.len() / channels;
    for px in bytes.chunks(channels) {
        let rgb = (px[0], px[1], px[2]);
        colours.insert(rgb);
        if rgb != (255, 255, 255) {
            ink += 1;
        }
    }
    assert_eq!((info.width, info.height), (1200, 1600));
    assert!(colours.len() > 50, "only {} colours", colours.len());
    assert!(
        ink * 100 > pixels * 3,
        "{ink} of {pixels} pixels are not white: blank page?"
    );
    // The status colours are on screen: green (met/on track) and red (not met).
    assert!(
        colours
            .iter()
            .any(|&(r, g, b)| g > 120 && r < 80 && b < 100),
        "no green"
    );
    assert!(
        colours.iter().any(|&(r, g, b)| r > 180 && g < 60 && b < 70),
        "no red"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn html_report_renders_in_chromium_en() {
    check_language("en", "Evaluated as of 2026-10-31");
}

#[test]
fn html_report_renders_in_chromium_vi() {
    check_language("vi", "Đánh giá đến ngày 31/10/2026");
}
