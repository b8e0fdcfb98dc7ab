//! Where a goal's status is decided (docs/rule-language.md, “Deadlines and statuses”): met,
//! not met, on track, off track, in progress,
//! no data, not applicable, error; with actual, target, gap, progress and the trajectory value.

use super::compile::{Measure, N};
use super::engine::{Engine, Fault, NoTrace, POW10, Trace, Val, When};
use crate::data::UnitId;
use crate::period::Period;
use crate::plan::MissingUnits;
use crate::syntax::CmpOp;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::cmp::Ordering;

/// A goal's status for one unit at one moment. The JSON names are exactly these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The rule holds.
    Met,
    /// The rule does not hold, and the deadline has come (or there is none).
    NotMet,
    /// Not yet met, but at least as good as the trajectory to the target expects by now.
    OnTrack,
    /// Not yet met, and behind the trajectory.
    OffTrack,
    /// Not yet met, before the deadline, and no trajectory to judge by.
    InProgress,
    /// A value the rule needs is missing.
    NoData,
    /// The goal does not apply to this kind of unit.
    NotApplicable,
    /// Evaluation failed (overflow, division by zero).
    Error,
}

impl Status {
    /// Every status, in report order.
    pub const ALL: [Status; 8] = [
        Status::Met,
        Status::NotMet,
        Status::OnTrack,
        Status::OffTrack,
        Status::InProgress,
        Status::NoData,
        Status::NotApplicable,
        Status::Error,
    ];

    /// The name used in JSON and on the command line (`not_met`).
    pub fn name(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::NotMet => "not_met",
            Status::OnTrack => "on_track",
            Status::OffTrack => "off_track",
            Status::InProgress => "in_progress",
            Status::NoData => "no_data",
            Status::NotApplicable => "not_applicable",
            Status::Error => "error",
        }
    }

    /// The status of that name.
    pub fn from_name(name: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// Which way the measure should move.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Direction {
    Up,
    Down,
}

/// The outcome of a goal or milestone for one unit: no allocation, copied freely.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outcome {
    /// The status.
    pub status: Status,
    /// The measured value (the moving side of a single comparison).
    pub actual: Option<Decimal>,
    /// The target value.
    pub target: Option<Decimal>,
    /// Shortfall in the better direction; positive when short.
    pub gap: Option<Decimal>,
    /// (actual − baseline) / (target − baseline), unclamped.
    pub progress: Option<Decimal>,
    /// The trajectory's value at the evaluation date.
    pub expected: Option<Decimal>,
    /// The measure at the end of the baseline period.
    pub baseline: Option<Decimal>,
    /// The deadline.
    pub deadline: Option<NaiveDate>,
    /// The latest period the measured value comes from.
    pub period: Option<Period>,
    /// Why evaluation failed, and at which node.
    pub fault: Option<(Fault, u32)>,
}

impl Outcome {
    fn new(status: Status, deadline: Option<NaiveDate>) -> Outcome {
        Outcome {
            status,
            actual: None,
            target: None,
            gap: None,
            progress: None,
            expected: None,
            baseline: None,
            deadline,
            period: None,
            fault: None,
        }
    }
}

/// What a rule read at one date: its truth, and for a single comparison its measured value,
/// the latest period that value comes from and its target.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Read {
    pub holds: Val,
    pub actual: Option<Decimal>,
    pub period: Option<Period>,
    pub target: Option<Decimal>,
}

pub(crate) fn num(v: Val) -> Option<Decimal> {
    match v {
        Val::Num(d) => Some(d),
        _ => None,
    }
}

/// Remembers the latest period a value was read from.
struct Latest(Option<Period>);
impl Trace for Latest {
    fn records_ind(&self) -> bool {
        true
    }
    fn ind(&mut self, _: N, _: u32, _: Val, period: Option<Period>) {
        if let Some(p) = period
            && self.0.is_none_or(|q| super::engine::later(p, q))
        {
            self.0 = Some(p);
        }
    }
}

impl Engine<'_> {
    /// Whether goal `g` applies to unit `u` (a unit of unknown kind: yes).
    pub(crate) fn applies(&self, g: usize, u: UnitId) -> bool {
        let Some(mask) = self.c.goals.get(g).and_then(|goal| goal.kinds) else {
            return true;
        };
        match self.units.kind(u) {
            Some(k) => k < 64 && mask & (1u64 << k) != 0,
            None => true,
        }
    }

    /// Evaluates goal `g` for unit `u` as of `t`.
    pub(crate) fn goal(&self, g: usize, u: UnitId, t: NaiveDate) -> Outcome {
        self.goal_with(g, u, t, true)
    }

    /// [`goal`](Self::goal) without the gap and the progress (left `None`): what a history
    /// keeps is the status, the measured value and its period, and a progress is a division.
    /// The baseline is read only when the status depends on it (left `None` otherwise).
    pub(crate) fn goal_step(&self, g: usize, u: UnitId, t: NaiveDate) -> Outcome {
        self.goal_with(g, u, t, false)
    }

    fn goal_with(&self, g: usize, u: UnitId, t: NaiveDate, detail: bool) -> Outcome {
        let Some(goal) = self.c.goals.get(g) else {
            return Outcome::new(Status::Error, None);
        };
        if !self.applies(g, u) {
            return Outcome::new(Status::NotApplicable, goal.deadline);
        }
        let milestones: &[_] = &goal.milestones;
        let strict = self.strict(g);
        self.judge(
            goal.rule,
            goal.measure,
            goal.deadline,
            (strict, detail),
            u,
            t,
            |dir, points| {
                points.extend(milestones.iter().filter_map(|m| {
                    let target = num(self.eval(m.measure?.g, u, When::Now(t), &mut NoTrace))?;
                    (m.measure?.op_direction() == Some(dir)).then_some((m.deadline, target))
                }));
            },
        )
    }

    /// Evaluates milestone `m` of goal `g`, as a goal whose deadline is the milestone's.
    pub(crate) fn milestone(&self, g: usize, m: usize, u: UnitId, t: NaiveDate) -> Outcome {
        let Some(ms) = self.c.goals.get(g).and_then(|goal| goal.milestones.get(m)) else {
            return Outcome::new(Status::Error, None);
        };
        if !self.applies(g, u) {
            return Outcome::new(Status::NotApplicable, Some(ms.deadline));
        }
        let strict = self.strict(g);
        self.judge(
            ms.rule,
            ms.measure,
            Some(ms.deadline),
            (strict, true),
            u,
            t,
            |_, _| {},
        )
    }

    /// Whether goal `g` says `missing_units: not_met`.
    fn strict(&self, g: usize) -> bool {
        self.c
            .plan
            .goals
            .get(g)
            .is_some_and(|goal| goal.missing_units == MissingUnits::NotMet)
    }

    /// The status of `rule` for `u` as of `t`. With `strict` (`missing_units: not_met`), a rule
    /// that holds only because an aggregate left out units without data does not hold; without
    /// `detail`, the gap and the progress are not computed. `milestones` appends the
    /// (deadline, target) of the milestones in a direction to the trajectory's points.
    #[allow(clippy::too_many_arguments)]
    fn judge(
        &self,
        rule: N,
        measure: Option<Measure>,
        deadline: Option<NaiveDate>,
        (strict, detail): (bool, bool),
        u: UnitId,
        t: NaiveDate,
        milestones: impl FnOnce(Direction, &mut Vec<(NaiveDate, Decimal)>),
    ) -> Outcome {
        let holds = if strict {
            let mut coverage = Coverage(false);
            match self.eval(rule, u, When::Now(t), &mut coverage) {
                Val::Bool(true) if coverage.0 => Val::Bool(false),
                v => v,
            }
        } else {
            self.eval(rule, u, When::Now(t), &mut NoTrace)
        };
        let mut read = Read {
            holds,
            actual: None,
            period: None,
            target: None,
        };
        if let Some(m) = measure {
            let mut latest = Latest(None);
            read.actual = num(self.eval(m.m, u, When::Now(t), &mut latest));
            read.period = latest.0;
            read.target = num(self.eval(m.g, u, When::Now(t), &mut NoTrace));
        }
        let baseline = || {
            let (m, end) = (measure?, self.baseline_end?);
            num(self.eval(m.m, u, When::Now(end), &mut NoTrace))
        };
        let track = |dir, ends, a| {
            // The points go in a vector kept by the engine: a history judges millions of
            // goals, and need not allocate for each.
            let mut points = self.points.take();
            trajectory(&mut points, ends, |points| milestones(dir, points));
            let judged = side(&points, t, a, detail);
            self.points.set(points);
            judged
        };
        self.decide(read, measure, deadline, detail, t, baseline, track)
    }

    /// The status of a rule from what it read at `t` (see [`judge`](Self::judge)): the rule's
    /// truth, the measure and the target. `baseline` gives the measure at the end of the
    /// baseline period, asked only when the status depends on it; `track` tells how the
    /// measure compares with the trajectory in a direction from the baseline's (end of the
    /// baseline period, value) to the target's (deadline, value), and the trajectory's value
    /// when it computed it (see [`side`]). The columnar history decides here too, from values
    /// it computed for every date at once.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn decide(
        &self,
        read: Read,
        measure: Option<Measure>,
        deadline: Option<NaiveDate>,
        detail: bool,
        t: NaiveDate,
        baseline: impl FnOnce() -> Option<Decimal>,
        track: impl FnOnce(Direction, Ends, Decimal) -> (Option<Ordering>, Option<Decimal>),
    ) -> Outcome {
        let mut out = Outcome::new(Status::Error, deadline);
        let holds = read.holds;
        let mut dir = None;
        if let Some(m) = measure {
            out.actual = read.actual;
            out.period = read.period;
            out.target = read.target;
            // The status reads the baseline for the direction of `=` and for a trajectory, which
            // only a rule not holding before its deadline has.
            let needed = detail
                || m.op_direction().is_none()
                || (holds == Val::Bool(false) && deadline.is_some_and(|d| t < d));
            if needed && self.baseline_end.is_some() {
                out.baseline = baseline();
            }
            dir = m.direction(out.baseline, out.target);
            if let (true, Some(a), Some(g)) = (detail, out.actual, out.target) {
                out.gap = match dir {
                    Some(Direction::Up) => g.checked_sub(a),
                    Some(Direction::Down) => a.checked_sub(g),
                    None => g.checked_sub(a).map(|d| d.abs()),
                };
                if let Some(b) = out.baseline
                    && g != b
                {
                    out.progress = a
                        .checked_sub(b)
                        .and_then(|num| g.checked_sub(b).and_then(|den| num.checked_div(den)));
                }
            }
        }
        if let Val::Error(fault, node) = holds {
            out.fault = Some((fault, node));
        }
        out.status = match plain_status(holds, deadline, t) {
            Ok(status) => status,
            Err(d) => {
                let trajectory = measure.is_some_and(|m| m.target_fixed && m.measure_moves);
                let start = self.baseline_end.zip(out.baseline);
                let (status, expected) = on_trajectory(
                    trajectory,
                    start,
                    (d, out.target),
                    out.actual,
                    dir,
                    t,
                    track,
                );
                out.expected = expected;
                status
            }
        };
        out
    }
}

/// The status of a rule that does not hold at `t`, before its deadline `d` where its target is
/// `g`: on or off the trajectory from `start` (the end of the baseline period and the
/// baseline) to (`d`, `g`) in direction `dir`, for the measure `a`, as `track` tells (with the
/// trajectory's value when it computed it); in progress when there is no trajectory
/// (`trajectory`: the target is fixed and the measure moves) or it does not decide. The engine's
/// `decide` and the columnar history both judge here.
#[inline]
pub(crate) fn on_trajectory(
    trajectory: bool,
    start: Option<(NaiveDate, Decimal)>,
    (d, g): (NaiveDate, Option<Decimal>),
    a: Option<Decimal>,
    dir: Option<Direction>,
    t: NaiveDate,
    track: impl FnOnce(Direction, Ends, Decimal) -> (Option<Ordering>, Option<Decimal>),
) -> (Status, Option<Decimal>) {
    let (true, Some((end, b)), Some(g), Some(a), Some(dir)) = (trajectory, start, g, a, dir) else {
        return (Status::InProgress, None);
    };
    if t <= end {
        return (Status::InProgress, None);
    }
    let (ord, expected) = track(dir, [(end, b), (d, g)], a);
    let status = match ord {
        Some(ord) => {
            let ahead = match dir {
                Direction::Up => ord.is_ge(),
                Direction::Down => ord.is_le(),
            };
            if ahead {
                Status::OnTrack
            } else {
                Status::OffTrack
            }
        }
        None => Status::InProgress,
    };
    (status, expected)
}

/// The status the truth of a rule decides at `t` alone, or the deadline (after `t`) of a rule
/// that does not hold yet: then its trajectory decides ([`Engine::decide`]). The columnar
/// history takes the first without building the rest of an [`Outcome`].
#[inline]
pub(crate) fn plain_status(
    holds: Val,
    deadline: Option<NaiveDate>,
    t: NaiveDate,
) -> Result<Status, NaiveDate> {
    Ok(match holds {
        Val::Bool(true) => Status::Met,
        Val::Missing => Status::NoData,
        Val::Error(..) | Val::Num(_) => Status::Error,
        Val::Bool(false) => match deadline {
            Some(d) if t < d => return Err(d),
            _ => Status::NotMet,
        },
    })
}

/// Records whether an aggregate left out a unit that has no data.
struct Coverage(bool);

impl Trace for Coverage {
    fn agg(&mut self, _node: N, _value: Val, counted: u32, total: u32, _hits: u32) {
        self.0 |= counted < total;
    }
    fn records_agg(&self) -> bool {
        true
    }
}

impl Measure {
    /// The better direction: the operator's, or for `=` the way from the baseline `b` to the
    /// target `g`.
    pub(crate) fn direction(&self, b: Option<Decimal>, g: Option<Decimal>) -> Option<Direction> {
        self.op_direction().or_else(|| match (self.op, b, g) {
            (CmpOp::Eq, Some(b), Some(g)) if g > b => Some(Direction::Up),
            (CmpOp::Eq, Some(b), Some(g)) if g < b => Some(Direction::Down),
            _ => None,
        })
    }

    /// The better direction the operator implies (`>=`: up), when it implies one.
    pub(crate) fn op_direction(&self) -> Option<Direction> {
        match self.op {
            CmpOp::Ge | CmpOp::Gt => Some(Direction::Up),
            CmpOp::Le | CmpOp::Lt => Some(Direction::Down),
            CmpOp::Eq | CmpOp::Ne => None,
        }
    }
}

/// A trajectory's first and last points: the baseline's (end of the baseline period, value)
/// and the target's (deadline, value).
pub(crate) type Ends = [(NaiveDate, Decimal); 2];

/// A trajectory's points, into `points`: the first of `ends`, the milestones `milestones`
/// appends that fall strictly between the two, by date, and the last of `ends`.
pub(crate) fn trajectory(
    points: &mut Vec<(NaiveDate, Decimal)>,
    [first, last]: Ends,
    milestones: impl FnOnce(&mut Vec<(NaiveDate, Decimal)>),
) {
    points.clear();
    milestones(points);
    points.retain(|(date, _)| *date > first.0 && *date < last.0);
    points.sort_by_key(|(date, _)| *date);
    points.insert(0, first);
    points.push(last);
}

/// How `a` compares with the trajectory through `points` at `t`, and the trajectory's value
/// there when it was computed (`None`, `None`: `t` is on no segment). Without `detail`, the
/// value is not computed where the integers decide the side ([`beside`]).
pub(crate) fn side(
    points: &[(NaiveDate, Decimal)],
    t: NaiveDate,
    a: Decimal,
    detail: bool,
) -> (Option<Ordering>, Option<Decimal>) {
    let side = if detail { None } else { beside(points, t, a) };
    let expected = match side {
        Some(_) => None,
        None => interpolate(points, t),
    };
    (side.or_else(|| expected.map(|e| a.cmp(&e))), expected)
}

/// `x`·10²⁸ exactly, for |x| < 10⁴ (`None` beyond).
pub(crate) fn fixed28(x: Decimal) -> Option<i128> {
    let (m, s) = (x.mantissa(), x.scale());
    let pow = |k: u32| POW10.get(k as usize).copied();
    // A mantissa is below 2^96 < 10^29: from scale 25 up, |x| < 10^4 always.
    if s <= 24 && m.unsigned_abs() >= pow(4 + s)?.unsigned_abs() {
        return None;
    }
    // Below 10^(4+s)·10^(28−s) = 10^32 up to scale 24, below 2^96·10^3 from 25: an i128 holds
    // it, no checked multiplication (a call into a slow routine) needed.
    Some(m * pow(28u32.checked_sub(s)?)?)
}

/// How `a` compares with [`interpolate`]`(points, t)` when integers decide it (`None`: no
/// segment holds `t`, or `a` is too close to the trajectory, or values are out of range; then
/// interpolate in decimals).
///
/// The exact trajectory at `t` is e = v0 + (v1 − v0)·done/span on its segment, so
/// a − e = D/span with D = (a − v0)·span − (v1 − v0)·done, computed here exactly in units of
/// 10⁻²⁸. `interpolate` rounds each of its four operations to a decimal's 28 significant
/// digits: with |a|, |v0|, |v1| < 10⁴ and 0 ≤ done ≤ span ≤ 10⁴ days, its result is within
/// 10⁻¹⁸ of e (the subtraction within 3·10⁻²³, the product within 4·10⁻¹⁹, the quotient and
/// the sum add less than 10⁻²²). So when |a − e| > 10⁻¹⁶, i.e. |D| > span·10⁻¹⁶, a is on the
/// same side of the decimal trajectory as of the exact one, and never equal to it.
fn beside(points: &[(NaiveDate, Decimal)], t: NaiveDate, a: Decimal) -> Option<Ordering> {
    let seg = points
        .windows(2)
        .find(|w| matches!(w, [a, b] if a.0 <= t && t <= b.0))?;
    let [(t0, v0), (t1, v1)] = seg else {
        return None;
    };
    let span = (*t1 - *t0).num_days();
    let done = (t - *t0).num_days();
    beside_fixed(span, done, a, fixed28(*v0), fixed28(*v1))
}

/// [`beside`] on a segment `span` days long, `done` days into it, from `v0` to `v1` given as
/// [`fixed28`] (the columnar history computes them once for every date).
pub(crate) fn beside_fixed(
    span: i64,
    done: i64,
    a: Decimal,
    v0: Option<i128>,
    v1: Option<i128>,
) -> Option<Ordering> {
    if span <= 0 || span > 10_000 {
        return None;
    }
    let (span, done) = (i128::from(span), i128::from(done));
    let (a, v0, v1) = (fixed28(a)?, v0?, v1?);
    // Each difference is below 2·10^32 and span at most 10^4: no overflow in an i128.
    let d = (a - v0) * span - (v1 - v0) * done;
    // |D| > span·10^-16, in units of 10^-28.
    (d.unsigned_abs() > (span * 1_000_000_000_000).unsigned_abs()).then(|| d.cmp(&0))
}

/// Linear interpolation by days through `points` (sorted by date) at `t`.
pub(crate) fn interpolate(points: &[(NaiveDate, Decimal)], t: NaiveDate) -> Option<Decimal> {
    let seg = points
        .windows(2)
        .find(|w| matches!(w, [a, b] if a.0 <= t && t <= b.0))?;
    let [(t0, v0), (t1, v1)] = seg else {
        return None;
    };
    let span = (*t1 - *t0).num_days();
    if span <= 0 {
        return Some(*v1);
    }
    let done = Decimal::from((t - *t0).num_days());
    let step = v1
        .checked_sub(*v0)?
        .checked_mul(done)?
        .checked_div(Decimal::from(span))?;
    v0.checked_add(step)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::period::parse_date(s).unwrap()
    }

    #[test]
    fn interpolation_is_linear_by_days_through_milestones() {
        let pts = [
            (d("2025-12-31"), Decimal::from(60)),
            (d("2027-12-31"), Decimal::from(70)),
            (d("2030-12-31"), Decimal::from(80)),
        ];
        assert_eq!(interpolate(&pts, d("2025-12-31")), Some(Decimal::from(60)));
        assert_eq!(interpolate(&pts, d("2027-12-31")), Some(Decimal::from(70)));
        let mid = interpolate(&pts, d("2026-12-31")).unwrap();
        assert_eq!(
            mid,
            Decimal::from(60) + Decimal::from(10) * Decimal::from(365) / Decimal::from(730)
        );
        assert_eq!(interpolate(&pts, d("2031-01-01")), None);
    }

    #[test]
    fn trajectory_sides_decided_in_integers_are_the_decimal_ones() {
        let pts = [
            (
                d("2025-12-31"),
                "0.6234567890123456789012345678".parse().unwrap(),
            ),
            (d("2027-12-31"), Decimal::new(7, 1)),
            (d("2030-12-31"), Decimal::new(8, 1)),
        ];
        let t = d("2026-12-31");
        let e = interpolate(&pts, t).unwrap();
        // Far from the trajectory: decided, as decimals decide.
        for a in [
            Decimal::ZERO,
            Decimal::new(65, 2),
            Decimal::new(7, 1),
            Decimal::ONE,
        ] {
            assert_eq!(beside(&pts, t, a), Some(a.cmp(&e)), "{a}");
        }
        // On it, or within 10^-16 of it: left to decimals.
        assert_eq!(beside(&pts, t, e), None);
        assert_eq!(beside(&pts, t, e + Decimal::new(1, 17)), None);
        // Outside every segment, or out of range: left to decimals.
        assert_eq!(beside(&pts, d("2031-01-01"), Decimal::ONE), None);
        assert_eq!(beside(&pts, t, Decimal::new(10_000, 0)), None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn trajectory_side_equals_the_decimal_interpolation(
            v0 in -200_000_000_000i64..200_000_000_000, s0 in 0u32..=28,
            v1 in -20_000i64..20_000, s1 in 0u32..=6,
            span in 1i64..11_000, at in 0i64..11_000,
            off in -1_000_000_000i64..1_000_000_000, so in 0u32..=28,
        ) {
            let t0 = d("2025-12-31");
            let pts = [
                (t0, Decimal::new(v0, s0)),
                (t0 + chrono::Duration::days(span), Decimal::new(v1, s1)),
            ];
            let t = t0 + chrono::Duration::days(at % (span + 1));
            let e = interpolate(&pts, t).unwrap();
            // a near the decimal trajectory, at every distance down to 10^-28.
            let a = e.checked_add(Decimal::new(off, so)).unwrap_or(e);
            if let Some(ord) = beside(&pts, t, a) {
                proptest::prop_assert_eq!(ord, a.cmp(&e), "{} vs {}", a, e);
            }
        }
    }

    #[test]
    fn status_names_are_the_spec_names() {
        let names: Vec<&str> = Status::ALL.iter().map(|s| s.name()).collect();
        assert_eq!(
            names,
            [
                "met",
                "not_met",
                "on_track",
                "off_track",
                "in_progress",
                "no_data",
                "not_applicable",
                "error"
            ]
        );
        for s in Status::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.name());
            assert_eq!(Status::from_name(s.name()), Some(s));
        }
    }
}
