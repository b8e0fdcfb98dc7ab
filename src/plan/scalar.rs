//! Mapping offsets inside a YAML scalar's value back to the file.
//!
//! A rule like `rule: "online_rat > 80%"` is parsed from the scalar's *value*; a fault found at
//! byte 0 of the value must be shown at the file position of `o`, one past the quote. Quoted,
//! folded and block scalars move text around (quotes, escapes, indentation, line folding), so
//! the value is aligned with the raw text character by character: every value character is
//! found, in order, in the raw text, skipping only what YAML removes. When the alignment fails
//! (an escape that changes a character, an alias) every offset falls back to the scalar's start.

use crate::source::{Location, SourceFile};
use crate::syntax::Span;
use std::sync::Arc;

/// A scalar's value with the file offset of each of its bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct ScalarText {
    /// The scalar's value.
    pub text: String,
    file: Arc<SourceFile>,
    /// File offset of each byte of `text`, plus one for the end.
    offsets: Vec<usize>,
    /// Where the scalar node starts and ends in the file.
    node: (usize, usize),
}

impl ScalarText {
    /// Aligns `value` with the raw scalar at `start..end` of `file`.
    pub fn new(file: &Arc<SourceFile>, value: String, start: usize, end: usize) -> ScalarText {
        let offsets =
            align(file.text(), &value, start, end).unwrap_or_else(|| vec![start; value.len() + 1]);
        ScalarText {
            text: value,
            file: Arc::clone(file),
            offsets,
            node: (start, end),
        }
    }

    /// The file location of a span of the value.
    pub fn locate(&self, span: Span) -> Location {
        let at = |i: usize| {
            self.offsets
                .get(i)
                .or(self.offsets.last())
                .copied()
                .unwrap_or(self.node.0)
        };
        let start = at(span.start);
        let end = if span.end > span.start {
            // One past the last byte of the span: the last byte's position plus one.
            at(span.end - 1) + 1
        } else {
            start
        };
        Location::new(&self.file, start, end)
    }

    /// The byte of the value written at file offset `offset` (the value's end for the offset
    /// just past its last byte): where an editor's cursor stands inside the rule text. `None`
    /// outside the value, or when the value could not be aligned with the file's text.
    ///
    /// ```
    /// use chitieu::plan::ScalarText;
    /// use chitieu::source::SourceFile;
    /// let f = SourceFile::new("p.yaml", "rule: \"x > 80%\"\n");
    /// let t = ScalarText::new(&f, "x > 80%".into(), 6, 15);
    /// assert_eq!(t.value_offset(11), Some(4));
    /// assert_eq!(t.value_offset(14), Some(7));
    /// assert_eq!(t.value_offset(6), None);
    /// ```
    pub fn value_offset(&self, offset: usize) -> Option<usize> {
        let aligned = self.offsets.windows(2).all(|w| w.first() < w.last());
        if !aligned {
            return None;
        }
        self.offsets.iter().position(|&o| o == offset)
    }

    /// The location of the whole scalar node, quotes included.
    pub fn node(&self) -> Location {
        Location::new(&self.file, self.node.0, self.node.1)
    }
}

/// Where the scalar node whose content the YAML reader places at `start` begins. For a block
/// scalar (`|`, `>-`, `|2+`…) the reader's span starts at the first content line, after the
/// header; the header belongs to the node, and `fmt` must see it to leave the scalar alone.
pub(super) fn node_start(src: &str, start: usize) -> usize {
    block_header(src, start).unwrap_or(start)
}

fn block_header(src: &str, start: usize) -> Option<usize> {
    let before = src.get(..start)?;
    // Block content starts a line, after its indentation.
    let mut line_start = before.rfind('\n').map_or(0, |i| i + 1);
    if !before
        .get(line_start..)?
        .chars()
        .all(|c| c == ' ' || c == '\t')
        || line_start == 0
    {
        return None;
    }
    // The header is on the nearest earlier line that is not blank (leading blank lines are
    // part of the content).
    let header = loop {
        let prev = before.get(..line_start - 1)?;
        let prev_start = prev.rfind('\n').map_or(0, |i| i + 1);
        let line = prev.get(prev_start..)?;
        if !line.trim().is_empty() {
            break (prev_start, line);
        }
        if prev_start == 0 {
            return None;
        }
        line_start = prev_start;
    };
    let (line_at, line) = header;
    let mut after_space = true;
    for (i, c) in line.char_indices() {
        if c == '#' && after_space {
            // A comment: no header after it.
            return None;
        }
        if (c == '|' || c == '>') && after_space {
            let rest = line.get(i + 1..)?;
            let rest =
                rest.trim_start_matches(|c: char| c == '+' || c == '-' || c.is_ascii_digit());
            let rest = rest.trim_start();
            if rest.is_empty() || rest.starts_with('#') {
                return Some(line_at + i);
            }
        }
        after_space = c == ' ' || c == '\t';
    }
    None
}

fn align(src: &str, value: &str, start: usize, end: usize) -> Option<Vec<usize>> {
    let raw = src.get(start..end)?;
    let mut pos = start;
    let first = raw.chars().next();
    match first {
        Some('"') | Some('\'') => pos += 1,
        Some('|') | Some('>') => {
            // Skip the block header line (`>-`, `|2+`, a comment).
            let nl = raw.find('\n')?;
            pos += nl + 1;
        }
        _ => {}
    }
    let mut offsets = Vec::with_capacity(value.len() + 1);
    let mut rest = src.get(pos..end)?.char_indices();
    for (vi, vc) in value.char_indices() {
        let found = loop {
            let Some((i, rc)) = rest.next() else {
                // A block scalar's final line break lies past the node's end.
                if value.get(vi..).is_some_and(|t| t.trim().is_empty()) {
                    break end;
                }
                return None;
            };
            if rc == vc {
                break pos + i;
            }
            // YAML may drop whitespace, quotes and escape backslashes; anything else means
            // the value is not a plain subsequence of the raw text.
            if !(rc.is_whitespace() || rc == '\\' || rc == '"' || rc == '\'') {
                return None;
            }
        };
        for b in 0..vc.len_utf8() {
            offsets.push(found + b);
        }
    }
    let last = offsets.last().map_or(pos, |&o| o + 1);
    offsets.push(last);
    Some(offsets)
}

/// Serializes a scalar as its value.
pub(super) fn text<S: serde::Serializer>(t: &ScalarText, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locate(src: &str, value: &str, needle: &str) -> (usize, usize, String) {
        let file = SourceFile::new("t.yaml", src);
        let colon = src.find("rule:").unwrap() + 6;
        let end = src.len() - 1;
        let st = ScalarText::new(&file, value.to_string(), colon, end);
        let i = value.find(needle).unwrap();
        let loc = st.locate(Span::new(i, i + needle.len()));
        let (l, c) = loc.start_line_col();
        (l, c, loc.text().to_string())
    }

    #[test]
    fn plain_and_quoted_scalars() {
        let v = "online_rat > 80%";
        assert_eq!(
            locate("rule: online_rat > 80%\n", v, "online_rat"),
            (1, 7, "online_rat".into())
        );
        assert_eq!(
            locate("rule: \"online_rat > 80%\"\n", v, "online_rat"),
            (1, 8, "online_rat".into())
        );
        assert_eq!(
            locate("rule: 'a''b > 80%'\n", "a'b > 80%", "80%"),
            (1, 15, "80%".into())
        );
    }

    #[test]
    fn folded_and_block_scalars() {
        let src = "rule: >-\n  online_rate >\n  80% by 2030-12-31\n";
        assert_eq!(
            locate(src, "online_rate > 80% by 2030-12-31", "80%"),
            (3, 3, "80%".into())
        );
        let src = "rule: \"x >\n   online_rat\"\n";
        assert_eq!(
            locate(src, "x > online_rat", "online_rat"),
            (2, 4, "online_rat".into())
        );
        let src = "rule: |\n  - x > 1\n";
        assert_eq!(locate(src, "- x > 1\n", "-"), (2, 3, "-".into()));
    }

    #[test]
    fn unalignable_text_falls_back_to_the_node() {
        let src = "rule: \"\\u0041 > 1\"\n";
        let (l, c, _) = locate(src, "A > 1", "1");
        assert_eq!((l, c), (1, 7));
    }
}
