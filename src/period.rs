//! Reporting periods (`2026`, `2026-H1`, `2026-Q3`, `2026-07`) and calendar dates.
//!
//! A period is a span of calendar days with a start and an end; observations are recorded per
//! period and a goal's current value is read from the latest period that has ended.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A reporting period.
///
/// ```
/// use chitieu::period::Period;
/// let q: Period = "2026-Q3".parse().unwrap();
/// assert_eq!(q.start().to_string(), "2026-07-01");
/// assert_eq!(q.end().to_string(), "2026-09-30");
/// assert_eq!(q.previous().to_string(), "2026-Q2");
/// ```
///
/// Periods order chronologically: by first day, then by last day, so a year comes after its
/// first quarter and before its second half, and every period of 2026 before any of 2027.
///
/// ```
/// use chitieu::period::Period;
/// let p = |t: &str| t.parse::<Period>().unwrap();
/// let mut v = vec![p("2030"), p("2026-H2"), p("2026"), p("2026-Q1"), p("2020-01")];
/// v.sort();
/// let shown: Vec<String> = v.iter().map(Period::to_string).collect();
/// assert_eq!(shown, ["2020-01", "2026-Q1", "2026", "2026-H2", "2030"]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Period {
    /// A calendar year.
    Year(i32),
    /// A half-year, 1 or 2.
    Half(i32, u8),
    /// A quarter, 1 to 4.
    Quarter(i32, u8),
    /// A month, 1 to 12.
    Month(i32, u8),
}

/// Years a period or date may name: chrono's range is wider, but nothing in a plan is earlier
/// or later than this, and the bound keeps date arithmetic far from overflow.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2999;

/// Whether a date lies in [`YEARS`]: the dates the library evaluates at. The entry points that
/// take an evaluation date refuse others, as the command line does (`NaiveDate::MAX` would ask
/// for a month-by-month history of 260,000 years).
pub fn date_in_range(date: NaiveDate) -> bool {
    YEARS.contains(&date.year())
}

/// Why a period's text could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// Not of any period's shape.
    #[error("not a period")]
    Malformed,
    /// Of a period's shape but naming no real period (`2026-Q5`, `2026-13`).
    #[error("no such period")]
    OutOfRange,
}

impl Period {
    /// The period's calendar year.
    pub fn year(self) -> i32 {
        match self {
            Period::Year(y) | Period::Half(y, _) | Period::Quarter(y, _) | Period::Month(y, _) => y,
        }
    }

    /// First and last month (1-based) the period covers.
    pub(crate) fn months(self) -> (u32, u32) {
        match self {
            Period::Year(_) => (1, 12),
            Period::Half(_, h) => (u32::from(h) * 6 - 5, u32::from(h) * 6),
            Period::Quarter(_, q) => (u32::from(q) * 3 - 2, u32::from(q) * 3),
            Period::Month(_, m) => (u32::from(m), u32::from(m)),
        }
    }

    /// The first day of the period.
    pub fn start(self) -> NaiveDate {
        let (first, _) = self.months();
        first_of_month(self.year(), first)
    }

    /// The last day of the period.
    pub fn end(self) -> NaiveDate {
        let (_, last) = self.months();
        last_of_month(self.year(), last)
    }

    /// The period of the same length just before this one (`2026-Q1` → `2025-Q4`).
    pub fn previous(self) -> Period {
        match self {
            Period::Year(y) => Period::Year(y - 1),
            Period::Half(y, 1) => Period::Half(y - 1, 2),
            Period::Half(y, h) => Period::Half(y, h - 1),
            Period::Quarter(y, 1) => Period::Quarter(y - 1, 4),
            Period::Quarter(y, q) => Period::Quarter(y, q - 1),
            Period::Month(y, 1) => Period::Month(y - 1, 12),
            Period::Month(y, m) => Period::Month(y, m - 1),
        }
    }

    /// The period of the same length just after this one (`2025-Q4` → `2026-Q1`).
    pub fn next(self) -> Period {
        match self {
            Period::Year(y) => Period::Year(y.saturating_add(1)),
            Period::Half(y, 2) => Period::Half(y.saturating_add(1), 1),
            Period::Half(y, h) => Period::Half(y, h + 1),
            Period::Quarter(y, 4) => Period::Quarter(y.saturating_add(1), 1),
            Period::Quarter(y, q) => Period::Quarter(y, q + 1),
            Period::Month(y, 12) => Period::Month(y.saturating_add(1), 1),
            Period::Month(y, m) => Period::Month(y, m + 1),
        }
    }

    /// Whether `date` lies within the period.
    pub fn contains(self, date: NaiveDate) -> bool {
        self.start() <= date && date <= self.end()
    }

    /// The month containing `date`.
    pub fn month_of(date: NaiveDate) -> Period {
        // A month number always fits in u8.
        Period::Month(date.year(), u8::try_from(date.month()).unwrap_or(1))
    }
}

/// The last day of every month from `from` to `to` (both months included) that lies in
/// [`YEARS`], the dates a history is evaluated at; empty when `to` is before `from`. Periods
/// other than months count as their last month.
///
/// ```
/// use chitieu::period::{Period, month_ends};
/// let p = |t: &str| t.parse::<Period>().unwrap();
/// let ends: Vec<String> = month_ends(p("2026-Q4"), p("2027-02")).iter().map(|d| d.to_string()).collect();
/// assert_eq!(ends, ["2026-12-31", "2027-01-31", "2027-02-28"]);
/// ```
pub fn month_ends(from: Period, to: Period) -> Vec<NaiveDate> {
    // Only months of YEARS: a library caller's `Period::Year(262_142)` is not 3 million months.
    let (first, last) = (
        Period::month_of(from.end()).max(Period::Month(*YEARS.start(), 1)),
        Period::month_of(to.end()).min(Period::Month(*YEARS.end(), 12)),
    );
    if last < first {
        return Vec::new();
    }
    std::iter::successors(Some(first), |m| (*m < last).then(|| m.next()))
        .map(Period::end)
        .collect()
}

/// The first day of a month; out-of-range input clamps to a valid day.
fn first_of_month(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN)
}

/// The last day of a month.
fn last_of_month(year: i32, month: u32) -> NaiveDate {
    let next = if month >= 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
}

/// Reads an ISO date `YYYY-MM-DD`, refusing dates that do not exist (`2026-02-30`).
///
/// ```
/// assert!(chitieu::period::parse_date("2026-02-28").is_ok());
/// assert!(chitieu::period::parse_date("2026-02-30").is_err());
/// ```
pub fn parse_date(text: &str) -> Result<NaiveDate, PeriodError> {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return Err(PeriodError::Malformed);
    }
    let num = |r: std::ops::Range<usize>| text.get(r).and_then(|s| s.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return Err(PeriodError::Malformed);
    };
    let y = i32::try_from(y).map_err(|_| PeriodError::OutOfRange)?;
    if !YEARS.contains(&y) {
        return Err(PeriodError::OutOfRange);
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or(PeriodError::OutOfRange)
}

impl Ord for Period {
    fn cmp(&self, other: &Period) -> std::cmp::Ordering {
        // (year, first month, last month) orders as (start, end) without building dates: both
        // months lie in the period's year. The key differs for different periods, so the order
        // agrees with `Eq`.
        let key = |p: Period| {
            let (first, last) = p.months();
            (p.year(), first, last)
        };
        key(*self).cmp(&key(*other))
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Period) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(text: &str) -> Result<Period, PeriodError> {
        let (year, rest) = match text.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (text, None),
        };
        if year.len() != 4 || !year.bytes().all(|c| c.is_ascii_digit()) {
            return Err(PeriodError::Malformed);
        }
        let year: i32 = year.parse().map_err(|_| PeriodError::Malformed)?;
        if !YEARS.contains(&year) {
            return Err(PeriodError::OutOfRange);
        }
        let Some(rest) = rest else {
            return Ok(Period::Year(year));
        };
        let small = |s: &str, max: u8| -> Result<u8, PeriodError> {
            if s.is_empty() || s.len() > 2 || !s.bytes().all(|c| c.is_ascii_digit()) {
                return Err(PeriodError::Malformed);
            }
            match s.parse::<u8>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(PeriodError::OutOfRange),
            }
        };
        if let Some(q) = rest.strip_prefix('Q') {
            return Ok(Period::Quarter(year, small(q, 4)?));
        }
        if let Some(h) = rest.strip_prefix('H') {
            return Ok(Period::Half(year, small(h, 2)?));
        }
        if rest.len() != 2 {
            return Err(PeriodError::Malformed);
        }
        Ok(Period::Month(year, small(rest, 12)?))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Half(y, h) => write!(f, "{y}-H{h}"),
            Period::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
        }
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Period, D::Error> {
        let text = String::deserialize(d)?;
        text.parse()
            .map_err(|e| serde::de::Error::custom(format!("{e}: `{text}`")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_round_trip_and_bound() {
        for t in ["2026", "2026-H2", "2026-Q1", "2026-02", "2025-12"] {
            let p: Period = t.parse().unwrap();
            assert_eq!(p.to_string(), t);
        }
        let m: Period = "2024-02".parse().unwrap();
        assert_eq!(m.end().to_string(), "2024-02-29");
        assert_eq!("2026-Q5".parse::<Period>(), Err(PeriodError::OutOfRange));
        assert_eq!("2026-13".parse::<Period>(), Err(PeriodError::OutOfRange));
        assert_eq!("26-01".parse::<Period>(), Err(PeriodError::Malformed));
        assert_eq!(
            "2026-H1".parse::<Period>().unwrap().previous(),
            Period::Half(2025, 2)
        );
    }

    #[test]
    fn dates_must_exist() {
        assert_eq!(parse_date("2026-02-30"), Err(PeriodError::OutOfRange));
        assert_eq!(parse_date("2026-2-3"), Err(PeriodError::Malformed));
        assert!(parse_date("2030-12-31").is_ok());
    }
}
