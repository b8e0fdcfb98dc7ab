//! Status history: every selected (unit, goal) evaluated at the end of every month of a range,
//! without explanations, in parallel over units (rayon) and handed out in registry order, a
//! block of units at a time, so that a report can be streamed as it is computed.

use super::columns::{self, Columns};
use super::engine::Engine;
use super::{Compiled, Options, Status, selection};
use crate::data::{Dataset, UnitId, Units};
use crate::diag::Diagnostic;
use crate::period::Period;
use chrono::NaiveDate;
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::borrow::Cow;

/// Data for a history given no segments: nothing observed.
static EMPTY: std::sync::LazyLock<Dataset> = std::sync::LazyLock::new(Dataset::default);

/// How many units are evaluated together before their results are handed out: large enough to
/// keep every core busy, small enough that a block's results take a few megabytes.
const BLOCK: usize = 128;

/// One evaluation of a history: the status and measured value as of a date.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub struct Step {
    /// The status.
    pub status: Status,
    /// The measured value (a percent as its fraction).
    pub actual: Option<Decimal>,
    /// The data period the measured value belongs to.
    pub period: Option<Period>,
}

/// The history of one goal for one unit: one [`Step`] per date.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Series {
    /// The goal's index in the plan.
    pub goal: usize,
    /// One step per date, in date order.
    pub steps: Vec<Step>,
}

/// The histories of one unit: one [`Series`] per selected goal that applies to the unit.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct UnitHistory {
    /// The unit.
    pub unit: UnitId,
    /// Its series, goals in plan order; goals that do not apply to the unit's kind are left out.
    pub series: Vec<Series>,
}

/// A status history over a plan's life, ready to run.
pub struct History<'a> {
    c: &'a Compiled,
    /// The data each stretch of dates is judged on, with the number of dates in the stretch.
    segments: Vec<(Cow<'a, Dataset>, usize)>,
    registry: &'a Units,
    units: Vec<UnitId>,
    goals: Vec<usize>,
    dates: Vec<NaiveDate>,
    /// Per goal of the plan: whether its dates are evaluated together by [`Columns`] (else
    /// one by one by the engine).
    columnar: Vec<bool>,
}

/// What a thread keeps from unit to unit: per segment, a memoized engine and a columnar
/// evaluator.
type State<'h> = Vec<(Engine<'h>, Columns<'h>)>;

impl<'a> History<'a> {
    /// The history of the units and goals `options` selects (its `as_of` is not used) at each of
    /// `dates`. Unknown unit or goal ids are errors, as in [`evaluate`](super::evaluate), and so
    /// is a date outside [`YEARS`](crate::period::YEARS).
    pub fn new(
        c: &'a Compiled,
        data: &'a Dataset,
        units: &'a Units,
        options: &Options,
        dates: Vec<NaiveDate>,
    ) -> Result<History<'a>, Vec<Diagnostic>> {
        let n = dates.len();
        History::segmented(c, units, options, dates, vec![(Cow::Borrowed(data), n)])
    }

    /// A history whose dates are judged on different data, stretch by stretch: `segments`
    /// gives, in date order, the data of each stretch and how many of `dates` it covers (the
    /// index totals as they stand at those dates, say). Dates not covered by a segment are
    /// judged on the last segment's data. A date outside [`YEARS`](crate::period::YEARS) is an
    /// error, as in [`History::new`].
    pub fn segmented(
        c: &'a Compiled,
        units: &'a Units,
        options: &Options,
        dates: Vec<NaiveDate>,
        segments: Vec<(Cow<'a, Dataset>, usize)>,
    ) -> Result<History<'a>, Vec<Diagnostic>> {
        super::dates_in_range(dates.iter().copied())?;
        let (unit_ids, goals) = selection(c, units, options)?;
        let columnar = (0..c.goals.len()).map(|g| columns::covers(c, g)).collect();
        Ok(History {
            c,
            segments,
            registry: units,
            units: unit_ids,
            goals,
            dates,
            columnar,
        })
    }

    /// Evaluates every goal date by date with the tree-walking engine, as `--as-of` does,
    /// instead of every date at once where the columnar evaluator covers the goal: slower, the
    /// reference the columnar evaluator is tested against.
    pub fn per_date(mut self) -> History<'a> {
        self.columnar.iter_mut().for_each(|c| *c = false);
        self
    }

    fn first_data(&self) -> &Dataset {
        self.segments.first().map_or(&EMPTY, |(d, _)| d)
    }

    /// The evaluation dates.
    pub fn dates(&self) -> &[NaiveDate] {
        &self.dates
    }

    /// The selected goals (indices in the plan), in plan order.
    pub fn goals(&self) -> &[usize] {
        &self.goals
    }

    /// The selected units, in registry order.
    pub fn units(&self) -> &[UnitId] {
        &self.units
    }

    /// The histories of one unit.
    pub fn unit(&self, u: UnitId) -> UnitHistory {
        self.unit_with(&mut self.state(), u)
    }

    /// Per segment, a memoized engine and a columnar evaluator of the segment's dates. Memos
    /// are keyed by unit, so a thread keeps its engines from unit to unit: a province's
    /// aggregates then find the values its communes' rates already computed, and a unit starts
    /// without allocating memos.
    fn state(&self) -> State<'_> {
        let last = self.segments.len().saturating_sub(1);
        let mut from: usize = 0;
        let mut state = Vec::with_capacity(self.segments.len());
        for (i, (data, n)) in self.segments.iter().enumerate() {
            // Dates not covered by a segment are judged on the last segment's data.
            let to = if i == last {
                self.dates.len()
            } else {
                from.saturating_add(*n).min(self.dates.len())
            };
            let dates = self.dates.get(from..to).unwrap_or_default();
            from = to;
            state.push((
                Engine::memoized(self.c, data, self.registry),
                Columns::new(self.c, data, self.registry, dates),
            ));
        }
        state
    }

    /// The histories of unit `u`, evaluated with `state` (one engine and one columnar
    /// evaluator per segment).
    fn unit_with(&self, state: &mut State<'_>, u: UnitId) -> UnitHistory {
        let probe = Engine::new(self.c, self.first_data(), self.registry);
        let mut series: Vec<Series> = self
            .goals
            .iter()
            .filter(|&&g| probe.applies(g, u))
            .map(|&g| Series {
                goal: g,
                steps: Vec::with_capacity(self.dates.len()),
            })
            .collect();
        for (engine, cols) in state.iter_mut() {
            cols.start();
            let dates = cols.dates();
            for s in &mut series {
                if self.columnar.get(s.goal).copied().unwrap_or(false) {
                    cols.goal(s.goal, u, &mut s.steps);
                    continue;
                }
                for &t in dates {
                    let out = engine.goal_step(s.goal, u, t);
                    s.steps.push(Step {
                        status: out.status,
                        actual: out.actual,
                        period: out.period,
                    });
                }
            }
        }
        UnitHistory { unit: u, series }
    }

    /// Runs the history: units are evaluated in parallel, a block at a time, and each block's
    /// histories are passed to `sink` in registry order, while the next block is computed.
    /// Stops at the first error of `sink`.
    pub fn run<E: Send>(
        &self,
        mut sink: impl FnMut(&[UnitHistory]) -> Result<(), E> + Send,
    ) -> Result<(), E> {
        let mut pending: Option<Vec<UnitHistory>> = None;
        for block in self.units.chunks(BLOCK) {
            let (done, written) = rayon::join(
                || {
                    block
                        .par_iter()
                        .map_init(|| self.state(), |state, &u| self.unit_with(state, u))
                        .collect::<Vec<_>>()
                },
                || pending.take().map_or(Ok(()), |p| sink(&p)),
            );
            written?;
            pending = Some(done);
        }
        pending.map_or(Ok(()), |p| sink(&p))
    }
}
