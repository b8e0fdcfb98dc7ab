//! Spreadsheets (`.xlsx`, `.xlsm`, `.xls`, `.ods`) read with `calamine`, from bytes.
//!
//! A workbook is read sheet by sheet, row by row: each row is handed over as its non-empty
//! cells with their column, typed value and whether the cell is formatted as a percentage
//! (known for `.xlsx`/`.xlsm` only: the other formats do not expose cell formats through
//! `calamine`). Large `.xlsx` sheets are streamed, not loaded whole.
//!
//! Header cells are matched by their folded text ([`fold`]): lower case, Vietnamese accents
//! removed, `_` and `-` read as spaces, so `Đơn vị`, `don vi` and `ĐƠN_VỊ` are one name.

use super::Format;
use calamine::{Data, DataRef, Ods, Reader, Xls, Xlsx};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::io::Cursor;

/// A cell's value as the spreadsheet holds it.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Value {
    /// Text, trimmed (never empty: an empty text cell is no cell).
    Text(String),
    /// A whole number stored as such.
    Int(i64),
    /// A number.
    Number(f64),
    /// TRUE or FALSE.
    Bool(bool),
    /// A date (the day of a date-time).
    Date(NaiveDate),
    /// A spreadsheet error (`#DIV/0!`).
    Error(String),
}

impl Value {
    /// The value as text: numbers in their shortest exact decimal form (`89.6`, `2026`), dates
    /// as `YYYY-MM-DD`, booleans as `true`/`false`.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Value::Text(s) => Cow::Borrowed(s),
            Value::Int(i) => Cow::Owned(i.to_string()),
            Value::Number(f) => Cow::Owned(number_text(*f)),
            Value::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            Value::Date(d) => Cow::Owned(d.to_string()),
            Value::Error(e) => Cow::Borrowed(e),
        }
    }

    /// Whether the cell holds a number (the only kind of cell a percent format applies to).
    pub fn is_number(&self) -> bool {
        matches!(self, Value::Int(_) | Value::Number(_))
    }
}

/// The shortest decimal text that reads back as `f` (Rust prints floats that way, without
/// exponent), with whole numbers written without a fraction.
fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.0}")
    } else {
        format!("{f}")
    }
}

/// One non-empty cell of a row.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Cell {
    /// 0-based column (A is 0).
    pub col: u32,
    /// The value.
    pub value: Value,
    /// The cell is formatted as a percentage (it holds the fraction: 89.6% is 0.896).
    pub percent: bool,
}

/// An open workbook.
pub(super) struct Workbook<'b> {
    inner: Inner<'b>,
}

enum Inner<'b> {
    Xlsx(Box<Xlsx<Cursor<&'b [u8]>>>),
    Xls(Box<Xls<Cursor<&'b [u8]>>>),
    Ods(Box<Ods<Cursor<&'b [u8]>>>),
}

impl<'b> Workbook<'b> {
    /// Opens a workbook of a spreadsheet format from its bytes; the error is the reader's
    /// description.
    pub fn open(bytes: &'b [u8], format: Format) -> Result<Workbook<'b>, String> {
        let cursor = Cursor::new(bytes);
        let inner = match format {
            Format::Xls => Inner::Xls(Box::new(Xls::new(cursor).map_err(|e| e.to_string())?)),
            Format::Ods => Inner::Ods(Box::new(Ods::new(cursor).map_err(|e| e.to_string())?)),
            _ => Inner::Xlsx(Box::new(Xlsx::new(cursor).map_err(|e| e.to_string())?)),
        };
        Ok(Workbook { inner })
    }

    /// The names of the workbook's worksheets, in order.
    pub fn sheet_names(&self) -> Vec<String> {
        match &self.inner {
            Inner::Xlsx(w) => w.sheet_names(),
            Inner::Xls(w) => w.sheet_names(),
            Inner::Ods(w) => w.sheet_names(),
        }
    }

    /// Calls `each` with every row of `sheet` that has a non-empty cell, in order: its 1-based
    /// number and its cells by column. Stops when `each` returns false.
    pub fn rows(
        &mut self,
        sheet: &str,
        each: &mut dyn FnMut(u32, &[Cell]) -> bool,
    ) -> Result<(), String> {
        match &mut self.inner {
            Inner::Xlsx(w) => xlsx_rows(w, sheet, each),
            Inner::Xls(w) => {
                let range = w.worksheet_range(sheet).map_err(|e| e.to_string())?;
                range_rows(&range, each);
                Ok(())
            }
            Inner::Ods(w) => {
                let range = w.worksheet_range(sheet).map_err(|e| e.to_string())?;
                range_rows(&range, each);
                Ok(())
            }
        }
    }
}

/// Streams an `.xlsx` sheet cell by cell, with each cell's style, so that percent formats are
/// known without a second pass over the sheet.
fn xlsx_rows(
    book: &mut Xlsx<Cursor<&[u8]>>,
    sheet: &str,
    each: &mut dyn FnMut(u32, &[Cell]) -> bool,
) -> Result<(), String> {
    let mut reader = book
        .worksheet_cells_reader(sheet)
        .map_err(|e| e.to_string())?;
    let percent: Vec<bool> = reader
        .styles()
        .iter()
        .map(|s| {
            s.number_format
                .as_ref()
                .is_some_and(|f| is_percent_format(&f.format_code))
        })
        .collect();
    let mut cells: Vec<Cell> = Vec::new();
    let mut row = None;
    while let Some((cell, style)) = reader
        .next_cell_with_style_id()
        .map_err(|e| e.to_string())?
    {
        let (r, col) = cell.get_position();
        if row != Some(r) {
            if let Some(done) = row
                && !cells.is_empty()
            {
                cells.sort_by_key(|c| c.col);
                if !each(done + 1, &cells) {
                    return Ok(());
                }
            }
            cells.clear();
            row = Some(r);
        }
        if let Some(value) = from_ref(cell.get_value()) {
            cells.push(Cell {
                col,
                percent: value.is_number() && percent.get(style).copied().unwrap_or(false),
                value,
            });
        }
    }
    if let Some(done) = row
        && !cells.is_empty()
    {
        cells.sort_by_key(|c| c.col);
        each(done + 1, &cells);
    }
    Ok(())
}

/// Rows of a sheet loaded whole (`.xls`, `.ods`): no cell formats.
fn range_rows(range: &calamine::Range<Data>, each: &mut dyn FnMut(u32, &[Cell]) -> bool) {
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut cells = Vec::new();
    for (i, row) in range.rows().enumerate() {
        cells.clear();
        for (j, data) in row.iter().enumerate() {
            if let Some(value) = from_data(data) {
                let col = left.saturating_add(u32::try_from(j).unwrap_or(u32::MAX));
                cells.push(Cell {
                    col,
                    value,
                    percent: false,
                });
            }
        }
        let number = top
            .saturating_add(u32::try_from(i).unwrap_or(u32::MAX))
            .saturating_add(1);
        if !cells.is_empty() && !each(number, &cells) {
            return;
        }
    }
}

fn text_value(s: &str) -> Option<Value> {
    let t = s.trim();
    (!t.is_empty()).then(|| Value::Text(t.to_string()))
}

fn date_value(dt: &calamine::ExcelDateTime) -> Value {
    match dt.as_datetime() {
        Some(d) if dt.is_datetime() => Value::Date(d.date()),
        _ => Value::Number(dt.as_f64()),
    }
}

fn iso_date(s: &str) -> Value {
    s.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map_or_else(|| Value::Text(s.to_string()), Value::Date)
}

fn from_ref(d: &DataRef<'_>) -> Option<Value> {
    Some(match d {
        DataRef::Int(i) => Value::Int(*i),
        DataRef::Float(f) => Value::Number(*f),
        DataRef::String(s) => return text_value(s),
        DataRef::SharedString(s) => return text_value(s),
        DataRef::Bool(b) => Value::Bool(*b),
        DataRef::DateTime(dt) => date_value(dt),
        DataRef::DateTimeIso(s) => iso_date(s),
        DataRef::DurationIso(s) => return text_value(s),
        DataRef::Error(e) => Value::Error(e.to_string()),
        DataRef::Empty => return None,
    })
}

fn from_data(d: &Data) -> Option<Value> {
    Some(match d {
        Data::Int(i) => Value::Int(*i),
        Data::Float(f) => Value::Number(*f),
        Data::String(s) => return text_value(s),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(dt) => date_value(dt),
        Data::DateTimeIso(s) => iso_date(s),
        Data::DurationIso(s) => return text_value(s),
        Data::Error(e) => Value::Error(e.to_string()),
        Data::Empty => return None,
    })
}

/// Whether an Excel number format shows a percentage: a `%` outside quotes and escapes in its
/// first section (`0.0%`, `0%;[Red]-0%`).
pub(super) fn is_percent_format(code: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    for c in code.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '"' => quoted = !quoted,
            '\\' | '_' | '*' if !quoted => escaped = true,
            ';' if !quoted => return false,
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

/// A header cell's text folded for comparison: lower case, Vietnamese accents removed (`đ` is
/// `d`), `_` and `-` read as spaces, runs of spaces made one: `Ngày_số liệu` is `ngay so lieu`.
pub(super) fn fold(s: &str) -> String {
    const FROM: [(&str, char); 7] = [
        ("àáạảãâầấậẩẫăằắặẳẵ", 'a'),
        ("èéẹẻẽêềếệểễ", 'e'),
        ("ìíịỉĩ", 'i'),
        ("òóọỏõôồốộổỗơờớợởỡ", 'o'),
        ("ùúụủũưừứựửữ", 'u'),
        ("ỳýỵỷỹ", 'y'),
        ("đ", 'd'),
    ];
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars().flat_map(char::to_lowercase) {
        // Combining marks: text typed in decomposed form.
        if ('\u{300}'..='\u{36f}').contains(&c) {
            continue;
        }
        let c = FROM
            .iter()
            .find(|(set, _)| set.contains(c))
            .map_or(c, |&(_, base)| base);
        if c.is_whitespace() || c == '_' || c == '-' {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            out.push(c);
            space = false;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// A row shown as text (its cells from column A on, joined by the source's cell separator,
/// line breaks inside cells shown as spaces), and the byte range of each column's text.
pub(super) fn render(cells: &[Cell]) -> (String, Vec<(usize, usize)>) {
    use crate::source::CELL_SEPARATOR;
    let mut line = String::new();
    let mut spans = Vec::new();
    let mut next = 0u32;
    for cell in cells {
        while next < cell.col {
            if next > 0 {
                line.push_str(CELL_SEPARATOR);
            }
            spans.push((line.len(), line.len()));
            next += 1;
        }
        if next > 0 {
            line.push_str(CELL_SEPARATOR);
        }
        let start = line.len();
        let shown = shown(cell);
        line.extend(shown.chars().map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            '│' => '|',
            c => c,
        }));
        spans.push((start, line.len()));
        next = cell.col + 1;
    }
    (line, spans)
}

/// Extends a rendered row ([`render`]) with empty cells up to `width` columns, so that an
/// empty cell past the row's last value has a place.
pub(super) fn pad(line: &mut String, spans: &mut Vec<(usize, usize)>, width: usize) {
    while spans.len() < width {
        if !spans.is_empty() {
            line.push_str(crate::source::CELL_SEPARATOR);
        }
        spans.push((line.len(), line.len()));
    }
}

/// A cell as the spreadsheet shows it, near enough: a percent-formatted number as a percentage.
fn shown(cell: &Cell) -> Cow<'_, str> {
    let text = cell.value.text();
    if cell.percent
        && let Ok(v) = text.parse::<Decimal>()
        && let Some(p) = crate::quantity::percentage(v)
    {
        return Cow::Owned(format!("{}%", p.normalize()));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_fold_case_accents_and_separators() {
        assert_eq!(fold("Đơn vị"), "don vi");
        assert_eq!(fold("  ĐƠN_VỊ "), "don vi");
        assert_eq!(fold("Ngày số liệu"), "ngay so lieu");
        assert_eq!(fold("Chỉ tiêu"), "chi tieu");
        assert_eq!(fold("as_of"), "as of");
        // Decomposed: `i` + combining acute.
        assert_eq!(fold("Gia\u{301} tri\u{323}"), "gia tri");
    }

    #[test]
    fn percent_formats_are_those_showing_a_percent_sign() {
        assert!(is_percent_format("0%"));
        assert!(is_percent_format("0.00%"));
        assert!(is_percent_format("#,##0.0%;[Red]-#,##0.0%"));
        assert!(!is_percent_format("0.00"));
        assert!(!is_percent_format("General"));
        assert!(!is_percent_format("0.0\"%\""));
        assert!(!is_percent_format("0.0\\%"));
        assert!(!is_percent_format("0;\"%\"0%"));
    }

    #[test]
    fn numbers_read_as_their_shortest_decimal() {
        assert_eq!(number_text(89.6), "89.6");
        assert_eq!(number_text(2026.0), "2026");
        assert_eq!(number_text(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(number_text(1e20), "100000000000000000000");
    }

    #[test]
    fn rows_render_with_a_span_per_column() {
        let cells = [
            Cell {
                col: 1,
                value: Value::Text("H61".into()),
                percent: false,
            },
            Cell {
                col: 3,
                value: Value::Number(0.896),
                percent: true,
            },
        ];
        let (line, spans) = render(&cells);
        assert_eq!(line, " │ H61 │  │ 89.6%");
        assert_eq!(spans.len(), 4);
        assert_eq!(&line[spans[1].0..spans[1].1], "H61");
        assert_eq!(&line[spans[3].0..spans[3].1], "89.6%");
    }
}
