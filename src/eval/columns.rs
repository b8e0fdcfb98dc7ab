//! The history's columnar evaluator: a unit's goals evaluated at every date of a history at
//! once, node by node over vectors of values, one per date.
//!
//! The tree-walking [`Engine`] evaluates a goal once per date and finds each indicator's value
//! by searching its series (through a memo). Here each indicator a unit reads is computed once
//! for all dates, as a column of (value, period), by one sweep over its series; a formula is
//! divided once per period whose inputs are settled. A rule is then evaluated node by node on
//! columns, and each date's status is decided by the engine's own
//! [`decide`](Engine::decide) from the columns' values. The results are the engine's: every
//! node computes, date by date, what [`Engine::eval`] computes (tested against it in
//! `tests/history_columns.rs`). Nodes this evaluator does not cover (`previous`, assigned
//! targets, `value`/`baseline` of anything but an indicator, an aggregate inside an
//! aggregate) and goals with `missing_units: not_met` are left to the engine, goal by goal.

use super::compile::{Compiled, N, Node};
use super::engine::{
    Engine, Fault, NoTrace, RoundedCmp, Val, When, arith, arith_num, both, compare, holds, later,
    round_display, tally,
};
use super::history::Step;
use super::status::{
    Direction, Ends, beside_fixed, fixed28, interpolate, num, on_trajectory, plain_status, side,
    trajectory,
};
use crate::data::{Dataset, Point, UnitId, Units};
use crate::period::Period;
use crate::plan::{Better, MissingUnits, Unit};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::cell::Cell;
use std::cmp::Ordering;

/// How many units' columns are kept, from unit to unit: the units of a stretch of the registry
/// and those their aggregates read (a province's communes, read by its aggregates, are then
/// not computed again when the commune is judged). The oldest slot makes room, which bounds the
/// memory of an aggregate over very many units.
const SLOTS: usize = 128;

/// Whether goal `g` is evaluated by columns (else by the engine, date by date).
pub(crate) fn covers(c: &Compiled, g: usize) -> bool {
    let Some(goal) = c.goals.get(g) else {
        return false;
    };
    // A strict goal asks, at each date, whether an aggregate left out units without data: the
    // engine's `Coverage` trace answers that.
    let strict = c
        .plan
        .goals
        .get(g)
        .is_some_and(|goal| goal.missing_units == MissingUnits::NotMet);
    if strict || !node_covered(c, goal.rule, false) {
        return false;
    }
    let measured = |m: Option<super::compile::Measure>| {
        m.is_none_or(|m| node_covered(c, m.m, false) && node_covered(c, m.g, false))
    };
    measured(goal.measure) && goal.milestones.iter().all(|ms| measured(ms.measure))
}

/// Whether node `n` (inside an aggregate's argument: `nested`) is evaluated here.
fn node_covered(c: &Compiled, n: N, nested: bool) -> bool {
    match *c.node(n) {
        Node::Num(_) | Node::Bool(_) | Node::Ind { .. } | Node::Improve(..) => true,
        Node::Assigned { .. } | Node::Previous(_) => false,
        Node::At(x, _) | Node::Change(x, _) => matches!(c.node(x), Node::Ind { .. }),
        Node::Agg { arg, .. } => !nested && arg.is_none_or(|a| node_covered(c, a, true)),
        ref node => super::compile::children(node, c)
            .into_iter()
            .all(|x| node_covered(c, x, nested)),
    }
}

/// An indicator's value and period at every date, for one unit.
#[derive(Default)]
struct Column<'a> {
    /// The stamp of its slot when it was computed (stale when the slot has another).
    stamp: u32,
    /// Whether it is a measured indicator's: then its values are its current points.
    measured: bool,
    /// A measured indicator's current point at each date, and whether it is its period's last
    /// snapshot (then its period's value is settled from the day it is visible).
    points: Vec<Option<&'a Point>>,
    last: Vec<bool>,
    /// A formula's values and periods.
    vals: Vec<Val>,
    periods: Vec<Option<Period>>,
}

impl Column<'_> {
    /// The values at every date: one of the two vectors is empty, so that the loop over the
    /// other asks neither which it is nor whether `k` is inside, date after date.
    fn vals(&self) -> impl Iterator<Item = Val> + '_ {
        let (points, vals) = if self.measured {
            (&self.points[..], &[][..])
        } else {
            (&[][..], &self.vals[..])
        };
        let point = |p: &Option<&Point>| p.map_or(Val::Missing, |p| Val::Num(p.value()));
        points.iter().map(point).chain(vals.iter().copied())
    }

    /// The periods at every date (as [`vals`](Self::vals)).
    fn periods(&self) -> impl Iterator<Item = Option<Period>> + '_ {
        let (points, periods) = if self.measured {
            (&self.points[..], &[][..])
        } else {
            (&[][..], &self.periods[..])
        };
        let period = |p: &Option<&Point>| p.map(Point::period);
        points.iter().map(period).chain(periods.iter().copied())
    }
}

/// An operand of a [`Ratio`].
#[derive(Clone, Copy)]
enum Operand {
    /// A measured indicator.
    Ind(u32),
    Num(Decimal),
}

/// A formula `a op b` of measured indicators and literals (`online / total`), computed from
/// its inputs' columns where they are current at the same period.
#[derive(Clone, Copy)]
struct Ratio {
    op: crate::syntax::BinaryOp,
    a: Operand,
    b: Operand,
    node: N,
}

impl Ratio {
    fn of(c: &Compiled, f: N) -> Option<Ratio> {
        let Node::Arith(op, a, b) = *c.node(f) else {
            return None;
        };
        let operand = |n: N| match *c.node(n) {
            Node::Num(x) => Some(Operand::Num(x)),
            Node::Ind { ind, round: None } => c
                .indicator(ind)
                .filter(|i| i.formula.is_none())
                .map(|_| Operand::Ind(ind)),
            _ => None,
        };
        Some(Ratio {
            op,
            a: operand(a)?,
            b: operand(b)?,
            node: f,
        })
    }
}

/// The columnar evaluator of one stretch of a history's dates on one dataset; a thread keeps
/// it from unit to unit, so that its buffers are allocated once.
pub(crate) struct Columns<'a> {
    c: &'a Compiled,
    data: &'a Dataset,
    units: &'a Units,
    /// Formulas for one period, baselines, and the status of each date.
    engine: Engine<'a>,
    dates: &'a [NaiveDate],
    /// The dates as day numbers, for trajectories.
    days: Vec<i64>,
    /// Whether the dates rise (a history's month ends do).
    rising: bool,
    /// The trajectory of the goal being judged, when its points are the same at every date.
    track: Track,
    /// Bumped for each unit evaluated: names the aggregates kept for it.
    generation: u32,
    /// Per unit (by index): the slot of its columns, if it still has it.
    slot_of: Vec<u32>,
    /// Per slot, one column per indicator.
    slots: Vec<Vec<Column<'a>>>,
    /// Per slot, the unit it holds (by index) and the stamp it was given with.
    owners: Vec<(u32, u32)>,
    /// The slot given next (the oldest), and the last stamp given.
    next: usize,
    stamp: u32,
    /// A column of missing values, for indicators that do not exist.
    missing: Column<'a>,
    /// Buffers, taken and given back around each node's evaluation.
    vals: Vec<Vec<Val>>,
    periods: Vec<Vec<Option<Period>>>,
    flags: Vec<Vec<bool>>,
    /// An aggregate's values of every unit at every date, and one date's sample.
    matrix: Vec<Val>,
    sample: Vec<Decimal>,
    /// Milestone targets of the goal being judged, one column per milestone.
    targets: Vec<Val>,
    /// The last aggregates evaluated for the unit (node, generation, values): a rule and its
    /// measure share one.
    aggregates: Vec<(N, u32, Vec<Val>)>,
}

/// How many aggregates' values [`Columns`] keeps.
const AGGREGATES: usize = 4;

impl<'a> Columns<'a> {
    /// An evaluator of `dates` (of one stretch of a history) on `data`.
    pub(crate) fn new(
        c: &'a Compiled,
        data: &'a Dataset,
        units: &'a Units,
        dates: &'a [NaiveDate],
    ) -> Columns<'a> {
        Columns {
            c,
            data,
            units,
            engine: Engine::new(c, data, units),
            dates,
            days: dates.iter().map(|t| day(*t)).collect(),
            rising: dates.is_sorted(),
            track: Track::default(),
            generation: 0,
            slot_of: vec![u32::MAX; units.len()],
            slots: Vec::new(),
            owners: Vec::new(),
            next: 0,
            stamp: 0,
            missing: Column {
                vals: vec![Val::Missing; dates.len()],
                periods: vec![None; dates.len()],
                ..Column::default()
            },
            vals: Vec::new(),
            periods: Vec::new(),
            flags: Vec::new(),
            matrix: Vec::new(),
            sample: Vec::new(),
            targets: Vec::new(),
            aggregates: Vec::new(),
        }
    }

    /// The dates it evaluates.
    pub(crate) fn dates(&self) -> &'a [NaiveDate] {
        self.dates
    }

    /// Starts a unit (its aggregates are computed for it; columns, which do not depend on the
    /// unit judged, are kept).
    pub(crate) fn start(&mut self) {
        self.generation = self.generation.wrapping_add(1);
    }

    /// Appends goal `g`'s steps for unit `u` at every date to `steps` (the goal must be
    /// [covered](covers) and apply to the unit).
    pub(crate) fn goal(&mut self, g: usize, u: UnitId, steps: &mut Vec<Step>) {
        let c = self.c;
        let Some(goal) = c.goals.get(g) else {
            return;
        };
        let d = self.dates.len();
        let mut rule = self.take_vals();
        self.eval(goal.rule, u, &mut rule);
        let (mut actual, mut periods, mut target) =
            (self.take_vals(), self.take_periods(), self.take_vals());
        if let Some(m) = goal.measure {
            self.eval(m.m, u, &mut actual);
            self.latest(m.m, u, &mut periods);
            self.eval(m.g, u, &mut target);
        } else {
            actual.resize(d, Val::Missing);
            periods.resize(d, None);
            target.resize(d, Val::Missing);
        }
        // The milestones' targets, one column each, in the order of the goal's milestones.
        let mut targets = std::mem::take(&mut self.targets);
        targets.clear();
        let mut column = self.take_vals();
        for ms in &goal.milestones {
            if let Some(m) = ms.measure {
                self.eval(m.g, u, &mut column);
                targets.extend_from_slice(&column);
            }
        }
        self.give_vals(column);
        // The measure at the end of the baseline period does not depend on the date.
        let baseline: Cell<Option<Option<Decimal>>> = Cell::new(None);
        let engine = &self.engine;
        let base = || {
            if let Some(b) = baseline.get() {
                return b;
            }
            let b = goal
                .measure
                .zip(engine.baseline_end)
                .and_then(|(m, end)| num(engine.eval(m.m, u, When::Now(end), &mut NoTrace)));
            baseline.set(Some(b));
            b
        };
        // A target and milestone targets that are the same at every date (as decimals, scale
        // included) make the same trajectory at every date: built once. A literal is, without
        // looking at its column.
        let constant = |m: Option<super::compile::Measure>, col: &[Val]| {
            m.is_none_or(|m| matches!(c.node(m.g), Node::Num(_)))
                || col
                    .windows(2)
                    .all(|w| matches!(w, [x, y] if identical(*x, *y)))
        };
        let mut each = targets.chunks(d.max(1));
        let fixed = constant(goal.measure, &target)
            && (goal.milestones.iter())
                .filter_map(|ms| ms.measure)
                .all(|m| each.next().is_none_or(|col| constant(Some(m), col)));
        let track = &mut self.track;
        track.key = None;
        let dates = self
            .dates
            .iter()
            .zip(&self.days)
            .zip(&rule)
            .zip(&actual)
            .zip(&periods);
        for (k, (((((&t, &day), &holds), &a), &period), &tg)) in dates.zip(&target).enumerate() {
            // The engine's `decide` without the outcome's other fields: the status, and the
            // measured value and its period (none without a measure).
            let status = match plain_status(holds, goal.deadline, t) {
                Ok(status) => status,
                Err(deadline) => {
                    let milestones = |dir, points: &mut Vec<(NaiveDate, Decimal)>| {
                        let with = goal
                            .milestones
                            .iter()
                            .filter_map(|ms| ms.measure.map(|m| (ms, m)));
                        for (j, (ms, m)) in with.enumerate() {
                            let target = targets.get(j * d + k).copied().and_then(num);
                            if let Some(x) = target
                                && m.op_direction() == Some(dir)
                            {
                                points.push((ms.deadline, x));
                            }
                        }
                    };
                    let judge = |dir, ends: Ends, a| {
                        if fixed {
                            if track.key != Some(dir) {
                                track.build(dir, ends, |points| milestones(dir, points));
                            }
                            return track.side(t, day, a);
                        }
                        let mut points = engine.points.take();
                        trajectory(&mut points, ends, |points| milestones(dir, points));
                        let judged = side(&points, t, a, false);
                        engine.points.set(points);
                        judged
                    };
                    let (trajectory, b, g, dir) = match goal.measure {
                        Some(m) => {
                            let (b, g) = (base(), num(tg));
                            (m.target_fixed && m.measure_moves, b, g, m.direction(b, g))
                        }
                        None => (false, None, None, None),
                    };
                    let start = engine.baseline_end.zip(b);
                    let ends = (deadline, g);
                    on_trajectory(trajectory, start, ends, num(a), dir, t, judge).0
                }
            };
            steps.push(Step {
                status,
                actual: goal.measure.and(num(a)),
                period: goal.measure.and(period),
            });
        }
        self.targets = targets;
        self.give_vals(rule);
        self.give_vals(actual);
        self.give_periods(periods);
        self.give_vals(target);
    }

    fn take_vals(&mut self) -> Vec<Val> {
        self.vals.pop().unwrap_or_default()
    }

    fn give_vals(&mut self, v: Vec<Val>) {
        self.vals.push(v);
    }

    fn take_periods(&mut self) -> Vec<Option<Period>> {
        self.periods.pop().unwrap_or_default()
    }

    fn give_periods(&mut self, v: Vec<Option<Period>>) {
        self.periods.push(v);
    }

    /// The slot of unit `u`'s columns, given the oldest one if it has none.
    fn slot(&mut self, u: UnitId) -> Option<usize> {
        let unit = u32::try_from(u.index()).ok()?;
        let held = *self.slot_of.get(u.index())? as usize;
        if self.owners.get(held).is_some_and(|o| o.0 == unit) {
            return Some(held);
        }
        let slot = self.next;
        self.next = (self.next + 1) % SLOTS;
        if self.slots.len() <= slot {
            self.slots.push(Vec::new());
            self.owners.push((u32::MAX, 0));
        }
        let columns = self.slots.get_mut(slot)?;
        columns.resize_with(self.c.indicators.len(), Column::default);
        // A new stamp makes the slot's columns (another unit's) stale; 0 is a new column's.
        self.stamp = self.stamp.checked_add(1).unwrap_or(1);
        *self.owners.get_mut(slot)? = (unit, self.stamp);
        *self.slot_of.get_mut(u.index())? = u32::try_from(slot).ok()?;
        Some(slot)
    }

    /// The stamp of `slot`'s columns.
    fn stamp_of(&self, slot: usize) -> u32 {
        self.owners.get(slot).map_or(0, |o| o.1)
    }

    /// Indicator `i`'s column for unit `u`, computed if it is not yet.
    fn column(&mut self, i: u32, u: UnitId) -> &Column<'a> {
        let ready = self.slot(u).and_then(|slot| {
            let stamp = self.stamp_of(slot);
            let fresh = self
                .slots
                .get(slot)?
                .get(i as usize)
                .is_some_and(|col| col.stamp == stamp);
            if !fresh {
                self.compute(i, u, slot);
            }
            Some((slot, stamp))
        });
        ready
            .and_then(|(slot, stamp)| {
                let col = self.slots.get(slot)?.get(i as usize)?;
                (col.stamp == stamp).then_some(col)
            })
            .unwrap_or(&self.missing)
    }

    /// Computes indicator `i`'s column for unit `u` into `slot`: what
    /// [`Engine::ind`] gives for `When::Now` at each date.
    fn compute(&mut self, i: u32, u: UnitId, slot: usize) {
        let Some(mut col) = self
            .slots
            .get_mut(slot)
            .and_then(|s| s.get_mut(i as usize))
            .map(std::mem::take)
        else {
            return;
        };
        col.vals.clear();
        col.periods.clear();
        col.points.clear();
        col.last.clear();
        col.measured = false;
        col.stamp = self.stamp_of(slot);
        let c = self.c;
        // One allocation for a new slot's column, not one per doubling.
        let d = self.dates.len();
        match c.indicator(i).map(|info| info.formula) {
            Some(None) => {
                col.points.reserve(d);
                col.last.reserve(d);
            }
            _ => {
                col.vals.reserve(d);
                col.periods.reserve(d);
            }
        }
        match c.indicator(i) {
            None => {
                col.vals.resize(self.dates.len(), Val::Missing);
                col.periods.resize(self.dates.len(), None);
            }
            Some(info) => match info.formula {
                None => {
                    col.measured = true;
                    let Column { points, last, .. } = &mut col;
                    self.data
                        .current_each(i as usize, u, self.dates, |pt, is_last| {
                            points.push(pt);
                            last.push(is_last);
                        });
                }
                Some(f) => {
                    for &x in &info.inputs {
                        // The inputs are measured indicators: computing them takes no new slot.
                        self.column(x, u);
                    }
                    match Ratio::of(c, f) {
                        Some(r) => self.ratio_column(i, f, r, u, slot, &mut col),
                        None => self.formula_column(i, f, u, slot, &mut col),
                    }
                }
            },
        }
        if let Some(place) = self.slots.get_mut(slot).and_then(|s| s.get_mut(i as usize)) {
            *place = col;
        }
    }

    /// Measured indicator `x`'s current point at date `k`, from its column in `slot`.
    fn point(&self, slot: usize, x: u32, k: usize) -> Option<&'a Point> {
        let col = self.slots.get(slot)?.get(x as usize)?;
        col.points.get(k).copied().flatten()
    }

    /// A formula's column, into `col`: its value at each date for the latest period of its
    /// inputs' current values (periods compared by their packed order), as the engine reads
    /// it, kept while its inputs are settled.
    fn formula_column(&self, i: u32, f: N, u: UnitId, slot: usize, col: &mut Column<'a>) {
        let inputs = self.c.indicator(i).map_or(&[][..], |info| &info.inputs);
        let mut kept: Option<(u32, NaiveDate, Val)> = None;
        for (k, &t) in self.dates.iter().enumerate() {
            let mut best: Option<&Point> = None;
            for &x in inputs {
                if let Some(pt) = self.point(slot, x, k)
                    && best.is_none_or(|b| pt.period_order() > b.period_order())
                {
                    best = Some(pt);
                }
            }
            let (v, p) = match best {
                Some(best) => self.for_period(i, f, u, t, best, &mut kept),
                None => (Val::Missing, None),
            };
            col.vals.push(v);
            col.periods.push(p);
        }
    }

    /// A ratio's column (`a op b` of measured indicators and literals), into `col`: what
    /// [`formula_column`](Self::formula_column) gives, its inputs' points read from their
    /// columns' vectors and, where they are all of the latest period, computed from them
    /// (divided once per period while they are settled); else read by the engine.
    fn ratio_column(&self, i: u32, f: N, r: Ratio, u: UnitId, slot: usize, col: &mut Column<'a>) {
        let Some(cols) = self.slots.get(slot) else {
            return;
        };
        // An operand's current points and whether each is its period's last snapshot (`None`:
        // a literal).
        let input = |o: Operand| match o {
            Operand::Ind(x) => cols.get(x as usize).map(|c| (&c.points[..], &c.last[..])),
            Operand::Num(_) => None,
        };
        let (ia, ib) = (input(r.a), input(r.b));
        let at = |side: Option<(&[Option<&'a Point>], &[bool])>, k: usize| {
            side.map(|(points, last)| {
                let point = points.get(k).copied().flatten();
                (
                    point,
                    point.is_some() && last.get(k).copied().unwrap_or(false),
                )
            })
        };
        let mut kept: Option<(u32, NaiveDate, Val)> = None;
        for (k, &t) in self.dates.iter().enumerate() {
            let (pa, pb) = (at(ia, k), at(ib, k));
            // The latest period of the inputs' current points (the inputs are the operands).
            let best = match (pa.and_then(|p| p.0), pb.and_then(|p| p.0)) {
                (Some(x), Some(y)) if y.period_order() > x.period_order() => Some(y),
                (Some(x), _) => Some(x),
                (None, y) => y,
            };
            let Some(best) = best else {
                col.vals.push(Val::Missing);
                col.periods.push(None);
                continue;
            };
            let key = best.period_order();
            if let Some((q, from, v)) = kept
                && q == key
                && from <= t
                && v != Val::Missing
            {
                col.vals.push(v);
                col.periods.push(Some(best.period()));
                continue;
            }
            // Each operand's value when every input's current point is of that period, and
            // the day their values are settled from (`None`: a later snapshot may change one).
            let mut from = Some(NaiveDate::MIN);
            let mut value = |side: Option<(Option<&Point>, bool)>, o: Operand| match (side, o) {
                (None, Operand::Num(x)) => Some(x),
                (Some((Some(pt), last)), _) if pt.period_order() == key => {
                    from = from.filter(|_| last).map(|f| f.max(pt.visible_from()));
                    Some(pt.value())
                }
                _ => None,
            };
            let (va, vb) = (value(pa, r.a), value(pb, r.b));
            let (v, p) = match (va, vb) {
                (Some(x), Some(y)) => {
                    let v = self.engine.on_zero(i, arith_num(r.op, x, y, r.node));
                    if let Some(from) = from {
                        kept = Some((key, from, v));
                    }
                    if v == Val::Missing {
                        self.engine.ind_now(i, u, When::Now(t))
                    } else {
                        (v, Some(best.period()))
                    }
                }
                _ => self.for_period(i, f, u, t, best, &mut kept),
            };
            col.vals.push(v);
            col.periods.push(p);
        }
    }

    /// Formula `f` of indicator `i` at date `t` for the period of `best` (the latest of its
    /// inputs' current points), read by the engine, or `kept` while its inputs are settled;
    /// when it has no value for that period, the engine looks further back.
    fn for_period(
        &self,
        i: u32,
        f: N,
        u: UnitId,
        t: NaiveDate,
        best: &Point,
        kept: &mut Option<(u32, NaiveDate, Val)>,
    ) -> (Val, Option<Period>) {
        let (key, p) = (best.period_order(), best.period());
        let v = match *kept {
            Some((q, from, v)) if q == key && from <= t => v,
            _ => {
                let v = self.engine.formula(i, f, u, When::In(p, t));
                if let Some(info) = self.c.indicator(i)
                    && info.settles
                {
                    let from = self.settled(&info.inputs, u, p);
                    if from <= t {
                        *kept = Some((key, from, v));
                    }
                }
                v
            }
        };
        if v == Val::Missing {
            // No value for the latest period: the engine looks further back.
            self.engine.ind_now(i, u, When::Now(t))
        } else {
            (v, Some(p))
        }
    }

    /// The day from which every input's value for period `p` no longer changes (see
    /// `Dataset::settled_from`).
    fn settled(&self, inputs: &[u32], u: UnitId, p: Period) -> NaiveDate {
        inputs
            .iter()
            .filter_map(|&x| self.data.settled_from(x as usize, u, p))
            .max()
            .unwrap_or(NaiveDate::MIN)
    }

    /// Indicator `i`'s values for period `p` as known at each date (`value(i, p)`), rounded to
    /// `round` places when given, into `out`.
    fn at(&mut self, i: u32, round: Option<u32>, p: Period, u: UnitId, out: &mut Vec<Val>) {
        out.clear();
        let info = self.c.indicator(i);
        // From this day on, the value no longer changes; before it, it is read at each date.
        let from = match info {
            Some(info) if info.formula.is_none() => self.data.settled_from(i as usize, u, p),
            Some(info) if info.settles => Some(self.settled(&info.inputs, u, p)),
            _ => None,
        };
        let mut last: Option<(NaiveDate, Val)> = None;
        let unit = info.map(|i| i.unit);
        // The value rounded at the date before: a settled value is rounded once.
        let mut before: Option<(Val, Val)> = None;
        for &t in self.dates {
            let v = match (last, from) {
                (Some((s, v)), Some(from)) if from <= s && from <= t => v,
                _ => self.engine.ind_now(i, u, When::In(p, t)).0,
            };
            last = Some((t, v));
            let r = match before {
                Some((b, r)) if identical(b, v) => r,
                _ => rounded(v, round, unit),
            };
            before = Some((v, r));
            out.push(r);
            if self.rising && from.is_some_and(|from| from <= t) {
                // Settled by this date: so at every later one, which the dates rise to.
                out.resize(self.dates.len(), r);
                break;
            }
        }
    }

    /// Node `n`'s value for unit `u` at each date, into `out`: what [`Engine::eval`] gives for
    /// `When::Now` at each date.
    fn eval(&mut self, n: N, u: UnitId, out: &mut Vec<Val>) {
        out.clear();
        let c = self.c;
        let d = self.dates.len();
        match *c.node(n) {
            Node::Num(x) => out.resize(d, Val::Num(x)),
            Node::Bool(b) => out.resize(d, Val::Bool(b)),
            Node::Ind { ind, round } => {
                let unit = c.indicator(ind).map(|i| i.unit);
                let col = self.column(ind, u);
                if round.is_some() {
                    out.extend(col.vals().map(|v| rounded(v, round, unit)));
                } else {
                    out.extend(col.vals());
                }
            }
            Node::Neg(x) => {
                self.eval(x, u, out);
                for v in out.iter_mut() {
                    if let Val::Num(x) = *v {
                        *v = Val::Num(-x);
                    }
                }
            }
            Node::Not(x) => {
                self.eval(x, u, out);
                for v in out.iter_mut() {
                    if let Val::Bool(b) = *v {
                        *v = Val::Bool(!b);
                    }
                }
            }
            Node::Places(f, x, places) => {
                self.eval(x, u, out);
                for v in out.iter_mut() {
                    if let Val::Num(x) = *v {
                        *v = Val::Num(f(x, places));
                    }
                }
            }
            Node::Arith(op, a, b) => {
                self.eval(a, u, out);
                let mut right = self.take_vals();
                self.eval(b, u, &mut right);
                // Operands identical to the date before's give its result again: a constant
                // side (`100% - 30%`, a settled baseline) is computed once, not at every date.
                let mut before: Option<(Val, Val, Val)> = None;
                for (v, &r) in out.iter_mut().zip(&right) {
                    let l = *v;
                    *v = match before {
                        Some((bl, br, x)) if identical(bl, l) && identical(br, r) => x,
                        _ => arith(op, l, r, n),
                    };
                    before = Some((l, r, *v));
                }
                self.give_vals(right);
            }
            Node::And(a, b) | Node::Or(a, b) => {
                let decisive = matches!(c.node(n), Node::Or(..));
                self.eval(a, u, out);
                let mut right = self.take_vals();
                self.eval(b, u, &mut right);
                for (v, &r) in out.iter_mut().zip(&right) {
                    let l = *v;
                    *v = if l == Val::Bool(decisive) {
                        l
                    } else if r == Val::Bool(decisive) {
                        r
                    } else {
                        match (l, r) {
                            (e @ Val::Error(..), _) | (_, e @ Val::Error(..)) => e,
                            (Val::Bool(_), Val::Bool(_)) => Val::Bool(!decisive),
                            _ => Val::Missing,
                        }
                    };
                }
                self.give_vals(right);
            }
            Node::Cmp { first, start, len } => self.compare(first, c.links(start, len), u, out),
            Node::Fold { fold, start, len } => {
                let mut arg = self.take_vals();
                for (j, &a) in c.args(start, len).iter().enumerate() {
                    self.eval(a, u, &mut arg);
                    if j == 0 {
                        out.extend(arg.iter().map(|&v| match v {
                            Val::Num(x) => Val::Num(fold(None, x)),
                            e @ Val::Error(..) => e,
                            _ => Val::Missing,
                        }));
                        continue;
                    }
                    // A date whose accumulator is not a number is decided already.
                    for (acc, &v) in out.iter_mut().zip(&arg) {
                        if let Val::Num(sofar) = *acc {
                            *acc = match v {
                                Val::Num(x) => Val::Num(fold(Some(sofar), x)),
                                e @ Val::Error(..) => e,
                                _ => Val::Missing,
                            };
                        }
                    }
                }
                out.resize(d, Val::Missing);
                self.give_vals(arg);
            }
            Node::Coalesce { start, len } => {
                out.resize(d, Val::Missing);
                let mut arg = self.take_vals();
                for &a in c.args(start, len) {
                    self.eval(a, u, &mut arg);
                    for (v, &x) in out.iter_mut().zip(&arg) {
                        if *v == Val::Missing {
                            *v = x;
                        }
                    }
                }
                self.give_vals(arg);
            }
            Node::If(cond, a, b) => {
                self.eval(cond, u, out);
                let (mut yes, mut no) = (self.take_vals(), self.take_vals());
                self.eval(a, u, &mut yes);
                self.eval(b, u, &mut no);
                for ((v, &y), &x) in out.iter_mut().zip(&yes).zip(&no) {
                    match *v {
                        Val::Bool(true) => *v = y,
                        Val::Bool(false) => *v = x,
                        _ => {}
                    }
                }
                self.give_vals(yes);
                self.give_vals(no);
            }
            Node::At(x, p) => match *c.node(x) {
                Node::Ind { ind, round } => self.at(ind, round, p, u, out),
                _ => out.resize(d, Val::Missing),
            },
            Node::Change(x, p) => {
                let Node::Ind { ind, round } = *c.node(x) else {
                    out.resize(d, Val::Missing);
                    return;
                };
                self.eval(x, u, out);
                let mut base = self.take_vals();
                self.at(ind, round, p, u, &mut base);
                for (v, &b) in out.iter_mut().zip(&base) {
                    *v = match both(*v, b) {
                        Ok((a, b)) => a
                            .checked_sub(b)
                            .map_or(Val::Error(Fault::Overflow, n), Val::Num),
                        Err(v) => v,
                    };
                }
                self.give_vals(base);
            }
            Node::Improve(i, p) => {
                let higher = c.indicator(i).is_none_or(|x| x.better == Better::Higher);
                let mut base = self.take_vals();
                self.at(i, None, p, u, &mut base);
                let col = self.column(i, u);
                // The baseline in fixed point, computed again only when it changes.
                let mut before: Option<(u128, Option<i128>)> = None;
                out.extend(col.vals().zip(&base).map(|(now, &b)| match both(now, b) {
                    Ok((a, b)) => {
                        let fixed_b = match before {
                            Some((bb, f)) if bb == bits(b) => f,
                            _ => fixed28(b),
                        };
                        before = Some((bits(b), fixed_b));
                        let ord = order(a, b, fixed_b);
                        Val::Bool(if higher { ord.is_gt() } else { ord.is_lt() })
                    }
                    Err(v) => v,
                }));
                self.give_vals(base);
            }
            Node::Agg { agg, kind, arg, .. } => {
                let below = self.units.descendants_of_kind(u, kind as usize);
                let total = u32::try_from(below.len()).unwrap_or(u32::MAX);
                let Some(arg) = arg else {
                    // Only a count omits its second argument: it counts the units.
                    out.resize(d, Val::Num(Decimal::from(total)));
                    return;
                };
                // Aggregates are evaluated for the unit being judged only (not inside
                // another aggregate), so a node and the generation name its values.
                let generation = self.generation;
                let kept = self
                    .aggregates
                    .iter()
                    .find(|a| a.0 == n && a.1 == generation);
                if let Some((_, _, values)) = kept {
                    out.extend_from_slice(values);
                    return;
                }
                // Every unit's values at every date, a row per unit.
                let mut matrix = std::mem::take(&mut self.matrix);
                matrix.clear();
                let mut row = self.take_vals();
                for &child in below {
                    self.eval(arg, child, &mut row);
                    matrix.extend_from_slice(&row);
                }
                self.give_vals(row);
                let mut values = std::mem::take(&mut self.sample);
                for k in 0..d {
                    out.push(reduce(&matrix, d, k, n, agg, &mut values));
                }
                self.sample = values;
                self.matrix = matrix;
                // The oldest kept aggregate makes room (its vector is reused).
                let mut kept = if self.aggregates.len() < AGGREGATES {
                    (n, generation, Vec::new())
                } else {
                    self.aggregates.remove(0)
                };
                kept.0 = n;
                kept.1 = self.generation;
                kept.2.clear();
                kept.2.extend_from_slice(out);
                self.aggregates.push(kept);
            }
            Node::Assigned { .. } | Node::Previous(_) => out.resize(d, Val::Missing),
        }
    }

    /// A (chained) comparison at each date, as the engine's `Node::Cmp`.
    fn compare(
        &mut self,
        first: N,
        links: &[(crate::syntax::CmpOp, N)],
        u: UnitId,
        out: &mut Vec<Val>,
    ) {
        let c = self.c;
        let d = self.dates.len();
        // A rounded indicator against one operand: decided in integers where they decide,
        // as `Engine::rounded_cmp`, else by rounding.
        if let (
            &Node::Ind {
                ind,
                round: Some(places),
            },
            &[(op, operand)],
        ) = (c.node(first), links)
            && let Some(info) = c.indicator(ind)
        {
            let unit = info.unit;
            let shift = if unit == Unit::Percent {
                places.checked_add(2)
            } else {
                Some(places)
            };
            self.eval(operand, u, out);
            let col = self.column(ind, u);
            // The comparator of the operand at the date before (mostly a literal, the same
            // at every date), made again when it changes.
            let mut with: Option<(u128, RoundedCmp)> = None;
            for (v, x) in out.iter_mut().zip(col.vals()) {
                *v = match (x, *v) {
                    (Val::Num(x), Val::Num(y)) => {
                        let ord = shift.and_then(|s| {
                            let key = bits(y);
                            if with.as_ref().is_none_or(|w| w.0 != key) {
                                with = Some((key, RoundedCmp::new(s, y)));
                            }
                            with.as_mut().and_then(|w| w.1.cmp(x))
                        });
                        ord.map_or_else(
                            || compare(op, Val::Num(round_display(x, places, unit)), Val::Num(y)),
                            |ord| Val::Bool(holds(op, ord)),
                        )
                    }
                    (x, y) => compare(op, x, y),
                };
            }
            return;
        }
        let mut left = self.take_vals();
        self.eval(first, u, &mut left);
        out.resize(d, Val::Bool(true));
        let mut right = self.take_vals();
        for &(op, operand) in links {
            self.eval(operand, u, &mut right);
            for ((result, &l), &r) in out.iter_mut().zip(&left).zip(&right) {
                match (compare(op, l, r), *result) {
                    (e @ Val::Error(..), _) => *result = e,
                    (_, Val::Error(..)) => {}
                    (Val::Bool(false), _) => *result = Val::Bool(false),
                    (Val::Missing, Val::Bool(true)) => *result = Val::Missing,
                    _ => {}
                }
            }
            std::mem::swap(&mut left, &mut right);
        }
        self.give_vals(left);
        self.give_vals(right);
    }

    /// The latest period node `n`'s value reads at each date, into `out`: what the engine's
    /// `Latest` trace records while evaluating it (indicators read for current values, in the
    /// order and with the short cuts of evaluation; not those of `value`, `baseline`,
    /// aggregates).
    fn latest(&mut self, n: N, u: UnitId, out: &mut Vec<Option<Period>>) {
        out.clear();
        let c = self.c;
        let d = self.dates.len();
        match *c.node(n) {
            Node::Ind { ind, .. } | Node::Improve(ind, _) => {
                let col = self.column(ind, u);
                out.extend(col.periods());
            }
            Node::Neg(x) | Node::Not(x) | Node::Places(_, x, _) | Node::Change(x, _) => {
                self.latest(x, u, out);
            }
            Node::Arith(_, a, b) => {
                self.latest(a, u, out);
                self.merge(b, u, out, None);
            }
            Node::Cmp { first, start, len } => {
                self.latest(first, u, out);
                for &(_, operand) in c.links(start, len) {
                    self.merge(operand, u, out, None);
                }
            }
            Node::And(a, b) | Node::Or(a, b) => {
                let decisive = matches!(c.node(n), Node::Or(..));
                self.latest(a, u, out);
                let mut left = self.take_vals();
                self.eval(a, u, &mut left);
                let mut read: Vec<bool> = self.flags.pop().unwrap_or_default();
                read.clear();
                read.extend(left.iter().map(|&l| l != Val::Bool(decisive)));
                self.give_vals(left);
                self.merge(b, u, out, Some(&read));
                self.flags.push(read);
            }
            Node::Fold { start, len, .. } | Node::Coalesce { start, len } => {
                let fold = matches!(c.node(n), Node::Fold { .. });
                out.resize(d, None);
                // Whether evaluation still reads the next argument at each date.
                let mut read: Vec<bool> = self.flags.pop().unwrap_or_default();
                read.clear();
                read.resize(d, true);
                let mut arg = self.take_vals();
                for &a in c.args(start, len) {
                    self.merge(a, u, out, Some(&read));
                    self.eval(a, u, &mut arg);
                    for (r, &v) in read.iter_mut().zip(&arg) {
                        let stop = if fold {
                            !matches!(v, Val::Num(_))
                        } else {
                            v != Val::Missing
                        };
                        *r &= !stop;
                    }
                }
                self.give_vals(arg);
                self.flags.push(read);
            }
            Node::If(cond, a, b) => {
                self.latest(cond, u, out);
                let mut test = self.take_vals();
                self.eval(cond, u, &mut test);
                let mut read: Vec<bool> = self.flags.pop().unwrap_or_default();
                for (branch, when) in [(a, true), (b, false)] {
                    read.clear();
                    read.extend(test.iter().map(|&v| v == Val::Bool(when)));
                    self.merge(branch, u, out, Some(&read));
                }
                self.give_vals(test);
                self.flags.push(read);
            }
            Node::Num(_)
            | Node::Bool(_)
            | Node::At(..)
            | Node::Agg { .. }
            | Node::Assigned { .. }
            | Node::Previous(_) => out.resize(d, None),
        }
    }

    /// Merges node `n`'s latest periods into `out`, at the dates where `read` says evaluation
    /// reads it (every date: `None`).
    fn merge(&mut self, n: N, u: UnitId, out: &mut [Option<Period>], read: Option<&[bool]>) {
        let mut other = self.take_periods();
        self.latest(n, u, &mut other);
        for (k, (o, &p)) in out.iter_mut().zip(&other).enumerate() {
            if read.is_some_and(|r| r.get(k) != Some(&true)) {
                continue;
            }
            if let Some(p) = p
                && o.is_none_or(|q| later(p, q))
            {
                *o = Some(p);
            }
        }
        self.give_periods(other);
    }
}

/// A date's day number, for distances in days.
fn day(t: NaiveDate) -> i64 {
    i64::from(t.num_days_from_ce())
}

/// Whether two values are the same bits: a number to its scale and sign (`-0` is not `0`),
/// so that whatever is computed from one is what is computed from the other.
#[inline]
fn identical(x: Val, y: Val) -> bool {
    match (x, y) {
        // As one 128-bit word each: two register comparisons, not a comparison of byte arrays.
        (Val::Num(a), Val::Num(b)) => bits(a) == bits(b),
        _ => x == y,
    }
}

/// A decimal's bits as one 128-bit word: two are the same decimal when their words are equal
/// (compared in two register comparisons, not as byte arrays).
#[inline]
fn bits(x: Decimal) -> u128 {
    u128::from_le_bytes(x.serialize())
}

/// How `a` compares with `b`, given `b` in fixed point ([`fixed28`]`(b)`, computed once for a
/// `b` that does not change): as integers when both are below 10⁴ (`a`·10²⁸ and `b`·10²⁸
/// are exact), else as decimals, whose comparison rescales them at each call.
fn order(a: Decimal, b: Decimal, fixed_b: Option<i128>) -> Ordering {
    match (fixed28(a), fixed_b) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => a.cmp(&b),
    }
}

/// A trajectory whose points are the same at every date of a goal's history: its points, their
/// day numbers and their values in fixed point, computed once, so that a date's side costs a
/// few integer operations (`status::side` at each date, without building the points).
#[derive(Default)]
struct Track {
    /// The direction it was built for (`None`: not built for this goal).
    key: Option<Direction>,
    points: Vec<(NaiveDate, Decimal)>,
    days: Vec<i64>,
    fixed: Vec<Option<i128>>,
}

impl Track {
    fn build(
        &mut self,
        dir: Direction,
        ends: Ends,
        milestones: impl FnOnce(&mut Vec<(NaiveDate, Decimal)>),
    ) {
        trajectory(&mut self.points, ends, milestones);
        self.days.clear();
        self.days.extend(self.points.iter().map(|p| day(p.0)));
        self.fixed.clear();
        self.fixed.extend(self.points.iter().map(|p| fixed28(p.1)));
        self.key = Some(dir);
    }

    /// What `status::side` gives at `t` (day number `day`) for `a`, without detail.
    #[inline]
    fn side(&self, t: NaiveDate, day: i64, a: Decimal) -> (Option<Ordering>, Option<Decimal>) {
        let segment = self
            .days
            .windows(2)
            .position(|w| matches!(w, [x, y] if *x <= day && day <= *y));
        let quick = segment.and_then(|k| {
            let (d0, d1) = (self.days.get(k)?, self.days.get(k + 1)?);
            let (v0, v1) = (self.fixed.get(k)?, self.fixed.get(k + 1)?);
            beside_fixed(d1 - d0, day - d0, a, *v0, *v1)
        });
        if quick.is_some() {
            return (quick, None);
        }
        let expected = interpolate(&self.points, t);
        (expected.map(|e| a.cmp(&e)), expected)
    }
}

/// A value read with `round` places in its `unit`, as the engine's `Node::Ind`.
fn rounded(v: Val, round: Option<u32>, unit: Option<Unit>) -> Val {
    match (v, round, unit) {
        (Val::Num(x), Some(places), Some(unit)) => Val::Num(round_display(x, places, unit)),
        _ => v,
    }
}

/// An aggregate's value at date `k` from its units' values (`matrix`, a row of `d` dates per
/// unit, in the engine's order): the first error, else the reduction of those that have a
/// value, as the engine's `aggregate`.
fn reduce(
    matrix: &[Val],
    d: usize,
    k: usize,
    n: N,
    agg: &crate::syntax::functions::Aggregate,
    values: &mut Vec<Decimal>,
) -> Val {
    match tally(matrix.iter().skip(k).step_by(d.max(1)).copied(), values) {
        Ok((counted, hits)) => super::engine::reduce(agg, n, counted, hits, values),
        Err(e) => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]
        /// Decimals compared in fixed point are compared as decimals: any mantissa and scale,
        /// near each other or not, at and beyond the 10⁴ bound.
        #[test]
        fn fixed_point_order_is_the_decimal_order(
            m in proptest::num::i128::ANY, s in 0u32..=28,
            n in proptest::num::i128::ANY, t in 0u32..=28,
            near in proptest::bool::ANY,
        ) {
            let a = Decimal::try_from_i128_with_scale(m >> 32, s).unwrap_or_default();
            let b = if near {
                a.checked_add(Decimal::new(n as i64 % 3 - 1, t)).unwrap_or(a)
            } else {
                Decimal::try_from_i128_with_scale(n >> 32, t).unwrap_or_default()
            };
            proptest::prop_assert_eq!(order(a, b, fixed28(b)), a.cmp(&b), "{} {}", a, b);
        }
    }
}
