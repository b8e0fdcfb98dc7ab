//! Status histories (`chitieu eval --history`): a JSON document written block by block as the
//! history is computed, and a compact status-over-time table per goal for people.

use super::eval::{status_mark, status_word};
use crate::data::Units;
use crate::eval::{Compiled, Status, UnitHistory};
use crate::lang::Lang;
use chrono::NaiveDate;
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

/// Writes a history as JSON while it is computed:
///
/// ```json
/// {"schema": "chitieu.history/v1", "plan": "…", "dates": ["2026-01-31", …],
///  "results": [{"unit": "P01", "goal": "N01",
///               "series": [{"as_of": "2026-01-31", "status": "met", "actual": "0.81"}, …]}, …]}
/// ```
///
/// `actual` is the exact decimal as a string (a percent as its fraction), or `null`.
pub struct HistoryJson<'a, W: Write> {
    out: W,
    c: &'a Compiled,
    units: &'a Units,
    dates: Vec<String>,
    first: bool,
}

impl<'a, W: Write> HistoryJson<'a, W> {
    /// Starts the document: its header and the list of dates.
    pub fn begin(
        mut out: W,
        c: &'a Compiled,
        units: &'a Units,
        dates: &[NaiveDate],
    ) -> io::Result<HistoryJson<'a, W>> {
        let dates: Vec<String> = dates.iter().map(|d| d.to_string()).collect();
        write!(
            out,
            "{{\n\"schema\": \"{HISTORY_SCHEMA}\",\n\"plan\": {},\n\"dates\": [",
            json_str(&c.plan().plan().id)
        )?;
        for (i, d) in dates.iter().enumerate() {
            write!(out, "{}\"{d}\"", if i == 0 { "" } else { ", " })?;
        }
        write!(out, "],\n\"results\": [")?;
        Ok(HistoryJson {
            out,
            c,
            units,
            dates,
            first: true,
        })
    }

    /// Writes the histories of a block of units.
    pub fn block(&mut self, block: &[UnitHistory]) -> io::Result<()> {
        let mut actual = String::new();
        for h in block {
            let unit = json_str(self.units.id(h.unit));
            for s in &h.series {
                let sep = if self.first { "\n" } else { ",\n" };
                self.first = false;
                write!(
                    self.out,
                    "{sep}{{\"unit\": {unit}, \"goal\": {}, \"series\": [",
                    json_str(goal_id(self.c, s.goal))
                )?;
                for (i, (step, date)) in s.steps.iter().zip(&self.dates).enumerate() {
                    actual.clear();
                    match step.actual {
                        Some(d) => {
                            let _ = write!(actual, "\"{d}\"");
                        }
                        None => actual.push_str("null"),
                    }
                    write!(
                        self.out,
                        "{}{{\"as_of\": \"{date}\", \"status\": \"{}\", \"actual\": {actual}}}",
                        if i == 0 { "" } else { ", " },
                        step.status.name()
                    )?;
                }
                write!(self.out, "]}}")?;
            }
        }
        Ok(())
    }

    /// Ends the document and flushes it.
    pub fn finish(mut self) -> io::Result<W> {
        write!(self.out, "\n]\n}}\n")?;
        self.out.flush()?;
        Ok(self.out)
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
