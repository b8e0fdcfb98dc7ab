//! Between the protocol's words and chitieu's: URIs and paths, UTF-16 positions and byte
//! offsets, diagnostics.

use crate::diag::{Diagnostic, Severity};
use crate::lang::Lang;
use crate::source::{Location, SourceFile, Utf16Position};
use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, NumberOrString, Position, Range, Uri,
};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The path of a `file:` URI, percent-decoded and normalised; `None` for other schemes
/// (an unsaved `untitled:` buffer has no folder to resolve includes from).
pub(crate) fn path_of(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file://host/path`: only the local host is a file here.
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    if !path.starts_with('/') {
        return None;
    }
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = || {
            let h = bytes.get(i + 1..i + 3)?;
            u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()
        };
        match (b, hex()) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    let path = String::from_utf8(out).ok()?;
    Some(crate::files::normalise(Path::new(&path)))
}

/// The `file:` URI of a path (made absolute against the working folder).
pub(crate) fn uri_of(path: &Path) -> Option<Uri> {
    let path = std::path::absolute(path).ok()?;
    let path = crate::files::normalise(&path);
    let mut uri = String::from("file://");
    for &b in path.to_str()?.as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&uri).ok()
}

fn position(p: Utf16Position) -> Position {
    Position::new(
        u32::try_from(p.line).unwrap_or(u32::MAX),
        u32::try_from(p.character).unwrap_or(u32::MAX),
    )
}

/// The protocol's range of a location.
pub(crate) fn range(loc: &Location) -> Range {
    let (start, end) = loc.utf16_range();
    Range::new(position(start), position(end))
}

/// The protocol's range of a byte range of a file.
pub(crate) fn range_in(file: &SourceFile, start: usize, end: usize) -> Range {
    Range::new(
        position(file.utf16_position(start)),
        position(file.utf16_position(end)),
    )
}

/// The byte offset of a protocol position: a line past the end is the end of the text, a
/// column past its line's end is the line's end.
pub(crate) fn offset(file: &SourceFile, p: Position) -> usize {
    let at = Utf16Position {
        line: usize::try_from(p.line).unwrap_or(usize::MAX),
        character: usize::try_from(p.character).unwrap_or(usize::MAX),
    };
    match file.offset_of_utf16(at) {
        Some(o) => o,
        // Inside a surrogate pair: the character's start.
        None if at.line < file.text().lines().count() => {
            let mut back = at;
            loop {
                back.character = back.character.saturating_sub(1);
                if let Some(o) = file.offset_of_utf16(back) {
                    break o;
                }
                if back.character == 0 {
                    break 0;
                }
            }
        }
        None => file.text().len(),
    }
}

/// A chitieu diagnostic as the protocol carries it: the same code and message as `check`, the
/// help line after the message, the place first seen as related information, and the
/// did-you-mean suggestion as data (`{"suggestion": …}`), which the quick fix applies.
pub(crate) fn diagnostic(d: &Diagnostic, lang: Lang) -> lsp_types::Diagnostic {
    let at = d.location.as_ref().map(range).unwrap_or_default();
    let mut message = d.message(lang);
    if let Some(help) = d.help(lang) {
        message.push_str(&format!("\n{}: {help}", lang.pick("gợi ý", "help")));
    }
    let related = d.related.as_ref().and_then(|r| {
        Some(vec![DiagnosticRelatedInformation {
            location: lsp_types::Location::new(uri_of(Path::new(r.file.path()))?, range(r)),
            message: lang
                .pick("khai báo lần đầu ở đây", "first defined here")
                .to_string(),
        }])
    });
    lsp_types::Diagnostic {
        range: at,
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code().to_string())),
        source: Some("chitieu".to_string()),
        message,
        related_information: related,
        data: d
            .suggestion()
            .map(|s| serde_json::json!({ "suggestion": s })),
        ..lsp_types::Diagnostic::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_and_paths_round_trip() {
        let uri = Uri::from_str("file:///tmp/k%E1%BA%BF%20ho%E1%BA%A1ch/p.yaml").unwrap();
        let path = path_of(&uri).unwrap();
        assert_eq!(path, PathBuf::from("/tmp/kế hoạch/p.yaml"));
        assert_eq!(uri_of(&path).unwrap(), uri);
        assert_eq!(
            path_of(&Uri::from_str("untitled:Untitled-1").unwrap()),
            None
        );
    }

    #[test]
    fn positions_past_the_end_are_clamped() {
        let f = SourceFile::new("x", "ab\n😀c\n");
        assert_eq!(offset(&f, Position::new(1, 2)), 7);
        assert_eq!(offset(&f, Position::new(1, 1)), 3);
        assert_eq!(offset(&f, Position::new(1, 99)), 8);
        assert_eq!(offset(&f, Position::new(9, 0)), f.text().len());
    }
}
