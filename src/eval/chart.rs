//! The series behind a goal's trajectory chart: baseline, milestones, target and the observed
//! values over time. Pure data, computed here so that renderers only draw.

use super::engine::{Engine, NoTrace, When};
use super::history::History;
use super::{Compiled, Options, Status};
use crate::data::{Dataset, Units};
use crate::period::Period;
use crate::period::month_ends;
use crate::plan::Unit;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// One point of a series: a date and a value (a percent as its fraction).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Point {
    /// When.
    pub date: NaiveDate,
    /// The value.
    pub value: Decimal,
}

/// A goal's trajectory for one unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Trajectory {
    /// The unit's id.
    pub unit: String,
    /// The goal's id.
    pub goal: String,
    /// The measure at the end of the baseline period.
    pub baseline: Option<Point>,
    /// The milestones' targets at their dates, in date order.
    pub milestones: Vec<Point>,
    /// The target at the deadline (at the plan's end when the goal has no deadline).
    pub target: Option<Point>,
    /// The measured value of each period that has ended by the evaluation date, in order.
    pub observed: Vec<Point>,
    /// The unit of every value.
    pub value_unit: Option<Unit>,
    /// The goal's status at every month end from the start of the baseline period (or the
    /// plan's start) to the evaluation date, from the status history ([`History`]).
    pub statuses: Vec<StatusAt>,
}

/// A goal's status as of a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StatusAt {
    /// The evaluation date.
    pub date: NaiveDate,
    /// The status then.
    pub status: Status,
}

impl Trajectory {
    /// Whether there is anything to draw.
    pub fn is_empty(&self) -> bool {
        self.points().next().is_none()
    }

    /// Every point of every series.
    fn points(&self) -> impl Iterator<Item = &Point> {
        self.baseline
            .iter()
            .chain(&self.milestones)
            .chain(&self.target)
            .chain(&self.observed)
    }

    /// The smallest and largest value of every series, or `None` when empty.
    pub fn value_range(&self) -> Option<(Decimal, Decimal)> {
        span(self.points().map(|p| p.value))
    }

    /// The first and last date of every series, or `None` when empty.
    pub fn date_range(&self) -> Option<(NaiveDate, NaiveDate)> {
        span(self.points().map(|p| p.date))
    }
}

/// The smallest and largest item, or `None` when there is none.
fn span<T: Ord + Copy>(items: impl Iterator<Item = T>) -> Option<(T, T)> {
    items.fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })
}

/// Month ends from `from` to `to` (the history's dates), then `to` itself when it is not one.
fn sample_dates(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let mut dates = month_ends(Period::month_of(from), Period::month_of(to));
    dates.retain(|d| *d <= to);
    if dates.last() != Some(&to) {
        dates.push(to);
    }
    dates
}

/// The trajectory of goal `goal` for unit `unit` as of `as_of`: `None` when the unit or goal is
/// unknown, the goal's rule is not a single comparison with a measured side, or `as_of` lies
/// outside [`YEARS`](crate::period::YEARS).
///
/// Observed values are the measure as it stood at each month end from the start of the
/// baseline period (or the plan's start) to `as_of`, one point per distinct data period, dated
/// at that period's end.
pub fn trajectory(
    c: &Compiled,
    data: &Dataset,
    units: &Units,
    unit: &str,
    goal: &str,
    as_of: NaiveDate,
) -> Option<Trajectory> {
    if !crate::period::date_in_range(as_of) {
        return None;
    }
    let u = units.get(unit)?;
    let g = c.goal_index(goal)?;
    let compiled = c.goals.get(g)?;
    let measure = compiled.measure?;
    if measure.improve {
        return None;
    }
    let engine = Engine::new(c, data, units);
    let now = engine.goal(g, u, as_of);
    if now.status == super::Status::NotApplicable {
        return None;
    }
    let plan_period = c.plan.plan().period;
    let baseline_period: Option<Period> = c.baseline;
    let baseline = baseline_period.and_then(|p| {
        now.baseline.map(|value| Point {
            date: p.end(),
            value,
        })
    });
    let mut milestones: Vec<Point> = compiled
        .milestones
        .iter()
        .filter_map(|m| {
            let value =
                super::status::num(engine.eval(m.measure?.g, u, When::Now(as_of), &mut NoTrace))?;
            Some(Point {
                date: m.deadline,
                value,
            })
        })
        .collect();
    milestones.sort_by_key(|p| p.date);
    let target = now.target.map(|value| Point {
        date: now.deadline.unwrap_or(plan_period.end),
        value,
    });
    let from = baseline_period.map_or(plan_period.start, |p| p.start());
    let dates = sample_dates(from, as_of);
    let options = Options {
        units: vec![unit.to_string()],
        goals: vec![goal.to_string()],
        ..Options::new(as_of)
    };
    let history = History::new(c, data, units, &options, dates).ok()?;
    let series = history.unit(u).series.into_iter().next()?;
    let mut observed: Vec<Point> = Vec::new();
    let mut seen: Vec<Period> = Vec::new();
    let mut statuses = Vec::with_capacity(series.steps.len());
    for (step, &date) in series.steps.iter().zip(history.dates()) {
        statuses.push(StatusAt {
            date,
            status: step.status,
        });
        if let (Some(value), Some(period)) = (step.actual, step.period)
            && !seen.contains(&period)
        {
            seen.push(period);
            observed.push(Point {
                date: period.end().min(as_of),
                value,
            });
        }
    }
    observed.sort_by_key(|p| p.date);
    observed.dedup_by_key(|p| p.date);
    Some(Trajectory {
        unit: unit.to_string(),
        goal: goal.to_string(),
        baseline,
        milestones,
        target,
        observed,
        value_unit: c.unit_of(measure.m),
        statuses,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_dates_are_month_ends_then_the_date() {
        let d = |s| crate::period::parse_date(s).unwrap();
        assert_eq!(
            sample_dates(d("2026-01-01"), d("2026-03-15")),
            vec![d("2026-01-31"), d("2026-02-28"), d("2026-03-15")]
        );
        assert_eq!(
            sample_dates(d("2026-01-01"), d("2026-02-28")),
            vec![d("2026-01-31"), d("2026-02-28")]
        );
    }
}
