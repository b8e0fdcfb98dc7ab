//! Plain CSV text (no quotes, see [`Plain`]) read in parallel: the rows are cut into pieces at
//! line breaks, each piece is read by its own task straight into its own stretch of the points,
//! and the pieces are then joined in file order. A task only reads: a row it cannot make a
//! point of by itself (any fault, a unit not yet known, a cell count that is not the header's)
//! is left to the sequential reader when the pieces are joined, in file order, with the file's
//! state as it stands there. So the points, their order, the units added from data, the
//! numbering of sources, and every diagnostic (which rows, in which order, where the reading
//! stops after too many errors) are those of reading the rows one after the other.
//!
//! A large file on the disk is not read whole first: it is read a chunk at a time into memory
//! that is used again, each batch of chunks read while the batch before is parsed, and parsed
//! while its text is still in the processor's cache ([`Loader::stream_plain`]). A file that
//! is not plain, or any row that the tasks leave (a fault, a unit not yet known), sends the
//! whole file back to the reader above, so that diagnostics are unchanged.

use super::table::{self, Plain, Row, Table, same, words};
use super::{COLUMNS, Cells, Col, FileState, Form, Layout, Loader, Stop, as_of, convert, period};
use super::{as_of_before_period, directive, intern, is_derived, plain_integer};
use crate::data::store::{NO_FILE, Point};
use crate::data::table::Input;
use crate::data::units::{UnitId, Units};
use crate::data::{FastMap, Locale};
use crate::period::Period;
use crate::plan::{Plan, Unit};
use chrono::NaiveDate;
use csv::ByteRecord;
use rayon::prelude::*;

/// Bytes of rows a task reads: small enough that the pieces keep every core busy to the end,
/// large enough that a task's start costs nothing.
pub(super) const PIECE: usize = 1 << 20;

/// CSV files from this size on are read from the disk a chunk at a time.
pub(super) const STREAM_FROM: u64 = 16 << 20;

/// Whole lines of a file (the first `used` bytes of `text`), the first being line `line`,
/// `lines` of them.
struct Chunk {
    text: Vec<u8>,
    used: usize,
    line: u32,
    lines: usize,
}

/// A chunk parsed into its slots (one per line): its memory back, how many lines it has and
/// how many rows (the points, in its first slots), the sources they name by their index
/// here; `whole` when every row made a point.
struct Parsed {
    text: Vec<u8>,
    lines: usize,
    rows: usize,
    sources: Vec<Box<str>>,
    whole: bool,
}

/// A file read a chunk of whole lines at a time, into memory used again.
struct Chunks<'f> {
    file: &'f std::fs::File,
    /// Where the next read starts, and the file's size.
    at: usize,
    len: usize,
    /// The start of a line read with the chunk before, and the number of the next line.
    carry: Vec<u8>,
    line: u32,
    size: usize,
    spare: Vec<Vec<u8>>,
}

impl Chunks<'_> {
    /// The next chunk, `None` after the last; `Err` when the file cannot be read so (a read
    /// fails, or a line is longer than a chunk).
    fn next(&mut self) -> Result<Option<Chunk>, ()> {
        if self.at >= self.len {
            return Ok(None);
        }
        // Memory used again keeps its length: it is zeroed once, when first used.
        let mut text = self.spare.pop().unwrap_or_default();
        let from = self.carry.len();
        let n = self.size.min(self.len - self.at);
        if text.len() < from + n {
            text.resize(from + n, 0);
        }
        let (head, rest) = text.split_at_mut(from);
        head.copy_from_slice(&self.carry);
        read_at(self.file, rest.get_mut(..n).unwrap_or_default(), self.at)?;
        self.at += n;
        self.carry.clear();
        let mut used = from + n;
        let read = text.get(..used).unwrap_or_default();
        if self.at < self.len {
            let cut = memchr::memrchr(b'\n', read).ok_or(())? + 1;
            self.carry
                .extend_from_slice(read.get(cut..).unwrap_or_default());
            used = cut;
        }
        let read = text.get(..used).unwrap_or_default();
        let breaks = breaks(read);
        let lines = breaks + usize::from(read.last().is_some_and(|&b| b != b'\n'));
        let line = self.line;
        self.line = line.saturating_add(u32::try_from(breaks).unwrap_or(u32::MAX));
        Ok(Some(Chunk {
            text,
            used,
            line,
            lines,
        }))
    }

    /// The next `n` chunks, fewer at the end.
    fn batch(&mut self, n: usize) -> Result<Vec<Chunk>, ()> {
        let mut batch = Vec::with_capacity(n);
        while batch.len() < n
            && let Some(c) = self.next()?
        {
            batch.push(c);
        }
        Ok(batch)
    }
}

/// Fills `buf` with the file's bytes from `at`.
#[cfg(unix)]
fn read_at(file: &std::fs::File, buf: &mut [u8], at: usize) -> Result<(), ()> {
    use std::os::unix::fs::FileExt;
    file.read_exact_at(buf, at as u64).map_err(|_| ())
}

#[cfg(not(unix))]
fn read_at(_: &std::fs::File, _: &mut [u8], _: usize) -> Result<(), ()> {
    Err(())
}

/// How many line breaks there are in `bytes` (counted by `memchr`, a vector at a time).
fn breaks(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}

/// A stretch of whole lines of the text: `start..end`, `start` being the start of line `line`,
/// and how many lines it has (the most rows it can hold).
struct Piece {
    start: usize,
    end: usize,
    line: u32,
    lines: usize,
}

/// What a task found in its piece: how many rows, and the rows it left to the sequential
/// reader (their place among the piece's rows), in order; the sources its points name by
/// their index here.
struct Found<'t> {
    rows: usize,
    left: Vec<(usize, Row)>,
    sources: Vec<&'t str>,
}

/// What a task reads with: the names it resolves, read-only.
struct Names<'a> {
    plan: &'a Plan,
    units: &'a Units,
    indicators: &'a FastMap<&'a str, usize>,
    locale: Locale,
    file: u16,
    /// Whether bare rows of the four columns are read by [`Names::quick_point`] (tests read
    /// them without, to compare).
    quick: bool,
}

/// The values read for the texts of the rows before, in a piece read by [`Names::row`].
struct Seen<'t> {
    units: Last<'t, UnitId>,
    indicators: Recent<'t, usize>,
    periods: Last<'t, (Period, NaiveDate)>,
    dates: Last<'t, Option<NaiveDate>>,
    sources: Last<'t, Option<u32>>,
}

/// What [`Names::quick_point`] reads a file of exactly the four columns `unit`, `indicator`,
/// `period` and `value` (in any order) with: the place of each in a row, and the values read
/// for the texts of the rows before. A long-form file names a unit row after row, and its
/// indicators in the same turn for every unit and period: the indicator after another is
/// the one that came after it the last time.
struct Quick<'t> {
    order: [usize; 4],
    unit: Option<(&'t [u8], UnitId)>,
    period: Option<(&'t [u8], (Period, NaiveDate))>,
    /// For each indicator, and last for the start of the piece, the text and the indicator of
    /// the row after its last row.
    next: Vec<Option<(&'t [u8], u16)>>,
    previous: usize,
    /// For each indicator, whether it is observed (not derived) and its values are read as
    /// plain digits first (not a boolean, a date or a percent).
    integer: Vec<bool>,
}

/// The texts of a row's first three cells and their values: see [`Quick::expected`].
type Expected<'t> = ([&'t [u8]; 3], UnitId, u16, (Period, NaiveDate));

impl<'t> Quick<'t> {
    /// What the next row is when it continues the rows before, in a file of the columns in
    /// their order (`unit,indicator,period,value`): the texts of its first three cells (the
    /// unit and the period of the row before, the indicator that came after the row before's
    /// the last time), and their values. A row [`Plain::next_known`] finds so, its value
    /// plain digits, is the point [`Names::quick_point`] makes of it.
    #[inline]
    fn expected(&self) -> Option<Expected<'t>> {
        if self.order != [0, 1, 2, 3] {
            return None;
        }
        let (unit_text, unit) = self.unit?;
        let (indicator_text, indicator) = (*self.next.get(self.previous)?)?;
        let (period_text, period) = self.period?;
        self.integer
            .get(usize::from(indicator))
            .copied()?
            .then_some((
                [unit_text, indicator_text, period_text],
                unit,
                indicator,
                period,
            ))
    }

    /// The reading of files laid out as `layout`, if they have the four columns only.
    fn new(plan: &Plan, layout: &Layout) -> Option<Quick<'t>> {
        let [
            Some(unit),
            Some(indicator),
            Some(period),
            Some(value),
            None,
            None,
        ] = layout.order
        else {
            return None;
        };
        let n = plan.indicators.len();
        (layout.width == 4).then(|| Quick {
            order: [unit, indicator, period, value],
            unit: None,
            period: None,
            next: vec![None; n + 1],
            previous: n,
            integer: plan
                .indicators
                .iter()
                .map(|i| {
                    !is_derived(i) && !matches!(i.unit, Unit::Boolean | Unit::Date | Unit::Percent)
                })
                .collect(),
        })
    }
}

/// The last value read for a text: long-form files repeat units, periods and dates row after
/// row.
struct Last<'t, T>(Option<(&'t str, T)>);

impl<'t, T: Copy> Last<'t, T> {
    fn get(&mut self, key: &'t str, read: impl FnOnce(&'t str) -> Option<T>) -> Option<T> {
        if let Some((k, v)) = self.0
            && same(k.as_bytes(), key.as_bytes())
        {
            return Some(v);
        }
        let v = read(key)?;
        self.0 = Some((key, v));
        Some(v)
    }
}

/// Values read for the texts seen most recently, by a hash of their first and last bytes: a
/// long-form file names a handful of indicators in turn, row after row, where the last one
/// alone is always another.
struct Recent<'t, T>([Option<(&'t str, T)>; 64]);

impl<'t, T: Copy> Recent<'t, T> {
    fn new() -> Recent<'t, T> {
        Recent([None; 64])
    }

    fn get(&mut self, key: &'t str, read: impl FnOnce(&'t str) -> Option<T>) -> Option<T> {
        let b = key.as_bytes();
        let ends = match b.len() {
            0..8 => crate::data::tail_word(b),
            n => {
                let (head, tail) = words::<8>(b);
                u64::from_le_bytes(head) ^ u64::from_le_bytes(tail).rotate_left(29) ^ n as u64
            }
        };
        let h = ends.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 58;
        let slot = self.0.get_mut(h as usize)?;
        if let Some((k, v)) = *slot
            && same(k.as_bytes(), key.as_bytes())
        {
            return Some(v);
        }
        let v = read(key)?;
        *slot = Some((key, v));
        Some(v)
    }
}

impl<'a> Loader<'a> {
    /// Reads the rows of a plain CSV text with `layout`, pieces of `self.piece` bytes at a time
    /// in parallel (see the module's documentation).
    pub(super) fn read_plain(
        &mut self,
        state: &mut FileState,
        input: &mut Input<'_>,
        rows: Plain<'_>,
        layout: &Layout,
    ) {
        let pieces = pieces(rows, self.piece);
        let lines: usize = pieces.iter().map(|p| p.lines).sum();
        // One slot per line, filled in parallel: a point is written once, in its place, and
        // the memory is at most a point per line, as when pushed one by one.
        let mut points = std::mem::take(&mut self.points);
        let base = points.len();
        points.reserve_exact(lines);
        points.par_extend(rayon::iter::repeat_n(Point::BLANK, lines));
        let mut slots = Vec::with_capacity(pieces.len());
        let mut rest = points.get_mut(base..).unwrap_or_default();
        for p in &pieces {
            let (here, after) = rest.split_at_mut(p.lines.min(rest.len()));
            slots.push(here);
            rest = after;
        }
        let names = Names {
            plan: self.plan,
            units: self.units,
            indicators: &self.indicators,
            locale: state.locale,
            file: state.index,
            quick: self.quick,
        };
        let found: Vec<Found<'_>> = pieces
            .par_iter()
            .zip(slots)
            .map(|(p, slots)| names.piece(rows.between(p.start, p.end, p.line), layout, slots))
            .collect();
        // Joined in file order: the points each piece made are moved down over the slots of
        // blank lines and faulty rows, and the rows left are read where they stand.
        let mut to = base;
        let mut at = base;
        for (piece, found) in pieces.iter().zip(found) {
            let mut sources: Vec<Option<Option<u32>>> = vec![None; found.sources.len()];
            let mut done = 0;
            let ends = found.left.iter().map(|&(i, row)| (i, Some(row)));
            for (i, row) in ends.chain([(found.rows, None)]) {
                let made = at + done..at + i;
                done = i + 1;
                if found.sources.is_empty() {
                    // Most pieces: a move (nothing at all when no row before was left).
                    if to != made.start && made.end <= points.len() {
                        points.copy_within(made.clone(), to);
                    }
                    to += made.len();
                } else {
                    to = self.renumber(&mut points, made, to, &found.sources, &mut sources);
                }
                let Some(row) = row else {
                    break;
                };
                match self.plain_row(state, input, rows, row, layout) {
                    Ok(Some(p)) => {
                        if let Some(slot) = points.get_mut(to) {
                            *slot = p;
                        }
                        to += 1;
                    }
                    Ok(None) => {}
                    Err(Stop) => {
                        points.truncate(to);
                        self.points = points;
                        return;
                    }
                }
            }
            at += piece.lines;
        }
        points.truncate(to);
        self.points = points;
    }

    /// Moves the points of `made` down to `to` (returned: where the next one goes), their
    /// sources, numbered in the piece (`names`), renumbered in the file's order of first
    /// appearance (`numbers`, per name of the piece: its number once known).
    fn renumber(
        &mut self,
        points: &mut [Point],
        made: std::ops::Range<usize>,
        mut to: usize,
        names: &[&str],
        numbers: &mut [Option<Option<u32>>],
    ) -> usize {
        for k in made {
            let Some(mut p) = points.get(k).copied() else {
                break;
            };
            if let Some(local) = p.source_index() {
                let global = match numbers.get(local).copied().flatten() {
                    Some(g) => g,
                    None => {
                        let g = names.get(local).and_then(|s| self.intern(s));
                        if let Some(slot) = numbers.get_mut(local) {
                            *slot = Some(g);
                        }
                        g
                    }
                };
                p.set_source(global);
            }
            if let Some(slot) = points.get_mut(to) {
                *slot = p;
            }
            to += 1;
        }
        to
    }

    /// Reads the row at `row` sequentially, as [`Loader::csv_row`] does.
    fn plain_row(
        &mut self,
        state: &mut FileState,
        input: &mut Input<'_>,
        rows: Plain<'_>,
        row: Row,
        layout: &Layout,
    ) -> Result<Option<Point>, Stop> {
        let (text, _, _) = rows.start();
        let mut raw = [""; COLUMNS.len()];
        let Some((row, found)) = rows.between(row.start, text.len(), row.line).next(&mut raw)
        else {
            return Ok(None);
        };
        let cells = layout.order.map(|c| match c {
            None => Some(""),
            Some(i) => raw.get(i).map(|s| trim(s)),
        });
        self.csv_row(state, input, row, found, cells, layout)
    }
}

impl<'a> Loader<'a> {
    /// Reads a plain CSV file of the disk, `len` bytes, a chunk at a time (see the module's
    /// documentation); false, with nothing read, when it must be read whole instead: it is not
    /// plain or not UTF-8, its header or a row has a fault, a row names a unit not yet known,
    /// a line is longer than a chunk, or the file changed while it was read.
    pub(super) fn stream_plain(&mut self, shown: &str, file: &std::fs::File, len: u64) -> bool {
        let (Ok(index), Ok(len)) = (u16::try_from(self.files.len()), usize::try_from(len)) else {
            return false;
        };
        if index == NO_FILE {
            return false;
        }
        let mut chunks = Chunks {
            file,
            at: 0,
            len,
            carry: Vec::new(),
            line: 1,
            size: self.piece.max(1),
            spare: Vec::new(),
        };
        // The first chunk holds the header: read as the whole text's would be.
        let Ok(Some(head)) = chunks.next() else {
            return false;
        };
        let bytes = head.text.get(..head.used).unwrap_or_default();
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let Ok(text) = std::str::from_utf8(bytes) else {
            return false;
        };
        let mut table = Table::new(text);
        let mut record = ByteRecord::new();
        let Ok(Some(header)) = table.next(&mut record) else {
            return false;
        };
        let mut input = Input::new(shown, text, None);
        let Some(columns) = table::header(&mut input, &record, header, &COLUMNS) else {
            return false;
        };
        let locale = match directive(text) {
            None => self.locale,
            Some((name, _)) => match name.parse() {
                Ok(l) => l,
                Err(_) => return false,
            },
        };
        let layout = Layout::new(&columns, record.len(), table.delimiter);
        let Some(rows) = Plain::after(text, header, layout.delimiter) else {
            return false;
        };
        let (_, start, line) = rows.start();
        let rest = text.as_bytes().get(start..).unwrap_or_default();
        let first = Chunk {
            text: rest.to_vec(),
            used: rest.len(),
            line,
            lines: breaks(rest) + usize::from(rest.last().is_some_and(|&b| b != b'\n')),
        };
        let names = Names {
            plan: self.plan,
            units: self.units,
            indicators: &self.indicators,
            locale,
            file: index,
            quick: self.quick,
        };
        let mut points = std::mem::take(&mut self.points);
        let base = points.len();
        let known = self.sources.len();
        // Each batch is read into its place in the points, while the next is read from the
        // disk.
        let size = rayon::current_num_threads().max(1) * 2;
        let mut batch = match chunks.batch(size - 1) {
            Ok(mut b) => {
                b.insert(0, first);
                Ok(b)
            }
            Err(()) => Err(()),
        };
        let mut whole = true;
        while whole && let Ok(now) = batch {
            if now.is_empty() {
                batch = Ok(now);
                break;
            }
            let lines: usize = now.iter().map(|c| c.lines).sum();
            if points.capacity() == points.len() {
                // The first time, memory for the points of the whole file (`len` bytes), at
                // the rate of lines per byte of this batch.
                let bytes = now.iter().map(|c| c.used).sum::<usize>().max(1);
                let estimate = lines.saturating_mul(len) / bytes;
                points.reserve(estimate + estimate / 16);
            }
            // One slot per line, each chunk its own: a point is written once, in its place.
            let at = points.len();
            points.par_extend(rayon::iter::repeat_n(Point::BLANK, lines));
            let mut slots = Vec::with_capacity(now.len());
            let mut rest = points.get_mut(at..).unwrap_or_default();
            for c in &now {
                let (here, after) = rest.split_at_mut(c.lines.min(rest.len()));
                slots.push(here);
                rest = after;
            }
            let (next, done) = rayon::join(
                || chunks.batch(size),
                || {
                    now.into_par_iter()
                        .zip(slots)
                        .map(|(c, slots)| names.chunk(c, &layout, slots))
                        .collect::<Vec<_>>()
                },
            );
            let (sources, ids) = (&mut self.sources, &mut self.source_ids);
            whole = join(&mut points, at, sources, ids, done, &mut chunks);
            batch = next;
        }
        // Nothing past the end: the file did not grow since its size was taken.
        let mut past = [0u8];
        let grew = read_at(file, &mut past, len).is_ok();
        if !whole || batch.is_err() || grew {
            points.truncate(base);
            self.points = points;
            for s in self.sources.drain(known..) {
                self.source_ids.remove(&s);
            }
            return false;
        }
        self.points = points;
        self.add_file(shown.to_string(), None);
        true
    }
}

/// Joins the points of the chunks parsed (`done`, in order, their slots from `at` on): moves
/// them down over the slots of blank and comment lines, renumbering their sources in the
/// file's order of first appearance; their memory goes back to `chunks`. False when a chunk
/// has a row that made no point.
fn join(
    points: &mut Vec<Point>,
    at: usize,
    sources: &mut Vec<Box<str>>,
    ids: &mut std::collections::HashMap<Box<str>, u32>,
    done: Vec<Parsed>,
    chunks: &mut Chunks<'_>,
) -> bool {
    let (mut to, mut from) = (at, at);
    let mut whole = true;
    for p in done {
        whole &= p.whole;
        if whole {
            let made = from..from + p.rows;
            if !p.sources.is_empty() {
                let numbers: Vec<Option<u32>> =
                    p.sources.iter().map(|s| intern(sources, ids, s)).collect();
                for q in points.get_mut(made.clone()).unwrap_or_default() {
                    q.set_source(
                        q.source_index()
                            .and_then(|i| numbers.get(i).copied().flatten()),
                    );
                }
            }
            // Most chunks: nothing moves (every line a row).
            if to != from && made.end <= points.len() {
                points.copy_within(made, to);
            }
            to += p.rows;
        }
        from += p.lines;
        chunks.spare.push(p.text);
    }
    points.truncate(to);
    whole
}

impl Names<'_> {
    /// Parses a chunk of plain lines, every row of which should make a point, into `slots`
    /// (one per line).
    fn chunk(&self, chunk: Chunk, layout: &Layout, slots: &mut [Point]) -> Parsed {
        let Chunk {
            text,
            used,
            line,
            lines,
        } = chunk;
        let mut parsed = Parsed {
            text: Vec::new(),
            lines,
            rows: 0,
            sources: Vec::new(),
            whole: false,
        };
        if let Ok(read) = std::str::from_utf8(text.get(..used).unwrap_or_default())
            && let Some(rows) = Plain::whole(read, line, layout.delimiter)
        {
            let found = self.piece(rows, layout, slots);
            parsed.whole = found.left.is_empty();
            parsed.rows = found.rows;
            parsed.sources = found.sources.iter().map(|&s| s.into()).collect();
        }
        parsed.text = text;
        parsed
    }
}

impl Names<'_> {
    /// Reads a piece's rows into `slots`, one slot per row; the slot of a row left to the
    /// sequential reader stays as it is.
    fn piece<'t>(&self, mut rows: Plain<'t>, layout: &Layout, slots: &mut [Point]) -> Found<'t> {
        let mut found = Found {
            rows: 0,
            left: Vec::new(),
            sources: Vec::new(),
        };
        let mut raw = [""; COLUMNS.len()];
        let mut seen = Seen {
            units: Last(None),
            indicators: Recent::new(),
            periods: Last(None),
            dates: Last(None),
            sources: Last(None),
        };
        let mut quick = self.quick.then(|| Quick::new(self.plan, layout)).flatten();
        loop {
            if let Some(q) = quick.as_mut()
                && let Some((texts, unit, indicator, period)) = q.expected()
                && let Some((row, value)) = rows.next_known(texts)
                && let Some(slot) = slots.get_mut(found.rows)
            {
                q.previous = usize::from(indicator);
                let value = rust_decimal::Decimal::from(value);
                *slot = Point::ended(
                    indicator, unit, period, None, value, self.file, row.line, None,
                );
                found.rows += 1;
                continue;
            }
            let (row, point) = if let Some(q) = quick.as_mut()
                && let Some((row, cut)) = rows.next_cut::<4>()
            {
                let slot = slots.get_mut(found.rows);
                let point = slot.is_some_and(|slot| {
                    let cells = q.order.map(|i| cut.get(i).copied().unwrap_or_default());
                    self.quick_point(q, cells, row.line, slot) || {
                        let text = |c: &'t [u8]| std::str::from_utf8(c).map_or("", trim);
                        let [unit, indicator, period, value] = cells.map(text);
                        let cells = Cells {
                            unit,
                            indicator,
                            period,
                            value,
                            as_of: "",
                            source: "",
                            form: Form::Text,
                            line: row.line,
                        };
                        self.row(&cells, slot, &mut seen, &mut found.sources)
                    }
                });
                (row, point)
            } else if let Some((row, cells)) = rows.next(&mut raw) {
                let slot = slots.get_mut(found.rows);
                let point = cells == layout.width
                    && slot.is_some_and(|slot| {
                        let cell = |c: Col| match layout.order.get(c as usize).copied().flatten() {
                            None => "",
                            Some(i) => raw.get(i).map_or("", |s| trim(s)),
                        };
                        let cells = Cells {
                            unit: cell(Col::Unit),
                            indicator: cell(Col::Indicator),
                            period: cell(Col::Period),
                            value: cell(Col::Value),
                            as_of: cell(Col::AsOf),
                            source: cell(Col::Source),
                            form: Form::Text,
                            line: row.line,
                        };
                        self.row(&cells, slot, &mut seen, &mut found.sources)
                    });
                (row, point)
            } else {
                break;
            };
            if !point {
                found.left.push((found.rows, row));
            }
            found.rows += 1;
        }
        found
    }

    /// Writes into `slot` the point of a row with no fault and names already known, its
    /// source numbered among the piece's `sources`; false for any other row.
    fn row<'t>(
        &self,
        cells: &Cells<'t>,
        slot: &mut Point,
        seen: &mut Seen<'t>,
        sources: &mut Vec<&'t str>,
    ) -> bool {
        let mut source = |s: &'t str| {
            seen.sources.get(s, |s| {
                if s.is_empty() {
                    return Some(None);
                }
                let i = sources.iter().position(|&k| k == s);
                let i = i.unwrap_or_else(|| {
                    sources.push(s);
                    sources.len() - 1
                });
                u32::try_from(i).ok().map(Some)
            })
        };
        self.point(
            cells,
            slot,
            &mut seen.units,
            &mut seen.indicators,
            &mut seen.periods,
            &mut seen.dates,
        ) && source(cells.source).is_some_and(|s| {
            slot.set_source(s);
            true
        })
    }

    /// Writes into `slot` the point of a row of the four columns (see [`Quick`]), its `cells`
    /// in the order unit, indicator, period, value, when its names are those of the rows
    /// before or known, its period a year or a month and its value plain digits: the point
    /// [`Names::row`] makes of it. False (the slot then holds anything) for any other row,
    /// which `row` then reads. A name is looked up only when it needs no trimming.
    fn quick_point<'t>(
        &self,
        q: &mut Quick<'t>,
        [unit, indicator, period, value]: [&'t [u8]; 4],
        line: u32,
        slot: &mut Point,
    ) -> bool {
        let made = (|| {
            let unit = match q.unit {
                Some((text, u)) if same(text, unit) => u,
                _ => {
                    let u = self.units.get(std::str::from_utf8(bare(unit)?).ok()?)?;
                    q.unit = Some((unit, u));
                    u
                }
            };
            let after = q.next.get_mut(q.previous)?;
            let indicator = match *after {
                Some((text, i)) if same(text, indicator) => i,
                _ => {
                    let text = std::str::from_utf8(bare(indicator)?).ok()?;
                    let i = u16::try_from(*self.indicators.get(text)?).ok()?;
                    *after = Some((indicator, i));
                    i
                }
            };
            q.previous = usize::from(indicator);
            let integer = *q.integer.get(q.previous)?;
            let period = match q.period {
                Some((text, p)) if same(text, period) => p,
                _ => {
                    let p = year_or_month(period)?;
                    let p = (p, p.end());
                    q.period = Some((period, p));
                    p
                }
            };
            let value = plain_integer(value).filter(|_| integer)?;
            *slot = Point::ended(indicator, unit, period, None, value, self.file, line, None);
            Some(())
        })();
        made.is_some()
    }

    /// Writes into `slot` the point of a row with no fault and names already known, as
    /// [`Loader::check`] makes it; false (the slot then holds anything) for any other row.
    fn point<'t>(
        &self,
        cells: &Cells<'t>,
        slot: &mut Point,
        units: &mut Last<'t, UnitId>,
        indicators: &mut Recent<'t, usize>,
        periods: &mut Last<'t, (Period, NaiveDate)>,
        dates: &mut Last<'t, Option<NaiveDate>>,
    ) -> bool {
        let made = (|| {
            let unit = units.get(cells.unit, |t| self.units.get(t))?;
            let indicator = indicators.get(cells.indicator, |t| {
                let i = *self.indicators.get(t)?;
                (!is_derived(self.plan.indicators.get(i)?)).then_some(i)
            })?;
            let (period, end) = periods.get(cells.period, |t| {
                let p = period(t).ok()?;
                Some((p, p.end()))
            })?;
            let as_of = dates.get(cells.as_of, |t| as_of(t).ok())?;
            let ind = self.plan.indicators.get(indicator)?;
            // Plain digits as `convert` reads them, without the call (its result would come
            // back through memory).
            let plain = match ind.unit {
                Unit::Boolean | Unit::Date | Unit::Percent => None,
                _ => plain_integer(cells.value.as_bytes()),
            };
            let value = match plain {
                Some(v) => v,
                None => convert(cells, ind.unit, &ind.id.name, self.locale).ok()?,
            };
            if as_of.is_some() && as_of_before_period(as_of, period).is_some() {
                return None;
            }
            *slot = Point::ended(
                u16::try_from(indicator).ok()?,
                unit,
                (period, end),
                as_of,
                value,
                self.file,
                cells.line,
                None,
            );
            Some(())
        })();
        made.is_some()
    }
}

/// A cell without the white space around it, as [`str::trim`] gives it; most cells start
/// and end with a visible ASCII character, and are given as they are.
fn trim(cell: &str) -> &str {
    match (cell.as_bytes().first(), cell.as_bytes().last()) {
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => cell,
        _ => cell.trim(),
    }
}

/// A cell that starts and ends with a visible ASCII character, as [`trim`] leaves it; `None`
/// for any other.
fn bare(cell: &[u8]) -> Option<&[u8]> {
    match (cell.first(), cell.last()) {
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => Some(cell),
        _ => None,
    }
}

/// A year (`2026`) or a month (`2026-01`), as [`Period`]'s parser reads it; `None` for any
/// other text, which that parser reads.
fn year_or_month(t: &[u8]) -> Option<Period> {
    let digit = |i: usize| {
        t.get(i)
            .and_then(|&b| b.is_ascii_digit().then(|| i32::from(b - b'0')))
    };
    let year = digit(0)? * 1000 + digit(1)? * 100 + digit(2)? * 10 + digit(3)?;
    if !crate::period::YEARS.contains(&year) {
        return None;
    }
    match (t.len(), t.get(4)) {
        (4, _) => Some(Period::Year(year)),
        (7, Some(b'-')) => {
            let month = u8::try_from(digit(5)? * 10 + digit(6)?).ok()?;
            (1..=12)
                .contains(&month)
                .then_some(Period::Month(year, month))
        }
        _ => None,
    }
}

/// The rows of `rows` cut into pieces of about `size` bytes at line breaks, with their first
/// line and how many lines each has.
fn pieces(rows: Plain<'_>, size: usize) -> Vec<Piece> {
    let (text, start, line) = rows.start();
    let bytes = text.as_bytes();
    let mut cuts = vec![start];
    let mut at = start;
    while at < bytes.len() {
        let next = at.saturating_add(size.max(1));
        at = match bytes.get(next..) {
            Some(rest) => rest
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |i| next + i + 1),
            None => bytes.len(),
        };
        cuts.push(at);
    }
    let counts: Vec<(usize, usize)> = cuts
        .par_windows(2)
        .map(|w| match w {
            [a, b] => {
                let piece = bytes.get(*a..*b).unwrap_or_default();
                let breaks = breaks(piece);
                // A last line without a line break is a line too.
                let open = usize::from(piece.last().is_some_and(|&c| c != b'\n'));
                (breaks, breaks + open)
            }
            _ => (0, 0),
        })
        .collect();
    let mut line = line;
    cuts.windows(2)
        .zip(counts)
        .map(|(w, (breaks, lines))| {
            let (start, end) = match w {
                [a, b] => (*a, *b),
                _ => (0, 0),
            };
            let piece = Piece {
                start,
                end,
                line,
                lines,
            };
            line = line.saturating_add(u32::try_from(breaks).unwrap_or(u32::MAX));
            piece
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Format, load_units_str};
    use crate::lang::Lang;
    use proptest::prelude::*;

    const PLAN: &str = "chitieu: 1
plan: { id: P, title: T, period: 2026 .. 2030, baseline: 2025 }
kinds: [province, department]
indicators:
  n: { name: N, unit: count }
  m: { name: M, unit: count }
  rate: { name: Rate, unit: percent }
  ok: { name: Ok, unit: boolean }
  ratio: { name: Ratio, unit: percent, formula: n / m }
";

    /// Everything a load gives: the units afterwards, and the dataset or every diagnostic
    /// with its place.
    fn load(text: &str, piece: usize, registry: bool) -> String {
        load_quick(text, piece, registry, true)
    }

    /// [`load`], bare rows read by the quick path or not.
    fn load_quick(text: &str, piece: usize, registry: bool, quick: bool) -> String {
        let (plan, _) = crate::plan::load_str("plan.yaml", PLAN);
        let plan = plan.unwrap();
        let mut units = if registry {
            let csv = "id,name,kind,parent\nP,Tỉnh,province,\nD1,Sở,department,P\n";
            load_units_str("units.csv", csv, Format::Csv, &plan).unwrap()
        } else {
            load_units_str("units.csv", "id,name,kind,parent\n", Format::Csv, &plan).unwrap()
        };
        let mut loader = Loader::new(&plan, &mut units, Locale::Default);
        loader.piece = piece;
        loader.quick = quick;
        loader.read_str("d.csv", text, Format::Csv);
        let outcome = match loader.finish() {
            Ok(data) => format!("{data:?}"),
            Err(diags) => diags
                .iter()
                .map(|d| {
                    let at =
                        |l: &Option<crate::source::Location>| l.as_ref().map(|l| (l.start, l.end));
                    format!(
                        "{} {:?} {:?}\n",
                        d.message(Lang::En),
                        at(&d.location),
                        at(&d.related)
                    )
                })
                .collect(),
        };
        let ids: Vec<&str> = units.iter().map(|(_, u)| u.id.as_str()).collect();
        format!("{ids:?}\n{outcome}")
    }

    /// Everything a load of `text` from a file of the disk gives (as [`load`]), and whether it
    /// was read a chunk at a time: chunks of `chunk` bytes when `stream`, else whole.
    fn load_file(text: &str, chunk: usize, registry: bool, stream: bool) -> (String, bool) {
        static FILES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = FILES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("chitieu-stream-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("d.csv");
        std::fs::write(&path, text).unwrap();
        let (plan, _) = crate::plan::load_str("plan.yaml", PLAN);
        let plan = plan.unwrap();
        let registry_text = if registry {
            "id,name,kind,parent\nP,Tỉnh,province,\nD1,Sở,department,P\n"
        } else {
            "id,name,kind,parent\n"
        };
        let mut units = load_units_str("units.csv", registry_text, Format::Csv, &plan).unwrap();
        let mut loader = Loader::new(&plan, &mut units, Locale::Default);
        loader.piece = chunk;
        loader.stream_from = if stream { 0 } else { u64::MAX };
        let streamed = stream && {
            let (file, len) = crate::files::Files::open(&crate::files::FileSystem, &path).unwrap();
            loader.stream_plain(&path.display().to_string(), &file, len)
        };
        if !streamed {
            loader.stream_from = u64::MAX;
            loader.read_path(&path);
        }
        let outcome = match loader.finish() {
            Ok(data) => format!("{data:?}"),
            Err(diags) => diags
                .iter()
                .map(|d| {
                    let at = |l: &Option<crate::source::Location>| {
                        l.as_ref()
                            .map(|l| (l.file.path().to_string(), l.start, l.end))
                    };
                    format!(
                        "{} {:?} {:?}\n",
                        d.message(Lang::En),
                        at(&d.location),
                        at(&d.related)
                    )
                })
                .collect(),
        };
        let outcome = outcome.replace(&path.display().to_string(), "d.csv");
        std::fs::remove_dir_all(&dir).unwrap();
        let ids: Vec<&str> = units.iter().map(|(_, u)| u.id.as_str()).collect();
        (format!("{ids:?}\n{outcome}"), streamed)
    }

    /// The same text read by the `csv` reader, one row after the other: a comment with a
    /// quote at its end makes it not plain, and changes no row.
    fn by_reader(text: &str, registry: bool) -> String {
        load(&format!("{text}\n#\"\n"), PIECE, registry)
    }

    fn row() -> impl Strategy<Value = String> {
        let unit = prop::sample::select(vec!["P", "D1", "X9", "", " P "]);
        let indicator = prop::sample::select(vec!["n", "m", "rate", "ok", "ratio", "zz", ""]);
        let period = prop::sample::select(vec!["2026", "2026-01", "2026-Q1", "2025", "20x6", ""]);
        let value = prop::sample::select(vec![
            "1", "0", "12", "1.5", "89.6%", "89.6", "1,675", "abc", "", "-1", "true", "có",
        ]);
        let as_of = prop::sample::select(vec!["", "", "2026-02-01", "2025-01-01", "bad"]);
        let source = prop::sample::select(vec!["", "", "s1", "s2", "s3"]);
        let shape = prop::sample::select(vec![0u8, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5]);
        (unit, indicator, period, value, as_of, source, shape).prop_map(
            |(u, i, p, v, a, s, shape)| match shape {
                1 => String::new(),
                2 => "# a comment".into(),
                3 => format!("{u},{i},{p}"),
                4 => format!("{u},{i},{p},{v},{a},{s},extra"),
                5 => format!("{u},{i},{p},{v},{a},{s}\r"),
                _ => format!("{u},{i},{p},{v},{a},{s}"),
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Read in pieces of any size, in parallel, a plain file gives the points, units and
        /// diagnostics (their order and places, the stop after too many errors included) that
        /// the sequential reader gives.
        #[test]
        fn pieces_read_as_the_rows_one_after_the_other(
            rows in prop::collection::vec(row(), 0..160),
            piece in 1usize..200,
            registry: bool,
            end_break: bool,
        ) {
            let mut text = String::from("unit,indicator,period,value,as_of,source\n");
            text.push_str(&rows.join("\n"));
            if end_break {
                text.push('\n');
            }
            prop_assert_eq!(load(&text, piece, registry), by_reader(&text, registry));
        }
    }

    /// A row of the four columns `unit,indicator,period,value`: mostly bare, every fault and
    /// every other shape of line among them.
    fn row4() -> impl Strategy<Value = String> {
        let unit = prop::sample::select(vec!["P", "P", "D1", "D1", "X9", "", " P", "#P", "P\t"]);
        let indicator = prop::sample::select(vec![
            "n", "n", "m", "m", "rate", "ok", "ratio", "zz", "", "n ",
        ]);
        let period = prop::sample::select(vec![
            "2026", "2026", "2026-01", "2026-02", "2026-Q1", "2025", "20x6", "", "2026-13", "9999",
        ]);
        let value = prop::sample::select(vec![
            "1",
            "0",
            "12",
            "007",
            "1.5",
            "89.6%",
            "89.6",
            "1,675",
            "abc",
            "",
            "-1",
            "true",
            "có",
            "1234567890123456789012",
            " 5",
        ]);
        let shape = prop::sample::select(vec![0u8, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5]);
        (unit, indicator, period, value, shape).prop_map(|(u, i, p, v, shape)| match shape {
            1 => String::new(),
            2 => "# a comment".into(),
            3 => format!("{u},{i},{p}"),
            4 => format!("{u},{i},{p},{v},extra"),
            // (The `csv` reader ends a comment at a carriage return, the plain reader does not.)
            5 if !u.starts_with('#') => format!("{u},{i},{p},{v}\r"),
            _ => format!("{u},{i},{p},{v}"),
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// A file of the four columns, its bare rows read by the quick path, gives the points,
        /// units and diagnostics that reading it without the quick path, and reading its rows
        /// one after the other, give.
        #[test]
        fn quick_rows_read_as_the_rows_one_after_the_other(
            rows in prop::collection::vec(row4(), 0..160),
            piece in prop::sample::select(vec![1usize, 7, 50, 200, PIECE]),
            registry: bool,
            end_break: bool,
        ) {
            let mut text = String::from("unit,indicator,period,value\n");
            text.push_str(&rows.join("\n"));
            if end_break {
                text.push('\n');
            }
            let quick = load_quick(&text, piece, registry, true);
            prop_assert_eq!(&quick, &load_quick(&text, piece, registry, false));
            prop_assert_eq!(quick, by_reader(&text, registry));
        }

        /// A long-form file (units, then periods, then the indicators in turn), some rows
        /// changed, its rows that continue the rows before read by `next_known`: read as
        /// without the quick path.
        #[test]
        fn long_form_rows_read_as_without_the_quick_path(
            changes in prop::collection::vec((0usize..64, row4()), 0..6),
            piece in prop::sample::select(vec![1usize, 40, 300, PIECE]),
        ) {
            let mut rows = Vec::new();
            for u in ["P", "D1"] {
                for p in ["2025", "2026", "2026-01", "2026-02"] {
                    for (k, i) in ["n", "m", "rate", "ok"].into_iter().enumerate() {
                        let v = match i {
                            "rate" => "89.6",
                            "ok" => "1",
                            _ => ["5", "12", "007", "0"][(k + p.len()) % 4],
                        };
                        rows.push(format!("{u},{i},{p},{v}"));
                    }
                }
            }
            for (at, row) in changes {
                if let Some(r) = rows.get_mut(at) {
                    *r = row;
                }
            }
            let text = format!("unit,indicator,period,value\n{}\n", rows.join("\n"));
            prop_assert_eq!(
                load_quick(&text, piece, true, true),
                load_quick(&text, piece, true, false)
            );
        }

        /// The same, read from the disk a chunk at a time, columns in another order.
        #[test]
        fn quick_chunks_read_as_the_whole_file(
            rows in prop::collection::vec(
                (
                    prop::sample::select(vec!["P", "D1"]),
                    prop::sample::select(vec!["n", "m", "rate", "ok"]),
                    prop::sample::select(vec!["2026", "2026-01", "2026-Q1", "2025", "2027-12"]),
                    prop::sample::select(vec!["1", "20", "007", "1.5", "89.6", "true", "0"]),
                ),
                0..200,
            ),
            chunk in 32usize..600,
        ) {
            let mut text = String::from("period,value,unit,indicator\n");
            for (u, i, p, v) in rows {
                text.push_str(&format!("{p},{v},{u},{i}\n"));
            }
            let (whole, _) = load_file(&text, chunk, true, false);
            let (streamed, _) = load_file(&text, chunk, true, true);
            prop_assert_eq!(streamed, whole);
        }
    }

    proptest! {
        /// A year or a month is read as the period parser reads it; any other text is left to
        /// that parser.
        #[test]
        fn years_and_months_are_what_the_period_parser_reads(
            text in "[0-9]{4}(-[0-9]{1,3}|-Q[0-9]|-H[0-9]|[0-9])?|[0-9 Q-]{0,8}",
        ) {
            let parsed: Option<Period> = text.parse().ok();
            match year_or_month(text.as_bytes()) {
                Some(p) => prop_assert_eq!(Some(p), parsed),
                None => prop_assert!(
                    parsed.is_none_or(|p| !matches!(p, Period::Year(_) | Period::Month(..))),
                    "{}", text
                ),
            }
        }

        /// A cell is bare exactly when trimming leaves it as it is and it is not empty.
        #[test]
        fn bare_cells_are_the_cells_trim_leaves(cell in "[ \t\u{a0}]?[a-z ]{0,3}[ \t\u{a0}]?") {
            prop_assert_eq!(bare(cell.as_bytes()).is_some(), !cell.is_empty() && trim(&cell) == cell);
        }
    }

    proptest! {
        /// Texts compared a word at a time are equal exactly when they are.
        #[test]
        fn same_is_equality(a in "[ab]{0,20}", b in "[ab]{0,20}") {
            prop_assert_eq!(same(a.as_bytes(), b.as_bytes()), a == b);
            prop_assert!(same(a.as_bytes(), a.clone().as_bytes()));
        }

        /// Whatever the order of the texts asked, the cache of recent values gives what
        /// reading each text gives.
        #[test]
        fn recent_values_are_the_values_read(
            keys in prop::collection::vec("[a-e_]{0,12}", 1..200),
        ) {
            let read = |k: &str| (k.len() % 7 != 3).then(|| k.bytes().map(usize::from).sum::<usize>());
            let mut recent = Recent::new();
            for k in &keys {
                prop_assert_eq!(recent.get(k, read), read(k), "{}", k);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(100))]

        /// Read from the disk a chunk at a time, a file gives the points, units and diagnostics
        /// that reading it whole gives, or is read whole.
        #[test]
        fn chunks_read_as_the_whole_file(
            rows in prop::collection::vec(row(), 0..120),
            chunk in 1usize..400,
            registry: bool,
            bom: bool,
        ) {
            let mut text = String::from(if bom { "\u{feff}" } else { "" });
            text.push_str("# locale: vi\nunit,indicator,period,value,as_of,source\n");
            text.push_str(&rows.join("\n"));
            let (streamed, _) = load_file(&text, chunk, registry, true);
            let (whole, _) = load_file(&text, chunk, registry, false);
            prop_assert_eq!(streamed, whole);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(60))]

        /// A file of rows without faults is read a chunk at a time, as it is read whole: the
        /// points, their lines and sources, repeated observations found across chunks.
        #[test]
        fn clean_chunks_read_as_the_whole_file(
            rows in prop::collection::vec(
                (
                    prop::sample::select(vec!["P", "D1"]),
                    prop::sample::select(vec!["n", "m"]),
                    prop::sample::select(vec!["2026", "2026-01", "2026-Q1", "2025"]),
                    "[0-9]{1,3}",
                    prop::sample::select(vec!["", "s1", "s2", "s3"]),
                    prop::sample::select(vec!["", "", "", "# note", "\r"]),
                ),
                0..200,
            ),
            chunk in 48usize..600,
        ) {
            let mut text = String::from("unit,indicator,period,value,source\n");
            for (u, i, p, v, s, extra) in rows {
                match extra {
                    "\r" => text.push_str(&format!("{u},{i},{p},{v},{s}\r\n")),
                    "" => text.push_str(&format!("{u},{i},{p},{v},{s}\n")),
                    note => text.push_str(&format!("{u},{i},{p},{v},{s}\n{note}\n\n")),
                }
            }
            let (whole, _) = load_file(&text, chunk, true, false);
            prop_assert_eq!(load_file(&text, chunk, true, true), (whole, true));
        }
    }

    #[test]
    fn clean_files_are_read_a_chunk_at_a_time() {
        let mut text = String::from("unit,indicator,period,value,source\n");
        for year in 2000..2100 {
            text.push_str(&format!(
                "P,n,{year},{year},s{}\nD1,m,{year}-Q2,7,\n",
                year % 3
            ));
        }
        text.push_str("P,ok,2026,có,s1");
        let (whole, streamed) = load_file(&text, usize::MAX, true, false);
        assert!(!streamed);
        for chunk in [40, 100, 1000, 1 << 20] {
            assert_eq!(
                load_file(&text, chunk, true, true),
                (whole.clone(), true),
                "{chunk}"
            );
        }
        // A line longer than a chunk, a fault, a unit not declared: read whole.
        assert_eq!(load_file(&text, 20, true, true), (whole, false));
        let faulty = text.replace("P,n,2050,2050", "P,n,2050,x");
        assert!(!load_file(&faulty, 100, true, true).1);
        assert!(!load_file(&text, 100, false, true).1);
    }

    #[test]
    fn reading_stops_after_too_many_errors_as_the_reader_does() {
        let mut text = String::from("unit,indicator,period,value\n");
        text.push_str(&"P,n,2026,abc\n".repeat(120));
        text.push_str("P,n,2027,1\nP,n,2027,2\n");
        for piece in [1, 13, 100, PIECE] {
            let read = load(&text, piece, true);
            assert!(read.contains("stopped reading"), "{read}");
            assert!(!read.contains("appears twice"), "{read}");
            assert_eq!(read, by_reader(&text, true), "{piece}");
        }
    }

    #[test]
    fn cells_are_trimmed_as_str_trim_trims_them() {
        for cell in [
            "",
            " ",
            "a",
            " a",
            "a\t",
            "\u{a0}a",
            "a\u{2003}",
            "é",
            " é ",
            "1,5",
            "\u{feff}x",
        ] {
            assert_eq!(trim(cell), cell.trim(), "{cell:?}");
        }
    }

    #[test]
    fn pieces_end_at_line_breaks_and_count_lines() {
        let text = "h\na\n\nbb\n#c\nlast";
        let header = Row { start: 0, line: 1 };
        let rows = Plain::after(text, header, b',').unwrap();
        for size in 1..12 {
            let ps = pieces(rows, size);
            assert_eq!(
                ps.first().map(|p| (p.start, p.line)),
                Some((2, 2)),
                "{size}"
            );
            assert_eq!(ps.last().map(|p| p.end), Some(text.len()), "{size}");
            assert_eq!(ps.iter().map(|p| p.lines).sum::<usize>(), 5, "{size}");
            for w in ps.windows(2) {
                assert_eq!(w[0].end, w[1].start);
                assert_eq!(&text[w[0].end - 1..w[0].end], "\n");
                let breaks = text[..w[1].start].matches('\n').count();
                assert_eq!(w[1].line as usize, breaks + 1);
            }
        }
    }
}
