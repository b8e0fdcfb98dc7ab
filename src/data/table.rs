//! CSV tables read with the `csv` crate, with exact positions: every row knows its first byte and
//! line, and every cell its byte range in the file (quotes included), so a diagnostic underlines
//! the cell that is wrong.

use super::Kind;
use crate::diag::{Common, Diagnostic, Fault, suggest};
use crate::source::{Location, SourceFile};
use csv::ByteRecord;
use rayon::prelude::*;
use std::sync::Arc;

/// How many errors one file reports before reading stops.
pub(super) const MAX_ERRORS: usize = 100;

/// A file being read: its text, and the [`SourceFile`] built from it when a diagnostic first
/// needs one (most files have none, and a large file's line index is not free).
pub(super) struct Input<'t> {
    path: &'t str,
    text: &'t str,
    file: Option<Arc<SourceFile>>,
    /// Errors found in this file.
    pub diags: Vec<Diagnostic>,
}

impl<'t> Input<'t> {
    /// A file's text; `file` when a [`SourceFile`] already exists for it.
    pub fn new(path: &'t str, text: &'t str, file: Option<Arc<SourceFile>>) -> Input<'t> {
        Input {
            path,
            text,
            file,
            diags: Vec::new(),
        }
    }

    /// The text.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// The source file, built on first use.
    pub fn source(&mut self) -> Arc<SourceFile> {
        match &self.file {
            Some(f) => Arc::clone(f),
            None => {
                let f = SourceFile::new(self.path, self.text);
                self.file = Some(Arc::clone(&f));
                f
            }
        }
    }

    /// The source file if one was built.
    pub fn built(&self) -> Option<Arc<SourceFile>> {
        self.file.clone()
    }

    /// A location in the file.
    pub fn at(&mut self, (start, end): (usize, usize)) -> Location {
        Location::new(&self.source(), start, end)
    }

    /// Records an error; false once the file has too many and reading should stop.
    pub fn error(&mut self, kind: impl Into<Fault>, at: (usize, usize)) -> bool {
        let d = Diagnostic::error(kind, self.at(at));
        self.push(d)
    }

    /// Records the `csv` reader's error `e` at the place in `table` it names.
    pub fn csv_error(&mut self, table: &Table<'_>, e: &csv::Error) {
        self.error(
            Kind::Csv {
                reason: e.to_string(),
            },
            table.error_at(e),
        );
    }

    /// Records a diagnostic; false once the file has too many and reading should stop.
    pub fn push(&mut self, d: Diagnostic) -> bool {
        if self.diags.len() >= MAX_ERRORS {
            return false;
        }
        let at = d.location.clone();
        self.diags.push(d);
        if self.diags.len() >= MAX_ERRORS {
            let kind = Kind::TooManyErrors { limit: MAX_ERRORS };
            self.diags.push(match at {
                Some(at) => Diagnostic::error(kind, at),
                None => Diagnostic::in_file(kind, self.path),
            });
            return false;
        }
        true
    }
}

/// A row's place: its first byte and its 1-based line.
#[derive(Clone, Copy, Debug)]
pub(super) struct Row {
    pub start: usize,
    pub line: u32,
}

/// Rows of a CSV text, header included (the caller reads it as the first row).
pub(super) struct Table<'t> {
    /// The cell separator, read from the header (see [`delimiter`]).
    pub delimiter: u8,
    text: &'t str,
    reader: csv::Reader<&'t [u8]>,
    /// Start of the last row, and its line.
    cursor: usize,
    line: u32,
}

impl<'t> Table<'t> {
    /// Rows of `text`; lines starting with `#` are comments.
    pub fn new(text: &'t str) -> Table<'t> {
        let delimiter = delimiter(text);
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        Table {
            delimiter,
            text,
            reader,
            cursor: 0,
            line: 1,
        }
    }

    /// Reads the next row into `record`.
    pub fn next(&mut self, record: &mut ByteRecord) -> Result<Option<Row>, csv::Error> {
        if !self.reader.read_byte_record(record)? {
            return Ok(None);
        }
        let reported = record
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or(self.cursor)
            .max(self.cursor);
        // The reader's position is where it began looking: before the line break that ended
        // the previous row, and before blank and comment lines.
        let start = skip_blank_and_comments(self.text.as_bytes(), reported);
        let newlines = self
            .text
            .as_bytes()
            .get(self.cursor..start)
            .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count());
        self.line = self
            .line
            .saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
        self.cursor = start;
        Ok(Some(Row {
            start,
            line: self.line,
        }))
    }

    /// Where a reader error happened, as a byte range to underline.
    pub fn error_at(&self, e: &csv::Error) -> (usize, usize) {
        let at = e
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or(self.cursor);
        let at = skip_blank_and_comments(self.text.as_bytes(), at);
        (at, line_end(self.text.as_bytes(), at))
    }
}

/// The rows after the header of a CSV text with no quote and no carriage return but before a
/// line break, as most generated files are: split by hand, the cells borrowed from the text.
/// They are the rows, cells and lines [`Table`] reads from such a text (blank lines and `#`
/// comments skipped), without the `csv` reader's copy of every cell.
#[derive(Clone, Copy, Debug)]
pub(super) struct Plain<'t> {
    text: &'t str,
    /// Start of the next line, and its 1-based number.
    at: usize,
    line: u32,
    /// Where the rows end: lines starting there or later are not read.
    end: usize,
    delimiter: u8,
}

impl<'t> Plain<'t> {
    /// The rows after `header` (the first row, read by [`Table`]), when `text` is plain.
    pub fn after(text: &'t str, header: Row, delimiter: u8) -> Option<Plain<'t>> {
        let bytes = text.as_bytes();
        if !is_plain(bytes) {
            return None;
        }
        Some(Plain {
            text,
            at: line_end(bytes, header.start).saturating_add(1),
            line: header.line.saturating_add(1),
            end: text.len(),
            delimiter,
        })
    }

    /// The rows of a whole text of plain lines (a chunk of a file), the first being line
    /// `line`.
    pub fn whole(text: &'t str, line: u32, delimiter: u8) -> Option<Plain<'t>> {
        is_plain(text.as_bytes()).then_some(Plain {
            text,
            at: 0,
            line,
            end: text.len(),
            delimiter,
        })
    }

    /// The text, and where its rows start: the byte and the line.
    pub fn start(&self) -> (&'t str, usize, u32) {
        (self.text, self.at, self.line)
    }

    /// The same text's rows of the lines starting in `start..end`, `start` being the start of
    /// line `line`.
    pub fn between(&self, start: usize, end: usize, line: u32) -> Plain<'t> {
        Plain {
            at: start,
            line,
            end,
            ..*self
        }
    }

    /// The next row: its place, and how many cells it has; its first cells (as written, not
    /// trimmed) are put in `cells`.
    pub fn next(&mut self, cells: &mut [&'t str]) -> Option<(Row, usize)> {
        let bytes = self.text.as_bytes();
        loop {
            let (start, line) = (self.at, self.line);
            if start >= self.end.min(bytes.len()) {
                return None;
            }
            self.line = self.line.saturating_add(1);
            if bytes.get(start) == Some(&b'#') {
                let rest = bytes.get(start..).unwrap_or_default();
                let i = start + memchr::memchr(b'\n', rest).unwrap_or(rest.len());
                self.at = i.saturating_add(1);
                continue;
            }
            let (i, cell, mut found) = self.cut(start, cells);
            self.at = i.saturating_add(1);
            let stop = if i > start && bytes.get(i - 1) == Some(&b'\r') {
                i - 1
            } else {
                i
            };
            if stop == start {
                continue;
            }
            if let Some(slot) = cells.get_mut(found) {
                *slot = self.text.get(cell.min(stop)..stop).unwrap_or_default();
            }
            found += 1;
            return Some((Row { start, line }, found));
        }
    }

    /// The next line when it is a row of exactly `N` cells, not a comment, not blank, not
    /// ended by a carriage return: its place and its cells as bytes (as written, not
    /// trimmed), the line read. `None`, nothing read, for any other line, which
    /// [`Plain::next`] then reads. The row and cells are those `next` gives for the line.
    #[inline]
    pub fn next_cut<const N: usize>(&mut self) -> Option<(Row, [&'t [u8]; N])> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        if start >= self.end.min(bytes.len()) || bytes.get(start) == Some(&b'#') {
            return None;
        }
        // Where each cell ends: at each delimiter, the last at the line break.
        let mut ends = [0usize; N];
        let mut n = 0;
        let mut room = |k: usize| {
            let slot = ends.get_mut(n)?;
            *slot = k;
            n += 1;
            Some(())
        };
        let stop = scan(bytes, start, self.delimiter, |k| room(k).is_some())?;
        room(stop)?;
        if n != N || stop == start || stop.checked_sub(1).and_then(|i| bytes.get(i)) == Some(&b'\r')
        {
            return None;
        }
        let mut cells: [&[u8]; N] = [&[]; N];
        let mut from = start;
        for (cell, &end) in cells.iter_mut().zip(&ends) {
            *cell = bytes.get(from..end)?;
            from = end + 1;
        }
        let row = Row {
            start,
            line: self.line,
        };
        self.at = stop.saturating_add(1);
        self.line = self.line.saturating_add(1);
        Some((row, cells))
    }

    /// The next line when it is the texts `cells`, each followed by the delimiter, then 1 to
    /// 18 ASCII digits ended by a line break or the text's end: its place and the digits'
    /// number, the line read. `None`, nothing read, for any other line. Such a line is a row
    /// of `N + 1` cells that [`Plain::next_cut`] cuts as these.
    #[inline]
    pub fn next_known<const N: usize>(&mut self, cells: [&[u8]; N]) -> Option<(Row, u64)> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        if start >= self.end || bytes.get(start) == Some(&b'#') {
            return None;
        }
        let mut at = start;
        for cell in cells {
            let end = at + cell.len();
            if !same(bytes.get(at..end)?, cell) || bytes.get(end) != Some(&self.delimiter) {
                return None;
            }
            at = end + 1;
        }
        let mut n: u64 = 0;
        let digits = at;
        let stop = loop {
            match bytes.get(at) {
                Some(b @ b'0'..=b'9') => n = n * 10 + u64::from(b - b'0'),
                Some(b'\n') | None => break at,
                Some(_) => return None,
            }
            at += 1;
            // 18 digits fit: no overflow.
            if at - digits > 18 {
                return None;
            }
        };
        if stop == digits {
            return None;
        }
        let row = Row {
            start,
            line: self.line,
        };
        self.at = stop.saturating_add(1);
        self.line = self.line.saturating_add(1);
        Some((row, n))
    }

    /// Cuts the line starting at `start` at its delimiters, in one pass that also finds its
    /// end, eight bytes at a time: where its line break is (the text's end for a last line
    /// without one), where its last cell starts, and how many cells come before that one
    /// (put in `cells`). Cells are cut at ASCII bytes, so at character boundaries.
    fn cut(&self, start: usize, cells: &mut [&'t str]) -> (usize, usize, usize) {
        let mut found = 0;
        let mut cell = start;
        let end = scan(self.text.as_bytes(), start, self.delimiter, |k| {
            if let Some(slot) = cells.get_mut(found) {
                *slot = self.text.get(cell..k).unwrap_or_default();
            }
            found += 1;
            cell = k + 1;
            true
        });
        (end.unwrap_or(start), cell, found)
    }
}

/// Finds the delimiters and the end of the line starting at `start`, in one pass, eight bytes
/// at a time: `hit` is called with the place of each delimiter in order, and the place of the
/// line break is returned (the text's end for a last line without one). `None` as soon as
/// `hit` returns false. Delimiters and line breaks are ASCII, so at character boundaries.
#[inline(always)]
fn scan(
    bytes: &[u8],
    start: usize,
    delimiter: u8,
    mut hit: impl FnMut(usize) -> bool,
) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    // The high bit of exactly the bytes of `v` that are zero.
    let zeros = |v: u64| !(((v & LOW7) + LOW7) | v | LOW7);
    let delimiters = u64::from(delimiter) * ONES;
    let breaks = u64::from(b'\n') * ONES;
    let mut words = bytes.get(start..).unwrap_or_default().chunks_exact(8);
    let mut at = start;
    for word in words.by_ref() {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        let w = u64::from_le_bytes(w);
        let ends = zeros(w ^ breaks);
        let mut hits = zeros(w ^ delimiters) | ends;
        while hits != 0 {
            let bit = hits.trailing_zeros();
            let k = at + (bit / 8) as usize;
            if ends >> bit & 1 != 0 {
                return Some(k);
            }
            if !hit(k) {
                return None;
            }
            hits &= hits - 1;
        }
        at += 8;
    }
    for (k, &b) in words.remainder().iter().enumerate() {
        let k = at + k;
        if b == b'\n' {
            return Some(k);
        }
        if b == delimiter && !hit(k) {
            return None;
        }
    }
    Some(bytes.len())
}

/// The first and the last `W` bytes of a text of `W` bytes or more (zeros for a shorter one):
/// two overlapping words cover a text of `W` to `2W` bytes.
pub(super) fn words<const W: usize>(x: &[u8]) -> ([u8; W], [u8; W]) {
    let mut head = [0u8; W];
    let mut tail = [0u8; W];
    if let (Some(h), Some(t)) = (x.get(..W), x.get(x.len().saturating_sub(W)..)) {
        head.copy_from_slice(h);
        tail.copy_from_slice(t);
    }
    (head, tail)
}

/// Whether two texts are equal, comparing short ones (the names and numbers of data files) a
/// word at a time rather than by a call to `memcmp`.
#[inline(always)]
pub(super) fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    match n {
        // Absent columns (`as_of`, `source`) compare empty texts on every row.
        0 => true,
        1..4 => {
            let at = |x: &[u8], i: usize| x.get(i).copied();
            at(a, 0) == at(b, 0) && at(a, n / 2) == at(b, n / 2) && at(a, n - 1) == at(b, n - 1)
        }
        4..=8 => words::<4>(a) == words::<4>(b),
        9..=16 => words::<8>(a) == words::<8>(b),
        _ => a == b,
    }
}

/// Whether a text has no `"` and no carriage return but before a line break: then a line is a
/// row and a delimiter separates two cells.
fn is_plain(bytes: &[u8]) -> bool {
    // Searched a vector at a time, blocks in parallel; the exact check only when one is found.
    let odd = bytes
        .par_chunks(1 << 20)
        .any(|block| memchr::memchr2(b'"', b'\r', block).is_some());
    !odd || bytes.iter().enumerate().all(|(i, &b)| match b {
        b'"' => false,
        b'\r' => bytes.get(i + 1) == Some(&b'\n'),
        _ => true,
    })
}

/// The cell separator of a CSV text: `,`, unless its header (the first line that is not blank
/// or a comment) has no comma but a `;` (what a spreadsheet writes where `,` is the decimal
/// comma, as in Vietnamese Excel) or a tab.
pub(super) fn delimiter(text: &str) -> u8 {
    let header = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or_default();
    if header.contains(',') {
        b','
    } else if header.contains(';') {
        b';'
    } else if header.contains('\t') {
        b'\t'
    } else {
        b','
    }
}

fn skip_blank_and_comments(text: &[u8], mut at: usize) -> usize {
    loop {
        match text.get(at) {
            Some(b'\r' | b'\n') => at += 1,
            Some(b'#') if at == 0 || text.get(at - 1) == Some(&b'\n') => {
                at = line_end(text, at);
            }
            _ => return at,
        }
    }
}

fn line_end(text: &[u8], at: usize) -> usize {
    text.get(at..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
        .map_or(text.len(), |i| at + i)
}

/// The byte range of cell `index` of the row starting at `start`, cells separated by
/// `delimiter` (quotes included, spaces around an unquoted cell left out); the row's end when
/// the row has fewer cells.
pub(super) fn cell(text: &str, start: usize, index: usize, delimiter: u8) -> (usize, usize) {
    let b = text.as_bytes();
    let mut i = start;
    let mut n = 0;
    loop {
        let cell_start = i;
        let quoted = b.get(i) == Some(&b'"');
        if quoted {
            i += 1;
            while let Some(&c) = b.get(i) {
                i += 1;
                if c == b'"' {
                    if b.get(i) == Some(&b'"') {
                        i += 1;
                    } else {
                        break;
                    }
                }
            }
        }
        while let Some(&c) = b.get(i) {
            if c == delimiter || c == b'\n' || c == b'\r' {
                break;
            }
            i += 1;
        }
        if n == index {
            return trim_span(b, cell_start, i);
        }
        if b.get(i) != Some(&delimiter) {
            return (i, i);
        }
        i += 1;
        n += 1;
    }
}

fn trim_span(b: &[u8], mut start: usize, mut end: usize) -> (usize, usize) {
    while start < end && b.get(start).is_some_and(|c| *c == b' ' || *c == b'\t') {
        start += 1;
    }
    while end > start && b.get(end - 1).is_some_and(|c| *c == b' ' || *c == b'\t') {
        end -= 1;
    }
    (start, end)
}

/// The range of a whole row (its first line).
pub(super) fn row_span(text: &str, start: usize) -> (usize, usize) {
    let end = line_end(text.as_bytes(), start);
    let end = if text.as_bytes().get(end.wrapping_sub(1)) == Some(&b'\r') && end > start {
        end - 1
    } else {
        end
    };
    (start, end)
}

/// A cell's text, trimmed; `None` when it is not UTF-8.
pub(super) fn cell_str(record: &ByteRecord, index: usize) -> Option<&str> {
    std::str::from_utf8(record.get(index).unwrap_or_default())
        .ok()
        .map(str::trim)
}

/// Maps a header row to column positions: `wanted` lists the columns with whether each is
/// required; the result gives, for each, the cell index holding it. Unknown, repeated and
/// missing columns are reported.
pub(super) fn header(
    input: &mut Input<'_>,
    record: &ByteRecord,
    row: Row,
    wanted: &[(&str, bool)],
) -> Option<Vec<Option<usize>>> {
    let mut columns = vec![None; wanted.len()];
    let mut ok = true;
    let delimiter = delimiter(input.text());
    for i in 0..record.len() {
        let at = cell(input.text(), row.start, i, delimiter);
        let Some(name) = cell_str(record, i) else {
            input.error(Common::NotUtf8, at);
            ok = false;
            continue;
        };
        match wanted.iter().position(|(w, _)| *w == name) {
            Some(k) => match columns.get_mut(k) {
                Some(slot @ None) => *slot = Some(i),
                _ => {
                    input.error(
                        Kind::Csv {
                            reason: format!("column `{name}` appears twice"),
                        },
                        at,
                    );
                    ok = false;
                }
            },
            None => {
                let expected: Vec<String> = wanted.iter().map(|(w, _)| (*w).to_string()).collect();
                let suggestion = suggest(name, wanted.iter().map(|(w, _)| *w));
                input.error(
                    Kind::UnknownColumn {
                        column: name.to_string(),
                        expected,
                        suggestion,
                    },
                    at,
                );
                ok = false;
            }
        }
    }
    for ((name, required), slot) in wanted.iter().zip(&columns) {
        if *required && slot.is_none() {
            let at = row_span(input.text(), row.start);
            input.error(
                Kind::MissingColumn {
                    column: (*name).to_string(),
                },
                at,
            );
            ok = false;
        }
    }
    ok.then_some(columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_located_with_quotes_and_spaces() {
        let text = "a, b ,\"c,\"\"d\"\"\",\r\nx";
        assert_eq!(
            &text[cell(text, 0, 0, b',').0..cell(text, 0, 0, b',').1],
            "a"
        );
        let (s, e) = cell(text, 0, 1, b',');
        assert_eq!(&text[s..e], "b");
        let (s, e) = cell(text, 0, 2, b',');
        assert_eq!(&text[s..e], "\"c,\"\"d\"\"\"");
        assert_eq!(cell(text, 0, 3, b','), (16, 16));
        assert_eq!(cell(text, 0, 9, b','), (16, 16));
        let text = "a; b ;\"c;\";89,6";
        let (s, e) = cell(text, 0, 1, b';');
        assert_eq!(&text[s..e], "b");
        let (s, e) = cell(text, 0, 3, b';');
        assert_eq!(&text[s..e], "89,6");
    }

    /// Every row, cell and line the `csv` reader finds, as (line, start, cells trimmed).
    fn by_reader(text: &str) -> Vec<(u32, usize, Vec<String>)> {
        let mut t = Table::new(text);
        let mut r = ByteRecord::new();
        let mut out = Vec::new();
        t.next(&mut r).unwrap();
        while let Some(row) = t.next(&mut r).unwrap() {
            let cells = (0..r.len()).map(|i| cell_str(&r, i).unwrap().to_string());
            out.push((row.line, row.start, cells.collect()));
        }
        out
    }

    fn by_plain(text: &str) -> Option<Vec<(u32, usize, Vec<String>)>> {
        let mut t = Table::new(text);
        let mut r = ByteRecord::new();
        let header = t.next(&mut r).unwrap().unwrap();
        let mut plain = Plain::after(text, header, t.delimiter)?;
        let mut out = Vec::new();
        let mut cells = [""; 8];
        while let Some((row, n)) = plain.next(&mut cells) {
            let cells = cells.iter().take(n).map(|c| c.trim().to_string());
            out.push((row.line, row.start, cells.collect()));
        }
        Some(out)
    }

    #[test]
    fn plain_rows_are_the_rows_the_reader_reads() {
        for text in [
            "u,i,p,v\nA,x,2026,1\nB,y,2026-01,2\n",
            "# locale: vi\n\nu;i;p;v\r\nA; x ;2026;1,5\r\n\r\n# note\r\nB;y;2026;2\r\n",
            "u,i,p,v\n\n\nA,x,2026\n#c\n  ,,,\nA,x,2026,1,extra\nlast,row,no,break",
            "u\tv\nA\t1\n",
            "u,v\n",
            "u,v",
            "u,v\nA,1\n \n",
            "unit;indicator;period;value\nP01.X001;total_dossiers;2026-01;16445\n;;;\n;;;;;;;\n",
            "a,b\nééééééé,x,,,,,y\nabcdefgh,abcdefg,\n,abcdefghijklmnop,q\r\n",
        ] {
            assert_eq!(by_plain(text), Some(by_reader(text)), "{text:?}");
        }
    }

    proptest::proptest! {
        /// Cut eight bytes at a time, any plain text gives the reader's rows and cells: cells
        /// and line breaks at every place in a word, multi-byte characters, CRLF, comments.
        #[test]
        fn plain_rows_are_the_readers_on_any_text(
            rows in proptest::collection::vec("#?([a-z0-9é ]{0,11}[,;]?){0,5}\r?", 0..12),
            delimiter in proptest::sample::select(vec![",", ";"]),
        ) {
            // Ended by a line break: the `csv` reader reads a last comment line without one
            // as a row of one empty cell (where the plain reader, as the format says, skips it).
            let text = format!("h{delimiter}k\n{}\n", rows.join("\n"));
            proptest::prop_assume!(by_plain(&text).is_some());
            proptest::prop_assert_eq!(by_plain(&text), Some(by_reader(&text)), "{:?}", text);
        }

        /// A row cut by `next_cut` is the row and the cells `next` reads, and a line it
        /// leaves is left whole to `next`: whatever the lines (cells of any length, empty,
        /// with spaces, too many or too few, comments, CRLF, no break at the end).
        #[test]
        fn cut_rows_are_the_rows_next_reads(
            rows in proptest::collection::vec("#?([a-z0-9é #\t]{0,11},?){0,5}\r?", 0..12),
            end_break: bool,
        ) {
            let mut text = format!("h,k\n{}", rows.join("\n"));
            if end_break {
                text.push('\n');
            }
            let header = Row { start: 0, line: 1 };
            proptest::prop_assume!(Plain::after(&text, header, b',').is_some());
            let mut plain = Plain::after(&text, header, b',').unwrap();
            let mut by_next = Vec::new();
            let mut cells = [""; 8];
            while let Some((row, n)) = plain.next(&mut cells) {
                by_next.push((row.line, row.start, cells[..n.min(8)].to_vec()));
            }
            let mut plain = Plain::after(&text, header, b',').unwrap();
            let mut mixed = Vec::new();
            loop {
                if let Some((row, cut)) = plain.next_cut::<3>() {
                    let cut = cut.map(|c| std::str::from_utf8(c).unwrap());
                    mixed.push((row.line, row.start, cut.to_vec()));
                    continue;
                }
                let tried = plain.start().1;
                let Some((row, n)) = plain.next(&mut cells) else {
                    break;
                };
                // Past blank and comment lines, `next` reads a line that was not tried.
                if row.start == tried {
                    let line = text[row.start..].split('\n').next().unwrap();
                    proptest::prop_assert!(n != 3 || line.ends_with('\r'), "{:?}", text);
                }
                mixed.push((row.line, row.start, cells[..n.min(8)].to_vec()));
            }
            proptest::prop_assert_eq!(mixed, by_next, "{:?}", text);
        }
    }

    proptest::proptest! {
        /// A line is known exactly when `next_cut` cuts it into the texts expected and plain
        /// digits, and gives then the same row and the digits' number.
        #[test]
        fn known_rows_are_the_rows_cut(
            rows in proptest::collection::vec("#?(a|bb|a |1)(,(a|bb|1|))?(,(1|12|a1|0123456789012345678|))?(,1)?\r?", 0..12),
            expected in proptest::sample::select(vec![vec!["a", "bb"], vec!["a", "1"], vec!["bb", "a"], vec!["a", ""]]),
            end_break: bool,
        ) {
            let mut text = format!("h,k\n{}", rows.join("\n"));
            if end_break {
                text.push('\n');
            }
            let header = Row { start: 0, line: 1 };
            proptest::prop_assume!(Plain::after(&text, header, b',').is_some());
            let mut known = Plain::after(&text, header, b',').unwrap();
            let cells = [expected[0].as_bytes(), expected[1].as_bytes()];
            loop {
                let mut cut = known;
                let by_cut = cut.next_cut::<3>();
                let want = by_cut.and_then(|(row, c)| {
                    let digits = c[2].len() <= 18 && !c[2].is_empty() && c[2].iter().all(u8::is_ascii_digit);
                    (c[..2] == cells && digits)
                        .then(|| (row.line, row.start, std::str::from_utf8(c[2]).unwrap().parse::<u64>().unwrap()))
                });
                let got = known.next_known(cells).map(|(row, n)| (row.line, row.start, n));
                proptest::prop_assert_eq!(got, want, "{:?}", text);
                if got.is_some() {
                    proptest::prop_assert_eq!(known.start(), cut.start());
                } else {
                    let mut cells = [""; 8];
                    if known.next(&mut cells).is_none() {
                        break;
                    }
                }
            }
        }
    }

    #[test]
    fn quotes_and_lone_carriage_returns_are_left_to_the_reader() {
        assert_eq!(by_plain("u,v\n\"A\",1\n"), None);
        assert_eq!(by_plain("u,v\nA,1\rB,2\n"), None);
        assert_eq!(by_plain("u,v\nA,1\r"), None);
        let long = format!("u,v\n{}A,\"1\"\n", "B,2\n".repeat(3000));
        assert_eq!(by_plain(&long), None);
    }

    #[test]
    fn the_delimiter_is_read_from_the_header() {
        assert_eq!(
            delimiter("# locale: vi\n\nunit;indicator;period;value\nH61;x;2026;1,5\n"),
            b';'
        );
        assert_eq!(delimiter("unit\tindicator\tperiod\tvalue\n"), b'\t');
        assert_eq!(delimiter("unit,indicator;x,period,value\n"), b',');
        assert_eq!(delimiter("unit\n"), b',');
        assert_eq!(delimiter(""), b',');
    }

    #[test]
    fn rows_know_their_lines_past_blank_lines_comments_and_quoted_breaks() {
        let text = "# locale: vi\r\nh1,h2\r\n\r\n# note\r\n\"a\nb\",1\r\nc,2\n";
        let mut t = Table::new(text);
        let mut r = ByteRecord::new();
        let mut rows = Vec::new();
        while let Some(row) = t.next(&mut r).unwrap() {
            rows.push((row.line, cell_str(&r, 0).unwrap().to_string(), row.start));
        }
        assert_eq!(rows.len(), 3);
        assert_eq!((rows[0].0, rows[0].1.as_str()), (2, "h1"));
        assert_eq!((rows[1].0, rows[1].1.as_str()), (5, "a\nb"));
        assert_eq!(&text[rows[1].2..rows[1].2 + 1], "\"");
        assert_eq!((rows[2].0, rows[2].1.as_str()), (7, "c"));
    }
}
