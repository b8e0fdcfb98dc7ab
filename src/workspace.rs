//! The library's front door: the whole pipeline, from files to results, in a few calls.
//!
//! A [`Workspace`] reads files through a resolver ([`Files`]: the disk, memory, or open
//! buffers over the disk). [`Workspace::check_file`] loads and checks one plan file;
//! [`Workspace::open`] loads a plan, its includes, a unit registry and observations, checks
//! them and compiles the plan once, giving a [`Project`]. A project evaluates as of a date
//! (index scores first, their totals given to the goals that read them), runs a month-by-month
//! history (the totals as they stand at each month-end), and explains a goal or a score.
//!
//! This is the only place that knows the order of the stages: the command line, the language
//! server and the browser workbench all go through it, so they give the same answers.
//!
//! ```
//! use chitieu::{Inputs, Workspace, date};
//!
//! let project = Workspace::new().open(
//!     &Inputs::new("plans/vinh-long/thi-dua-766-2026.yaml")
//!         .data("examples/data/thi-dua-766.csv")
//!         .units("examples/data/units.csv"),
//! )?;
//! let report = project.evaluate(date(2026, 10, 31)?)?;
//! let so = report.results().iter().find(|r| r.goal == "thi-dua.so" && r.unit == "H61");
//! assert!(so.is_some_and(|r| r.status != chitieu::Status::NoData));
//! # Ok::<(), chitieu::Error>(())
//! ```

use crate::check::CheckedPlan;
use crate::data::{Dataset, Loader, Locale, Units, load_units_with};
use crate::diag::{Diagnostic, Severity};
use crate::eval::{
    Compiled, Evaluation, GoalResult, History, Options, Status, Trajectory, month_ends, trajectory,
};
use crate::files::{FileSystem, Files};
use crate::lang::Lang;
use crate::period::Period;
use crate::score::{ScoreExplanation, Scores};
use chrono::NaiveDate;
use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

/// Where the pipeline reads its files, and the calls that run it.
pub struct Workspace {
    files: Box<dyn Files>,
}

impl Default for Workspace {
    fn default() -> Workspace {
        Workspace::new()
    }
}

impl fmt::Debug for Workspace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Workspace").finish_non_exhaustive()
    }
}

/// What a project is made of: a plan file, observation files, a unit registry.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Inputs {
    /// The plan file.
    pub plan: PathBuf,
    /// Observation files (CSV, YAML or JSON, by extension).
    pub data: Vec<PathBuf>,
    /// The unit registry (CSV, YAML or JSON), if any.
    pub units: Option<PathBuf>,
    /// How numbers in data files are written (a file's `# locale: vi` line wins).
    pub locale: Locale,
    /// The language of messages and explanations (default: the plan's `lang`).
    pub lang: Option<Lang>,
    /// Read only this sheet of spreadsheet data files (default: every sheet with a data
    /// header).
    pub sheet: Option<String>,
}

impl Inputs {
    /// A plan file, with no data yet.
    pub fn new(plan: impl Into<PathBuf>) -> Inputs {
        Inputs {
            plan: plan.into(),
            ..Inputs::default()
        }
    }

    /// Adds an observation file.
    pub fn data(mut self, path: impl Into<PathBuf>) -> Inputs {
        self.data.push(path.into());
        self
    }

    /// Sets the unit registry.
    pub fn units(mut self, path: impl Into<PathBuf>) -> Inputs {
        self.units = Some(path.into());
        self
    }

    /// Sets the number format of the data files.
    pub fn locale(mut self, locale: Locale) -> Inputs {
        self.locale = locale;
        self
    }

    /// Sets the language of messages and explanations.
    pub fn lang(mut self, lang: Lang) -> Inputs {
        self.lang = Some(lang);
        self
    }
}

/// The stage of the pipeline an [`Error`] comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Stage {
    /// Reading the plan and its includes.
    Plan,
    /// Checking the plan: names, units, cycles, deadlines.
    Check,
    /// Reading the unit registry.
    Units,
    /// Reading the observations.
    Data,
    /// The request itself: an unknown unit or goal, a date out of range.
    Query,
}

/// Why the pipeline stopped: every diagnostic of the stage that failed.
///
/// `Display` renders the diagnostics as the command line does (file, line, column, the
/// underlined text and a hint), in the language of the plan or of [`Inputs::lang`].
#[derive(Clone, Debug)]
pub struct Error {
    stage: Stage,
    diagnostics: Vec<Diagnostic>,
    lang: Lang,
}

impl Error {
    fn new(stage: Stage, diagnostics: Vec<Diagnostic>, lang: Lang) -> Error {
        Error {
            stage,
            diagnostics,
            lang,
        }
    }

    /// The stage that failed.
    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// The diagnostics, as values.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The language `Display` renders in.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Whether the request could not be run at all (a file that cannot be read, an unknown
    /// unit or goal asked for), rather than inputs with findings: the command line's exit
    /// code 2 rather than 1.
    pub fn could_not_run(&self) -> bool {
        self.stage == Stage::Query
            || self.diagnostics.iter().any(|d| {
                d.location.is_none() && d.code() == "io" || d.code() == "unit-registry-needed"
            })
    }

    /// The diagnostics rendered in a language, with or without colour.
    pub fn render(&self, lang: Lang, style: crate::report::Style) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            out.push_str(&crate::report::render_diagnostic(d, lang, style));
            out.push('\n');
        }
        out
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            self.render(self.lang, crate::report::Style::default())
                .trim_end(),
        )
    }
}

impl std::error::Error for Error {}

/// The result of checking one file.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct FileCheck {
    /// The file.
    pub path: PathBuf,
    /// The plan's language, when the file could be read as a plan.
    pub lang: Option<Lang>,
    /// Every finding, errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// What could be read of the plan (its well-formed parts, includes merged), for front ends
    /// that look inside it (a language server's hover and completion); `None` when the file
    /// could not be read as a plan at all.
    pub plan: Option<crate::plan::Plan>,
}

impl FileCheck {
    /// How many findings are errors.
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Whether the file could not be read at all.
    pub fn unreadable(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.location.is_none() && d.code() == "io")
    }
}

impl Workspace {
    /// A workspace over the disk.
    pub fn new() -> Workspace {
        Workspace::with_files(FileSystem)
    }

    /// A workspace over any resolver: files in memory, open buffers over the disk.
    ///
    /// ```
    /// use chitieu::files::InMemory;
    /// let mut files = InMemory::new();
    /// files.insert("p.yaml", "chitieu: 1\nplan: { id: P, title: T, period: 2026 .. 2030 }\n\
    ///     indicators:\n  x: { name: X, unit: percent }\n\
    ///     goals:\n  - { id: g, title: G, rule: x > 80% by 2030-12-31 }\n");
    /// files.insert("d.csv", "unit,indicator,period,value\nA,x,2026,85\n");
    /// let ws = chitieu::Workspace::with_files(files);
    /// let project = ws.open(&chitieu::Inputs::new("p.yaml").data("d.csv")).unwrap();
    /// let report = project.evaluate(chitieu::date(2027, 1, 1).unwrap()).unwrap();
    /// assert_eq!(report.results()[0].status, chitieu::Status::Met);
    /// ```
    pub fn with_files(files: impl Files + 'static) -> Workspace {
        Workspace {
            files: Box::new(files),
        }
    }

    /// The resolver files are read through.
    pub fn files(&self) -> &dyn Files {
        self.files.as_ref()
    }

    /// Loads and checks one plan file (a plan or a shared catalogue included by plans):
    /// every finding of reading and checking it.
    pub fn check_file(&self, path: impl AsRef<Path>) -> FileCheck {
        let path = path.as_ref();
        let (plan, mut diagnostics) = crate::plan::load_with(self.files(), path);
        if let Some(plan) = &plan {
            diagnostics.extend(crate::check::check(plan));
        }
        FileCheck {
            path: path.to_path_buf(),
            lang: plan.as_ref().map(|p| p.lang),
            diagnostics,
            plan,
        }
    }

    /// Loads and checks a plan: the checked plan, or the diagnostics of the stage that failed.
    pub fn plan(&self, path: impl AsRef<Path>, lang: Option<Lang>) -> Result<CheckedPlan, Error> {
        let fallback = lang.unwrap_or(Lang::En);
        let (plan, mut diags) = crate::plan::load_with(self.files(), path.as_ref());
        let plan = match plan {
            Some(p) if !p.fragment && !has_error(&diags) => p,
            Some(p) => {
                if p.fragment {
                    // A catalogue checks on its own, but is not a plan to evaluate.
                    diags.push(Diagnostic::error(
                        crate::plan::Kind::MissingKey { key: "plan".into() },
                        crate::source::Location::new(&p.location.file, 0, 0),
                    ));
                }
                return Err(Error::new(Stage::Plan, diags, lang.unwrap_or(p.lang)));
            }
            None => return Err(Error::new(Stage::Plan, diags, fallback)),
        };
        let lang = lang.unwrap_or(plan.lang);
        crate::check::checked(plan).map_err(|d| Error::new(Stage::Check, d, lang))
    }

    /// Loads, checks and compiles a plan, and loads its units and observations: a project
    /// ready to evaluate many times.
    pub fn open(&self, inputs: &Inputs) -> Result<Project, Error> {
        let plan = self.plan(&inputs.plan, inputs.lang)?;
        let lang = inputs.lang.unwrap_or(plan.lang);
        let mut units = load_units_with(self.files(), inputs.units.as_deref(), &plan)
            .map_err(|d| Error::new(Stage::Units, d, lang))?;
        let mut loader = Loader::new(&plan, &mut units, inputs.locale).with_files(self.files());
        loader.only_sheet(inputs.sheet.clone());
        for path in &inputs.data {
            loader.read_path(path);
        }
        let mut warnings = plan.warnings().to_vec();
        warnings.extend_from_slice(loader.warnings());
        let data = loader
            .finish()
            .map_err(|d| Error::new(Stage::Data, d, lang))?;
        Ok(Project {
            compiled: Compiled::new(plan),
            units,
            data,
            lang,
            warnings,
        })
    }
}

fn has_error(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

/// What to evaluate: a date, and optionally only some units and goals.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Query {
    /// The evaluation date.
    pub as_of: NaiveDate,
    /// Only these units (ids); empty: every unit.
    pub units: Vec<String>,
    /// Only these goals (ids); empty: every goal.
    pub goals: Vec<String>,
}

impl Query {
    /// Every unit and goal as of a date.
    pub fn new(as_of: NaiveDate) -> Query {
        Query {
            as_of,
            units: Vec::new(),
            goals: Vec::new(),
        }
    }

    /// Only these units.
    pub fn units(mut self, ids: impl IntoIterator<Item = impl Into<String>>) -> Query {
        self.units = ids.into_iter().map(Into::into).collect();
        self
    }

    /// Only these goals.
    pub fn goals(mut self, ids: impl IntoIterator<Item = impl Into<String>>) -> Query {
        self.goals = ids.into_iter().map(Into::into).collect();
        self
    }
}

/// A checked, compiled plan with its units and observations.
#[derive(Debug)]
pub struct Project {
    compiled: Compiled,
    units: Units,
    data: Dataset,
    lang: Lang,
    warnings: Vec<Diagnostic>,
}

/// The results of an evaluation: per (unit, goal) results and, for a plan with an index, the
/// index scores. Serialises as the `chitieu.eval/v1` JSON document.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Report {
    /// Per (unit, goal) results.
    pub evaluation: Evaluation,
    /// The index scores, for a plan with an index (only the selected units').
    pub scores: Option<Scores>,
    /// The language explanations and messages are put into words in.
    pub lang: Lang,
}

impl Report {
    /// The results, units in registry order, goals in plan order.
    pub fn results(&self) -> &[GoalResult] {
        &self.evaluation.results
    }

    /// Whether any result has one of these statuses (the command line's `--fail-on`).
    pub fn any(&self, statuses: &[Status]) -> bool {
        self.results().iter().any(|r| statuses.contains(&r.status))
    }

    /// The `chitieu.eval/v1` JSON document.
    pub fn to_json(&self) -> serde_json::Value {
        let scores = self
            .scores
            .as_ref()
            .map_or_else(|| serde_json::json!([]), crate::report::scores_json);
        crate::report::eval_json(&self.evaluation, scores, self.lang)
    }
}

impl Serialize for Report {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

impl Project {
    /// The checked plan.
    pub fn plan(&self) -> &CheckedPlan {
        self.compiled.plan()
    }

    /// The compiled plan.
    pub fn compiled(&self) -> &Compiled {
        &self.compiled
    }

    /// The units.
    pub fn units(&self) -> &Units {
        &self.units
    }

    /// The observations as loaded (without index totals).
    pub fn data(&self) -> &Dataset {
        &self.data
    }

    /// The language of messages and explanations.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The plan's warnings.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    fn error(&self, stage: Stage, diagnostics: Vec<Diagnostic>) -> Error {
        Error::new(stage, diagnostics, self.lang)
    }

    /// The index scores as of a date (`None`: the plan has no index).
    pub fn scores(&self, as_of: NaiveDate) -> Option<Scores> {
        crate::score::compute(&self.compiled, &self.data, &self.units, as_of)
    }

    /// The data as goals see it as of a date: the observations, plus the index totals for a
    /// plan whose goals read them.
    fn data_at(&self, scores: Option<&Scores>, as_of: NaiveDate) -> Cow<'_, Dataset> {
        match scores {
            Some(s) if self.reads_totals() => Cow::Owned(crate::score::with_totals(
                &self.compiled,
                &self.data,
                s,
                &self.units,
                as_of,
            )),
            _ => Cow::Borrowed(&self.data),
        }
    }

    fn reads_totals(&self) -> bool {
        self.compiled
            .index
            .as_ref()
            .is_some_and(|ci| ci.total.is_some())
    }

    fn options(&self, q: &Query) -> Options {
        Options {
            as_of: q.as_of,
            units: q.units.clone(),
            goals: q.goals.clone(),
        }
    }

    /// Every goal for every unit as of a date.
    pub fn evaluate(&self, as_of: NaiveDate) -> Result<Report, Error> {
        self.evaluate_query(&Query::new(as_of))
    }

    /// The goals and units a query selects, as of its date.
    pub fn evaluate_query(&self, q: &Query) -> Result<Report, Error> {
        self.evaluate_in_chunks(q, usize::MAX, |_, _| {})
    }

    /// [`evaluate_query`](Project::evaluate_query) a few units at a time, calling `progress`
    /// with the number of units done and the total after each chunk of `chunk` units (a
    /// progress bar). The report is the same.
    pub fn evaluate_in_chunks(
        &self,
        q: &Query,
        chunk: usize,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<Report, Error> {
        check_date(q.as_of).map_err(|d| self.error(Stage::Query, vec![d]))?;
        // Index scores first: goals may read the index total (`score_766 >= 97`).
        let mut scores = self.scores(q.as_of);
        let data = self.data_at(scores.as_ref(), q.as_of);
        let run = |part: &Query| {
            crate::eval::evaluate(&self.compiled, &data, &self.units, &self.options(part))
                .map_err(|d| self.error(Stage::Query, d))
        };
        let total = if q.units.is_empty() {
            self.units.len()
        } else {
            q.units.len()
        };
        let mut evaluation: Option<Evaluation> = None;
        if chunk < total {
            let all: Vec<String> = if q.units.is_empty() {
                self.units.iter().map(|(_, info)| info.id.clone()).collect()
            } else {
                q.units.clone()
            };
            let mut done = 0;
            for ids in all.chunks(chunk.max(1)) {
                let part = Query {
                    units: ids.to_vec(),
                    ..q.clone()
                };
                let ev = run(&part)?;
                match evaluation.as_mut() {
                    None => evaluation = Some(ev),
                    Some(m) => {
                        m.results.extend(ev.results);
                        m.sdg.extend(ev.sdg);
                    }
                }
                done += ids.len();
                progress(done, total);
            }
        }
        let evaluation = match evaluation {
            Some(ev) => ev,
            None => {
                let ev = run(q)?;
                progress(total, total);
                ev
            }
        };
        if let Some(s) = scores.as_mut().filter(|_| !q.units.is_empty()) {
            s.units.retain(|u| q.units.contains(&u.unit));
        }
        Ok(Report {
            evaluation,
            scores,
            lang: self.lang,
        })
    }

    /// One goal for one unit, with its explanation.
    pub fn explain(&self, as_of: NaiveDate, unit: &str, goal: &str) -> Result<Report, Error> {
        self.evaluate_query(&Query::new(as_of).units([unit]).goals([goal]))
    }

    /// Why a unit scored what it did: every group and metric of its index scores, with the
    /// formulas and the values they read. `Ok(None)` when the plan has no index.
    pub fn explain_score(
        &self,
        as_of: NaiveDate,
        unit: &str,
    ) -> Result<Option<(Scores, Vec<ScoreExplanation>)>, Error> {
        check_date(as_of).map_err(|d| self.error(Stage::Query, vec![d]))?;
        let only = Options {
            units: vec![unit.to_string()],
            ..Options::new(as_of)
        };
        crate::eval::selection(&self.compiled, &self.units, &only)
            .map_err(|d| self.error(Stage::Query, d))?;
        let Some(scores) = self.scores(as_of) else {
            return Ok(None);
        };
        let ex = crate::score::explain(
            &self.compiled,
            &self.data,
            &self.units,
            &scores,
            unit,
            as_of,
        );
        Ok(Some((scores, ex)))
    }

    /// A status history: the selected (unit, goal) pairs at the end of every month from `from`
    /// to `to` (the query's date is not used). Each month-end is judged on the index totals as
    /// they stand at that date, so the history equals separate evaluations at each date.
    pub fn history(&self, q: &Query, from: Period, to: Period) -> Result<History<'_>, Error> {
        let dates = month_ends(from, to);
        for &d in dates.first().into_iter().chain(dates.last()) {
            check_date(d).map_err(|d| self.error(Stage::Query, vec![d]))?;
        }
        let segments = self.segments(&dates);
        History::segmented(
            &self.compiled,
            &self.units,
            &self.options(q),
            dates,
            segments,
        )
        .map_err(|d| self.error(Stage::Query, d))
    }

    /// The data each run of dates is judged on: one run over the observations when no goal
    /// reads the index totals; otherwise a run per stretch of dates with equal totals.
    fn segments(&self, dates: &[NaiveDate]) -> Vec<(Cow<'_, Dataset>, usize)> {
        if !self.reads_totals() {
            return vec![(Cow::Borrowed(&self.data), dates.len())];
        }
        let mut out: Vec<(Cow<'_, Dataset>, usize)> = Vec::new();
        let mut last: Option<Vec<TotalKey>> = None;
        for &d in dates {
            let scores = self.scores(d);
            let key = totals_key(scores.as_ref(), d);
            match out.last_mut() {
                Some((_, n)) if last.as_ref() == Some(&key) => *n += 1,
                _ => {
                    out.push((self.data_at(scores.as_ref(), d), 1));
                    last = Some(key);
                }
            }
        }
        out
    }

    /// Per goal, the trajectories of the first `per_goal` applicable units with observed
    /// values (what the HTML report charts).
    pub fn trajectories(&self, report: &Report, per_goal: usize) -> Vec<Trajectory> {
        let as_of = report.evaluation.as_of;
        let data = self.data_at(report.scores.as_ref(), as_of);
        let mut drawn: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        let mut out = Vec::new();
        for r in report
            .results()
            .iter()
            .filter(|r| r.status != Status::NotApplicable)
        {
            let n = drawn.entry(r.goal.as_str()).or_insert(0);
            if *n >= per_goal {
                continue;
            }
            if let Some(t) = trajectory(&self.compiled, &data, &self.units, &r.unit, &r.goal, as_of)
                .filter(|t| !t.observed.is_empty())
            {
                *n += 1;
                out.push(t);
            }
        }
        out
    }

    /// The HTML report as a folder of pages (see [`eval_html_site`](crate::report::eval_html_site)):
    /// the roll-up's index and a page per top-level unit, with the trajectories of the
    /// top-level units' own goals.
    pub fn html_site(
        &self,
        report: &Report,
        rollup: &crate::report::Rollup,
    ) -> Vec<crate::report::Page> {
        let as_of = report.evaluation.as_of;
        let data = self.data_at(report.scores.as_ref(), as_of);
        let mut trajectories = Vec::new();
        for t in &rollup.tops {
            for &i in &t.own {
                let Some(r) = report.results().get(i) else {
                    continue;
                };
                if r.status == Status::NotApplicable {
                    continue;
                }
                if let Some(tr) =
                    trajectory(&self.compiled, &data, &self.units, &r.unit, &r.goal, as_of)
                        .filter(|t| !t.observed.is_empty())
                {
                    trajectories.push(tr);
                }
            }
        }
        let kinds: std::collections::HashMap<String, String> = self
            .units
            .iter()
            .map(|(_, info)| {
                let kind = info
                    .kind
                    .and_then(|k| self.plan().kinds.get(k))
                    .map(|k| k.name.clone())
                    .unwrap_or_default();
                (info.id.clone(), kind)
            })
            .collect();
        crate::report::eval_html_site(
            &report.evaluation,
            rollup,
            &trajectories,
            &kinds,
            report.scores.as_ref(),
            self.lang,
        )
    }

    /// The roll-up of a report (counts per goal and unit kind, the matrix of top-level units ×
    /// goals, the results needing attention, the index by rank), counted from its results.
    pub fn rollup(&self, report: &Report) -> crate::report::Rollup {
        let kinds: Vec<&str> = self.plan().kinds.iter().map(|k| k.name.as_str()).collect();
        crate::report::Rollup::new(
            &report.evaluation,
            self.units(),
            &kinds,
            report.scores.as_ref(),
        )
    }

    /// The self-contained HTML page of a report, with its charts.
    pub fn html(&self, report: &Report) -> String {
        let rules: Vec<(String, String)> = self
            .plan()
            .goals
            .iter()
            .map(|g| (g.id.name.clone(), g.rule.text.text.clone()))
            .collect();
        let trajectories = self.trajectories(report, crate::report::CHARTS_PER_GOAL);
        crate::report::eval_html(
            &report.evaluation,
            &rules,
            &trajectories,
            report.scores.as_ref(),
            self.lang,
        )
    }
}

/// What goals read of the index at a date: per scored unit and period, its total and the date
/// it is visible from.
type TotalKey = (
    String,
    Period,
    Option<NaiveDate>,
    Option<rust_decimal::Decimal>,
);

fn totals_key(scores: Option<&Scores>, as_of: NaiveDate) -> Vec<TotalKey> {
    scores.map_or_else(Vec::new, |s| {
        s.units
            .iter()
            .map(|u| {
                let seen = (u.period.end() > as_of).then_some(as_of);
                (u.unit.clone(), u.period, seen, u.total)
            })
            .collect()
    })
}

/// Evaluation dates the library accepts: the years dates in plans and data may have
/// ([`period::YEARS`](crate::period::YEARS)), as the command line reads them.
/// A date such as `NaiveDate::MAX` would make a history or a trajectory walk every month to
/// the year 262,142.
pub fn check_date(d: NaiveDate) -> Result<(), Diagnostic> {
    use chrono::Datelike;
    if crate::period::YEARS.contains(&d.year()) {
        Ok(())
    } else {
        Err(date_error(d.to_string()))
    }
}

/// A calendar date, for library callers: `date(2026, 10, 31)`.
///
/// ```
/// assert!(chitieu::date(2026, 2, 30).is_err());
/// assert_eq!(chitieu::date(2026, 10, 31).unwrap().to_string(), "2026-10-31");
/// ```
pub fn date(year: i32, month: u32, day: u32) -> Result<NaiveDate, Error> {
    NaiveDate::from_ymd_opt(year, month, day)
        .filter(|d| check_date(*d).is_ok())
        .ok_or_else(|| {
            Error::new(
                Stage::Query,
                vec![date_error(format!("{year:04}-{month:02}-{day:02}"))],
                Lang::En,
            )
        })
}

fn date_error(text: String) -> Diagnostic {
    Diagnostic::new(crate::syntax::Kind::InvalidDate { text })
}
