//! Reading a plan file past its faulty entries, so that one `check` run reports every
//! independent fault instead of the first one.
//!
//! serde stops at the first key it cannot place (an unknown key, a missing one, a list where a
//! value belongs), which would hide every later fault of the file. When that fault lies inside
//! one entry of `indicators:` or `goals:`, the fault is reported, the entry is blanked (its
//! lines become spaces, so every other byte keeps its place and later findings keep their line
//! and column) and the file is read again, at most [`MAX_ROUNDS`] times. A fault anywhere else
//! (the header, an index, broken YAML) still stops the reading, as before.
//!
//! A blanked entry says nothing more: a blanked goal is not checked, and the ids of blanked
//! indicators are kept so that rules using them are not reported again for an unknown name.

use super::load::{yaml_error, yaml_options};
use super::raw;
use crate::diag::Diagnostic;
use crate::source::SourceFile;
use serde_saphyr::Error;
use std::sync::Arc;

/// How many faulty entries of one file are read past: each one costs a new reading of the
/// file, and a file with more is not worth reading to the end.
const MAX_ROUNDS: usize = 64;

/// What reading one plan file gave.
pub(super) struct Read {
    /// The file's contents without its faulty entries; `None` when a fault outside any entry
    /// stopped the reading.
    pub raw: Option<raw::File>,
    /// One diagnostic per fault, in the order found.
    pub diags: Vec<Diagnostic>,
    /// The ids of the indicators that were blanked.
    pub unreadable: Vec<String>,
}

/// Reads a plan file's YAML, blanking each entry serde cannot read.
pub(super) fn read(file: &Arc<SourceFile>) -> Read {
    let mut out = Read {
        raw: None,
        diags: Vec::new(),
        unreadable: Vec::new(),
    };
    // Copied only when an entry has to be blanked.
    let mut text: Option<Vec<u8>> = None;
    loop {
        let current = match &text {
            Some(bytes) => std::str::from_utf8(bytes).unwrap_or_default(),
            None => file.text(),
        };
        let e = match serde_saphyr::from_str_with_options::<raw::File>(current, yaml_options()) {
            Ok(raw) => {
                out.raw = Some(raw);
                return out;
            }
            Err(e) => e,
        };
        let d = yaml_error(file, &e);
        let entry = match &d.location {
            Some(at) if recoverable(&e) => entry_at(current, at.start),
            _ => None,
        };
        out.diags.push(d);
        let Some(entry) = entry.filter(|_| out.diags.len() <= MAX_ROUNDS) else {
            return out;
        };
        out.unreadable.extend(entry.indicator);
        let bytes = text.get_or_insert_with(|| file.text().as_bytes().to_vec());
        if let Some(lines) = bytes.get_mut(entry.bytes) {
            // Spaces for every byte but line breaks: ASCII in place of whole lines, so the text
            // stays UTF-8 and every other line keeps its bytes.
            for b in lines.iter_mut().filter(|b| !matches!(b, b'\n' | b'\r')) {
                *b = b' ';
            }
        }
    }
}

/// Whether a fault is about one node's shape (so the rest of the file is still readable), not
/// about the YAML itself or the reader's limits.
fn recoverable(e: &Error) -> bool {
    matches!(
        e,
        Error::SerdeUnknownField { .. }
            | Error::SerdeMissingField { .. }
            | Error::SerdeInvalidType { .. }
            | Error::SerdeInvalidValue { .. }
            | Error::SerdeInvalidLength { .. }
            | Error::SerdeUnknownVariant { .. }
            | Error::DuplicateMappingKey { .. }
            | Error::Unexpected { .. }
            | Error::NullIntoString { .. }
            | Error::Message { .. }
    )
}

/// An entry of `indicators:` or `goals:`: its whole lines, and the indicator's id.
#[derive(Debug, PartialEq)]
struct Entry {
    bytes: std::ops::Range<usize>,
    indicator: Option<String>,
}

/// The block-style entry of `indicators:` or `goals:` whose lines hold byte `offset`; `None`
/// when the offset is elsewhere or the section is not written one entry per indented block.
///
/// An entry starts on a line indented as the section's first entry and runs up to the next such
/// line or the next top-level key. When it is the section's only entry left, the section's key
/// goes with it (an empty `goals:` would be a null, not an empty list).
fn entry_at(text: &str, offset: usize) -> Option<Entry> {
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        lines.push((start, line));
        start += line.len();
    }
    let at = lines.iter().rposition(|&(s, _)| s <= offset)?;
    let section = (0..=at)
        .rev()
        .find(|&i| lines.get(i).is_some_and(|l| top(l.1)))?;
    let (_, head) = *lines.get(section)?;
    let (key, rest) = head.split_once(':')?;
    let rest = rest.trim();
    let goals = match key.trim().trim_matches(['"', '\'']) {
        "goals" => true,
        "indicators" => false,
        _ => return None,
    };
    if section == at || !(rest.is_empty() || rest.starts_with('#')) {
        return None;
    }
    let end = (section + 1..lines.len())
        .find(|&i| lines.get(i).is_some_and(|l| top(l.1)))
        .unwrap_or(lines.len());
    let body: Vec<(usize, usize)> = (section + 1..end)
        .filter_map(|i| {
            let line = lines.get(i)?.1;
            let content = line.trim_start_matches([' ', '\t']);
            let blank = content.trim().is_empty() || content.starts_with('#');
            (!blank).then_some((i, line.len() - content.len()))
        })
        .collect();
    let indent = body.first()?.1;
    let starts: Vec<usize> = body
        .iter()
        .filter(|&&(_, n)| n == indent)
        .map(|&(i, _)| i)
        .collect();
    let first = starts.iter().rposition(|&i| i <= at)?;
    let from = *starts.get(first)?;
    let line = lines.get(from)?.1.trim();
    if goals != (line == "-" || line.starts_with("- ")) {
        return None;
    }
    let to = starts.get(first + 1).copied().unwrap_or(end);
    let byte = |i: usize| lines.get(i).map_or(text.len(), |l| l.0);
    let indicator = (!goals).then(|| {
        let id = line.split_once(':').map_or(line, |(k, _)| k);
        id.trim().trim_matches(['"', '\'']).to_string()
    });
    let begin = if starts.len() == 1 { section } else { from };
    Some(Entry {
        bytes: byte(begin)..byte(to),
        indicator,
    })
}

/// Whether a line is a top-level key: it starts at the first column and is neither a comment
/// nor a list item (a sequence may sit at the first column under its key).
fn top(line: &str) -> bool {
    let t = line.trim_end();
    !t.is_empty() && !line.starts_with([' ', '\t', '#']) && t != "-" && !t.starts_with("- ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = "chitieu: 1\nindicators:\n  a: { name: A, unit: count }\n  \"b\":\n    name: B\n    unit: count\n# goals\ngoals:\n- id: g1\n  rule: a > 1\n\n- id: g2\n  rule: b > 1\n";

    fn lines_of(e: &Entry) -> &str {
        &PLAN[e.bytes.clone()]
    }

    #[test]
    fn entries_are_whole_blocks_with_their_ids() {
        let at = PLAN.find("unit: count\n#").unwrap();
        let e = entry_at(PLAN, at).unwrap();
        // A comment after an entry goes with it: blanking it changes nothing.
        assert_eq!(
            lines_of(&e),
            "  \"b\":\n    name: B\n    unit: count\n# goals\n"
        );
        assert_eq!(e.indicator.as_deref(), Some("b"));
        let at = PLAN.find("rule: a").unwrap();
        let e = entry_at(PLAN, at);
        assert_eq!(
            e.as_ref().map(lines_of),
            Some("- id: g1\n  rule: a > 1\n\n")
        );
        assert_eq!(e.and_then(|e| e.indicator), None);
    }

    #[test]
    fn nothing_outside_an_entry_is_blanked() {
        assert_eq!(entry_at(PLAN, 0), None);
        assert_eq!(entry_at(PLAN, PLAN.find("goals:").unwrap()), None);
        let header = "chitieu: 1\nplan:\n  id: P\n  titl: T\n";
        assert_eq!(entry_at(header, header.find("titl").unwrap()), None);
    }

    #[test]
    fn reading_goes_past_a_bounded_number_of_faulty_entries() {
        let goals = |n: usize| {
            let mut text = String::from("chitieu: 1\ngoals:\n");
            for i in 0..n {
                text.push_str(&format!("  - id: g{i}\n    titel: T\n"));
            }
            SourceFile::new("many.yaml", text)
        };
        let read_all = read(&goals(MAX_ROUNDS));
        assert_eq!(read_all.diags.len(), MAX_ROUNDS);
        assert!(read_all.raw.is_some_and(|raw| raw.goals.is_empty()));
        let too_many = read(&goals(MAX_ROUNDS + 5));
        assert_eq!(too_many.diags.len(), MAX_ROUNDS + 1);
        assert!(too_many.raw.is_none());
    }

    #[test]
    fn the_last_entry_takes_its_section_key() {
        let text = "chitieu: 1\ngoals:\n  - id: g\n    rul: x\n";
        let e = entry_at(text, text.find("rul").unwrap());
        assert_eq!(
            e.map(|e| text[e.bytes].to_string()),
            Some("goals:\n  - id: g\n    rul: x\n".into())
        );
    }
}
