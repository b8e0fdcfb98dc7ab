//! `--lang vi|en`: every human-facing word in the chosen language, snapshots in both.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::process::Command;

fn run(args: &[&str]) -> (String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn eval(cmd: &str, extra: &[&str]) -> String {
    let mut args = vec![cmd];
    args.extend(common::MAIN_INPUTS);
    args.extend(extra);
    run(&args).0
}

/// English words that must not appear in Vietnamese output, and the reverse.
const EN_WORDS: [&str; 9] = [
    "not met",
    "on track",
    "off track",
    "no data",
    "Summary",
    "target",
    "Status",
    "help",
    "error[",
];
const VI_WORDS: [&str; 8] = [
    "không đạt",
    "đúng lộ trình",
    "chậm lộ trình",
    "không có số liệu",
    "Tổng hợp",
    "chỉ tiêu",
    "Trạng thái",
    "gợi ý",
];

fn assert_language(text: &str, lang: &str) {
    let banned: &[&str] = if lang == "vi" { &EN_WORDS } else { &VI_WORDS };
    for w in banned {
        assert!(!text.contains(w), "`{w}` in --lang {lang} output:\n{text}");
    }
}

/// The text outside tags and the style sheet.
fn strip_tags(page: &str) -> String {
    let body = page.split("</style>").nth(1).unwrap_or(page);
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn eval_reports_follow_lang() {
    for lang in ["vi", "en"] {
        for format in ["human", "markdown", "html", "github", "junit"] {
            let text = eval("eval", &["--format", format, "--lang", lang]);
            // HTML: the text a reader sees (class names are English by design).
            let checked = if format == "html" {
                strip_tags(&text)
            } else {
                text.clone()
            };
            assert_language(&checked, lang);
        }
    }
}

#[test]
fn markdown_snapshot_en() {
    insta::assert_snapshot!(
        "eval_markdown_en",
        eval("eval", &["--format", "markdown", "--lang", "en"])
    );
}

#[test]
fn explain_snapshots_in_both_languages() {
    for lang in ["vi", "en"] {
        let text = eval(
            "explain",
            &["--unit", "H61", "--goal", "II.2.c", "--lang", lang],
        );
        insta::assert_snapshot!(format!("explain_{lang}"), text);
    }
}

#[test]
fn every_check_fixture_in_vietnamese() {
    let mut files: Vec<_> = std::fs::read_dir("tests/fixtures/check")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let mut all = String::new();
    for f in &files {
        let (out, _) = run(&["check", "--lang", "vi", f.to_str().unwrap()]);
        assert!(out.contains("đã kiểm tra 1 tệp"), "{out}");
        for line in out
            .lines()
            .filter(|l| l.starts_with("lỗi[") || l.starts_with("cảnh báo["))
        {
            let message = line.split_once("]: ").map_or(line, |(_, m)| m);
            assert!(
                !message.contains("expected") && !message.contains("unknown"),
                "{line}"
            );
        }
        for line in out.lines().filter(|l| l.contains(" = ")) {
            assert!(!line.contains("help:"), "{line}");
        }
        all.push_str(&out);
        all.push('\n');
    }
    insta::assert_snapshot!("check_fixtures_vi", all);
}

#[test]
fn the_documented_default_language_is_the_real_one() {
    // docs/plan-format.md once said `lang` defaults to `vi`; a plan without `lang:` is English.
    let dir = std::env::temp_dir().join(format!("chitieu-lang-default-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let plan = dir.join("p.yaml");
    std::fs::write(
        &plan,
        "chitieu: 1\nplan:\n  id: T\n  title: T\n  period: 2026-01-01 .. 2030-12-31\n\
         indicators:\n  a: { name: A, unit: count }\ngoals:\n  - { id: g, title: G, rule: \"b > 1\" }\n",
    )
    .unwrap();
    let (out, _) = run(&["check", plan.to_str().unwrap()]);
    assert!(out.contains("unknown indicator"), "{out}");
    std::fs::remove_dir_all(&dir).unwrap();
    let doc = std::fs::read_to_string("docs/plan-format.md").unwrap();
    assert!(doc.contains("| `lang` | `vi` or `en` | no | `en` |"));
}
