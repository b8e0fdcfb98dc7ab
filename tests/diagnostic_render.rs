//! The caret under the faulty text when the line holds text that is not one terminal cell per
//! character: Vietnamese typed in decomposed form (NFD, as Unikey's "Unicode tổ hợp" and macOS
//! produce: the combining marks take no cell), CJK and emoji (two cells each). Columns in JSON
//! stay code points; UTF-16 positions are offered for a language server.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chitieu::diag::Diagnostic;
use chitieu::lang::Lang;
use chitieu::report::{Style, diagnostic_json, render_diagnostic};
use chitieu::source::Utf16Position;

/// "Tỷ lệ hồ sơ trực tuyến" in decomposed form: 32 code points for 22 letters.
const NFD_TITLE: &str =
    "Ty\u{309} le\u{323}\u{302} ho\u{302}\u{300} so\u{31b} tru\u{31b}\u{323}c tuye\u{302}\u{301}n";

/// A plan whose one goal sits on one line: `prefix` in its title, then the rule with the
/// unknown name `online_rat`.
fn plan(prefix: &str) -> String {
    format!(
        "chitieu: 1
plan:
  id: \"T/KH\"
  title: \"Kế hoạch thử\"
  period: 2026-01-01 .. 2030-12-31
indicators:
  online_rate: {{ name: \"Tỷ lệ hồ sơ trực tuyến\", unit: percent }}
goals:
  - {{ id: g1, title: \"{prefix}\", rule: \"online_rat > 80% by 2030-12-31\" }}
"
    )
}

/// The one diagnostic of checking `text`.
fn diagnose(text: &str) -> Diagnostic {
    let (plan, mut diags) = chitieu::plan::load_str("plan.yaml", text);
    if let Some(plan) = &plan {
        diags.extend(chitieu::check::check(plan));
    }
    assert_eq!(diags.len(), 1, "{diags:#?}");
    diags.pop().unwrap()
}

/// Terminal cells of a character, judged independently of the renderer: combining marks take
/// none, CJK ideographs and emoji two, everything else here one.
fn cells(c: char) -> usize {
    match c {
        '\u{300}'..='\u{36f}' => 0,
        '\u{4e00}'..='\u{9fff}' | '\u{1f300}'..='\u{1faff}' => 2,
        _ => 1,
    }
}

/// Checks that the rendered caret line underlines exactly `online_rat` on the source line.
fn assert_caret_under_name(rendered: &str) {
    let lines: Vec<&str> = rendered.lines().collect();
    let source = lines
        .iter()
        .position(|l| l.contains("rule: \"online_rat"))
        .unwrap_or_else(|| panic!("no source line in\n{rendered}"));
    let (gutter, text) = lines[source].split_once(" | ").unwrap();
    let carets = lines[source + 1];
    let marks = carets.get(gutter.len() + 3..).unwrap();
    let before = &text[..text.find("online_rat").unwrap()];
    let width: usize = before.chars().map(cells).sum();
    assert_eq!(
        marks,
        format!("{}{}", " ".repeat(width), "^".repeat("online_rat".len())),
        "caret misplaced in\n{rendered}"
    );
}

fn render_both(text: &str) -> String {
    let d = diagnose(text);
    let en = render_diagnostic(&d, Lang::En, Style::default());
    let vi = render_diagnostic(&d, Lang::Vi, Style::default());
    assert_caret_under_name(&en);
    assert_caret_under_name(&vi);
    format!("{en}\n{vi}")
}

#[test]
fn caret_sits_under_the_name_after_decomposed_vietnamese() {
    assert!(NFD_TITLE.chars().count() == 32 && NFD_TITLE.contains('\u{323}'));
    insta::assert_snapshot!("nfd", render_both(&plan(NFD_TITLE)));
}

#[test]
fn caret_sits_under_the_name_after_cjk() {
    insta::assert_snapshot!("cjk", render_both(&plan("在线服务 trực tuyến")));
}

#[test]
fn caret_sits_under_the_name_after_emoji() {
    insta::assert_snapshot!("emoji", render_both(&plan("🎯 mục tiêu 📈")));
}

#[test]
fn caret_sits_under_the_name_after_all_three() {
    let prefix = format!("{NFD_TITLE} 在线 🎯");
    insta::assert_snapshot!("mixed", render_both(&plan(&prefix)));
}

#[test]
fn json_columns_count_code_points_and_utf16_positions_count_units() {
    // `  - { id: g1, title: "` is 22 characters; the rule starts 10 characters after the title.
    let cases = [
        (NFD_TITLE.to_string(), 32, 32),
        ("在线服务".to_string(), 4, 4),
        ("🎯📈".to_string(), 2, 4),
        (format!("{NFD_TITLE} 在线 🎯"), 32 + 4 + 1, 32 + 4 + 2),
    ];
    for (prefix, code_points, utf16_units) in cases {
        let d = diagnose(&plan(&prefix));
        assert_eq!(d.code(), "unknown-name");
        let json = diagnostic_json(&d, Lang::En);
        let column = 22 + code_points + 10 + 1;
        assert_eq!(json["line"], 9, "{prefix}");
        assert_eq!(json["column"], column, "{prefix}");
        assert_eq!(json["end_line"], 9, "{prefix}");
        assert_eq!(json["end_column"], column + "online_rat".len(), "{prefix}");
        let loc = d.location.as_ref().unwrap();
        assert_eq!(loc.text(), "online_rat");
        let (start, end) = loc.utf16_range();
        let character = 22 + utf16_units + 10;
        assert_eq!(start, Utf16Position { line: 8, character }, "{prefix}");
        assert_eq!(
            end,
            Utf16Position {
                line: 8,
                character: character + 10
            }
        );
        assert_eq!(loc.file.offset_of_utf16(start), Some(loc.start));
        assert_eq!(loc.file.offset_of_utf16(end), Some(loc.end));
    }
}

#[test]
fn utf16_positions_refuse_the_middle_of_a_surrogate_pair() {
    let d = diagnose(&plan("🎯"));
    let file = &d.location.as_ref().unwrap().file;
    let inside = Utf16Position {
        line: 8,
        character: 23,
    };
    assert_eq!(file.offset_of_utf16(inside), None);
    let past_end = Utf16Position {
        line: 8,
        character: 10_000,
    };
    let line_end = file.text().rfind(" }\n").unwrap() + 2;
    assert_eq!(file.offset_of_utf16(past_end), Some(line_end));
    assert_eq!(
        file.offset_of_utf16(Utf16Position {
            line: 99,
            character: 0
        }),
        None
    );
}
