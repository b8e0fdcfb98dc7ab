//! The evaluator: a compiled node, a unit and a moment in, a value out.
//!
//! Values are exact decimals, conditions, *missing* (no data) or an *error* (overflow, division
//! by zero). Missing propagates through arithmetic and comparisons; `and`/`or` follow
//! three-valued logic; `coalesce` takes the first value present. Nothing here allocates.

use super::compile::{Compiled, N, Node};
use crate::data::{Dataset, UnitId, Units};
use crate::period::Period;
use crate::plan::{Better, OnZero, Unit};
use crate::quantity::{self, round};
use crate::syntax::functions::{Aggregate, Reduced, Sample};
use crate::syntax::{BinaryOp, CmpOp};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::cell::{Cell, RefCell};

/// Why an evaluation failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// A result too large for a decimal.
    Overflow,
    /// A division by zero that no `on_zero` covers.
    DivisionByZero,
}

/// The value of an expression.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Val {
    /// A number (a percent as its fraction).
    Num(Decimal),
    /// A condition's truth.
    Bool(bool),
    /// No data.
    Missing,
    /// Evaluation failed at this node.
    Error(Fault, u32),
}

/// The moment of an evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum When {
    /// Current values as of a date.
    Now(NaiveDate),
    /// Values of one period, as known at a date.
    In(Period, NaiveDate),
}

impl When {
    fn known(self) -> NaiveDate {
        match self {
            When::Now(t) | When::In(_, t) => t,
        }
    }
}

/// What an evaluation saw, for explanations. The fast path uses [`NoTrace`].
pub(crate) trait Trace {
    fn ind(&mut self, _node: N, _ind: u32, _value: Val, _period: Option<Period>) {}
    fn agg(&mut self, _node: N, _value: Val, _counted: u32, _total: u32, _hits: u32) {}
    fn at(&mut self, _node: N, _value: Val, _period: Period) {}
    /// An assigned target read for `date`: its value and period (`None`: none assigned).
    fn assigned(&mut self, _node: N, _value: Val, _period: Option<Period>, _date: NaiveDate) {}
    /// Whether [`agg`](Trace::agg) records anything (then aggregates are never memoized).
    fn records_agg(&self) -> bool {
        false
    }
    /// Whether [`ind`](Trace::ind) records anything.
    fn records_ind(&self) -> bool {
        false
    }
}

/// Records nothing.
pub(crate) struct NoTrace;
impl Trace for NoTrace {}

/// The order of periods: by last day, then first day (a month ends with its year, and is later).
/// Compared as (year, last month, first month), which orders them the same way without
/// computing dates.
pub(crate) fn later(a: Period, b: Period) -> bool {
    let key = |p: Period| {
        let (first, last) = p.months();
        (p.year(), last, first)
    };
    key(a) > key(b)
}

/// How many values of each indicator a memo keeps per set of units.
const WAYS: usize = 4;

/// How many sets of units a memo's entries of one indicator are spread over: a unit's own
/// goals use one set, an aggregate over its communes many, so that the second aggregate over
/// the same communes finds their values.
const SETS: usize = 64;

/// The memo slot of indicator `i` for unit `u`.
fn memo_slot(i: u32, u: UnitId) -> usize {
    i as usize * SETS + u.index() % SETS
}

/// An indicator's value at a moment for a unit, remembered.
#[derive(Clone, Copy)]
struct Memo {
    u: UnitId,
    w: When,
    v: Val,
    p: Option<Period>,
}

/// A formula's value for a period that can no longer change (see `compile::Ind::settles`).
#[derive(Clone, Copy)]
struct Settled {
    u: UnitId,
    i: u32,
    p: Period,
    /// The value holds at this date and every later one (at earlier dates, inputs may still
    /// have had earlier snapshots).
    from: NaiveDate,
    v: Val,
}

/// How many settled values of each indicator a memo keeps.
const SETTLED: usize = 16;

/// The slot of a period among an indicator's [`SETTLED`]: consecutive months take different
/// slots, and a year or quarter another than its last month.
fn settled_slot(i: u32, p: Period) -> usize {
    let (first, last) = p.months();
    let key = i64::from(p.year()) * 12 + i64::from(last) + 7 * i64::from(last - first);
    let way = usize::try_from(key.rem_euclid(SETTLED as i64)).unwrap_or(0);
    i as usize * SETTLED + way
}

/// Recently computed indicator values, a few per indicator: the goals of a unit read the same
/// derived indicators at the same moment over and over (rule, measure, baseline, milestones).
struct Memos {
    slots: Vec<[Option<Memo>; WAYS]>,
    next: Vec<u8>,
    /// Formula values for periods whose inputs are settled, by [`settled_slot`]: a history
    /// reads each period's value at every later date (the current period, the baseline) and
    /// divides once.
    settled: Vec<Option<Settled>>,
    /// Aggregates: (node, unit, moment, value); a rule and its measure share one.
    aggs: [Option<(N, UnitId, When, Val)>; AGGS],
    next_agg: usize,
}

/// How many aggregate values a memo keeps.
const AGGS: usize = 8;

pub(crate) struct Engine<'a> {
    pub(crate) c: &'a Compiled,
    pub(crate) data: &'a Dataset,
    pub(crate) units: &'a Units,
    memo: Option<RefCell<Memos>>,
    /// The last day of the plan's baseline period, where every goal's baseline value is read
    /// (computed once: a history asks for it millions of times).
    pub(crate) baseline_end: Option<NaiveDate>,
    /// The values an aggregate collects, kept between aggregates so that evaluating one does
    /// not allocate (a nested aggregate, finding it taken, uses a vector of its own).
    scratch: Cell<Vec<Decimal>>,
    /// A trajectory's points, kept between judgements for the same reason.
    pub(crate) points: Cell<Vec<(NaiveDate, Decimal)>>,
}

/// Rounds a value to `places` in its display unit (a percent as a percentage).
pub(crate) fn round_display(v: Decimal, places: u32, unit: Unit) -> Decimal {
    if let Some(r) = super::fastdiv::round_exact(v, places, unit == Unit::Percent) {
        return r;
    }
    if unit == Unit::Percent {
        quantity::percentage(v).map_or(v, |p| quantity::nearest_fraction(round(p, places)))
    } else {
        round(v, places)
    }
}

/// Both numbers, or the value that stands for the pair (an error first, else missing).
pub(crate) fn both(a: Val, b: Val) -> Result<(Decimal, Decimal), Val> {
    match (a, b) {
        (Val::Num(x), Val::Num(y)) => Ok((x, y)),
        (e @ Val::Error(..), _) | (_, e @ Val::Error(..)) => Err(e),
        _ => Err(Val::Missing),
    }
}

pub(crate) fn compare(op: CmpOp, a: Val, b: Val) -> Val {
    let ord = match (a, b) {
        (Val::Num(x), Val::Num(y)) => x.cmp(&y),
        (Val::Bool(x), Val::Bool(y)) => x.cmp(&y),
        (e @ Val::Error(..), _) | (_, e @ Val::Error(..)) => return e,
        _ => return Val::Missing,
    };
    Val::Bool(holds(op, ord))
}

/// `a op b` for an arithmetic operator, at node `n` (for its errors): the engine's and the
/// columnar history's arithmetic.
pub(crate) fn arith(op: BinaryOp, a: Val, b: Val, n: N) -> Val {
    match both(a, b) {
        Ok((x, y)) => arith_num(op, x, y, n),
        Err(v) => v,
    }
}

/// [`arith`] of two numbers.
pub(crate) fn arith_num(op: BinaryOp, x: Decimal, y: Decimal, n: N) -> Val {
    let r = match op {
        BinaryOp::Add => x.checked_add(y),
        BinaryOp::Sub => x.checked_sub(y),
        BinaryOp::Mul => x.checked_mul(y),
        _ => {
            if y.is_zero() {
                return Val::Error(Fault::DivisionByZero, n);
            }
            super::fastdiv::div_exact(x, y).or_else(|| x.checked_div(y))
        }
    };
    r.map_or(Val::Error(Fault::Overflow, n), Val::Num)
}

/// Whether `a op b` holds, given how a compares with b.
pub(crate) fn holds(op: CmpOp, ord: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    match op {
        CmpOp::Ge => ord != Less,
        CmpOp::Gt => ord == Greater,
        CmpOp::Le => ord != Greater,
        CmpOp::Lt => ord == Less,
        CmpOp::Eq => ord == Equal,
        CmpOp::Ne => ord != Equal,
    }
}

/// Powers of ten, 10^0 … 10^28 (a decimal's largest scale).
pub(crate) const POW10: [i128; 29] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
    10_000_000_000,
    100_000_000_000,
    1_000_000_000_000,
    10_000_000_000_000,
    100_000_000_000_000,
    1_000_000_000_000_000,
    10_000_000_000_000_000,
    100_000_000_000_000_000,
    1_000_000_000_000_000_000,
    10_000_000_000_000_000_000,
    100_000_000_000_000_000_000,
    1_000_000_000_000_000_000_000,
    10_000_000_000_000_000_000_000,
    100_000_000_000_000_000_000_000,
    1_000_000_000_000_000_000_000_000,
    10_000_000_000_000_000_000_000_000,
    100_000_000_000_000_000_000_000_000,
    1_000_000_000_000_000_000_000_000_000,
    10_000_000_000_000_000_000_000_000_000,
];

/// How `x` rounded half away from zero to `places` decimal places compares with `c`, computed in
/// integers (`None`: outside the range where that is exact, take the decimal path).
///
/// With |x| < 10²⁰ and `places` ≤ 8, x·10^places rounded is an integer R below 10²⁸, found
/// exactly from x's mantissa by one integer division; R·10^−places and c are then compared at
/// the larger of their scales, with checked multiplications. This is the comparison
/// [`round_display`] and `Decimal::cmp` make: a percent is rounded as a percentage (places + 2
/// as a fraction), and the percentage of such an x never overflows, so it is always rounded.
pub(crate) fn cmp_rounded(x: Decimal, places: u32, c: Decimal) -> Option<std::cmp::Ordering> {
    let pow = |k: u32| POW10.get(k as usize).copied();
    if places > 8 {
        return None;
    }
    let (m, s) = (x.mantissa(), x.scale());
    // |x| < 10^20 (a mantissa is below 2^96 < 10^29, so any scale from 9 up is inside).
    if s < 9 && m.unsigned_abs() >= pow(20 + s)?.unsigned_abs() {
        return None;
    }
    // From here |x|·10^places < 10^28: the scaling, the rounding and the comparison below
    // stay inside 128 bits without checked multiplications (each a call into a slow routine),
    // and the rounding divides the magnitude, unsigned.
    let a = m.unsigned_abs();
    let r = if s <= places {
        a * pow(places - s)?.unsigned_abs()
    } else {
        let d = pow(s - places)?.unsigned_abs();
        let q = a / d;
        if (a - q * d) * 2 >= d { q + 1 } else { q }
    };
    let r = if m < 0 { -(r as i128) } else { r as i128 };
    let (mc, sc) = (c.mantissa(), c.scale());
    Some(if sc <= places {
        // |mc| < 2^96 and 10^places ≤ 10^8 < 2^27.
        r.cmp(&(mc * pow(places - sc)?))
    } else {
        r.checked_mul(pow(sc - places)?)?.cmp(&mc)
    })
}

/// [`cmp_rounded`] of many `x` against one `c` (a rate column against a literal): where x has
/// more places than it is rounded to, its magnitude is compared with two thresholds, computed
/// once for x's scale and sign, instead of being divided at each call.
///
/// x rounded half away from zero to `places` has the magnitude r = ⌊a/d + ½⌋ (a = |mantissa|,
/// d = 10^(scale − places)), so r ≥ K ⇔ 2a ≥ (2K − 1)·d and r ≤ K ⇔ 2a < (2K + 1)·d: with K the
/// magnitude of c·10^places on x's side of zero, x compares with c as r with K (reversed for a
/// negative x). A threshold beyond 128 bits is above any 2a (a < 2⁹⁶), so it saturates.
pub(crate) struct RoundedCmp {
    places: u32,
    c: Decimal,
    /// c·10^places, when c has at most `places` places (else every call takes `cmp_rounded`).
    scaled: Option<i128>,
    /// The scale and sign the thresholds are for, and the thresholds (`None`: x is on the
    /// other side of zero than c, or c is zero: r ≥ K always, it compares as `Greater` when
    /// 2a reaches the upper threshold).
    key: Option<(u32, bool)>,
    below: u128,
    above: u128,
}

impl RoundedCmp {
    /// A comparison of values rounded to `places` with `c`.
    pub(crate) fn new(places: u32, c: Decimal) -> RoundedCmp {
        let scaled = (places <= 8 && c.scale() <= places)
            .then(|| Some(c.mantissa() * POW10.get((places - c.scale()) as usize)?))
            .flatten();
        RoundedCmp {
            places,
            c,
            scaled,
            key: None,
            below: 0,
            above: 0,
        }
    }

    /// What [`cmp_rounded`]`(x, places, c)` gives.
    #[inline]
    pub(crate) fn cmp(&mut self, x: Decimal) -> Option<std::cmp::Ordering> {
        let (m, s) = (x.mantissa(), x.scale());
        let Some(k) = self.scaled.filter(|_| s > self.places) else {
            return cmp_rounded(x, self.places, self.c);
        };
        // |x| < 10^20, as `cmp_rounded` requires (from scale 9 up, every mantissa is inside).
        if s < 9 && m.unsigned_abs() >= POW10.get(20 + s as usize)?.unsigned_abs() {
            return None;
        }
        let negative = m < 0;
        // K, the target's magnitude on x's side of zero (negative: x is beyond it).
        let k = if negative { -k } else { k };
        if k < 0 {
            return Some(if negative {
                std::cmp::Ordering::Less
            } else {
                std::cmp::Ordering::Greater
            });
        }
        if self.key != Some((s, negative)) {
            let d = POW10.get((s - self.places) as usize)?.unsigned_abs();
            let k = k.unsigned_abs();
            let at = |j: u128| j.saturating_mul(d);
            self.below = if k == 0 { 0 } else { at(2 * k - 1) };
            self.above = at(2 * k + 1);
            self.key = Some((s, negative));
        }
        let twice = m.unsigned_abs() * 2;
        let ord = if twice < self.below {
            std::cmp::Ordering::Less
        } else if twice < self.above {
            std::cmp::Ordering::Equal
        } else {
            std::cmp::Ordering::Greater
        };
        Some(if negative { ord.reverse() } else { ord })
    }
}

/// Collects an aggregate's units' values into `values` (cleared first): how many have a value
/// and how many of the conditions hold, or the first error, which is the aggregate's value.
/// The engine's aggregates and the columnar history's share it.
pub(crate) fn tally(
    each: impl Iterator<Item = Val>,
    values: &mut Vec<Decimal>,
) -> Result<(u32, u32), Val> {
    values.clear();
    let (mut counted, mut hits) = (0u32, 0u32);
    for v in each {
        match v {
            e @ Val::Error(..) => return Err(e),
            Val::Missing => {}
            Val::Bool(b) => {
                counted += 1;
                hits += u32::from(b);
            }
            Val::Num(x) => {
                counted += 1;
                values.push(x);
            }
        }
    }
    Ok((counted, hits))
}

/// An aggregate's value from what [`tally`] collected (node `n`: where an overflow is).
pub(crate) fn reduce(
    agg: &Aggregate,
    n: N,
    counted: u32,
    hits: u32,
    values: &mut Vec<Decimal>,
) -> Val {
    if counted == 0 {
        return Val::Missing;
    }
    let mut sample = Sample {
        counted,
        hits,
        values,
    };
    match (agg.reduce)(&mut sample) {
        Reduced::Number(x) => Val::Num(x),
        Reduced::Bool(b) => Val::Bool(b),
        Reduced::Overflow => Val::Error(Fault::Overflow, n),
    }
}

impl<'a> Engine<'a> {
    pub(crate) fn new(c: &'a Compiled, data: &'a Dataset, units: &'a Units) -> Engine<'a> {
        Engine {
            c,
            data,
            units,
            memo: None,
            baseline_end: c.baseline.map(|b| b.end()),
            scratch: Cell::default(),
            points: Cell::default(),
        }
    }

    /// An engine that remembers indicator values: for evaluating many goals of one unit, one
    /// thread at a time. `ind` is a pure function of its arguments, so results are the same.
    pub(crate) fn memoized(c: &'a Compiled, data: &'a Dataset, units: &'a Units) -> Engine<'a> {
        let n = c.indicators.len();
        Engine {
            c,
            data,
            units,
            memo: Some(RefCell::new(Memos {
                slots: vec![[None; WAYS]; n * SETS],
                next: vec![0; n * SETS],
                settled: vec![None; n * SETTLED],
                aggs: [None; AGGS],
                next_agg: 0,
            })),
            baseline_end: c.baseline.map(|b| b.end()),
            scratch: Cell::default(),
            points: Cell::default(),
        }
    }

    /// An indicator's value and the period it is of, remembered when the engine is memoized.
    pub(crate) fn ind(&self, i: u32, u: UnitId, w: When) -> (Val, Option<Period>) {
        let Some(memo) = &self.memo else {
            return self.ind_now(i, u, w);
        };
        let slot = memo_slot(i, u);
        let found = memo.borrow().slots.get(slot).and_then(|ways| {
            ways.iter()
                .flatten()
                .find(|m| m.u == u && m.w == w)
                .map(|m| (m.v, m.p))
        });
        if let Some(hit) = found {
            return hit;
        }
        let (v, p) = self.ind_now(i, u, w);
        let mut memo = memo.borrow_mut();
        let Memos { slots, next, .. } = &mut *memo;
        if let (Some(ways), Some(k)) = (slots.get_mut(slot), next.get_mut(slot)) {
            if let Some(slot) = ways.get_mut(usize::from(*k) % WAYS) {
                *slot = Some(Memo { u, w, v, p });
            }
            *k = k.wrapping_add(1);
        }
        (v, p)
    }

    /// An indicator's value and the period it is of.
    pub(crate) fn ind_now(&self, i: u32, u: UnitId, w: When) -> (Val, Option<Period>) {
        let Some(info) = self.c.indicator(i) else {
            return (Val::Missing, None);
        };
        let Some(f) = info.formula else {
            let point = match w {
                When::Now(t) => self.data.current(i as usize, u, t),
                When::In(p, t) => self.data.at_period(i as usize, u, p, t),
            };
            return point.map_or((Val::Missing, None), |pt| {
                (Val::Num(pt.value()), Some(pt.period()))
            });
        };
        match w {
            When::In(p, t) => (self.formula_in(i, f, u, p, t), Some(p)),
            When::Now(t) => {
                // Latest period first; a ratio never mixes periods, so each candidate period is
                // computed from that period's inputs alone.
                let mut bound: Option<Period> = None;
                loop {
                    let mut best: Option<Period> = None;
                    for &input in &info.inputs {
                        let found = match bound {
                            // The latest visible point: the current value.
                            None => self.data.current(input as usize, u, t),
                            Some(b) => self
                                .data
                                .series(input as usize, u)
                                .iter()
                                .rev()
                                .find(|pt| pt.visible_from() <= t && later(b, pt.period())),
                        };
                        if let Some(pt) = found
                            && best.is_none_or(|b| later(pt.period(), b))
                        {
                            best = Some(pt.period());
                        }
                    }
                    let Some(p) = best else {
                        return (Val::Missing, None);
                    };
                    let v = self.formula_in(i, f, u, p, t);
                    if v != Val::Missing {
                        return (v, Some(p));
                    }
                    bound = Some(p);
                }
            }
        }
    }

    /// Formula `f` of indicator `i` for period `p` as known at `t`. A memoized engine keeps
    /// the values that can no longer change (inputs settled at `t`) for any later date.
    fn formula_in(&self, i: u32, f: N, u: UnitId, p: Period, t: NaiveDate) -> Val {
        let w = When::In(p, t);
        let (Some(memo), Some(info)) = (&self.memo, self.c.indicator(i)) else {
            return self.formula(i, f, u, w);
        };
        if !info.settles {
            return self.formula(i, f, u, w);
        }
        let slot = settled_slot(i, p);
        let found = memo
            .borrow()
            .settled
            .get(slot)
            .copied()
            .flatten()
            .filter(|s| s.u == u && s.i == i && s.p == p && s.from <= t);
        if let Some(s) = found {
            return s.v;
        }
        let v = self.formula(i, f, u, w);
        let from = info
            .inputs
            .iter()
            .filter_map(|&x| self.data.settled_from(x as usize, u, p))
            .max()
            .unwrap_or(NaiveDate::MIN);
        if from <= t
            && let Some(s) = memo.borrow_mut().settled.get_mut(slot)
        {
            *s = Some(Settled { u, i, p, from, v });
        }
        v
    }

    pub(crate) fn formula(&self, i: u32, f: N, u: UnitId, w: When) -> Val {
        let v = self.eval(f, u, w, &mut NoTrace);
        self.on_zero(i, v)
    }

    /// A formula's value `v` of indicator `i`, its division by zero replaced as its `on_zero`
    /// says.
    pub(crate) fn on_zero(&self, i: u32, v: Val) -> Val {
        let Val::Error(Fault::DivisionByZero, _) = v else {
            return v;
        };
        let Some(info) = self.c.indicator(i) else {
            return v;
        };
        match info.on_zero {
            OnZero::NoData => Val::Missing,
            OnZero::Zero => Val::Num(Decimal::ZERO),
            OnZero::Error => v,
            OnZero::Value(x) if info.unit == Unit::Percent => {
                Val::Num(quantity::nearest_fraction(x))
            }
            OnZero::Value(x) => Val::Num(x),
        }
    }

    /// Like [`eval`](Self::eval), with literals read in place: operands of comparisons and
    /// arithmetic are mostly literals, and a call per literal costs more than the literal.
    #[inline(always)]
    fn leaf<T: Trace>(&self, n: N, u: UnitId, w: When, tr: &mut T) -> Val {
        match *self.c.node(n) {
            Node::Num(d) => Val::Num(d),
            Node::Bool(b) => Val::Bool(b),
            _ => self.eval(n, u, w, tr),
        }
    }

    /// Evaluates node `n` for unit `u` at moment `w`.
    pub(crate) fn eval<T: Trace>(&self, n: N, u: UnitId, w: When, tr: &mut T) -> Val {
        match *self.c.node(n) {
            Node::Num(d) => Val::Num(d),
            Node::Bool(b) => Val::Bool(b),
            Node::Ind { ind, round: None } if !tr.records_ind() => {
                // A measured indicator's value, nobody asking for its period: read it (a look-up
                // costs less than the memo; a ratio's inputs are read this way at its period).
                match (w, self.c.indicator(ind)) {
                    (When::Now(t), Some(info)) if info.formula.is_none() => self
                        .data
                        .current(ind as usize, u, t)
                        .map_or(Val::Missing, |pt| Val::Num(pt.value())),
                    (When::In(p, t), Some(info)) if info.formula.is_none() => self
                        .data
                        .at_period(ind as usize, u, p, t)
                        .map_or(Val::Missing, |pt| Val::Num(pt.value())),
                    _ => self.ind(ind, u, w).0,
                }
            }
            Node::Ind { ind, round } => {
                let (v, period) = self.ind(ind, u, w);
                tr.ind(n, ind, v, period);
                match (v, round, self.c.indicator(ind)) {
                    (Val::Num(x), Some(places), Some(info)) => {
                        Val::Num(round_display(x, places, info.unit))
                    }
                    _ => v,
                }
            }
            Node::Assigned { ind, date, round } => {
                let (date, point) = match w {
                    When::Now(t) => {
                        let date = date.unwrap_or(t);
                        (date, self.data.assigned(ind as usize, u, date, t))
                    }
                    When::In(p, t) => (p.end(), self.data.assigned_in(ind as usize, u, p, t)),
                };
                // Normalized like a literal target (`70` in a percent column is 0.7, not 0.70).
                let (v, period) = point.map_or((Val::Missing, None), |pt| {
                    (Val::Num(pt.value().normalize()), Some(pt.period()))
                });
                tr.assigned(n, v, period, date);
                // Compared as published, like a measured indicator with a `precision:`.
                match (v, round, self.c.indicator(ind)) {
                    (Val::Num(x), Some(places), Some(info)) => {
                        Val::Num(round_display(x, places, info.unit))
                    }
                    _ => v,
                }
            }
            Node::Neg(x) => match self.eval(x, u, w, tr) {
                Val::Num(d) => Val::Num(-d),
                other => other,
            },
            Node::Not(x) => match self.eval(x, u, w, tr) {
                Val::Bool(b) => Val::Bool(!b),
                other => other,
            },
            Node::Arith(op, a, b) => arith(op, self.leaf(a, u, w, tr), self.leaf(b, u, w, tr), n),
            Node::And(a, b) | Node::Or(a, b) => {
                let decisive = matches!(self.c.node(n), Node::Or(..));
                let l = self.eval(a, u, w, tr);
                if l == Val::Bool(decisive) {
                    return l;
                }
                let r = self.eval(b, u, w, tr);
                if r == Val::Bool(decisive) {
                    return r;
                }
                match (l, r) {
                    (e @ Val::Error(..), _) | (_, e @ Val::Error(..)) => e,
                    (Val::Bool(_), Val::Bool(_)) => Val::Bool(!decisive),
                    _ => Val::Missing,
                }
            }
            Node::Cmp { first, start, len } => {
                if len == 1
                    && let Some(v) = self
                        .ratio_cmp(first, start, u, w, tr)
                        .or_else(|| self.rounded_cmp(first, start, u, w, tr))
                {
                    return v;
                }
                let mut left = self.eval(first, u, w, tr);
                let mut result = Val::Bool(true);
                for &(op, operand) in self.c.links(start, len) {
                    let right = self.leaf(operand, u, w, tr);
                    match (compare(op, left, right), result) {
                        (e @ Val::Error(..), _) => result = e,
                        (_, Val::Error(..)) => {}
                        (Val::Bool(false), _) => result = Val::Bool(false),
                        (Val::Missing, Val::Bool(true)) => result = Val::Missing,
                        _ => {}
                    }
                    left = right;
                }
                result
            }
            Node::Fold { fold, start, len } => {
                let mut acc: Option<Decimal> = None;
                for &arg in self.c.args(start, len) {
                    match self.eval(arg, u, w, tr) {
                        Val::Num(x) => acc = Some(fold(acc, x)),
                        e @ Val::Error(..) => return e,
                        Val::Bool(_) | Val::Missing => return Val::Missing,
                    }
                }
                acc.map_or(Val::Missing, Val::Num)
            }
            Node::Coalesce { start, len } => {
                for &arg in self.c.args(start, len) {
                    let v = self.eval(arg, u, w, tr);
                    if v != Val::Missing {
                        return v;
                    }
                }
                Val::Missing
            }
            Node::Places(f, x, places) => match self.eval(x, u, w, tr) {
                Val::Num(d) => Val::Num(f(d, places)),
                other => other,
            },
            Node::If(c, a, b) => match self.eval(c, u, w, tr) {
                Val::Bool(true) => self.eval(a, u, w, tr),
                Val::Bool(false) => self.eval(b, u, w, tr),
                other => other,
            },
            Node::At(x, p) => {
                let v = self.eval(x, u, When::In(p, w.known()), &mut NoTrace);
                tr.at(n, v, p);
                v
            }
            Node::Previous(i) => {
                let period = match w {
                    When::In(p, _) => Some(p),
                    When::Now(_) => self.ind(i, u, w).1,
                };
                let Some(p) = period else {
                    return Val::Missing;
                };
                let prev = p.previous();
                let v = self.ind(i, u, When::In(prev, w.known())).0;
                tr.at(n, v, prev);
                v
            }
            Node::Change(x, p) => {
                let now = self.eval(x, u, w, tr);
                let base = self.eval(x, u, When::In(p, w.known()), &mut NoTrace);
                tr.at(n, base, p);
                match both(now, base) {
                    Ok((a, b)) => a
                        .checked_sub(b)
                        .map_or(Val::Error(Fault::Overflow, n), Val::Num),
                    Err(v) => v,
                }
            }
            Node::Improve(i, p) => {
                let (now, period) = self.ind(i, u, w);
                tr.ind(n, i, now, period);
                let base = self.ind(i, u, When::In(p, w.known())).0;
                tr.at(n, base, p);
                let higher = self
                    .c
                    .indicator(i)
                    .is_none_or(|x| x.better == Better::Higher);
                match both(now, base) {
                    Ok((a, b)) => Val::Bool(if higher { a > b } else { a < b }),
                    Err(v) => v,
                }
            }
            Node::Agg { agg, kind, arg, .. } => {
                let memo = self.memo.as_ref().filter(|_| !tr.records_agg());
                if let Some(memo) = memo {
                    let found = memo
                        .borrow()
                        .aggs
                        .iter()
                        .flatten()
                        .find(|m| m.0 == n && m.1 == u && m.2 == w)
                        .map(|m| m.3);
                    if let Some(v) = found {
                        return v;
                    }
                }
                let v = self.aggregate(n, agg, kind, arg, u, w, tr);
                if let Some(memo) = memo {
                    let mut memo = memo.borrow_mut();
                    let k = memo.next_agg % AGGS;
                    if let Some(slot) = memo.aggs.get_mut(k) {
                        *slot = Some((n, u, w, v));
                    }
                    memo.next_agg = memo.next_agg.wrapping_add(1);
                }
                v
            }
        }
    }

    /// `a / b op c` with a literal `c`, decided as `a op c × b` without dividing, when that is
    /// exactly the same judgement (`None`: take the general path).
    ///
    /// For b > 0, `a / b op c` ⇔ `a op c·b` for the exact quotient. The engine compares the
    /// quotient rounded to a decimal's 28 digits; rounding is monotone and leaves `c` itself
    /// unchanged, so the two judgements can only differ when the exact quotient is not `c` but
    /// rounds to it. With |a|, |b| < 10⁷ and the scales of a and c·b at most 6, a non-zero
    /// `a − c·b` is at least 10⁻⁶, so the quotient is at least 10⁻¹³ away from `c`, while
    /// the rounding error of a quotient below 10¹³ is under 10⁻¹⁴: they cannot differ. Missing
    /// values, errors, b ≤ 0 and larger numbers take the general path, which evaluates `a` and
    /// `b` again (evaluation has no side effects; traces are not recorded here).
    fn ratio_cmp<T: Trace>(
        &self,
        first: N,
        start: u32,
        u: UnitId,
        w: When,
        tr: &mut T,
    ) -> Option<Val> {
        if tr.records_agg() {
            return None;
        }
        let Node::Arith(BinaryOp::Div, a, b) = *self.c.node(first) else {
            return None;
        };
        let &[(op, operand)] = self.c.links(start, 1) else {
            return None;
        };
        let Node::Num(c) = *self.c.node(operand) else {
            return None;
        };
        let (Val::Num(x), Val::Num(y)) = (self.leaf(a, u, w, tr), self.leaf(b, u, w, tr)) else {
            return None;
        };
        // In integers: x = mx / 10^sx and so on, all scales at most 6, all magnitudes below
        // 10^7; then x·10^6 and c·y·10^6 are exact integers well inside an i128.
        let (sx, sy, sc) = (x.scale(), y.scale(), c.scale());
        if sx > 6 || sy + sc > 6 {
            return None;
        }
        let (mx, my, mc) = (x.mantissa(), y.mantissa(), c.mantissa());
        let below = |m: i128, scale: u32| {
            POW10
                .get(7 + scale as usize)
                .is_some_and(|&p| m.unsigned_abs() < p.unsigned_abs())
        };
        if my <= 0 || !below(mx, sx) || !below(my, sy) || !below(mc, sc) {
            return None;
        }
        let lhs = mx * POW10.get((6 - sx) as usize)?;
        let rhs = mc * my * POW10.get((6 - sc - sy) as usize)?;
        Some(Val::Bool(holds(op, lhs.cmp(&rhs))))
    }

    /// `x op c` for an indicator `x` read with its precision and a literal `c`, decided by
    /// [`cmp_rounded`] without rounding a decimal (`None`: take the general path, which reads
    /// the indicator again from the memo). Traces that record indicators take the general path.
    fn rounded_cmp<T: Trace>(
        &self,
        first: N,
        start: u32,
        u: UnitId,
        w: When,
        tr: &T,
    ) -> Option<Val> {
        if tr.records_ind() || tr.records_agg() {
            return None;
        }
        let Node::Ind {
            ind,
            round: Some(places),
        } = *self.c.node(first)
        else {
            return None;
        };
        let &[(op, operand)] = self.c.links(start, 1) else {
            return None;
        };
        let Node::Num(c) = *self.c.node(operand) else {
            return None;
        };
        let info = self.c.indicator(ind)?;
        let Val::Num(x) = self.ind(ind, u, w).0 else {
            return None;
        };
        let places = if info.unit == Unit::Percent {
            places.checked_add(2)?
        } else {
            places
        };
        cmp_rounded(x, places, c).map(|ord| Val::Bool(holds(op, ord)))
    }

    /// An aggregate over the units of kind `kind` below `u`: the values (or truths) of those
    /// that have one, reduced by the function's entry in the table.
    #[allow(clippy::too_many_arguments)]
    fn aggregate<T: Trace>(
        &self,
        n: N,
        agg: &Aggregate,
        kind: u32,
        arg: Option<N>,
        u: UnitId,
        w: When,
        tr: &mut T,
    ) -> Val {
        let below = self.units.descendants_of_kind(u, kind as usize);
        let total = u32::try_from(below.len()).unwrap_or(u32::MAX);
        let Some(arg) = arg else {
            // Only a count omits its second argument: it counts the units.
            let v = Val::Num(Decimal::from(total));
            tr.agg(n, v, total, total, total);
            return v;
        };
        let mut values = self.scratch.take();
        let each = below
            .iter()
            .map(|&child| self.eval(arg, child, w, &mut NoTrace));
        let (counted, hits) = match tally(each, &mut values) {
            Ok(tallied) => tallied,
            Err(e) => {
                self.scratch.set(values);
                return e;
            }
        };
        let v = reduce(agg, n, counted, hits, &mut values);
        self.scratch.set(values);
        tr.agg(n, v, counted, total, hits);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The decimal path: the value rounded as a rule reads it, compared by `Decimal::cmp`.
    fn by_decimals(x: Decimal, places: u32, unit: Unit, c: Decimal) -> std::cmp::Ordering {
        round_display(x, places, unit).cmp(&c)
    }

    fn check(x: Decimal, places: u32, percent: bool, c: Decimal) {
        let (unit, shift) = if percent {
            (Unit::Percent, places + 2)
        } else {
            (Unit::Count, places)
        };
        if let Some(ord) = cmp_rounded(x, shift, c) {
            assert_eq!(
                ord,
                by_decimals(x, places, unit, c),
                "{x} to {places} ({unit:?}) vs {c}"
            );
        }
    }

    #[test]
    fn rounded_comparisons_at_ties_and_edges() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        for (x, places, c) in [
            ("0.79995", 2, "0.8"), // 79.995% rounds up to 80%
            ("0.79994999", 2, "0.8"),
            ("-0.79995", 2, "-0.8"), // half away from zero
            ("0.6666666666666666666666666667", 2, "0.6667"),
            ("0.6666666666666666666666666667", 0, "0.67"),
            ("1", 2, "1"),
            ("0", 2, "0"),
            ("99999999999999999999.995", 2, "1"),
            ("0.0000000000000000000000000005", 2, "0"),
            ("12.345", 8, "12.345"),
            // Exactly halfway between two roundings: above a literal of either sign or zero.
            ("0.79995", 2, "0.7999"),
            ("-0.79995", 2, "-0.7999"),
            ("0.00005", 2, "0"),
            ("-0.00005", 2, "0"),
            ("0.00015", 2, "0.0001"),
            ("-0.00015", 2, "-0.0001"),
            ("0.00015", 2, "0.0002"),
            ("-0.00015", 2, "-0.0002"),
        ] {
            for percent in [true, false] {
                check(d(x), places, percent, d(c));
            }
        }
        // Inside the range, the integer path answers.
        assert!(cmp_rounded(d("0.79995"), 4, d("0.8")).is_some());
        assert!(cmp_rounded(d("0.6666666666666666666666666667"), 4, d("0.6667")).is_some());
        // Outside, it leaves the decision to decimals.
        assert_eq!(cmp_rounded(d("100000000000000000000"), 4, d("1")), None);
        assert_eq!(cmp_rounded(d("0.5"), 9, d("1")), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]
        #[test]
        fn rounded_comparison_equals_the_decimal_path(
            lo in any::<u64>(), hi in 0u32..(1 << 30), neg in any::<bool>(), scale in 0u32..=28,
            places in 0u32..=6, percent in any::<bool>(),
            c in -2_000_000i64..2_000_000, cs in 0u32..=8, tie in 0u8..4,
        ) {
            // Mantissas over the whole 96 bits, or below 10^12 (ratios of counts, rounded).
            let hi = if tie == 0 { hi } else { 0 };
            let lo = if tie == 0 { lo } else { lo % 1_000_000_000_000 };
            let shift = if percent { places + 2 } else { places };
            let x = if tie == 3 {
                // Exactly halfway between two roundings.
                let m = lo * 10 + 5;
                Decimal::from_parts(m as u32, (m >> 32) as u32, 0, neg, shift + 1)
            } else {
                Decimal::from_parts(lo as u32, (lo >> 32) as u32, hi, neg, scale)
            };
            // Half the cases compare with x rounded itself, or x truncated: equality and its
            // neighbours.
            let c = match tie {
                2 => round(x, shift),
                3 if lo % 2 == 0 => round(x, shift),
                3 => x.round_dp_with_strategy(shift, rust_decimal::RoundingStrategy::ToZero),
                _ => Decimal::new(c, cs),
            };
            check(x, places, percent, c);
            // Against one target for many values, with thresholds: the same answers, on a
            // fresh comparator and on one kept from another value of the same or another
            // scale and sign.
            let mut kept = RoundedCmp::new(shift, c);
            let other = Decimal::from_parts(lo as u32 ^ 7, hi, 0, !neg, scale.saturating_sub(1));
            kept.cmp(other);
            for mut rc in [RoundedCmp::new(shift, c), kept] {
                let (fast, slow) = (rc.cmp(x), cmp_rounded(x, shift, c));
                prop_assert_eq!(fast, slow, "{} to {} vs {}", x, shift, c);
                // Twice: the thresholds kept give the same.
                prop_assert_eq!(rc.cmp(x), slow);
            }
        }
    }
}
