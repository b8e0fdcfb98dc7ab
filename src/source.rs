//! Source files and locations inside them.
//!
//! Every diagnostic chitieu reports points into a [`SourceFile`] through a [`Location`]: a byte
//! range that converts to 1-based line and column numbers (columns count Unicode characters,
//! as the JSON and SARIF reports give them) or to 0-based UTF-16 positions (as a language
//! server speaks). A location carries its file, so a diagnostic renders on its own.

use std::fmt;
use std::sync::Arc;

/// A file that was read: its display path and its text.
#[derive(Debug, PartialEq, Eq)]
pub struct SourceFile {
    path: String,
    text: String,
    line_starts: Vec<usize>,
    /// For a spreadsheet: the sheet whose rows the text shows (line N is row N, cells joined
    /// by [`CELL_SEPARATOR`]), so that a location names its cell (`Số liệu!D7`).
    sheet: Option<String>,
}

/// Between the cells of a row in the text of a sheet ([`SourceFile::sheet`]).
pub const CELL_SEPARATOR: &str = " │ ";

impl SourceFile {
    /// Wraps a file's text, indexing its line starts.
    ///
    /// ```
    /// use chitieu::source::SourceFile;
    /// let f = SourceFile::new("plan.yaml", "a: 1\nb: 2\n");
    /// assert_eq!(f.line_col(6), (2, 2));
    /// ```
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Arc<SourceFile> {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Arc::new(SourceFile {
            path: path.into(),
            text,
            line_starts,
            sheet: None,
        })
    }

    /// A sheet of a spreadsheet file shown as text: line N holds row N, its cells joined by
    /// [`CELL_SEPARATOR`] from column A on (rows nobody needs to see may be left empty).
    /// Locations in it name their cell ([`Location::cell`]).
    ///
    /// ```
    /// use chitieu::source::{Location, SourceFile};
    /// let f = SourceFile::sheet("data.xlsx", "Số liệu", "\n\nH61 │ online_rate │ 2025 │ abc\n");
    /// let at = f.text().find("abc").unwrap();
    /// assert_eq!(Location::new(&f, at, at + 3).cell().as_deref(), Some("Số liệu!D3"));
    /// ```
    pub fn sheet(
        path: impl Into<String>,
        sheet: impl Into<String>,
        text: impl Into<String>,
    ) -> Arc<SourceFile> {
        let mut file = SourceFile::new(path, text);
        if let Some(f) = Arc::get_mut(&mut file) {
            f.sheet = Some(sheet.into());
        }
        file
    }

    /// The sheet the text shows, for a spreadsheet file.
    pub fn sheet_name(&self) -> Option<&str> {
        self.sheet.as_deref()
    }

    /// The path as given when the file was read.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// 1-based line and column (in characters) of a byte offset; offsets past the end or inside
    /// a character are clamped to the nearest earlier character boundary.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = self.floor_boundary(offset);
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count());
        (line + 1, column + 1)
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }

    /// The byte range of the whole lines that `start..end` touches, without the last line's
    /// line break.
    pub fn line_span(&self, start: usize, end: usize) -> (usize, usize) {
        let (first, _) = self.line_col(start);
        let (last, _) = self.line_col(end.max(start));
        let from = self.line_starts.get(first - 1).copied().unwrap_or(0);
        let to = from + self.line_text(first).len();
        let to = if last == first {
            to
        } else {
            let last_start = self.line_starts.get(last - 1).copied().unwrap_or(to);
            last_start + self.line_text(last).len()
        };
        (from, to.max(from))
    }

    /// The position of a byte offset in UTF-16 code units, as the Language Server Protocol
    /// counts: 0-based line and 0-based column, where characters outside the Basic
    /// Multilingual Plane (most emoji) count two. Offsets are clamped like [`Self::line_col`].
    ///
    /// ```
    /// use chitieu::source::{SourceFile, Utf16Position};
    /// let f = SourceFile::new("plan.yaml", "a: \"😀 x\"\n");
    /// let x = f.text().find('x').unwrap_or(0);
    /// assert_eq!(f.line_col(x), (1, 7));
    /// assert_eq!(f.utf16_position(x), Utf16Position { line: 0, character: 7 });
    /// ```
    pub fn utf16_position(&self, offset: usize) -> Utf16Position {
        let offset = self.floor_boundary(offset);
        let (line, _) = self.line_col(offset);
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        let character = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.encode_utf16().count());
        Utf16Position {
            line: line - 1,
            character,
        }
    }

    /// The byte offset of a UTF-16 position (what a language server receives from an editor).
    /// A column past the end of its line gives the line's end; a line past the end of the file
    /// gives `None`, and so does a column in the middle of a surrogate pair.
    ///
    /// ```
    /// use chitieu::source::{SourceFile, Utf16Position};
    /// let f = SourceFile::new("plan.yaml", "a: 1\nb: \"😀 x\"\n");
    /// let at = f.offset_of_utf16(Utf16Position { line: 1, character: 7 });
    /// assert_eq!(at, f.text().find('x'));
    /// ```
    pub fn offset_of_utf16(&self, position: Utf16Position) -> Option<usize> {
        let start = *self.line_starts.get(position.line)?;
        let line = self.line_text(position.line + 1);
        let mut units = 0;
        for (i, c) in line.char_indices() {
            if units == position.character {
                return Some(start + i);
            }
            units += c.len_utf16();
            if units > position.character {
                return None;
            }
        }
        Some(start + line.len())
    }

    fn floor_boundary(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

/// A byte range inside a [`SourceFile`].
#[derive(Clone, PartialEq, Eq)]
pub struct Location {
    /// The file the range lies in.
    pub file: Arc<SourceFile>,
    /// First byte of the range.
    pub start: usize,
    /// One past the last byte of the range (equal to `start` for a point).
    pub end: usize,
}

impl Location {
    /// A location covering `start..end` of `file`.
    pub fn new(file: &Arc<SourceFile>, start: usize, end: usize) -> Location {
        Location {
            file: Arc::clone(file),
            start,
            end: end.max(start),
        }
    }

    /// 1-based line and column where the range starts.
    pub fn start_line_col(&self) -> (usize, usize) {
        self.file.line_col(self.start)
    }

    /// 1-based line and column just past the range's end.
    pub fn end_line_col(&self) -> (usize, usize) {
        self.file.line_col(self.end)
    }

    /// Where the range starts and ends in UTF-16 code units (0-based), for a language server.
    pub fn utf16_range(&self) -> (Utf16Position, Utf16Position) {
        (
            self.file.utf16_position(self.start),
            self.file.utf16_position(self.end),
        )
    }

    /// The text the range covers.
    pub fn text(&self) -> &str {
        self.file.text().get(self.start..self.end).unwrap_or("")
    }

    /// In a sheet ([`SourceFile::sheet`]), the reference of the cell the range lies in, as
    /// spreadsheets write it: `Số liệu!D7`; `Số liệu!A1:F1` for a range over several cells;
    /// `Số liệu!7:7` for a row whose cells were not kept. `None` outside sheets.
    pub fn cell(&self) -> Option<String> {
        let sheet = self.file.sheet_name()?;
        let (row, _) = self.start_line_col();
        let line = self.file.line_text(row);
        if line.is_empty() {
            return Some(format!("{sheet}!{row}:{row}"));
        }
        let start = self.file.line_starts.get(row - 1).copied().unwrap_or(0);
        let column = |offset: usize| {
            let before = self
                .file
                .text
                .get(start..offset.max(start).min(start + line.len()))
                .unwrap_or("");
            column_name(before.matches(CELL_SEPARATOR).count())
        };
        let first = column(self.start);
        let last = column(self.end);
        Some(if first == last {
            format!("{sheet}!{first}{row}")
        } else {
            format!("{sheet}!{first}{row}:{last}{row}")
        })
    }
}

/// A spreadsheet column's letters from its 0-based index: 0 is `A`, 25 `Z`, 26 `AA`.
///
/// ```
/// assert_eq!(chitieu::source::column_name(0), "A");
/// assert_eq!(chitieu::source::column_name(27), "AB");
/// ```
pub fn column_name(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// A place in a file counted in UTF-16 code units, 0-based, as the Language Server Protocol
/// (and JavaScript strings) count; see [`SourceFile::utf16_position`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Utf16Position {
    /// 0-based line.
    pub line: usize,
    /// 0-based column in UTF-16 code units.
    pub character: usize,
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.cell() {
            Some(cell) => write!(f, "{}:{cell}", self.file.path()),
            None => {
                let (line, col) = self.start_line_col();
                write!(f, "{}:{}:{}", self.file.path(), line, col)
            }
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// Files larger than this are refused: plan and data files are far smaller, and the limit keeps a
/// wrong path (a disk image, a log) from being read into memory.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let f = SourceFile::new("x", "title: \"Kế hoạch\"\nrule: online_rat > 80%\n");
        let off = f.text().find("online_rat").unwrap_or(0);
        assert_eq!(f.line_col(off), (2, 7));
        let off = f.text().find("hoạch").unwrap_or(0);
        assert_eq!(f.line_col(off), (1, 12));
        assert_eq!(f.line_text(2), "rule: online_rat > 80%");
        assert_eq!(f.line_text(9), "");
    }

    #[test]
    fn line_span_covers_whole_lines_without_the_last_break() {
        let f = SourceFile::new("x", "ab\ncd\r\nef\n");
        assert_eq!(f.line_span(4, 5), (3, 5));
        assert_eq!(f.line_span(1, 8), (0, 9));
        assert_eq!(f.line_span(99, 99), (10, 10));
    }
}
