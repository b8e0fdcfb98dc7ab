//! Observations read from spreadsheets, in the long layout (`unit, indicator, period, value`
//! columns, as in CSV) or the wide one (`unit, period`, then a column per indicator), chosen by
//! the header row (docs/spreadsheets.md). Every row goes through [`Loader::record`], so every
//! rule of CSV files holds; faults are located at their cell (`Số liệu!D7`).

use super::Kind;
use super::{Cells, Col, FileEntry, FileState, Form, Loader, Memo};
use crate::data::Format;
use crate::data::sheet::{self, Cell, Value, Workbook, fold};
use crate::data::table::MAX_ERRORS;
use crate::diag::{self, Common, Diagnostic, Severity, Thing, suggest};
use crate::source::{Location, SourceFile};
use std::collections::{HashMap, HashSet};

/// Rows searched for the header row: title rows may stand above it.
const HEADER_ROWS: usize = 20;

/// The names a header cell may give each column, folded ([`fold`]).
const NAMES: [(Col, &[&str]); 6] = [
    (Col::Unit, &["unit", "don vi", "ma don vi"]),
    (
        Col::Indicator,
        &["indicator", "chi tieu", "chi so", "ma chi so"],
    ),
    (Col::Period, &["period", "ky", "ky so lieu"]),
    (Col::Value, &["value", "gia tri"]),
    (Col::AsOf, &["as of", "ngay so lieu"]),
    (Col::Source, &["source", "nguon"]),
];

/// Columns read by people only, ignored: a unit's name beside its id (templates have one).
const IGNORED: [&str; 3] = ["unit name", "ten don vi", "ten"];

/// A sheet's header: where it is and what each column holds.
struct Header {
    /// The sheet column of each [`Col`] that is present.
    cols: [Option<u32>; 6],
    /// In the wide layout, the indicator columns: sheet column and indicator (index, id).
    wide: Option<Vec<(u32, String)>>,
}

impl Header {
    fn col(&self, c: Col) -> Option<u32> {
        self.cols.get(c as usize).copied().flatten()
    }
}

/// A fault, its row, and its columns (first and last; `None` for the whole row).
type Fault = (diag::Fault, u32, Option<(u32, u32)>);

/// The faults of one sheet, located once the sheet has been read: the rows they are in are
/// kept as text, the others are not.
struct Faults {
    list: Vec<Fault>,
    rows: HashMap<u32, (String, Vec<(usize, usize)>)>,
    /// Faults in the workbook so far (a workbook is capped as one file).
    count: usize,
}

impl Faults {
    fn new(count: usize) -> Faults {
        Faults {
            list: Vec::new(),
            rows: HashMap::new(),
            count,
        }
    }

    fn full(&self) -> bool {
        self.count >= MAX_ERRORS
    }

    /// Records a fault at `cols` of row `row` (whose cells are `cells`); false once the
    /// workbook has too many and reading should stop.
    fn add(
        &mut self,
        kind: impl Into<diag::Fault>,
        row: u32,
        cells: &[Cell],
        cols: Option<(u32, u32)>,
    ) -> bool {
        if self.full() {
            return false;
        }
        let (line, spans) = self.rows.entry(row).or_insert_with(|| sheet::render(cells));
        if let Some((_, last)) = cols {
            sheet::pad(line, spans, usize::try_from(last).unwrap_or(0) + 1);
        }
        self.list.push((kind.into(), row, cols));
        self.count += 1;
        if self.full() {
            let kind = Kind::TooManyErrors { limit: MAX_ERRORS };
            self.list.push((kind.into(), row, cols));
            return false;
        }
        true
    }

    /// The diagnostics, in a source file showing the rows they are in.
    fn diagnostics(self, path: &str, sheet: &str) -> Vec<Diagnostic> {
        let Some(&last) = self.list.iter().map(|(_, r, _)| r).max() else {
            return Vec::new();
        };
        let mut text = String::new();
        let mut starts = HashMap::new();
        for r in 1..=last {
            starts.insert(r, text.len());
            if let Some((line, _)) = self.rows.get(&r) {
                text.push_str(line);
            }
            text.push('\n');
        }
        let file = SourceFile::sheet(path, sheet, text);
        self.list
            .into_iter()
            .map(|(kind, row, cols)| {
                let base = starts.get(&row).copied().unwrap_or(0);
                let (line, spans) = self
                    .rows
                    .get(&row)
                    .map_or(("", &[][..]), |(l, s)| (l.as_str(), s.as_slice()));
                let span = |c: u32| {
                    usize::try_from(c)
                        .ok()
                        .and_then(|c| spans.get(c))
                        .copied()
                        .unwrap_or((line.len(), line.len()))
                };
                let (start, end) = match cols {
                    Some((a, b)) => (span(a).0, span(b).1.max(span(a).0)),
                    None => (0, line.len()),
                };
                Diagnostic::error(kind, Location::new(&file, base + start, base + end))
            })
            .collect()
    }
}

impl Loader<'_> {
    /// Reads the sheets of a workbook (every sheet whose header is one of data, or the one
    /// named by [`only_sheet`](Loader::only_sheet)).
    pub(super) fn read_workbook(&mut self, path: &str, bytes: &[u8], format: Format) {
        let mut book = match Workbook::open(bytes, format) {
            Ok(b) => b,
            Err(reason) => {
                self.diags
                    .push(Diagnostic::in_file(Kind::Workbook { reason }, path));
                return;
            }
        };
        let names = book.sheet_names();
        let chosen: Vec<String> = match &self.sheet {
            Some(s) if names.contains(s) => vec![s.clone()],
            Some(s) => {
                self.diags.push(Diagnostic::in_file(
                    Common::UnknownName {
                        thing: Thing::Sheet,
                        name: s.clone(),
                        suggestion: suggest(s, names.iter().map(String::as_str)),
                    },
                    path,
                ));
                return;
            }
            None => names.clone(),
        };
        let mut count = 0;
        let mut skipped = Vec::new();
        for name in &chosen {
            let mut faults = Faults::new(count);
            let found = match self.read_sheet(&mut book, path, name, &mut faults) {
                Ok(found) => found,
                Err(reason) => {
                    self.diags
                        .push(Diagnostic::in_file(Kind::Workbook { reason }, path));
                    return;
                }
            };
            count = faults.count;
            let full = faults.full();
            self.diags.extend(faults.diagnostics(path, name));
            if !found {
                skipped.push(name.clone());
            }
            if full {
                return;
            }
        }
        if skipped.len() == chosen.len() {
            self.diags.push(Diagnostic::in_file(
                Kind::NoSheet {
                    sheets: chosen,
                    columns: vec!["unit".into(), "period".into()],
                },
                path,
            ));
            return;
        }
        for sheet in skipped {
            let mut d = Diagnostic::in_file(Kind::SheetSkipped { sheet }, path);
            d.severity = Severity::Warning;
            self.warnings.push(d);
        }
    }

    /// Reads one sheet; false when it has no header row of data.
    fn read_sheet(
        &mut self,
        book: &mut Workbook<'_>,
        path: &str,
        sheet: &str,
        faults: &mut Faults,
    ) -> Result<bool, String> {
        let Some(index) = self.add_entry(FileEntry {
            path: path.to_string(),
            source: None,
            sheet: Some(sheet.to_string()),
        }) else {
            return Ok(true);
        };
        let mut state = FileState {
            index,
            locale: self.locale,
            units: Memo::new(),
            indicators: Memo::new(),
            periods: Memo::new(),
            dates: Memo::new(),
            sources: Memo::new(),
            reported: HashSet::new(),
        };
        let mut header: Option<Header> = None;
        let mut scanned = 0;
        book.rows(sheet, &mut |row, cells| match &header {
            Some(h) => self.sheet_row(&mut state, h, row, cells, faults),
            None => {
                scanned += 1;
                let before = faults.count;
                header = self.header(row, cells, faults);
                // A faulty header stops the sheet, as it stops a CSV file.
                match header {
                    Some(_) => faults.count == before,
                    None => scanned < HEADER_ROWS,
                }
            }
        })?;
        Ok(header.is_some())
    }

    /// The header in a row, when the row names a unit and a period column; its faulty cells
    /// are reported.
    fn header(&self, row: u32, cells: &[Cell], faults: &mut Faults) -> Option<Header> {
        let mut cols = [None; 6];
        let mut others = Vec::new();
        let mut repeated = Vec::new();
        for cell in cells {
            let Value::Text(text) = &cell.value else {
                others.push((cell.col, cell.value.text().into_owned()));
                continue;
            };
            let folded = fold(text);
            if IGNORED.contains(&folded.as_str()) {
                continue;
            }
            match NAMES
                .iter()
                .find(|(_, names)| names.contains(&folded.as_str()))
            {
                Some((c, _)) => match cols.get_mut(*c as usize) {
                    Some(slot @ None) => *slot = Some(cell.col),
                    _ => repeated.push((cell.col, text.clone())),
                },
                None => others.push((cell.col, text.clone())),
            }
        }
        let has = |c: Col| cols.get(c as usize).is_some_and(Option::is_some);
        if !(has(Col::Unit) && has(Col::Period)) {
            return None;
        }
        for (col, name) in repeated {
            faults.add(
                Kind::Csv {
                    reason: format!("column `{name}` appears twice"),
                },
                row,
                cells,
                Some((col, col)),
            );
        }
        let long = has(Col::Indicator) || has(Col::Value);
        let wide = if long {
            for (name, required) in [("indicator", Col::Indicator), ("value", Col::Value)] {
                if !has(required) {
                    faults.add(
                        Kind::MissingColumn {
                            column: name.into(),
                        },
                        row,
                        cells,
                        None,
                    );
                }
            }
            for (col, name) in others {
                let expected: Vec<String> =
                    NAMES.iter().map(|(c, _)| c.name().to_string()).collect();
                faults.add(
                    Kind::UnknownColumn {
                        suggestion: suggest(&name, expected.iter().map(String::as_str)),
                        column: name,
                        expected,
                    },
                    row,
                    cells,
                    Some((col, col)),
                );
            }
            None
        } else {
            Some(self.indicator_columns(row, cells, others, faults))
        };
        Some(Header { cols, wide })
    }

    /// The indicator of each column of a wide header, by id or by name; unknown and derived
    /// ones are reported and left out.
    fn indicator_columns(
        &self,
        row: u32,
        cells: &[Cell],
        others: Vec<(u32, String)>,
        faults: &mut Faults,
    ) -> Vec<(u32, String)> {
        let mut by_name: HashMap<String, usize> = HashMap::new();
        for (i, ind) in self.plan.indicators.iter().enumerate() {
            by_name.entry(fold(&ind.name)).or_insert(i);
        }
        for (i, ind) in self.plan.indicators.iter().enumerate() {
            by_name.insert(fold(&ind.id.name), i);
        }
        let mut columns = Vec::new();
        for (col, name) in others {
            let found = self
                .indicators
                .get(name.as_str())
                .copied()
                .or_else(|| by_name.get(&fold(&name)).copied())
                .and_then(|i| self.plan.indicators.get(i));
            let kind: diag::Fault = match found {
                Some(ind) if ind.formula.is_some() || ind.index.is_some() => {
                    Kind::DerivedObservation {
                        indicator: ind.id.name.clone(),
                    }
                    .into()
                }
                Some(ind) => {
                    columns.push((col, ind.id.name.clone()));
                    continue;
                }
                None => Common::UnknownName {
                    thing: Thing::Indicator,
                    suggestion: suggest(&name, self.indicators.keys().copied()),
                    name,
                }
                .into(),
            };
            faults.add(kind, row, cells, Some((col, col)));
        }
        columns
    }

    /// Reads one data row; false once the workbook has too many errors.
    fn sheet_row(
        &mut self,
        state: &mut FileState,
        h: &Header,
        row: u32,
        cells: &[Cell],
        faults: &mut Faults,
    ) -> bool {
        let at = |col: Option<u32>| col.and_then(|c| cells.iter().find(|x| x.col == c));
        let text = |c: Col| at(h.col(c)).map(|x| x.value.text()).unwrap_or_default();
        let (unit, period, as_of, source) = (
            text(Col::Unit),
            text(Col::Period),
            text(Col::AsOf),
            text(Col::Source),
        );
        let values: Vec<(u32, &str)> = match &h.wide {
            Some(columns) => columns
                .iter()
                .filter(|(c, _)| at(Some(*c)).is_some())
                .map(|(c, id)| (*c, id.as_str()))
                .collect(),
            None => h.col(Col::Value).map_or_else(Vec::new, |c| vec![(c, "")]),
        };
        let long_indicator = text(Col::Indicator);
        for (col, id) in values {
            let cell = at(Some(col));
            if let Some(Cell {
                value: Value::Error(error),
                ..
            }) = cell
            {
                let kind = Kind::CellError {
                    error: error.clone(),
                };
                if !faults.add(kind, row, cells, Some((col, col))) {
                    return false;
                }
                continue;
            }
            let value = cell.map(|x| x.value.text()).unwrap_or_default();
            let form = match cell {
                Some(c) if c.value.is_number() => Form::Sheet { percent: c.percent },
                _ => Form::Text,
            };
            let indicator = if h.wide.is_some() {
                id
            } else {
                &long_indicator
            };
            let observation = Cells {
                unit: &unit,
                indicator,
                period: &period,
                value: &value,
                as_of: &as_of,
                source: &source,
                form,
                line: row,
            };
            let mut report = |c: Col, kind: diag::Fault| {
                let place = match c {
                    Col::Value => Some(col),
                    c => h.col(c),
                };
                faults.add(kind, row, cells, place.map(|p| (p, p)))
            };
            if !self.record(state, &observation, &mut report) {
                return false;
            }
        }
        true
    }
}
