//! Plain CSV text (no quotes, see [`Plain`]) read in parallel: the rows are cut into pieces at
//! line breaks, each piece is read by its own task straight into its own stretch of the points,
//! and the pieces are then joined in file order. A task only reads: a row it cannot make a
//! point of by itself (any fault, a unit not yet known, a cell count that is not the header's)
//! is left to the sequential reader when the pieces are joined, in file order, with the file's
//! state as it stands there. So the points, their order, the units added from data, the
//! numbering of sources, and every diagnostic (which rows, in which order, where the reading
//! stops after too many errors) are those of reading the rows one after the other.

use super::table::{Plain, Row};
use super::{COLUMNS, Cells, Col, FileState, Form, Layout, Loader, Stop, as_of, convert, period};
use super::{as_of_before_period, is_derived};
use crate::data::store::Point;
use crate::data::table::Input;
use crate::data::units::{UnitId, Units};
use crate::data::{FastMap, Locale};
use crate::period::Period;
use crate::plan::Plan;
use chrono::NaiveDate;
use rayon::prelude::*;

/// Bytes of rows a task reads: small enough that the pieces keep every core busy to the end,
/// large enough that a task's start costs nothing.
pub(super) const PIECE: usize = 1 << 20;

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
}

/// The last value read for a text: long-form files repeat units, periods and dates row after
/// row.
struct Last<'t, T>(Option<(&'t str, T)>);

impl<'t, T: Copy> Last<'t, T> {
    fn get(&mut self, key: &'t str, read: impl FnOnce(&'t str) -> Option<T>) -> Option<T> {
        if let Some((k, v)) = self.0
            && same(k, key)
        {
            return Some(v);
        }
        let v = read(key)?;
        self.0 = Some((key, v));
        Some(v)
    }
}

/// Values read for the texts seen most recently, by a hash of their length and three of their
/// bytes: a long-form file names a handful of indicators in turn, row after row, where the
/// last one alone is always another.
struct Recent<'t, T>([Option<(&'t str, T)>; 32]);

impl<'t, T: Copy> Recent<'t, T> {
    fn new() -> Recent<'t, T> {
        Recent([None; 32])
    }

    fn get(&mut self, key: &'t str, read: impl FnOnce(&'t str) -> Option<T>) -> Option<T> {
        let b = key.as_bytes();
        let byte = |i: usize| usize::from(b.get(i).copied().unwrap_or(0));
        let h =
            b.len() ^ byte(0) << 1 ^ byte(b.len() / 2) << 2 ^ byte(b.len().wrapping_sub(1)) << 3;
        let slot = self.0.get_mut((h ^ h >> 5) & 31)?;
        if let Some((k, v)) = *slot
            && same(k, key)
        {
            return Some(v);
        }
        let v = read(key)?;
        *slot = Some((key, v));
        Some(v)
    }
}

/// Whether two texts are equal, comparing short ones (the names and numbers of data files) a
/// word at a time rather than by a call to `memcmp`.
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    // Two overlapping words cover a text of `w` to `2w` bytes.
    fn words<const W: usize>(x: &[u8]) -> ([u8; W], [u8; W]) {
        let mut head = [0u8; W];
        let mut tail = [0u8; W];
        head.copy_from_slice(x.get(..W).unwrap_or(&[0; W]));
        tail.copy_from_slice(x.get(x.len().saturating_sub(W)..).unwrap_or(&[0; W]));
        (head, tail)
    }
    match n {
        0..4 => a == b,
        4..=8 => words::<4>(a) == words::<4>(b),
        9..=16 => words::<8>(a) == words::<8>(b),
        _ => a == b,
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
        let mut units = Last(None);
        let mut indicators = Recent::new();
        let mut periods = Last(None);
        let mut dates = Last(None);
        let mut sources = Last(None);
        while let Some((row, cells)) = rows.next(&mut raw) {
            let point = if cells == layout.width {
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
                let mut source = |s: &'t str| {
                    sources.get(s, |s| {
                        if s.is_empty() {
                            return Some(None);
                        }
                        let i = found.sources.iter().position(|&k| k == s);
                        let i = i.unwrap_or_else(|| {
                            found.sources.push(s);
                            found.sources.len() - 1
                        });
                        u32::try_from(i).ok().map(Some)
                    })
                };
                let slot = slots.get_mut(found.rows);
                slot.is_some_and(|slot| {
                    self.point(
                        &cells,
                        slot,
                        &mut units,
                        &mut indicators,
                        &mut periods,
                        &mut dates,
                    ) && source(cells.source).is_some_and(|s| {
                        slot.set_source(s);
                        true
                    })
                })
            } else {
                false
            };
            if !point {
                found.left.push((found.rows, row));
            }
            found.rows += 1;
        }
        found
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
            let value = convert(cells, ind.unit, &ind.id.name, self.locale).ok()?;
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
                // Counted in bytes, 255 at most, so that the count is vectorized.
                let breaks: usize = piece
                    .chunks(255)
                    .map(|c| usize::from(c.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n'))))
                    .sum();
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

    proptest! {
        /// Texts compared a word at a time are equal exactly when they are.
        #[test]
        fn same_is_equality(a in "[ab]{0,20}", b in "[ab]{0,20}") {
            prop_assert_eq!(same(&a, &b), a == b);
            prop_assert!(same(&a, &a.clone()));
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
