//! Rendering diagnostics: for people (a snippet of the file with the fault underlined) and
//! for machines (`chitieu.check/v1` JSON).

use super::xml;
use crate::diag::{Diagnostic, Severity};
use crate::lang::Lang;
use crate::source::Location;
use annotate_snippets::{
    Annotation, AnnotationKind, Element, Group, Level, Origin, Renderer, Snippet,
};
use serde_json::{Value, json};
use std::fmt::Write as _;

/// Colours for terminals; plain text elsewhere.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Style {
    /// Whether to emit ANSI colour codes.
    pub color: bool,
}

/// Renders a diagnostic the way compilers do: the message, the place, the line with the
/// offending text underlined, and the help line.
///
/// The snippet is drawn by `annotate-snippets` (the renderer rustc uses), which measures text
/// in terminal cells: the caret stays under the faulty text after decomposed Vietnamese (whose
/// combining marks take no cell), CJK and emoji (two cells each). The column printed after the
/// path counts characters, like the JSON and SARIF output.
///
/// ```
/// use chitieu::diag::{Common, Diagnostic, Thing};
/// use chitieu::lang::Lang;
/// use chitieu::source::{Location, SourceFile};
/// let file = SourceFile::new("plan.yaml", "rule: online_rat > 80%\n");
/// let d = Diagnostic::error(
///     Common::UnknownName { thing: Thing::Indicator, name: "online_rat".into(),
///                         suggestion: Some("online_rate".into()) },
///     Location::new(&file, 6, 16),
/// );
/// let text = chitieu::report::render_diagnostic(&d, Lang::En, Default::default());
/// assert!(text.contains("plan.yaml:1:7"));
/// assert!(text.contains("^^^^^^^^^^"));
/// assert!(text.contains("did you mean `online_rate`?"));
/// ```
pub fn render_diagnostic(d: &Diagnostic, lang: Lang, style: Style) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR.with_name(lang.pick("lỗi", "error")),
        Severity::Warning => Level::WARNING.with_name(lang.pick("cảnh báo", "warning")),
    };
    let message = d.message(lang);
    let mut main: Vec<Element<'_>> = Vec::new();
    match (&d.location, &d.path) {
        (Some(loc), _) => main.push(snippet(loc).into()),
        (None, Some(path)) => main.push(Origin::path(path.as_str()).into()),
        (None, None) => {}
    }
    let help = d.help(lang);
    let help_level = Level::HELP.with_name(lang.pick("gợi ý", "help"));
    let mut report: Vec<Group<'_>> = Vec::new();
    match &d.related {
        // The help line belongs to the fault, so it follows the note when there is one.
        Some(related) => {
            report.push(level.primary_title(message).id(d.code()).elements(main));
            let mut note = vec![Element::from(snippet(related))];
            note.extend(help.map(|h| Element::from(help_level.message(h))));
            report.push(
                Level::NOTE
                    .with_name(lang.pick("ghi chú", "note"))
                    .secondary_title(lang.pick("khai báo lần đầu ở đây", "first defined here"))
                    .elements(note),
            );
        }
        None => {
            main.extend(help.map(|h| Element::from(help_level.message(h))));
            report.push(level.primary_title(message).id(d.code()).elements(main));
        }
    }
    let renderer = if style.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = renderer.render(&report);
    // In a sheet, the place is the cell in the spreadsheet's notation (`Số liệu!D7`), not the
    // line and column of the row's text.
    for loc in d.location.iter().chain(&d.related) {
        if let Some(cell) = loc.cell() {
            let (line, col) = loc.start_line_col();
            let path = loc.file.path();
            out = out.replacen(
                &format!("{path}:{line}:{col}"),
                &format!("{path}:{cell}"),
                1,
            );
        }
    }
    out.push('\n');
    out
}

/// The lines a location spans, as a snippet with the location underlined.
///
/// Only those lines are handed to the renderer (a data file can have a million lines); the
/// span is shifted to match.
fn snippet(loc: &Location) -> Snippet<'_, Annotation<'_>> {
    let file = &loc.file;
    let (line, _) = loc.start_line_col();
    let (first, last) = file.line_span(loc.start, loc.end);
    let text = file.text().get(first..last).unwrap_or_default();
    let start = loc.start.saturating_sub(first).min(text.len());
    let end = loc.end.saturating_sub(first).min(text.len()).max(start);
    Snippet::source(text)
        .line_start(line)
        .path(file.path())
        .annotation(AnnotationKind::Primary.span(start..end))
}

/// The JSON object of one diagnostic, as `chitieu.check/v1` lists them.
pub fn diagnostic_json(d: &Diagnostic, lang: Lang) -> Value {
    let (line, column, end_line, end_column) = match &d.location {
        Some(loc) => {
            let (l, c) = loc.start_line_col();
            let (el, ec) = loc.end_line_col();
            (Some(l), Some(c), Some(el), Some(ec))
        }
        None => (None, None, None, None),
    };
    json!({
        "file": d.file(),
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "severity": d.severity,
        "code": d.code(),
        "message": d.message(lang),
        "help": d.help(lang),
    })
}

/// The `chitieu.check/v1` document for a set of files and their diagnostics.
pub fn check_json(files: &[String], diagnostics: &[Diagnostic], lang: Lang) -> Value {
    json!({
        "schema": "chitieu.check/v1",
        "files": files,
        "diagnostics": diagnostics.iter().map(|d| diagnostic_json(d, lang)).collect::<Vec<_>>(),
    })
}

/// JUnit XML for `check`: one test case per file, failing with its errors.
pub fn check_junit(files: &[String], diagnostics: &[Diagnostic], lang: Lang) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let errors = |f: &str| -> Vec<&Diagnostic> {
        diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error && d.file() == Some(f))
            .collect()
    };
    let failures = files.iter().filter(|f| !errors(f).is_empty()).count();
    let _ = writeln!(
        out,
        "<testsuites name=\"chitieu check\" tests=\"{}\" failures=\"{failures}\">",
        files.len()
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"chitieu check\" tests=\"{}\" failures=\"{failures}\">",
        files.len()
    );
    for f in files {
        let _ = write!(
            out,
            "    <testcase classname=\"chitieu.check\" name=\"{}\"",
            xml(f)
        );
        let found = errors(f);
        if found.is_empty() {
            let _ = writeln!(out, "/>");
            continue;
        }
        let body: Vec<String> = found
            .iter()
            .map(|d| render_diagnostic(d, lang, Style::default()))
            .collect();
        let _ = writeln!(
            out,
            ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
            xml(&found.first().map(|d| d.message(lang)).unwrap_or_default()),
            xml(&body.join("\n"))
        );
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}
