//! Data: observations, units and the numbers they are written with (README, “Command line”).
//!
//! - [`Units`]: the administrative units an evaluation covers, as a tree (a province with its
//!   departments and communes), from the plan's inline `units:` and a registry file
//!   ([`load_units`]).
//! - [`Dataset`]: observations (`unit,indicator,period,value` plus optional `as_of` and
//!   `source`) read from CSV, YAML or JSON files ([`load_observations`], [`Loader`]), stored
//!   by (indicator, unit) and sorted by period, for the evaluator's queries
//!   ([`Dataset::current`], [`Dataset::at_period`], [`Dataset::history`]).
//! - [`parse_number`]: numbers in the default locale (`93.3`) or the Vietnamese one (`93,3`,
//!   `1.675`); an ambiguous or malformed number is an error, never a guess.
//!
//! Values are stored in an indicator's base unit: a percentage as the fraction it denotes
//! (`89.6` or `89,6%` in a percent indicator's data is 0.896), a boolean as 1 or 0 (data may
//! write `1`/`0`, `true`/`false`, `có`/`không`), a date as a day number ([`date_value`]).
//! Missing is not zero: a row without a value is an error, and an absent row is no data.
//!
//! File conventions: CSV files have a header row (columns in any order), may start with a
//! byte-order mark, end lines with CRLF or LF, quote cells, and treat lines starting with `#` as
//! comments; a first line `# locale: vi` (or `# locale: default`) sets the file's locale over
//! the caller's. YAML files are read like CSV cells: every value in the file's locale. In JSON,
//! an unquoted number follows JSON's own grammar (`1.675` is one point six seven five whatever
//! the locale, `8.96e1` is allowed) and a quoted one the locale. Faults are reported at their
//! cell, every one of them up to 100 per file; a wrong unit, indicator, period or `as_of` text
//! is reported at its first occurrence in a file.

mod kind;
mod load;
mod number;
#[cfg(feature = "xlsx")]
mod sheet;
mod store;
mod table;
mod units;
mod yaml;

pub use kind::Kind;
pub use load::{Loader, load_observations, load_observations_str};
pub use number::{Locale, NumberError, parse_number};
pub use store::{Dataset, History, Point};
pub use units::{
    UnitId, UnitInfo, Units, load_units, load_units_bytes, load_units_str, load_units_with,
};

use crate::diag::{Diagnostic, suggest};
use crate::plan::Kind as PlanKind;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;

/// A hash map keyed by names read from data files, hashed eight bytes at a time (the
/// multiply-rotate hash of rustc's `FxHasher`): millions of look-ups of short names the plan
/// or the registry declares, where the default hasher's resistance to chosen keys buys
/// nothing.
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHash>>;

/// The hasher of [`FastMap`].
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct FastHash(u64);

impl Hasher for FastHash {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0xf135_7aea_2e62_a9c5;
        let mut words = bytes.chunks_exact(8);
        for w in words.by_ref() {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            self.0 = (self.0.rotate_left(26) ^ u64::from_le_bytes(b)).wrapping_mul(K);
        }
        let last = tail_word(words.remainder());
        self.0 = (self.0.rotate_left(26) ^ last).wrapping_mul(K);
    }

    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(26) ^ u64::from(i)).wrapping_mul(0xf135_7aea_2e62_a9c5);
    }

    fn finish(&self) -> u64 {
        // The high bits are the best mixed: brought down for the table's index.
        self.0.rotate_left(26)
    }
}

/// The last 0 to 7 bytes of a text as one word that tells them apart, read a few at a time (a
/// copy of a variable length would be a call): two overlapping 4-byte words, or the first,
/// middle and last bytes, with the length.
pub(crate) fn tail_word(rest: &[u8]) -> u64 {
    let n = rest.len();
    let word = |at: usize| {
        let mut w = [0u8; 4];
        if let Some(b) = rest.get(at..at + 4) {
            w.copy_from_slice(b);
        }
        u64::from(u32::from_le_bytes(w))
    };
    let byte = |at: usize| u64::from(rest.get(at).copied().unwrap_or(0));
    let bits = match n {
        0 => 0,
        1..4 => byte(0) | byte(n / 2) << 8 | byte(n - 1) << 16,
        _ => word(0) | word(n - 4) << 32,
    };
    bits ^ ((n as u64) << 59)
}

/// The format of a data file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Comma-separated values with a header row.
    Csv,
    /// YAML.
    Yaml,
    /// JSON (read as YAML, which it is, so that positions are known).
    Json,
    /// An Office Open XML workbook (`.xlsx`, `.xlsm`): cell formats are known, so a cell
    /// formatted as a percentage is read as the fraction it holds.
    Xlsx,
    /// A legacy Excel workbook (`.xls`).
    Xls,
    /// An OpenDocument spreadsheet (`.ods`).
    Ods,
}

impl Format {
    /// The format of a file, by its extension (`.csv`, `.yaml`, `.yml`, `.json`, and with the
    /// `xlsx` feature `.xlsx`, `.xlsm`, `.xls`, `.ods`; in any case).
    pub fn of_path(path: &Path) -> Result<Format, Diagnostic> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "csv" => Ok(Format::Csv),
            "yaml" | "yml" => Ok(Format::Yaml),
            "json" => Ok(Format::Json),
            #[cfg(feature = "xlsx")]
            "xlsx" | "xlsm" => Ok(Format::Xlsx),
            #[cfg(feature = "xlsx")]
            "xls" => Ok(Format::Xls),
            #[cfg(feature = "xlsx")]
            "ods" => Ok(Format::Ods),
            _ => {
                let expected = EXTENSIONS;
                let found = format!(".{ext}");
                Err(Diagnostic::in_file(
                    PlanKind::InvalidValue {
                        key: "extension".into(),
                        suggestion: suggest(&found, expected),
                        found,
                        expected: expected.iter().map(|e| (*e).to_string()).collect(),
                    },
                    path.display().to_string(),
                ))
            }
        }
    }

    /// Whether it is a spreadsheet (read from bytes, not text).
    pub fn is_sheet(self) -> bool {
        matches!(self, Format::Xlsx | Format::Xls | Format::Ods)
    }
}

/// The extensions of the data formats this build reads.
#[cfg(feature = "xlsx")]
const EXTENSIONS: [&str; 8] = [
    ".csv", ".yaml", ".yml", ".json", ".xlsx", ".xlsm", ".xls", ".ods",
];
#[cfg(not(feature = "xlsx"))]
const EXTENSIONS: [&str; 4] = [".csv", ".yaml", ".yml", ".json"];

/// The number a date-unit value is stored as: days since 0001-01-01 (which is day 0), so that
/// dates compare and subtract as numbers.
///
/// ```
/// use chitieu::data::{date_value, value_date};
/// let d = chitieu::period::parse_date("2030-12-31").unwrap();
/// assert_eq!(value_date(date_value(d)), Some(d));
/// assert_eq!(date_value(chitieu::period::parse_date("2026-01-02").unwrap())
///     - date_value(chitieu::period::parse_date("2026-01-01").unwrap()), 1.into());
/// ```
pub fn date_value(date: NaiveDate) -> Decimal {
    Decimal::from(date.num_days_from_ce() - 1)
}

/// The date a date-unit value stands for (see [`date_value`]); `None` for a number that is not
/// a whole day in chrono's range.
pub fn value_date(value: Decimal) -> Option<NaiveDate> {
    if !value.fract().is_zero() {
        return None;
    }
    let days = value.to_i32()?;
    NaiveDate::from_num_days_from_ce_opt(days.checked_add(1)?)
}

#[cfg(test)]
mod tests;
