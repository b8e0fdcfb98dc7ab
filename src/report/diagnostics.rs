//! Rendering diagnostics: for people (a snippet of the file with the fault underlined) and
//! for machines (`chitieu.check/v1` JSON).

use super::xml;
use crate::diag::{Diagnostic, Severity};
use crate::lang::Lang;
use crate::source::Location;
use serde_json::{Value, json};
use std::fmt::Write as _;

/// Colours for terminals; plain text elsewhere.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Style {
    /// Whether to emit ANSI colour codes.
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// Renders a diagnostic the way compilers do: the message, the place, the line with the
/// offending text underlined, and the help line.
///
/// ```
/// use chitieu::diag::{Diagnostic, Kind, Thing};
/// use chitieu::lang::Lang;
/// use chitieu::source::{Location, SourceFile};
/// let file = SourceFile::new("plan.yaml", "rule: online_rat > 80%\n");
/// let d = Diagnostic::error(
///     Kind::UnknownName { thing: Thing::Indicator, name: "online_rat".into(),
///                         suggestion: Some("online_rate".into()) },
///     Location::new(&file, 6, 16),
/// );
/// let text = chitieu::report::render_diagnostic(&d, Lang::En, Default::default());
/// assert!(text.contains("plan.yaml:1:7"));
/// assert!(text.contains("^^^^^^^^^^"));
/// assert!(text.contains("did you mean `online_rate`?"));
/// ```
pub fn render_diagnostic(d: &Diagnostic, lang: Lang, style: Style) -> String {
    let mut out = String::new();
    let (word, color) = match d.severity {
        Severity::Error => (lang.pick("lỗi", "error"), "1;31"),
        Severity::Warning => (lang.pick("cảnh báo", "warning"), "1;33"),
    };
    let head = format!("{word}[{}]", d.code());
    let _ = writeln!(
        out,
        "{}: {}",
        style.paint(color, &head),
        style.paint("1", &d.message(lang))
    );
    match &d.location {
        Some(loc) => snippet(&mut out, loc, color, style),
        None => {
            if let Some(path) = &d.path {
                let _ = writeln!(out, "  {} {path}", style.paint("1;34", "-->"));
            }
        }
    }
    if let Some(related) = &d.related {
        let _ = writeln!(
            out,
            "{}: {}",
            style.paint("1;36", lang.pick("ghi chú", "note")),
            lang.pick("khai báo lần đầu ở đây", "first defined here")
        );
        snippet(&mut out, related, "1;36", style);
    }
    if let Some(help) = d.help(lang) {
        let pad = d
            .location
            .as_ref()
            .map_or(1, |l| l.start_line_col().0.to_string().len());
        let _ = writeln!(
            out,
            "{} {} {}: {help}",
            " ".repeat(pad),
            style.paint("1;34", "="),
            style.paint("1", lang.pick("gợi ý", "help"))
        );
    }
    out
}

fn snippet(out: &mut String, loc: &Location, color: &str, style: Style) {
    let (line, col) = loc.start_line_col();
    let (end_line, end_col) = loc.end_line_col();
    let number = line.to_string();
    let pad = " ".repeat(number.len());
    let bar = style.paint("1;34", "|");
    let _ = writeln!(
        out,
        "{pad}{} {}:{line}:{col}",
        style.paint("1;34", "-->"),
        loc.file.path()
    );
    let full: Vec<char> = loc.file.line_text(line).chars().collect();
    let width = if end_line == line {
        end_col.saturating_sub(col).max(1)
    } else {
        full.len().saturating_sub(col - 1).max(1)
    };
    // Long lines are cropped to a window around the fault.
    let (first, last) = if full.len() > MAX_SHOWN {
        let first = (col - 1)
            .saturating_sub(CONTEXT)
            .min(full.len() - MAX_SHOWN);
        (first, first + MAX_SHOWN)
    } else {
        (0, full.len())
    };
    let mut text: String = full.get(first..last).unwrap_or_default().iter().collect();
    let mut indent = col - 1 - first.min(col - 1);
    if first > 0 {
        text.insert(0, '…');
        indent += 1;
    }
    if last < full.len() {
        text.push('…');
    }
    let width = width.min(last.saturating_sub(col - 1).max(1));
    let _ = writeln!(out, "{pad} {bar}");
    let _ = writeln!(out, "{} {bar} {text}", style.paint("1;34", &number));
    let _ = writeln!(
        out,
        "{pad} {bar} {}{}",
        " ".repeat(indent),
        style.paint(color, &"^".repeat(width))
    );
}

/// Characters of a source line shown at most, and before the fault when cropping.
const MAX_SHOWN: usize = 100;
const CONTEXT: usize = 30;

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
