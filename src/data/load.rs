//! Reading observation files (CSV, YAML, JSON) into a [`Dataset`].

use super::number::{Locale, NumberError, parse_json_number, parse_number};
use super::store::{Dataset, NO_FILE, Point};
use super::table::{self, Input, MAX_ERRORS, Row, Table};
use super::units::{UnitId, Units};
use super::yaml::{self, ListKey, Text};
use super::{FastMap, Format, Kind, date_value};
use crate::diag::{Common, Diagnostic, Fault, Thing, suggest};
use crate::files::{FileSystem, Files, read_bytes, read_with, source_from_bytes};
use crate::period::{Period, parse_date};
use crate::plan::Kind as PlanKind;
use crate::plan::{Indicator, Plan, Unit};
use crate::source::{Location, MAX_FILE_BYTES, SourceFile};
use crate::syntax::Kind as SyntaxKind;
use chrono::NaiveDate;
use csv::ByteRecord;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[cfg(feature = "xlsx")]
#[path = "load_sheet.rs"]
mod load_sheet;

#[path = "load_plain.rs"]
mod load_plain;

/// Reads observation files into a dataset.
///
/// Each file's format follows its extension (`.csv`, `.yaml`/`.yml`, `.json`). Numbers are read
/// in `locale` unless a file's first line says otherwise (`# locale: vi`). Every fault of every
/// file is reported (up to 100 per file), located at the offending cell. When `units` is open
/// (no unit was declared), the units the data names are added to it.
///
/// ```no_run
/// use chitieu::data::{Locale, load_observations, load_units};
/// let plan = chitieu::plan::load("plans/vinh-long/22-kh-ubnd-2026-2030.yaml").unwrap();
/// let mut units = load_units(Some("units.csv".as_ref()), &plan).unwrap();
/// let data = load_observations(&["observations.csv".into()], &plan, &mut units, Locale::Default);
/// ```
pub fn load_observations(
    paths: &[PathBuf],
    plan: &Plan,
    units: &mut Units,
    locale: Locale,
) -> Result<Dataset, Vec<Diagnostic>> {
    let mut loader = Loader::new(plan, units, locale);
    for path in paths {
        loader.read_path(path);
    }
    loader.finish()
}

/// Reads observations given as text; `name` is shown in diagnostics.
///
/// ```
/// use chitieu::data::{Format, Locale, load_observations_str, load_units};
/// let (plan, _) = chitieu::plan::load_str("p.yaml", "chitieu: 1\nplan: { id: P, title: T, period: 2026 .. 2030 }\n\
///     indicators:\n  online_rate: { name: Tỷ lệ, unit: percent }\n");
/// let plan = plan.unwrap();
/// let mut units = load_units(None, &plan).unwrap();
/// let csv = "# locale: vi\nunit,indicator,period,value\nVP,online_rate,2025-Q3,\"89,6%\"\n";
/// let data = load_observations_str("d.csv", csv, Format::Csv, &plan, &mut units, Locale::Default).unwrap();
/// let vp = units.get("VP").unwrap();
/// assert_eq!(data.series(0, vp)[0].value().to_string(), "0.896");
/// ```
pub fn load_observations_str(
    name: &str,
    text: &str,
    format: Format,
    plan: &Plan,
    units: &mut Units,
    locale: Locale,
) -> Result<Dataset, Vec<Diagnostic>> {
    let mut loader = Loader::new(plan, units, locale);
    loader.read_str(name, text, format);
    loader.finish()
}

/// Builds a [`Dataset`] from files, texts and values given in code, then checks it as a whole
/// (duplicates across files) in [`finish`](Loader::finish).
pub struct Loader<'a> {
    /// Where files named by path are read (and re-read to locate duplicates).
    source: &'a dyn Files,
    plan: &'a Plan,
    units: &'a mut Units,
    locale: Locale,
    indicators: FastMap<&'a str, usize>,
    points: Vec<Point>,
    files: Vec<FileEntry>,
    sources: Vec<Box<str>>,
    source_ids: HashMap<Box<str>, u32>,
    diags: Vec<Diagnostic>,
    /// Notes that do not stop the load (sheets not read).
    warnings: Vec<Diagnostic>,
    /// The one sheet to read in spreadsheets (`--sheet`).
    sheet: Option<String>,
    pushed: u32,
    /// Unit and indicator names found unknown, with their fault: a did-you-mean search runs
    /// over every name, once per distinct unknown name, not once per row.
    unknown: HashMap<(Col, String), Fault>,
    /// Bytes of a plain CSV's rows read by one task (see [`load_plain`]).
    piece: usize,
    /// CSV files from this size on are read from the disk a chunk at a time (see
    /// [`load_plain`]).
    stream_from: u64,
    /// Whether bare rows of plain CSV files are read by the quick path (see [`load_plain`]);
    /// tests turn it off to compare.
    quick: bool,
}

/// A file read: its path, and its source file when one was built or the text came from memory.
/// Each sheet of a workbook is an entry of its own.
struct FileEntry {
    path: String,
    source: Option<Arc<SourceFile>>,
    /// The sheet, for a spreadsheet.
    sheet: Option<String>,
}

/// The columns of an observation, in the order of [`COLUMNS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Col {
    Unit,
    Indicator,
    Period,
    Value,
    AsOf,
    Source,
}

const COLUMNS: [(&str, bool); 6] = [
    ("unit", true),
    ("indicator", true),
    ("period", true),
    ("value", true),
    ("as_of", false),
    ("source", false),
];

impl Col {
    fn name(self) -> &'static str {
        COLUMNS.get(self as usize).map_or("", |c| c.0)
    }
}

/// One observation's cells as text, from any format.
struct Cells<'r> {
    unit: &'r str,
    indicator: &'r str,
    period: &'r str,
    value: &'r str,
    as_of: &'r str,
    source: &'r str,
    /// How the value was written.
    form: Form,
    line: u32,
}

/// How a value cell was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// Text, read in the file's locale (CSV, YAML, quoted JSON, text cells of a sheet).
    Text,
    /// An unquoted JSON number, read in JSON's grammar.
    Json,
    /// A number cell of a spreadsheet, as its shortest decimal text; `percent` when the cell
    /// is formatted as a percentage (it then holds the fraction).
    #[cfg_attr(not(feature = "xlsx"), allow(dead_code))]
    Sheet { percent: bool },
}

/// Resolved names of the previous row, so that long-form files (grouped by unit and
/// indicator) resolve most names with a string comparison.
struct Memo<T> {
    key: String,
    value: Option<Result<T, ()>>,
}

impl<T: Copy> Memo<T> {
    fn new() -> Memo<T> {
        Memo {
            key: String::new(),
            value: None,
        }
    }

    fn get(&self, key: &str) -> Option<Result<T, ()>> {
        self.value.filter(|_| self.key == key)
    }

    fn set(&mut self, key: &str, value: Result<T, ()>) -> Result<T, ()> {
        self.key.clear();
        self.key.push_str(key);
        self.value = Some(value);
        value
    }
}

/// Reading stops: a file has too many errors.
struct Stop;

/// Where a CSV file's columns are: for each of [`COLUMNS`], the index of its cell; how many
/// cells a row has (the header's); the cell separator.
struct Layout {
    order: [Option<usize>; COLUMNS.len()],
    width: usize,
    delimiter: u8,
}

impl Layout {
    /// The layout of a header whose cells hold `columns` (see [`table::header`]).
    fn new(columns: &[Option<usize>], width: usize, delimiter: u8) -> Layout {
        let col = |c: Col| columns.get(c as usize).copied().flatten();
        Layout {
            order: [
                col(Col::Unit),
                col(Col::Indicator),
                col(Col::Period),
                col(Col::Value),
                col(Col::AsOf),
                col(Col::Source),
            ],
            width,
            delimiter,
        }
    }
}

/// Per-file reading state.
struct FileState {
    index: u16,
    locale: Locale,
    units: Memo<UnitId>,
    indicators: Memo<usize>,
    periods: Memo<Period>,
    dates: Memo<Option<NaiveDate>>,
    sources: Memo<Option<u32>>,
    /// Faulty names already reported in this file: each is reported at its first occurrence.
    reported: HashSet<(Col, String)>,
}

impl<'a> Loader<'a> {
    /// A loader for data about `plan`'s indicators and `units`, reading numbers in `locale`.
    pub fn new(plan: &'a Plan, units: &'a mut Units, locale: Locale) -> Loader<'a> {
        let indicators = plan
            .indicators
            .iter()
            .enumerate()
            .map(|(i, ind)| (ind.id.name.as_str(), i))
            .collect();
        Loader {
            source: &FileSystem,
            plan,
            units,
            locale,
            indicators,
            points: Vec::new(),
            files: Vec::new(),
            sources: Vec::new(),
            source_ids: HashMap::new(),
            diags: Vec::new(),
            warnings: Vec::new(),
            sheet: None,
            pushed: 0,
            unknown: HashMap::new(),
            piece: load_plain::PIECE,
            stream_from: load_plain::STREAM_FROM,
            quick: true,
        }
    }

    /// Reads only the sheet named `sheet` of spreadsheet files (by default, every sheet whose
    /// header row is one of data; the others are noted in [`warnings`](Loader::warnings)).
    pub fn only_sheet(&mut self, sheet: Option<String>) {
        self.sheet = sheet;
    }

    /// Notes about the inputs that do not make them wrong: the sheets of a workbook that were
    /// not read because their header is not one of data.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// Reads the files named by path through `files` (memory, open buffers) instead of the disk.
    pub fn with_files(mut self, files: &'a dyn Files) -> Loader<'a> {
        self.source = files;
        self
    }

    /// Reads an observation file, its format chosen by its extension.
    pub fn read_path(&mut self, path: &Path) {
        let shown = path.display().to_string();
        match Format::of_path(path) {
            Ok(format) if format.is_sheet() => {
                match read_bytes(self.source, path, MAX_FILE_BYTES) {
                    Ok(bytes) => self.read_bytes(&shown, &bytes, format),
                    Err(d) => self.diags.push(d),
                }
                return;
            }
            Err(d) => {
                self.diags.push(d);
                return;
            }
            Ok(_) => {}
        }
        if Format::of_path(path).ok() == Some(Format::Csv)
            && let Some((file, len)) = self.source.open(path)
            && (self.stream_from..=MAX_FILE_BYTES).contains(&len)
            && self.stream_plain(&shown, &file, len)
        {
            return;
        }
        let text =
            Format::of_path(path).and_then(|format| Ok((format, read_text(self.source, path)?)));
        match text {
            Ok((format, text)) => {
                if let Some(index) = self.add_file(shown.clone(), None) {
                    let mut input = Input::new(&shown, &text, None);
                    self.read(index, &mut input, format);
                    let built = input.built();
                    self.diags.append(&mut input.diags);
                    if let Some(entry) = self.files.get_mut(usize::from(index)) {
                        entry.source = built;
                    }
                }
                // Giving a large text back to the system takes milliseconds: not on the way
                // to the evaluation.
                rayon::spawn(move || drop(text));
            }
            Err(d) => self.diags.push(d),
        }
    }

    /// Reads observations given as the bytes of a file (a spreadsheet, or UTF-8 text); `name`
    /// is shown in diagnostics.
    ///
    /// ```
    /// use chitieu::data::{Format, Loader, Locale, load_units};
    /// let (plan, _) = chitieu::plan::load_str("p.yaml", "chitieu: 1\nplan: { id: P, title: T, period: 2026 .. 2030 }\n\
    ///     indicators:\n  online_rate: { name: Tỷ lệ, unit: percent }\n");
    /// let plan = plan.unwrap();
    /// let mut units = load_units(None, &plan).unwrap();
    /// let mut loader = Loader::new(&plan, &mut units, Locale::Default);
    /// loader.read_bytes("d.csv", b"unit,indicator,period,value\nVP,online_rate,2025,89.6\n", Format::Csv);
    /// assert_eq!(loader.finish().unwrap().len(), 1);
    /// ```
    pub fn read_bytes(&mut self, name: &str, bytes: &[u8], format: Format) {
        if format.is_sheet() {
            #[cfg(feature = "xlsx")]
            self.read_workbook(name, bytes, format);
            #[cfg(not(feature = "xlsx"))]
            self.diags.push(Diagnostic::in_file(
                Kind::Workbook {
                    reason: "this build reads no spreadsheets (feature `xlsx` is off)".into(),
                },
                name,
            ));
            return;
        }
        match source_from_bytes(name.to_string(), bytes.to_vec()) {
            Ok(file) => self.read_source(file, format),
            Err(d) => self.diags.push(d),
        }
    }

    /// Reads observations given as text; `name` is shown in diagnostics.
    pub fn read_str(&mut self, name: &str, text: &str, format: Format) {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        self.read_source(SourceFile::new(name, text), format);
    }

    fn read_source(&mut self, file: Arc<SourceFile>, format: Format) {
        let name = file.path();
        let text = file.text();
        if let Some(index) = self.add_file(name.to_string(), Some(Arc::clone(&file))) {
            let mut input = Input::new(name, text, Some(Arc::clone(&file)));
            self.read(index, &mut input, format);
            self.diags.append(&mut input.diags);
        }
    }

    /// Adds one observation given in code: `indicator` is an index into the plan's indicators,
    /// `value` is stored as given (a percent as its fraction: 0.896 for 89.6%).
    pub fn push(
        &mut self,
        unit: UnitId,
        indicator: usize,
        period: Period,
        as_of: Option<NaiveDate>,
        value: Decimal,
    ) -> Result<(), Diagnostic> {
        let in_code = |kind: Fault| Diagnostic::in_file(kind, "(code)");
        let Some(ind) = self.plan.indicators.get(indicator) else {
            return Err(in_code(
                Common::UnknownName {
                    thing: Thing::Indicator,
                    name: format!("#{indicator}"),
                    suggestion: None,
                }
                .into(),
            ));
        };
        if self.units.info(unit).is_none() {
            return Err(in_code(
                Common::UnknownName {
                    thing: Thing::Unit,
                    name: format!("#{}", unit.index()),
                    suggestion: None,
                }
                .into(),
            ));
        }
        if ind.formula.is_some() {
            return Err(in_code(
                Kind::DerivedObservation {
                    indicator: ind.id.name.clone(),
                }
                .into(),
            ));
        }
        if let Some(kind) = as_of_before_period(as_of, period) {
            return Err(in_code(kind));
        }
        let indicator = u16::try_from(indicator).map_err(|_| {
            in_code(
                Common::UnknownName {
                    thing: Thing::Indicator,
                    name: format!("#{indicator}"),
                    suggestion: None,
                }
                .into(),
            )
        })?;
        self.pushed = self.pushed.saturating_add(1);
        self.points.push(Point::new(
            indicator,
            unit,
            period,
            as_of,
            value,
            NO_FILE,
            self.pushed,
            None,
        ));
        Ok(())
    }

    /// The diagnostics found so far.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diags
    }

    /// The dataset, or every diagnostic when any input had a fault (including observations
    /// repeated across files).
    pub fn finish(mut self) -> Result<Dataset, Vec<Diagnostic>> {
        let files: Vec<String> = self.files.iter().map(|f| f.path.clone()).collect();
        let points = std::mem::take(&mut self.points);
        let sources = std::mem::take(&mut self.sources);
        let (dataset, duplicates) = Dataset::build(
            points,
            self.plan.indicators.len(),
            self.units.len(),
            files,
            sources,
        );
        let mut reread: HashMap<usize, Option<Arc<SourceFile>>> = HashMap::new();
        for (n, (first, second)) in duplicates.iter().enumerate() {
            if n >= MAX_ERRORS {
                self.diags.push(Diagnostic::in_file(
                    Kind::TooManyErrors { limit: MAX_ERRORS },
                    self.files.first().map_or("(code)", |f| f.path.as_str()),
                ));
                break;
            }
            let period = match second.as_of() {
                Some(d) => format!("{} (as_of {d})", second.period()),
                None => second.period().to_string(),
            };
            let kind = Kind::DuplicateObservation {
                unit: self.units.id(second.unit()).to_string(),
                indicator: self
                    .plan
                    .indicators
                    .get(second.indicator())
                    .map_or_else(String::new, |i| i.id.name.clone()),
                period,
            };
            let here = self.locate(second, &mut reread);
            let mut d = match here {
                Ok(at) => Diagnostic::error(kind, at),
                Err(path) => Diagnostic::in_file(kind, path),
            };
            if let Ok(at) = self.locate(first, &mut reread) {
                d = d.with_related(at);
            }
            self.diags.push(d);
        }
        if self.diags.is_empty() {
            Ok(dataset)
        } else {
            Err(self.diags)
        }
    }

    /// The row a point was read from, reading its file again if its text was not kept.
    fn locate(
        &self,
        p: &Point,
        reread: &mut HashMap<usize, Option<Arc<SourceFile>>>,
    ) -> Result<Location, String> {
        let Some((file, line)) = p.origin() else {
            return Err("(code)".into());
        };
        let Some(entry) = self.files.get(file) else {
            return Err("(code)".into());
        };
        if let Some(sheet) = &entry.sheet {
            // The row's cells were not kept: the location is the row.
            let row = usize::try_from(line).unwrap_or(usize::MAX);
            let text = "\n".repeat(row.saturating_sub(1));
            let source = SourceFile::sheet(entry.path.clone(), sheet.clone(), text);
            let at = source.text().len();
            return Ok(Location::new(&source, at, at));
        }
        let source = match &entry.source {
            Some(s) => Some(Arc::clone(s)),
            None => reread
                .entry(file)
                .or_insert_with(|| {
                    read_with(self.source, Path::new(&entry.path), MAX_FILE_BYTES).ok()
                })
                .clone(),
        };
        let source = source.ok_or_else(|| entry.path.clone())?;
        let start = line_start(source.text(), line);
        let span = table::row_span(source.text(), start);
        Ok(Location::new(&source, span.0, span.1))
    }

    fn add_file(&mut self, path: String, source: Option<Arc<SourceFile>>) -> Option<u16> {
        self.add_entry(FileEntry {
            path,
            source,
            sheet: None,
        })
    }

    fn add_entry(&mut self, entry: FileEntry) -> Option<u16> {
        let path = entry.path.clone();
        match u16::try_from(self.files.len())
            .ok()
            .filter(|&i| i != NO_FILE)
        {
            Some(i) => {
                self.files.push(entry);
                Some(i)
            }
            None => {
                self.diags.push(Diagnostic::in_file(
                    Common::Io {
                        reason: format!("more than {} data files", NO_FILE),
                    },
                    path,
                ));
                None
            }
        }
    }

    fn read(&mut self, index: u16, input: &mut Input<'_>, format: Format) {
        let locale = match directive(input.text()) {
            None => self.locale,
            Some((text, at)) => match text.parse::<Locale>() {
                Ok(l) => l,
                Err(_) => {
                    input.error(
                        PlanKind::InvalidValue {
                            key: "locale".into(),
                            found: text.into(),
                            expected: vec!["default".into(), "vi".into()],
                            suggestion: suggest(text, ["default", "vi"]),
                        },
                        at,
                    );
                    return;
                }
            },
        };
        let mut state = FileState {
            index,
            locale,
            units: Memo::new(),
            indicators: Memo::new(),
            periods: Memo::new(),
            dates: Memo::new(),
            sources: Memo::new(),
            reported: HashSet::new(),
        };
        match format {
            Format::Csv => self.read_csv(&mut state, input),
            Format::Yaml | Format::Json => self.read_yaml(&mut state, input, format),
            // Spreadsheets are bytes, read by `read_workbook`.
            Format::Xlsx | Format::Xls | Format::Ods => {}
        }
    }

    fn read_csv(&mut self, state: &mut FileState, input: &mut Input<'_>) {
        let text = input.text();
        let mut table = Table::new(text);
        let delimiter = table.delimiter;
        let mut record = ByteRecord::new();
        let (columns, width, header_row) = match table.next(&mut record) {
            Ok(Some(row)) => match table::header(input, &record, row, &COLUMNS) {
                Some(c) => (c, record.len(), row),
                None => return,
            },
            Ok(None) => {
                let at = table::row_span(text, 0);
                input.error(
                    Kind::MissingColumn {
                        column: "unit".into(),
                    },
                    at,
                );
                return;
            }
            Err(e) => {
                input.csv_error(&table, &e);
                return;
            }
        };
        let layout = Layout::new(&columns, width, delimiter);
        // A text without quotes is split by hand, in parallel; any other goes through the `csv`
        // reader.
        if let Some(rows) = table::Plain::after(text, header_row, delimiter) {
            self.read_plain(state, input, rows, &layout);
            return;
        }
        loop {
            let row: Row = match table.next(&mut record) {
                Ok(Some(row)) => row,
                Ok(None) => break,
                Err(e) => {
                    input.csv_error(&table, &e);
                    break;
                }
            };
            let cells = layout.order.map(|c| get(&record, c));
            match self.csv_row(state, input, row, record.len(), cells, &layout) {
                Ok(point) => self.points.extend(point),
                Err(Stop) => break,
            }
        }
    }

    /// Checks one CSV row of `found` cells, given the cells of its columns (`None` when not
    /// UTF-8): its point, or `None` when it has faults (reported at their cell).
    fn csv_row(
        &mut self,
        state: &mut FileState,
        input: &mut Input<'_>,
        row: Row,
        found: usize,
        cells: [Option<&str>; COLUMNS.len()],
        layout: &Layout,
    ) -> Result<Option<Point>, Stop> {
        let text = input.text();
        if found != layout.width {
            let at = table::row_span(text, row.start);
            let kind = Kind::CellCount {
                found,
                expected: layout.width,
            };
            return if input.error(kind, at) {
                Ok(None)
            } else {
                Err(Stop)
            };
        }
        let [
            Some(unit),
            Some(indicator),
            Some(period),
            Some(value),
            Some(as_of),
            Some(source),
        ] = cells
        else {
            // The text is UTF-8 as a whole, and unquoting keeps it so.
            let at = table::row_span(text, row.start);
            input.error(Common::NotUtf8, at);
            return Err(Stop);
        };
        let cells = Cells {
            unit,
            indicator,
            period,
            value,
            as_of,
            source,
            form: Form::Text,
            line: row.line,
        };
        let delimiter = layout.delimiter;
        let locate = |c: Col| match layout.order.get(c as usize).copied().flatten() {
            Some(i) => table::cell(text, row.start, i, delimiter),
            None => table::row_span(text, row.start),
        };
        self.check(state, &cells, &mut |c, kind| input.error(kind, locate(c)))
    }

    fn read_yaml(&mut self, state: &mut FileState, input: &mut Input<'_>, format: Format) {
        let source = input.source();
        let list = match yaml::read_list::<RawObservation>(&source) {
            Ok(list) => list,
            Err(d) => {
                input.push(d);
                return;
            }
        };
        let text = input.text();
        for item in &list {
            let whole = yaml::span(item).unwrap_or((0, 0));
            let r = &item.value;
            let mut missing = false;
            for (field, col) in [
                (&r.unit, Col::Unit),
                (&r.indicator, Col::Indicator),
                (&r.period, Col::Period),
            ] {
                if field.is_none() {
                    missing = true;
                    if !input.error(
                        PlanKind::MissingKey {
                            key: col.name().into(),
                        },
                        whole,
                    ) {
                        return;
                    }
                }
            }
            if missing {
                continue;
            }
            let json_number = format == Format::Json
                && r.value
                    .as_ref()
                    .and_then(yaml::span)
                    .and_then(|(s, _)| text.as_bytes().get(s))
                    .is_some_and(|&b| b != b'"' && b != b'\'');
            let cells = Cells {
                unit: str_of(&r.unit),
                indicator: str_of(&r.indicator),
                period: str_of(&r.period),
                value: str_of(&r.value),
                as_of: str_of(&r.as_of),
                source: str_of(&r.source),
                form: if json_number { Form::Json } else { Form::Text },
                line: yaml::line(item),
            };
            let locate = |c: Col| {
                let field = match c {
                    Col::Unit => &r.unit,
                    Col::Indicator => &r.indicator,
                    Col::Period => &r.period,
                    Col::Value => &r.value,
                    Col::AsOf => &r.as_of,
                    Col::Source => &r.source,
                };
                field.as_ref().and_then(yaml::span).unwrap_or(whole)
            };
            if !self.record(state, &cells, &mut |c, kind| input.error(kind, locate(c))) {
                return;
            }
        }
    }

    /// Checks one observation and stores it; faults go to `report` with the column they are
    /// in, which returns false once the file has too many errors (and so does this).
    fn record(
        &mut self,
        state: &mut FileState,
        cells: &Cells<'_>,
        report: &mut dyn FnMut(Col, Fault) -> bool,
    ) -> bool {
        match self.check(state, cells, report) {
            Ok(point) => {
                self.points.extend(point);
                true
            }
            Err(Stop) => false,
        }
    }

    /// Checks one observation: its point, or `None` when it has faults (given to `report`);
    /// [`Stop`] once the file has too many errors.
    fn check(
        &mut self,
        state: &mut FileState,
        cells: &Cells<'_>,
        report: &mut dyn FnMut(Col, Fault) -> bool,
    ) -> Result<Option<Point>, Stop> {
        let mut faults: Vec<(Col, Fault)> = Vec::new();
        let unit = match state.units.get(cells.unit) {
            Some(r) => r,
            None => {
                let r = self.unit(cells.unit);
                state
                    .units
                    .set(cells.unit, r.map_err(|k| faults.push((Col::Unit, k))))
            }
        };
        let indicator = match state.indicators.get(cells.indicator) {
            Some(r) => r,
            None => {
                let r = self.indicator(cells.indicator);
                let r = r.map_err(|k| faults.push((Col::Indicator, k)));
                state.indicators.set(cells.indicator, r)
            }
        };
        let period = match state.periods.get(cells.period) {
            Some(r) => r,
            None => {
                let r = period(cells.period).map_err(|k| faults.push((Col::Period, k)));
                state.periods.set(cells.period, r)
            }
        };
        let as_of = match state.dates.get(cells.as_of) {
            Some(r) => r,
            None => {
                let r = as_of(cells.as_of).map_err(|k| faults.push((Col::AsOf, k)));
                state.dates.set(cells.as_of, r)
            }
        };
        // Each faulty name is reported once per file; values are reported cell by cell.
        faults.retain(|(c, _)| {
            let text = match c {
                Col::Unit => cells.unit,
                Col::Indicator => cells.indicator,
                Col::Period => cells.period,
                _ => cells.as_of,
            };
            state.reported.insert((*c, text.to_string()))
        });
        let mut value = Err(());
        if let Ok(i) = indicator
            && let Some(ind) = self.plan.indicators.get(i)
        {
            match convert(cells, ind.unit, &ind.id.name, state.locale) {
                Ok(v) => value = Ok(v),
                Err(k) => faults.push((Col::Value, k)),
            }
        }
        if let (Ok(p), Ok(a)) = (period, as_of)
            && let Some(kind) = as_of_before_period(a, p)
        {
            faults.push((Col::AsOf, kind));
        }
        for (col, kind) in faults {
            if !report(col, kind) {
                return Err(Stop);
            }
        }
        let (Ok(unit), Ok(indicator), Ok(period), Ok(as_of), Ok(value)) =
            (unit, indicator, period, as_of, value)
        else {
            return Ok(None);
        };
        let source = match state.sources.get(cells.source) {
            Some(Ok(s)) => s,
            _ => {
                let s = self.intern(cells.source);
                state.sources.set(cells.source, Ok(s)).unwrap_or(s)
            }
        };
        let indicator = u16::try_from(indicator).unwrap_or(u16::MAX);
        Ok(Some(Point::new(
            indicator,
            unit,
            period,
            as_of,
            value,
            state.index,
            cells.line,
            source,
        )))
    }

    fn unit(&mut self, text: &str) -> Result<UnitId, Fault> {
        if text.is_empty() {
            return Err(Kind::EmptyCell {
                column: "unit".into(),
            }
            .into());
        }
        if let Some(u) = self
            .units
            .get(text)
            .or_else(|| self.units.add_from_data(text))
        {
            return Ok(u);
        }
        let units = &self.units;
        Err(self
            .unknown
            .entry((Col::Unit, text.to_string()))
            .or_insert_with(|| {
                Common::UnknownName {
                    thing: Thing::Unit,
                    name: text.into(),
                    suggestion: suggest(text, units.iter().map(|(_, u)| u.id.as_str())),
                }
                .into()
            })
            .clone())
    }

    fn indicator(&mut self, text: &str) -> Result<usize, Fault> {
        if text.is_empty() {
            return Err(Kind::EmptyCell {
                column: "indicator".into(),
            }
            .into());
        }
        let Some(&i) = self.indicators.get(text) else {
            let indicators = &self.indicators;
            return Err(self
                .unknown
                .entry((Col::Indicator, text.to_string()))
                .or_insert_with(|| {
                    Common::UnknownName {
                        thing: Thing::Indicator,
                        name: text.into(),
                        suggestion: suggest(text, indicators.keys().copied()),
                    }
                    .into()
                })
                .clone());
        };
        match self.plan.indicators.get(i) {
            Some(ind) if is_derived(ind) => Err(Kind::DerivedObservation {
                indicator: text.into(),
            }
            .into()),
            _ => Ok(i),
        }
    }

    fn intern(&mut self, source: &str) -> Option<u32> {
        intern(&mut self.sources, &mut self.source_ids, source)
    }
}

/// The number of a `source` text among `sources` (`ids` maps them back), numbered in order of
/// first appearance; `None` for an empty text.
fn intern(
    sources: &mut Vec<Box<str>>,
    ids: &mut HashMap<Box<str>, u32>,
    source: &str,
) -> Option<u32> {
    if source.is_empty() {
        return None;
    }
    if let Some(&id) = ids.get(source) {
        return Some(id);
    }
    let id = u32::try_from(sources.len()).ok()?;
    sources.push(source.into());
    ids.insert(source.into(), id);
    Some(id)
}

/// Whether an indicator's values are computed (a formula or an index), never observed.
fn is_derived(indicator: &Indicator) -> bool {
    indicator.formula.is_some() || indicator.index.is_some()
}

fn period(text: &str) -> Result<Period, Fault> {
    if text.is_empty() {
        return Err(Kind::EmptyCell {
            column: "period".into(),
        }
        .into());
    }
    text.parse()
        .map_err(|_| SyntaxKind::InvalidPeriod { text: text.into() }.into())
}

fn as_of(text: &str) -> Result<Option<NaiveDate>, Fault> {
    if text.is_empty() {
        return Ok(None);
    }
    parse_date(text)
        .map(Some)
        .map_err(|_| SyntaxKind::InvalidDate { text: text.into() }.into())
}

/// A snapshot cannot be taken before its period begins (swapped columns, usually).
fn as_of_before_period(as_of: Option<NaiveDate>, period: Period) -> Option<Fault> {
    let d = as_of?;
    (d < period.start()).then(|| {
        PlanKind::InvalidValue {
            key: "as_of".into(),
            found: d.to_string(),
            expected: vec![format!("{} …", period.start())],
            suggestion: None,
        }
        .into()
    })
}

/// The values a boolean indicator's data may hold, true ones first.
const BOOLEANS: [(&str, bool); 6] = [
    ("1", true),
    ("true", true),
    ("có", true),
    ("0", false),
    ("false", false),
    ("không", false),
];

/// Reads a value cell for an indicator of unit `unit`.
fn convert(
    cells: &Cells<'_>,
    unit: Unit,
    indicator: &str,
    locale: Locale,
) -> Result<Decimal, Fault> {
    let text = cells.value;
    if text.is_empty() {
        return Err(Kind::EmptyCell {
            column: "value".into(),
        }
        .into());
    }
    match unit {
        Unit::Boolean => {
            let lower = text.to_lowercase();
            BOOLEANS
                .iter()
                .find(|(t, _)| *t == lower)
                .map(|&(_, b)| Decimal::from(u8::from(b)))
                .ok_or_else(|| {
                    PlanKind::InvalidValue {
                        key: "value".into(),
                        found: text.into(),
                        expected: BOOLEANS.iter().map(|(t, _)| (*t).to_string()).collect(),
                        suggestion: suggest(&lower, BOOLEANS.iter().map(|(t, _)| *t)),
                    }
                    .into()
                })
        }
        Unit::Date => parse_date(text)
            .map(date_value)
            .map_err(|_| SyntaxKind::InvalidDate { text: text.into() }.into()),
        _ => {
            // Most counts are plain digits: read without the general number grammar (the same
            // decimal as parse_number gives, scale 0).
            if unit != Unit::Percent
                && cells.form == Form::Text
                && let Some(v) = plain_integer(text.as_bytes())
            {
                return Ok(v);
            }
            let read = match cells.form {
                Form::Json => parse_json_number(text),
                // A number cell's text is in the default locale whatever the file's.
                Form::Sheet { .. } => parse_number(text, Locale::Default),
                Form::Text => parse_number(text, locale),
            };
            let v = read.map_err(|e| e.fault(text, locale))?;
            if let Form::Sheet { percent } = cells.form {
                return sheet_number(v, percent, text, unit, indicator);
            }
            if unit != Unit::Percent {
                if text.ends_with('%') {
                    return Err(Kind::UnexpectedPercent {
                        text: text.into(),
                        indicator: indicator.into(),
                        unit: unit.name().into(),
                    }
                    .into());
                }
                // A count or an amount of đồng is whole: a fraction is usually `1.675` written
                // the Vietnamese way and read in the default locale.
                if matches!(unit, Unit::Count | Unit::Vnd) && !v.fract().is_zero() {
                    return Err(Kind::FractionalCount {
                        text: text.into(),
                        indicator: indicator.into(),
                        unit: unit.name().into(),
                        // Only text is read in a locale: a JSON or spreadsheet number is a number.
                        locale: match cells.form {
                            Form::Text => locale.name().into(),
                            _ => "none".into(),
                        },
                    }
                    .into());
                }
                return Ok(v);
            }
            crate::quantity::fraction(v).ok_or_else(|| NumberError::TooLarge.fault(text, locale))
        }
    }
}

/// A text of 1 to 18 ASCII digits as a decimal of scale 0.
#[inline]
fn plain_integer(text: &[u8]) -> Option<Decimal> {
    if text.is_empty() || text.len() > 18 {
        return None;
    }
    let mut n: u64 = 0;
    for &b in text {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        // 18 digits fit: no overflow.
        n = n * 10 + u64::from(digit);
    }
    Some(Decimal::from(n))
}

/// A number cell of a spreadsheet for an indicator of unit `unit` (see docs/spreadsheets.md):
/// a cell formatted as a percentage holds the fraction; a plain number in a percent indicator
/// is a percentage, as in CSV (`89.6`), except between 0 and 1 (excluded and included), where
/// it could be either and is an error.
fn sheet_number(
    v: Decimal,
    percent_format: bool,
    text: &str,
    unit: Unit,
    indicator: &str,
) -> Result<Decimal, Fault> {
    match (unit == Unit::Percent, percent_format) {
        (true, true) => Ok(v),
        (true, false) if v.is_zero() || v.abs() > Decimal::ONE => crate::quantity::fraction(v)
            .ok_or_else(|| NumberError::TooLarge.fault(text, Locale::Default)),
        (true, false) => Err(Kind::AmbiguousPercent {
            text: text.into(),
            indicator: indicator.into(),
        }
        .into()),
        (false, true) => Err(Kind::UnexpectedPercent {
            text: crate::quantity::percentage(v)
                .map_or_else(|| text.to_string(), |p| format!("{}%", p.normalize())),
            indicator: indicator.into(),
            unit: unit.name().into(),
        }
        .into()),
        (false, false) => Ok(v),
    }
}

/// The locale named on a `# locale: …` first line, and its place.
fn directive(text: &str) -> Option<(&str, (usize, usize))> {
    let first = text.lines().next()?;
    let rest = first.strip_prefix('#')?.trim_start();
    rest.strip_prefix("locale")?
        .trim_start()
        .strip_prefix(':')?;
    let colon = first.find(':')? + 1;
    let after = first.get(colon..)?;
    let begin = colon + (after.len() - after.trim_start().len());
    let value = after.trim();
    Some((value, (begin, begin + value.len())))
}

/// A cell's trimmed text, empty when the column is absent; `None` when it is not UTF-8.
fn get(record: &ByteRecord, column: Option<usize>) -> Option<&str> {
    match column {
        None => Some(""),
        Some(i) => table::cell_str(record, i),
    }
}

/// A YAML field's trimmed text, empty when absent.
fn str_of(field: &Option<Text>) -> &str {
    field.as_ref().map_or("", |t| t.value.trim())
}

/// Byte offset where 1-based `line` starts.
fn line_start(text: &str, line: u32) -> usize {
    let skip = usize::try_from(line.saturating_sub(1)).unwrap_or(usize::MAX);
    text.split_inclusive('\n').take(skip).map(str::len).sum()
}

/// Reads a file's text, refusing files over the size limit and text that is not UTF-8. The
/// line index of a [`SourceFile`] is built only when a diagnostic needs it.
fn read_text(files: &dyn Files, path: &Path) -> Result<String, Diagnostic> {
    let shown = path.display().to_string();
    let mut bytes = read_bytes(files, path, MAX_FILE_BYTES)?;
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => match source_from_bytes(shown.clone(), e.into_bytes()) {
            Err(d) => Err(d),
            Ok(_) => Err(Diagnostic::in_file(Common::NotUtf8, shown)),
        },
    }
}

/// An observation in a YAML or JSON file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObservation {
    unit: Option<Text>,
    indicator: Option<Text>,
    period: Option<Text>,
    value: Option<Text>,
    as_of: Option<Text>,
    source: Option<Text>,
}

impl ListKey for RawObservation {
    const KEY: &'static str = "observations";
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn plain_integers_are_what_the_number_grammar_reads(
            text in "[0-9]{1,20}|[0-9.,%: /+-]{0,6}"
        ) {
            match plain_integer(text.as_bytes()) {
                Some(v) => {
                    let general = parse_number(&text, Locale::Default).unwrap();
                    prop_assert_eq!((v, v.to_string()), (general, general.to_string()));
                }
                None => prop_assert!(
                    text.is_empty() || text.len() > 18 || !text.bytes().all(|b| b.is_ascii_digit())
                ),
            }
        }
    }

    #[test]
    fn plain_integers_read_as_the_number_grammar_reads_them() {
        for t in ["0", "7", "007", "1675", "999999999999999999"] {
            for locale in [Locale::Default, Locale::Vi] {
                let general = parse_number(t, locale).unwrap();
                let plain = plain_integer(t.as_bytes()).unwrap();
                assert_eq!(
                    (plain, plain.to_string()),
                    (general, general.to_string()),
                    "{t}"
                );
            }
        }
        for t in [
            "",
            "1.5",
            "1,5",
            "-1",
            "1%",
            "1234567890123456789",
            "1e3",
            "/",
            ":",
            "1 ",
        ] {
            assert_eq!(plain_integer(t.as_bytes()), None, "{t}");
        }
    }
}
