//! Status histories (`chitieu eval --history`): a JSON document written block by block as the
//! history is computed, and a compact status-over-time table per goal for people.

use super::eval::{status_mark, status_word};
use crate::data::Units;
use crate::eval::{Compiled, Status, UnitHistory};
use crate::lang::Lang;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The `schema` of history JSON documents.
pub const HISTORY_SCHEMA: &str = "chitieu.history/v1";

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn goal_id(c: &Compiled, g: usize) -> &str {
    c.plan().goals.get(g).map_or("", |x| x.id.name.as_str())
}

/// Where a history document's bytes go: a buffer lent by the destination, formatted into in
/// place, so that the text is not copied again on its way out (the `-o` file's chunks are
/// such buffers: a national history is 271 MB).
pub trait Output {
    /// A buffer to append the next bytes of the output to, with room for `room` more bytes
    /// (appending up to that many does not reallocate it).
    fn room(&mut self, room: usize) -> io::Result<&mut Vec<u8>>;

    /// Hands on what was appended; called once, at the end of the document.
    fn end(&mut self) -> io::Result<()>;
}

/// The output is the vector itself.
impl Output for Vec<u8> {
    fn room(&mut self, room: usize) -> io::Result<&mut Vec<u8>> {
        self.reserve(room);
        Ok(self)
    }

    fn end(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<O: Output + ?Sized> Output for &mut O {
    fn room(&mut self, room: usize) -> io::Result<&mut Vec<u8>> {
        (**self).room(room)
    }

    fn end(&mut self) -> io::Result<()> {
        (**self).end()
    }
}

/// Any writer as an [`Output`]: the text is gathered in a buffer of a megabyte, written in
/// one piece each time it is full.
#[derive(Debug)]
pub struct Buffered<W: Write> {
    buf: Vec<u8>,
    out: W,
}

impl<W: Write> Buffered<W> {
    /// Writes to `out`.
    pub fn new(out: W) -> Buffered<W> {
        Buffered {
            buf: Vec::with_capacity(1 << 20),
            out,
        }
    }

    /// The writer (what is still buffered is written by [`Output::end`]).
    pub fn into_inner(self) -> W {
        self.out
    }
}

impl<W: Write> Output for Buffered<W> {
    fn room(&mut self, room: usize) -> io::Result<&mut Vec<u8>> {
        if self.buf.capacity() - self.buf.len() < room {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
            self.buf.reserve(room);
        }
        Ok(&mut self.buf)
    }

    fn end(&mut self) -> io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        self.out.flush()
    }
}

/// Writes a history as JSON while it is computed:
///
/// ```json
/// {"schema": "chitieu.history/v1", "plan": "…", "dates": ["2026-01-31", …],
///  "results": [{"unit": "P01", "goal": "N01",
///               "series": [{"as_of": "2026-01-31", "status": "met", "actual": "0.81"}, …]}, …]}
/// ```
///
/// `actual` is the exact decimal as a string (a percent as its fraction), or `null`.
///
/// A national history is millions of steps: each series is formatted straight into the
/// buffer its [`Output`] lends (the text before each step's status is made once per date,
/// decimals are formatted two digits at a time), with no formatting machinery per value. A
/// block is formatted by one thread while the next block is evaluated on the others (see
/// [`History::run`](crate::eval::History::run)).
pub struct HistoryJson<'a, O: Output> {
    out: O,
    text: Text<'a>,
    /// Whether no result was written yet (the first is not preceded by a comma).
    first: bool,
}

/// What every unit's histories are written with.
struct Text<'a> {
    c: &'a Compiled,
    units: &'a Units,
    /// Per date, status and whether there is an actual value, the text of a step up to its
    /// value: `, {"as_of": "DATE", "status": "STATUS", "actual": "` (or `null}`), without the
    /// comma at the first date, padded to [`HEAD`] bytes, with its length. See [`Text::step`].
    steps: Vec<(Vec<u8>, usize)>,
    /// Per goal of the plan, its id as a JSON string.
    goals: Vec<String>,
}

/// A step's text up to its value is at most 70 bytes (`, {"as_of": "2026-01-31", "status":
/// "not_applicable", "actual": null}`); each is kept padded to this width and copied with one
/// move of a fixed size, the padding then cut off: a copy of variable length is a call to
/// `memcpy`, which cost more than the copy itself at this size.
const HEAD: usize = 80;

/// The most a step takes: its text up to the value, the value (at most 31 bytes: a sign, 29
/// digits and a point), `"}`, and the padding copied with each. Room is asked for at this for
/// every step.
const STEP_BYTES: usize = HEAD + DECIMAL;

/// The most a series takes besides its steps and its unit's and goal's ids.
const SERIES_BYTES: usize = 64;

impl<'a, O: Output> HistoryJson<'a, O> {
    /// Starts the document: its header and the list of dates.
    pub fn begin(
        mut out: O,
        c: &'a Compiled,
        units: &'a Units,
        dates: &[NaiveDate],
    ) -> io::Result<HistoryJson<'a, O>> {
        let mut head = format!(
            "{{\n\"schema\": \"{HISTORY_SCHEMA}\",\n\"plan\": {},\n\"dates\": [",
            json_str(&c.plan().plan().id)
        );
        for (i, d) in dates.iter().enumerate() {
            let _ = write!(head, "{}\"{d}\"", if i == 0 { "" } else { ", " });
        }
        head.push_str("],\n\"results\": [");
        out.room(head.len())?.extend_from_slice(head.as_bytes());
        let mut steps = Vec::with_capacity(dates.len() * Status::ALL.len() * 2);
        for (i, d) in dates.iter().enumerate() {
            let comma = if i == 0 { "" } else { ", " };
            for status in Status::ALL {
                let head = format!(
                    "{comma}{{\"as_of\": \"{d}\", \"status\": \"{}\", ",
                    status.name()
                );
                for text in [
                    format!("{head}\"actual\": null}}"),
                    format!("{head}\"actual\": \""),
                ] {
                    let mut padded = text.into_bytes();
                    let len = padded.len();
                    padded.resize(len.max(HEAD), b' ');
                    steps.push((padded, len));
                }
            }
        }
        let goals = (0..c.plan().goals.len())
            .map(|g| json_str(goal_id(c, g)))
            .collect();
        Ok(HistoryJson {
            out,
            text: Text {
                c,
                units,
                steps,
                goals,
            },
            first: true,
        })
    }

    /// Writes the histories of a block of units.
    pub fn block(&mut self, block: &[UnitHistory]) -> io::Result<()> {
        for h in block {
            self.text.unit(h, &mut self.out, &mut self.first)?;
        }
        Ok(())
    }

    /// Ends the document and hands it on; returns the output.
    pub fn finish(mut self) -> io::Result<O> {
        const END: &[u8] = b"\n]\n}\n";
        self.out.room(END.len())?.extend_from_slice(END);
        self.out.end()?;
        Ok(self.out)
    }
}

impl Text<'_> {
    /// Appends the text of a step up to its value: see [`Text::steps`].
    fn step(&self, buf: &mut Vec<u8>, date: usize, status: Status, actual: bool) {
        let at = (date * Status::ALL.len() + status as usize) * 2 + usize::from(actual);
        if let Some((padded, len)) = self.steps.get(at) {
            push_fixed::<HEAD>(buf, padded, *len);
        }
    }

    /// Appends the results of a unit to `out`, each preceded by `,\n` (the first result of
    /// the document by a line break only), a series at a time.
    fn unit(&self, h: &UnitHistory, out: &mut impl Output, first: &mut bool) -> io::Result<()> {
        let unit = json_str(self.units.id(h.unit));
        for s in &h.series {
            let made;
            let goal = match self.goals.get(s.goal) {
                Some(g) => g.as_bytes(),
                None => {
                    made = json_str(goal_id(self.c, s.goal));
                    made.as_bytes()
                }
            };
            let buf =
                out.room(SERIES_BYTES + unit.len() + goal.len() + s.steps.len() * STEP_BYTES)?;
            let lead: &[u8] = if std::mem::take(first) {
                b"\n{\"unit\": "
            } else {
                b",\n{\"unit\": "
            };
            buf.extend_from_slice(lead);
            buf.extend_from_slice(unit.as_bytes());
            buf.extend_from_slice(b", \"goal\": ");
            buf.extend_from_slice(goal);
            buf.extend_from_slice(b", \"series\": [");
            for (i, step) in s.steps.iter().enumerate() {
                self.step(buf, i, step.status, step.actual.is_some());
                if let Some(d) = step.actual {
                    push_decimal(buf, d);
                    buf.extend_from_slice(b"\"}");
                }
            }
            buf.extend_from_slice(b"]}");
        }
        Ok(())
    }
}

/// The two digits of 0 to 99, one after the other.
const PAIRS: &[u8; 200] = b"\
    0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849\
    5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";

/// Writes the digits of `n` before `end` in `digits` (two at a time), `width` of them at least
/// (the array holds zeros where none is written), and one at least; returns the first.
fn put_digits(digits: &mut [u8], mut end: usize, mut n: u64, width: usize) -> usize {
    let stop = end.saturating_sub(width.max(1));
    while n >= 10 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        end = end.saturating_sub(2);
        if let (Some(to), Some(from)) = (digits.get_mut(end..end + 2), PAIRS.get(pair..pair + 2)) {
            to.copy_from_slice(from);
        }
    }
    if n > 0 {
        end = end.saturating_sub(1);
        if let Some(c) = digits.get_mut(end) {
            *c = b'0' + n as u8;
        }
    }
    end.min(stop)
}

/// Appends the first `len` bytes of `padded`, copying `N` of them (a move of a fixed size) and
/// cutting off the rest, when `padded` has `N` bytes or more and `len` is at most `N`.
fn push_fixed<const N: usize>(buf: &mut Vec<u8>, padded: &[u8], len: usize) {
    match padded.first_chunk::<N>() {
        Some(fixed) if len <= N => {
            let at = buf.len();
            buf.extend_from_slice(fixed);
            buf.truncate(at + len);
        }
        _ => buf.extend_from_slice(padded.get(..len).unwrap_or(padded)),
    }
}

/// The bytes a decimal's text is copied with (see [`push_decimal`]): at least its 31.
const DECIMAL: usize = 40;

/// Where a decimal's last digit goes in [`push_decimal`]'s array: room before it for 29 digits,
/// the zeros of a scale of 28, a point and a sign, shifted left by one to make room for the
/// point; and [`DECIMAL`] bytes from the first one.
const LAST: usize = 64;

/// Appends a decimal as its `Display` writes it (sign, every digit of its scale, trailing zeros
/// kept: `-0.50`), without going through the formatter. The text is made in a local array and
/// appended with one move of a fixed size ([`push_fixed`]).
fn push_decimal(buf: &mut Vec<u8>, d: Decimal) {
    const TEN19: u128 = 10_000_000_000_000_000_000;
    let mut text = [b'0'; LAST + DECIMAL];
    let m = d.mantissa().unsigned_abs();
    let first = match u64::try_from(m) {
        Ok(small) => put_digits(&mut text, LAST, small, 1),
        // The low 19 digits, zeros included, then the high ones (at most 10).
        Err(_) => {
            let (high, low) = (m / TEN19, m % TEN19);
            let low = put_digits(&mut text, LAST, u64::try_from(low).unwrap_or(0), 19);
            put_digits(&mut text, low, u64::try_from(high).unwrap_or(0), 1)
        }
    };
    let scale = (d.scale() as usize).min(28);
    // A digit before the point at least: 0.05 is `005` with scale 2 (the array holds zeros).
    let mut first = first.min(LAST - scale - 1);
    if scale > 0 {
        // The integer digits (at most 29) move left by one, and the point goes after them
        // (`point` is 36 to 63: the 32 bytes before it are in the array).
        let point = LAST - scale;
        text.copy_within(point - 32..point, point - 33);
        if let Some(c) = text.get_mut(point - 1) {
            *c = b'.';
        }
        first -= 1;
    }
    if d.is_sign_negative() {
        first -= 1;
        if let Some(c) = text.get_mut(first) {
            *c = b'-';
        }
    }
    if let Some(from) = text.get(first..) {
        push_fixed::<DECIMAL>(buf, from, LAST - first);
    }
}

/// Collects a history for people: per goal, one line per unit with a mark per month
/// (see [`status_mark`]), a space between years.
pub struct HistoryHuman<'a> {
    c: &'a Compiled,
    units: &'a Units,
    dates: Vec<NaiveDate>,
    /// Per goal (plan index): its lines.
    rows: Vec<(usize, Vec<String>)>,
}

impl<'a> HistoryHuman<'a> {
    /// An empty table for `goals` (plan indices) over `dates`.
    pub fn new(
        c: &'a Compiled,
        units: &'a Units,
        goals: &[usize],
        dates: &[NaiveDate],
    ) -> HistoryHuman<'a> {
        HistoryHuman {
            c,
            units,
            dates: dates.to_vec(),
            rows: goals.iter().map(|&g| (g, Vec::new())).collect(),
        }
    }

    /// Adds the histories of a block of units.
    pub fn block(&mut self, block: &[UnitHistory]) {
        for h in block {
            let id = self.units.id(h.unit);
            for s in &h.series {
                let Some((_, rows)) = self.rows.iter_mut().find(|(g, _)| *g == s.goal) else {
                    continue;
                };
                let mut line = format!("  {id:<14} ");
                let mut year = None;
                for (step, date) in s.steps.iter().zip(&self.dates) {
                    let y = chrono::Datelike::year(date);
                    if year.is_some_and(|p| p != y) {
                        line.push(' ');
                    }
                    year = Some(y);
                    line.push_str(status_mark(step.status));
                }
                rows.push(line);
            }
        }
    }

    /// The table as text.
    pub fn render(&self, lang: Lang) -> String {
        let plan = self.c.plan();
        let mut out = String::new();
        let (Some(first), Some(last)) = (self.dates.first(), self.dates.last()) else {
            return out;
        };
        let _ = writeln!(
            out,
            "{} — {}\n{} {first} … {last}",
            plan.plan().id,
            plan.plan().title,
            lang.pick(
                "Diễn biến trạng thái cuối mỗi tháng,",
                "Status at the end of each month,"
            )
        );
        let legend: Vec<String> = Status::ALL
            .iter()
            .map(|&s| format!("{} {}", status_mark(s), status_word(s, lang)))
            .collect();
        let _ = writeln!(out, "{}\n", legend.join(" · "));
        // A ruler: each year's label over its months.
        let mut ruler = format!("  {:<14} ", "");
        let mut year = None;
        for date in &self.dates {
            let y = chrono::Datelike::year(date);
            if year != Some(y) {
                if year.is_some() {
                    ruler.push(' ');
                }
                let months = self
                    .dates
                    .iter()
                    .filter(|d| chrono::Datelike::year(*d) == y)
                    .count();
                let label = y.to_string();
                let _ = write!(ruler, "{label:<months$}");
                year = Some(y);
            }
        }
        for (g, rows) in &self.rows {
            if rows.is_empty() {
                continue;
            }
            let goal = plan.goals.get(*g);
            let _ = writeln!(
                out,
                "{} {}",
                goal.map_or("", |x| x.id.name.as_str()),
                goal.map_or("", |x| x.title.as_str())
            );
            let _ = writeln!(out, "{}", ruler.trim_end());
            for row in rows {
                let _ = writeln!(out, "{row}");
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn shown(d: Decimal) -> String {
        let mut buf = Vec::new();
        push_decimal(&mut buf, d);
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn decimals_are_written_as_display_writes_them() {
        for text in [
            "0",
            "0.00",
            "-0.5",
            "0.05",
            "1",
            "10",
            "0.8123",
            "123456789.123456789",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "0.0000000000000000000000000001",
            "7.9228162514264337593543950335",
            "10000000000000000000",
            "18446744073709551615",
            "18446744073709551616",
        ] {
            let d: Decimal = text.parse().unwrap();
            assert_eq!(shown(d), d.to_string(), "{text}");
        }
        let negative_zero = Decimal::from_parts(0, 0, 0, true, 3);
        assert_eq!(shown(negative_zero), negative_zero.to_string());
    }

    proptest! {
        #[test]
        fn any_decimal_is_written_as_display_writes_it(
            lo: u32, mid: u32, hi: u32, negative: bool, scale in 0u32..=28,
        ) {
            let d = Decimal::from_parts(lo, mid, hi, negative, scale);
            prop_assert_eq!(shown(d), d.to_string());
        }

        #[test]
        fn small_decimals_are_written_as_display_writes_them(m: i64, scale in 0u32..=28) {
            let d = Decimal::new(m, scale);
            prop_assert_eq!(shown(d), d.to_string());
        }
    }
}
