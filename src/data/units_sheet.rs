//! Unit registries read from spreadsheets: a header row with `id, name, kind` (and `parent`),
//! in English or Vietnamese (`mã, tên, loại, cấp trên`), on every sheet that has one.

use super::Decl;
use super::Kind;
use crate::data::Format;
use crate::data::sheet::{self, Cell, Workbook, fold};
use crate::data::table::MAX_ERRORS;
use crate::diag::{Diagnostic, suggest};
use crate::source::{Location, SourceFile};

/// Rows searched for the header row: title rows may stand above it.
const HEADER_ROWS: usize = 20;

/// The registry's columns (id, name, kind, parent): their names, folded, and whether each is
/// required.
const COLUMNS: [(&str, &[&str], bool); 4] = [
    ("id", &["id", "ma", "ma don vi"], true),
    ("name", &["name", "ten", "ten don vi"], true),
    ("kind", &["kind", "loai", "cap"], true),
    ("parent", &["parent", "cap tren", "truc thuoc"], false),
];

/// Reads the units of every sheet whose header names `id` and `kind`.
pub(super) fn read_registry_sheet(
    path: &str,
    bytes: &[u8],
    format: Format,
    decls: &mut Vec<Decl>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut book = match Workbook::open(bytes, format) {
        Ok(b) => b,
        Err(reason) => {
            diags.push(Diagnostic::in_file(Kind::Workbook { reason }, path));
            return;
        }
    };
    let names = book.sheet_names();
    let mut found = false;
    for name in &names {
        // Registries are small: the whole sheet is kept, so every unit has its location.
        let mut rows: Vec<(u32, Vec<Cell>)> = Vec::new();
        if let Err(reason) = book.rows(name, &mut |row, cells| {
            rows.push((row, cells.to_vec()));
            true
        }) {
            diags.push(Diagnostic::in_file(Kind::Workbook { reason }, path));
            return;
        }
        let Some(at) = rows.iter().take(HEADER_ROWS).position(|(_, cells)| {
            let cols = header(cells);
            cols.first().is_some_and(Option::is_some) && cols.get(2).is_some_and(Option::is_some)
        }) else {
            continue;
        };
        found = true;
        read_rows(path, name, &rows, at, decls, diags);
        if diags.len() >= MAX_ERRORS {
            return;
        }
    }
    if !found {
        diags.push(Diagnostic::in_file(
            Kind::NoSheet {
                sheets: names,
                columns: vec!["id".into(), "name".into(), "kind".into()],
            },
            path,
        ));
    }
}

/// The sheet column of each registry column a header row names.
fn header(cells: &[Cell]) -> [Option<u32>; 4] {
    let mut cols = [None; 4];
    for cell in cells {
        let folded = fold(&cell.value.text());
        if let Some(k) = COLUMNS
            .iter()
            .position(|(_, names, _)| names.contains(&folded.as_str()))
            && let Some(slot @ None) = cols.get_mut(k)
        {
            *slot = Some(cell.col);
        }
    }
    cols
}

fn read_rows(
    path: &str,
    sheet: &str,
    rows: &[(u32, Vec<Cell>)],
    header_at: usize,
    decls: &mut Vec<Decl>,
    diags: &mut Vec<Diagnostic>,
) {
    let last = rows.last().map_or(0, |(r, _)| *r);
    let width = rows
        .iter()
        .filter_map(|(_, cells)| cells.last())
        .map(|c| usize::try_from(c.col).unwrap_or(0) + 1)
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    let mut lines = Vec::with_capacity(rows.len());
    let mut next = rows.iter().peekable();
    for r in 1..=last {
        let start = text.len();
        if let Some((_, cells)) = next.next_if(|(row, _)| *row == r) {
            let (mut line, mut spans) = sheet::render(cells);
            sheet::pad(&mut line, &mut spans, width);
            text.push_str(&line);
            lines.push((start, spans));
        }
        text.push('\n');
    }
    let file = SourceFile::sheet(path, sheet, text);
    let locate = |i: usize, col: Option<u32>| -> Location {
        let (start, spans) = lines
            .get(i)
            .map_or((0, &[][..]), |(s, sp)| (*s, sp.as_slice()));
        let line_end = spans.last().map_or(0, |s| s.1);
        let (a, b) = col
            .and_then(|c| usize::try_from(c).ok())
            .and_then(|c| spans.get(c).copied())
            .unwrap_or((line_end, line_end));
        match col {
            Some(_) => Location::new(&file, start + a, start + b),
            None => Location::new(&file, start, start + line_end),
        }
    };
    let Some((_, head)) = rows.get(header_at) else {
        return;
    };
    let cols = header(head);
    let mut faulty = false;
    for cell in head {
        let name = cell.value.text();
        if !cols.contains(&Some(cell.col)) {
            let expected: Vec<String> = COLUMNS.iter().map(|c| c.0.to_string()).collect();
            diags.push(Diagnostic::error(
                Kind::UnknownColumn {
                    suggestion: suggest(&name, COLUMNS.iter().map(|c| c.0)),
                    column: name.into_owned(),
                    expected,
                },
                locate(header_at, Some(cell.col)),
            ));
            faulty = true;
        }
    }
    for ((column, _, required), col) in COLUMNS.iter().zip(cols) {
        if *required && col.is_none() {
            diags.push(Diagnostic::error(
                Kind::MissingColumn {
                    column: (*column).to_string(),
                },
                locate(header_at, None),
            ));
            faulty = true;
        }
    }
    if faulty {
        return;
    }
    for (i, (_, cells)) in rows.iter().enumerate().skip(header_at + 1) {
        let mut get = |k: usize, required: bool| -> Option<(String, Location)> {
            let col = cols.get(k).copied().flatten()?;
            let value = cells
                .iter()
                .find(|c| c.col == col)
                .map(|c| c.value.text().into_owned());
            match value {
                Some(v) => Some((v, locate(i, Some(col)))),
                None if required => {
                    diags.push(Diagnostic::error(
                        Kind::EmptyCell {
                            column: COLUMNS.get(k).map_or("", |c| c.0).into(),
                        },
                        locate(i, Some(col)),
                    ));
                    None
                }
                None => None,
            }
        };
        let id = get(0, true);
        let name = get(1, false);
        let kind = get(2, true);
        let parent = get(3, false);
        if let (Some((id, id_at)), Some((kind, kind_at))) = (id, kind) {
            decls.push(Decl {
                id,
                id_at,
                name: name.map(|n| n.0).unwrap_or_default(),
                kind,
                kind_at,
                parent,
            });
        }
        if diags.len() >= MAX_ERRORS {
            return;
        }
    }
}
