//! Observations stored for evaluation: one flat vector of [`Point`]s grouped by (indicator,
//! unit) and sorted by period, with an offset table (CSR). A series is a slice; the queries the
//! evaluator asks (current value as of a date, the value of one period) scan it backwards from
//! the end, without allocating.

use super::units::UnitId;
use crate::period::Period;
use chrono::NaiveDate;
use rayon::prelude::*;
use rust_decimal::Decimal;

/// The file index of points pushed from code rather than read from a file.
pub(super) const NO_FILE: u16 = u16::MAX;

/// The source index of points without a `source`.
const NO_SOURCE: u32 = u32::MAX;

/// One observation: a value of an indicator for a unit and period, possibly a snapshot taken
/// on an `as_of` date. 44 bytes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    value: Decimal,
    /// The period, packed so that its order is the order of periods by end date, then start.
    period: u32,
    /// The first day the point is visible: its `as_of`, or else its period's last day.
    seen: NaiveDate,
    as_of: Option<NaiveDate>,
    unit: u32,
    indicator: u16,
    file: u16,
    line: u32,
    source: u32,
}

impl Point {
    /// A point read from line `line` of file `file`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        indicator: u16,
        unit: UnitId,
        period: Period,
        as_of: Option<NaiveDate>,
        value: Decimal,
        file: u16,
        line: u32,
        source: Option<u32>,
    ) -> Point {
        Point::ended(
            indicator,
            unit,
            (period, period.end()),
            as_of,
            value,
            file,
            line,
            source,
        )
    }

    /// A point read from line `line` of file `file`, its period given with its last day (which
    /// a reader computes once for many points).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn ended(
        indicator: u16,
        unit: UnitId,
        (period, end): (Period, NaiveDate),
        as_of: Option<NaiveDate>,
        value: Decimal,
        file: u16,
        line: u32,
        source: Option<u32>,
    ) -> Point {
        Point {
            value,
            period: pack(period),
            seen: as_of.unwrap_or(end),
            as_of,
            unit: u32::try_from(unit.index()).unwrap_or(u32::MAX),
            indicator,
            file,
            line,
            source: source.unwrap_or(NO_SOURCE),
        }
    }

    /// The value. Percent-unit values are fractions (89.6% is 0.896), booleans 1 or 0, dates
    /// a day number (see [`date_value`](super::date_value)).
    pub fn value(&self) -> Decimal {
        self.value
    }

    /// The period the value is for.
    pub fn period(&self) -> Period {
        unpack(self.period)
    }

    /// The period's place in the order of periods (by last day, then first day): a later
    /// period has a larger number, the same period the same.
    pub fn period_order(&self) -> u32 {
        self.period
    }

    /// The date of measurement, for a snapshot of a period not yet over (year-to-date figures).
    pub fn as_of(&self) -> Option<NaiveDate> {
        self.as_of
    }

    /// The first day the value is known: its `as_of`, or else the last day of its period.
    pub fn visible_from(&self) -> NaiveDate {
        self.seen
    }

    /// The unit.
    pub fn unit(&self) -> UnitId {
        UnitId::from_u32(self.unit)
    }

    /// The indicator, as an index into the plan's `indicators`.
    pub fn indicator(&self) -> usize {
        usize::from(self.indicator)
    }

    /// Sort key inside a series; equal keys are duplicates.
    fn key(&self) -> (u32, NaiveDate) {
        (self.period, self.seen)
    }

    /// Where it was read: file index and line (`None` for points built in code).
    pub(super) fn origin(&self) -> Option<(usize, u32)> {
        (self.file != NO_FILE).then_some((usize::from(self.file), self.line))
    }

    pub(super) fn source_index(&self) -> Option<usize> {
        (self.source != NO_SOURCE).then(|| usize::try_from(self.source).unwrap_or(usize::MAX))
    }

    /// Points its `source` at another index of the sources (readers number a file's sources
    /// on their own, then renumber them).
    pub(super) fn set_source(&mut self, source: Option<u32>) {
        self.source = source.unwrap_or(NO_SOURCE);
    }

    /// A placeholder, for memory that readers fill in parallel.
    pub(super) const BLANK: Point = Point {
        value: Decimal::ZERO,
        period: 0,
        seen: NaiveDate::MIN,
        as_of: None,
        unit: 0,
        indicator: 0,
        file: NO_FILE,
        line: 0,
        source: NO_SOURCE,
    };
}

/// Packs a period as `year << 8 | last month << 4 | first month`: ordering the numbers orders
/// periods by their last day, then by their first (`2026` < `2026-H2` < `2026-Q4` < `2026-12`).
fn pack(p: Period) -> u32 {
    let (first, last) = p.months();
    let year = u32::try_from(p.year()).unwrap_or(0);
    year << 8 | last << 4 | first
}

fn unpack(k: u32) -> Period {
    let year = i32::try_from(k >> 8).unwrap_or(0);
    let last = u8::try_from(k >> 4 & 0xF).unwrap_or(0);
    let first = u8::try_from(k & 0xF).unwrap_or(0);
    match (first, last) {
        (1, 12) => Period::Year(year),
        (f, l) if f == l => Period::Month(year, f),
        (f, l) if l == f + 5 => Period::Half(year, l / 6),
        (_, l) => Period::Quarter(year, l / 3),
    }
}

/// Cuts series `0..n` (`offsets` has `n + 1` entries) into about `parts` runs of consecutive
/// series of about equal numbers of points, cut only before a multiple of `step` (a unit's
/// first series: a file in unit order then has every run's points in place): each run's
/// first series and first point, then `(n, points)`.
fn runs(offsets: &[u32], parts: usize, step: usize) -> Vec<(usize, usize)> {
    let n = offsets.len().saturating_sub(1);
    let total = offsets.last().copied().unwrap_or(0) as usize;
    let size = total.div_ceil(parts.max(1)).max(1);
    let mut runs = vec![(0, 0)];
    let mut next = size;
    for (s, &at) in offsets.iter().enumerate().take(n).skip(1) {
        if at as usize >= next && s.is_multiple_of(step.max(1)) {
            runs.push((s, at as usize));
            next = at as usize + size;
        }
    }
    runs.push((n, total));
    runs
}

/// In-place bucket permutation (American flag sort): `bounds[b]..bounds[b + 1]` is where the
/// points of bucket `b` (`bucket(p)`, less than `bounds.len() - 1`) go. Each swap puts one
/// point in its bucket for good, so grouping costs one pass and no second buffer.
fn permute(points: &mut [Point], bounds: &[usize], bucket: impl Fn(&Point) -> usize) {
    let mut next: Vec<usize> = bounds.to_vec();
    for b in 0..bounds.len().saturating_sub(1) {
        let end = bounds.get(b + 1).copied().unwrap_or(0);
        loop {
            let i = next.get(b).copied().unwrap_or(usize::MAX);
            if i >= end {
                break;
            }
            let Some(target) = points.get(i).map(&bucket) else {
                break;
            };
            if target == b {
                if let Some(n) = next.get_mut(b) {
                    *n += 1;
                }
            } else if let Some(n) = next.get_mut(target) {
                let j = *n;
                *n += 1;
                if j < points.len() {
                    points.swap(i, j);
                }
            } else {
                break;
            }
        }
    }
}

/// Groups a run of points into its series (`starts[k]..starts[k + 1]` for the points of
/// `series(p) == k`) keeping their order within each: a series read from a file that lists
/// its periods in order is then already sorted. Through a copy of the run in `spare`, memory
/// a thread uses again from run to run (every point of the copy is written).
fn scatter(
    run: &mut [Point],
    starts: &[usize],
    series: impl Fn(&Point) -> usize,
    spare: &mut Vec<Point>,
) {
    if spare.len() < run.len() {
        spare.resize(run.len(), Point::BLANK);
    }
    let Some(grouped) = spare.get_mut(..run.len()) else {
        return;
    };
    let mut next: Vec<usize> = starts.to_vec();
    for p in run.iter() {
        if let Some(n) = next.get_mut(series(p))
            && let Some(slot) = grouped.get_mut(*n)
        {
            *slot = *p;
            *n += 1;
        }
    }
    run.copy_from_slice(grouped);
}

/// Sorts each series of a run (`starts[k]..starts[k + 1]`) by period, then visibility date,
/// then file and line; returns the pairs of points sharing period and visibility date (first,
/// then the later one in file order) and whether visibility dates rise with periods.
fn sort_and_check(run: &mut [Point], starts: &[usize]) -> (Vec<(Point, Point)>, bool) {
    let mut duplicates = Vec::new();
    let mut monotone = true;
    for w in starts.windows(2) {
        let [a, b] = *w else {
            continue;
        };
        if let Some(series) = run.get_mut(a..b) {
            let key = |p: &Point| (p.period, p.seen, p.file, p.line);
            // Files list a series' periods in order, usually: nothing to sort.
            if !series.is_sorted_by_key(key) {
                series.sort_unstable_by_key(key);
            }
            duplicates.extend(series.windows(2).filter_map(|w| match w {
                [x, y] if x.key() == y.key() => Some((*x, *y)),
                _ => None,
            }));
            monotone &= series.windows(2).all(|w| match w {
                [x, y] => x.seen <= y.seen,
                _ => true,
            });
        }
    }
    (duplicates, monotone)
}

/// Observations, ready for evaluation.
///
/// Built by [`load_observations`](super::load_observations) or a
/// [`Loader`](super::Loader). Indicators are indices into the plan's `indicators`, units are
/// [`UnitId`]s of the [`Units`](super::Units) the data was read with.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    points: Vec<Point>,
    /// `points[offsets[s]..offsets[s + 1]]` is series `s = unit * indicators + indicator`:
    /// unit-major, as long-form files are usually sorted (so grouping them moves nothing) and
    /// as evaluation reads them (one unit's indicators together).
    offsets: Vec<u32>,
    indicators: usize,
    units: usize,
    files: Vec<String>,
    sources: Vec<Box<str>>,
    /// Whether in every series the visibility dates rise with the periods (no snapshot is seen
    /// before an earlier period's value): then the current value is found by binary search.
    monotone: bool,
}

impl Dataset {
    /// Groups points into series (in place) and sorts each series; returns the dataset and
    /// the pairs of points that share unit, indicator, period and visibility date (first, then
    /// the later one in file order).
    pub(super) fn build(
        mut points: Vec<Point>,
        indicators: usize,
        units: usize,
        files: Vec<String>,
        sources: Vec<Box<str>>,
    ) -> (Dataset, Vec<(Point, Point)>) {
        let series = |p: &Point| p.unit as usize * indicators + usize::from(p.indicator);
        let slots = indicators.saturating_mul(units);
        // The points of each series counted in one pass, a part of the points per thread;
        // points of no series are counted past the end (loaders only make points of known
        // units and indicators: the guard keeps the permutations below from ever chasing a
        // series that does not exist).
        let part = points
            .len()
            .div_ceil(rayon::current_num_threads().max(1))
            .max(1 << 16);
        let counts = points
            .par_chunks(part)
            .map(|part| {
                let mut counts = vec![0u32; slots + 2];
                for p in part {
                    if let Some(c) = counts.get_mut(series(p).min(slots) + 1) {
                        *c = c.wrapping_add(1);
                    }
                }
                counts
            })
            .reduce_with(|mut a, b| {
                for (x, y) in a.iter_mut().zip(b) {
                    *x = x.wrapping_add(y);
                }
                a
            })
            .unwrap_or_else(|| vec![0u32; slots + 2]);
        let mut offsets = counts;
        if offsets.pop().is_some_and(|outside| outside > 0) {
            points.retain(|p| series(p) < slots);
        }
        for i in 1..offsets.len() {
            let prev = offsets.get(i - 1).copied().unwrap_or(0);
            if let Some(c) = offsets.get_mut(i) {
                *c = c.saturating_add(prev);
            }
        }
        // Series are grouped in two steps: into runs of consecutive series of about equal
        // size (a file is usually in unit order, so this moves nothing), then each run into
        // its series, keeping file order, the runs in parallel, where each series is sorted
        // (when it is not already) and checked.
        // Runs of about a megabyte on a large dataset: a run and its copy stay in cache.
        let runs = runs(&offsets, rayon::current_num_threads() * 64, indicators);
        let run_of = |p: &Point| runs.partition_point(|&(first, _)| first <= series(p)) - 1;
        let bounds: Vec<usize> = runs.iter().map(|&(_, at)| at).collect();
        let in_place = runs.par_windows(2).enumerate().all(|(r, w)| {
            let (a, b) = (bounds.get(r).copied(), bounds.get(r + 1).copied());
            let run = points.get(a.unwrap_or(0)..b.unwrap_or(0)).unwrap_or(&[]);
            match w {
                [(first, _), (end, _)] => run.iter().all(|p| (*first..*end).contains(&series(p))),
                _ => true,
            }
        });
        if !in_place {
            permute(&mut points, &bounds, run_of);
        }
        let mut pieces = Vec::with_capacity(runs.len());
        let mut rest = points.as_mut_slice();
        for (r, w) in runs.windows(2).enumerate() {
            let (Some(a), Some(b)) = (bounds.get(r), bounds.get(r + 1)) else {
                break;
            };
            let (here, after) = rest.split_at_mut((b - a).min(rest.len()));
            rest = after;
            if let [(first, _), (last, _)] = w {
                pieces.push((*first..*last, here));
            }
        }
        let checked: Vec<(Vec<(Point, Point)>, bool)> = pieces
            .into_par_iter()
            .map_init(Vec::new, |spare, (range, run)| {
                let base = offsets.get(range.start).copied().unwrap_or(0) as usize;
                let starts: Vec<usize> = offsets
                    .get(range.start..=range.end)
                    .unwrap_or(&[])
                    .iter()
                    .map(|&o| o as usize - base)
                    .collect();
                scatter(run, &starts, |p| series(p) - range.start, spare);
                sort_and_check(run, &starts)
            })
            .collect();
        let monotone = checked.iter().all(|(_, m)| *m);
        let duplicates = checked.into_iter().flat_map(|(d, _)| d).collect();
        points.shrink_to_fit();
        let dataset = Dataset {
            points,
            offsets,
            indicators,
            units,
            files,
            sources,
            monotone,
        };
        (dataset, duplicates)
    }

    /// A copy of the dataset in which `indicator` has exactly these values (unit, period,
    /// `as_of`, value) and no others: how computed index totals join the data that goals read.
    pub fn with_values(
        &self,
        indicator: usize,
        values: impl IntoIterator<Item = (UnitId, Period, Option<NaiveDate>, Decimal)>,
    ) -> Dataset {
        let Ok(ind) = u16::try_from(indicator) else {
            return self.clone();
        };
        let mut points: Vec<Point> = self
            .points
            .iter()
            .filter(|p| p.indicator != ind)
            .copied()
            .collect();
        points.extend(
            values
                .into_iter()
                .map(|(u, p, a, v)| Point::new(ind, u, p, a, v, NO_FILE, 0, None)),
        );
        Dataset::build(
            points,
            self.indicators,
            self.units,
            self.files.clone(),
            self.sources.clone(),
        )
        .0
    }

    /// The number of observations.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether there are no observations.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// Every observation of an indicator for a unit, sorted by period (by last day, then first
    /// day), then by visibility date.
    pub fn series(&self, indicator: usize, unit: UnitId) -> &[Point] {
        let s = unit
            .index()
            .checked_mul(self.indicators)
            .and_then(|s| s.checked_add(indicator))
            .filter(|_| indicator < self.indicators && unit.index() < self.units);
        let Some(s) = s else {
            return &[];
        };
        match (self.offsets.get(s), self.offsets.get(s + 1)) {
            (Some(&a), Some(&b)) => self.points.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The current value at `t`: among the points visible at `t` (`as_of`, or else the end of
    /// their period, on or before `t`), the one of the latest period; of several snapshots of
    /// that period, the latest.
    ///
    /// ```
    /// # use chitieu::data::*;
    /// # let (plan, _) = chitieu::plan::load_str("p.yaml", "chitieu: 1\nplan: { id: P, title: T, period: 2026 .. 2030 }\nindicators:\n  score: { name: S, unit: points }\n");
    /// # let plan = plan.unwrap();
    /// let mut units = load_units(None, &plan).unwrap();
    /// let csv = "unit,indicator,period,value,as_of\n\
    ///            H61,score,2025,93.3,\n\
    ///            H61,score,2026,62.03,2026-10-10\n";
    /// let data = load_observations_str("d.csv", csv, Format::Csv, &plan, &mut units, Locale::Default).unwrap();
    /// let h61 = units.get("H61").unwrap();
    /// let at = |d: &str| chitieu::period::parse_date(d).unwrap();
    /// let now = data.current(0, h61, at("2026-11-01")).unwrap();
    /// assert_eq!(now.value().to_string(), "62.03");
    /// // Before the year-to-date figure was taken, the 2025 value is current.
    /// let then = data.current(0, h61, at("2026-10-09")).unwrap();
    /// assert_eq!(then.period().to_string(), "2025");
    /// ```
    pub fn current(&self, indicator: usize, unit: UnitId, t: NaiveDate) -> Option<&Point> {
        // Sorted by (period, seen): the last visible point has the latest period and, within
        // it, the latest snapshot.
        let series = self.series(indicator, unit);
        if self.monotone {
            // The last visible point, as the backward scan below would find it.
            let visible = series.partition_point(|p| p.seen <= t);
            return visible.checked_sub(1).and_then(|i| series.get(i));
        }
        series.iter().rev().find(|p| p.seen <= t)
    }

    /// The current value ([`current`](Self::current)) at each of `dates`, passed to `each` in
    /// order, with whether the point is its period's last snapshot (then the value of its
    /// period is [settled](Self::settled_from) from the day the point is visible): a history's
    /// column of an indicator. When the dates rise, the series is swept once from its start
    /// instead of searched at every date.
    pub fn current_each<'s>(
        &'s self,
        indicator: usize,
        unit: UnitId,
        dates: &[NaiveDate],
        mut each: impl FnMut(Option<&'s Point>, bool),
    ) {
        let series = self.series(indicator, unit);
        let mut pass = |i: Option<usize>| {
            let point = i.and_then(|i| series.get(i));
            let last = i.is_some_and(|i| {
                let next = series.get(i + 1);
                point.is_some_and(|p| next.is_none_or(|q| q.period != p.period))
            });
            each(point, last);
        };
        if !self.monotone {
            for &t in dates {
                pass(series.iter().rposition(|p| p.seen <= t));
            }
            return;
        }
        // Monotone: the points visible at `t` are a prefix of the series, longer at a later date.
        let mut visible = 0;
        let mut last = NaiveDate::MIN;
        for &t in dates {
            if t < last {
                visible = 0;
            }
            last = t;
            while series.get(visible).is_some_and(|p| p.seen <= t) {
                visible += 1;
            }
            pass(visible.checked_sub(1));
        }
    }

    /// The value of exactly `period` visible at `t` (its latest snapshot), with no fallback to
    /// other periods.
    pub fn at_period(
        &self,
        indicator: usize,
        unit: UnitId,
        period: Period,
        t: NaiveDate,
    ) -> Option<&Point> {
        let series = self.series(indicator, unit);
        let key = pack(period);
        let end = series.partition_point(|p| p.period <= key);
        series
            .get(..end)?
            .iter()
            .rev()
            .take_while(|p| p.period == key)
            .find(|p| p.seen <= t)
    }

    /// The first day from which the value of exactly `period` no longer changes: the day its
    /// last snapshot becomes visible. From then on, [`at_period`](Self::at_period) gives the
    /// same point at every date. `None`: the series has no point of that period, at any date.
    pub fn settled_from(
        &self,
        indicator: usize,
        unit: UnitId,
        period: Period,
    ) -> Option<NaiveDate> {
        // Sorted by (period, seen): the last point of the period is its last to be seen.
        let series = self.series(indicator, unit);
        let key = pack(period);
        let end = series.partition_point(|p| p.period <= key);
        end.checked_sub(1)
            .and_then(|i| series.get(i))
            .filter(|p| p.period == key)
            .map(|p| p.seen)
    }

    /// The target assigned for `date` as known at `t` (an indicator with `assigned: true`): the
    /// value of the period containing `date` or, when none does, of the latest period before
    /// it. Targets are set ahead of their period, so a point counts from the start unless it
    /// carries an `as_of` (a revised target, known from that day). Of several periods
    /// containing `date`, the one ending last; of several snapshots, the latest known at `t`.
    pub fn assigned(
        &self,
        indicator: usize,
        unit: UnitId,
        date: NaiveDate,
        t: NaiveDate,
    ) -> Option<&Point> {
        // Sorted by end: the periods containing `date` come after every period before it, so
        // the first point from the end that has started by `date` is of the period wanted.
        let chosen = self
            .series(indicator, unit)
            .iter()
            .rev()
            .filter(|p| p.as_of.is_none_or(|a| a <= t))
            .find(|p| p.period().start() <= date)?;
        self.assigned_in(indicator, unit, chosen.period(), t)
    }

    /// The target assigned for exactly `period` as known at `t` (see
    /// [`assigned`](Self::assigned)), with no fallback to other periods.
    pub fn assigned_in(
        &self,
        indicator: usize,
        unit: UnitId,
        period: Period,
        t: NaiveDate,
    ) -> Option<&Point> {
        let key = pack(period);
        // The latest revision known at `t`; a value without `as_of` counts from the start, so
        // it comes before every revision (`None` orders first).
        self.series(indicator, unit)
            .iter()
            .filter(|p| p.period == key && p.as_of.is_none_or(|a| a <= t))
            .max_by_key(|p| p.as_of)
    }

    /// The points visible at `t`, one per period (its latest snapshot), in period order: a
    /// series' history, for trajectories and charts. Reversible: `.rev()` starts from the
    /// current value.
    pub fn history(&self, indicator: usize, unit: UnitId, t: NaiveDate) -> History<'_> {
        History {
            rest: self.series(indicator, unit),
            t,
        }
    }

    /// The file a point was read from and its line there (`None` for points built in code).
    pub fn origin(&self, point: &Point) -> Option<(&str, u32)> {
        let (file, line) = point.origin()?;
        Some((self.files.get(file)?.as_str(), line))
    }

    /// The point's `source` cell.
    pub fn source(&self, point: &Point) -> Option<&str> {
        self.sources.get(point.source_index()?).map(|s| &**s)
    }

    /// The data files read, in order.
    pub fn files(&self) -> &[String] {
        &self.files
    }

    /// Bytes of memory the dataset holds (its vectors and strings), for capacity planning.
    pub fn heap_bytes(&self) -> usize {
        self.points.capacity() * std::mem::size_of::<Point>()
            + self.offsets.capacity() * std::mem::size_of::<u32>()
            + self.files.iter().map(String::capacity).sum::<usize>()
            + self.sources.iter().map(|s| s.len() + 16).sum::<usize>()
    }
}

/// The visible history of a series: see [`Dataset::history`].
#[derive(Clone, Debug)]
pub struct History<'a> {
    rest: &'a [Point],
    t: NaiveDate,
}

impl<'a> Iterator for History<'a> {
    type Item = &'a Point;

    fn next(&mut self) -> Option<&'a Point> {
        loop {
            let first = self.rest.first()?;
            let len = self
                .rest
                .iter()
                .take_while(|p| p.period == first.period)
                .count();
            let (group, rest) = self.rest.split_at_checked(len)?;
            self.rest = rest;
            if let Some(p) = group.iter().rev().find(|p| p.seen <= self.t) {
                return Some(p);
            }
        }
    }
}

impl<'a> DoubleEndedIterator for History<'a> {
    fn next_back(&mut self) -> Option<&'a Point> {
        loop {
            let last = self.rest.last()?;
            let len = self
                .rest
                .iter()
                .rev()
                .take_while(|p| p.period == last.period)
                .count();
            let (rest, group) = self.rest.split_at_checked(self.rest.len() - len)?;
            self.rest = rest;
            if let Some(p) = group.iter().rev().find(|p| p.seen <= self.t) {
                return Some(p);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `current_each` is `current` at every date, in rising and in any order, with snapshots
    /// seen before an earlier period's value (a series that is not monotone) or not.
    #[test]
    fn current_each_is_current_at_every_date() {
        let d = |s: &str| crate::period::parse_date(s).unwrap();
        let u = UnitId::from_u32(0);
        let point = |period: &str, as_of: Option<&str>, v: i64| {
            Point::new(
                0,
                u,
                period.parse().unwrap(),
                as_of.map(d),
                Decimal::from(v),
                0,
                0,
                None,
            )
        };
        let monotone = vec![
            point("2025", None, 1),
            point("2026", Some("2026-06-30"), 2),
            point("2026", None, 3),
            point("2026", Some("2027-01-10"), 4),
            point("2027-01", None, 5),
        ];
        let mut shuffled = monotone.clone();
        // A 2027 snapshot seen before the 2026 revision: visibility no longer rises with periods.
        shuffled.push(point("2027", Some("2027-01-15"), 6));
        let dates = [
            "2025-12-30",
            "2025-12-31",
            "2026-06-30",
            "2026-12-31",
            "2027-01-20",
            "2027-01-31",
            "2027-02-01",
            "2027-12-31",
            "2026-07-01",
        ]
        .map(d);
        for points in [monotone, shuffled] {
            let (data, _) = Dataset::build(points, 1, 1, Vec::new(), Vec::new());
            let mut each = Vec::new();
            data.current_each(0, u, &dates, |p, last| each.push((p.copied(), last)));
            for (&t, (p, last)) in dates.iter().zip(each) {
                assert_eq!(p.as_ref(), data.current(0, u, t), "{t}");
                let settled = p.and_then(|p| data.settled_from(0, u, p.period()));
                assert_eq!(
                    last,
                    p.is_some() && settled == p.map(|p| p.visible_from()),
                    "{t}"
                );
            }
        }
    }

    #[test]
    fn runs_are_cut_before_a_units_first_series_only() {
        // 10 units of 3 indicators, 4 points in each series.
        let offsets: Vec<u32> = (0..=30).map(|s| s * 4).collect();
        let r = runs(&offsets, 7, 3);
        assert_eq!((r.first(), r.last()), (Some(&(0, 0)), Some(&(30, 120))));
        assert!(r.len() > 4, "{r:?}");
        assert!(r.iter().all(|&(s, at)| s % 3 == 0 && at == s * 4), "{r:?}");
    }

    #[test]
    fn a_point_takes_44_bytes() {
        assert_eq!(std::mem::size_of::<Point>(), 44);
    }

    #[test]
    fn packed_periods_round_trip_and_order_by_end_then_start() {
        let ps = [
            "2026", "2026-H1", "2026-H2", "2026-Q1", "2026-Q4", "2026-01", "2026-12",
        ];
        for t in ps {
            let p: Period = t.parse().unwrap();
            assert_eq!(unpack(pack(p)), p, "{t}");
        }
        for t in ps {
            let p: Period = t.parse().unwrap();
            let point = Point::new(0, UnitId::from_u32(0), p, None, Decimal::ONE, 0, 0, None);
            assert_eq!(point.period_order(), pack(p), "{t}");
        }
        let k = |t: &str| pack(t.parse().unwrap());
        assert!(k("2026") < k("2026-H2"));
        assert!(k("2026-H2") < k("2026-Q4"));
        assert!(k("2026-Q4") < k("2026-12"));
        assert!(k("2026-06") < k("2026"));
        assert!(k("2026-12") < k("2027-01"));
    }
}
