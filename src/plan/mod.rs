//! Plan files: the YAML model, read with positions, `include:`s merged, rules parsed.
//!
//! [`load`] reads a plan file and everything it includes into a [`Plan`]: the plan's header,
//! unit kinds, inline units, indicators and goals, each rule and formula parsed into the AST of
//! [`crate::syntax`] and kept with its [`ScalarText`], so a fault found later points at the file.
//! Names are not resolved here: that is [`crate::check`]'s work.

mod canonical;
mod keys;
mod kind;
mod load;
mod raw;
mod recover;
mod scalar;

pub use canonical::{
    MeaningChanged, Rewrite, apply, format_file, format_str, misread_rule, rule_rewrites,
};
pub use keys::{Key, keys_at};
pub use kind::Kind;
pub use load::{MAX_PLAN_BYTES, load, load_partial, load_str, load_with};
pub(crate) use load::{node_location, yaml_error};
pub use scalar::ScalarText;

/// The JSON Schema (draft 2020-12) of the plan file format, generated from the loader's own
/// model, so that editors can complete and validate plan files. Unknown keys are rejected, as
/// the loader rejects them.
///
/// ```
/// let schema = chitieu::plan::schema();
/// assert_eq!(schema["additionalProperties"], false);
/// assert!(schema["required"].as_array().unwrap().contains(&"chitieu".into()));
/// ```
pub fn schema() -> serde_json::Value {
    raw::schema()
}

/// Whether a text is a plan file (or a catalogue): it has a top-level `chitieu:` key. YAML
/// files without one (data, a unit registry, a CI workflow) are not chitieu's to read.
///
/// ```
/// assert!(chitieu::plan::is_plan_text("# a plan\nchitieu: 1\n"));
/// assert!(!chitieu::plan::is_plan_text("jobs:\n  chitieu: 1\n"));
/// ```
pub fn is_plan_text(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .lines()
        .any(|line| line.starts_with("chitieu:"))
}

use crate::lang::Lang;
use crate::period::Period;
use crate::source::{Location, SourceFile};
use crate::syntax::{Expr, Rule};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// A plan: its header and what it declares, includes merged.
#[derive(Clone, Debug, Serialize)]
pub struct Plan {
    /// The plan's number or id (`22/KH-UBND`).
    pub id: String,
    /// Its title.
    pub title: String,
    /// Who issued it.
    pub issuer: Option<String>,
    /// The days it covers.
    pub period: PlanPeriod,
    /// The period `baseline(x)` reads.
    pub baseline: Option<Period>,
    /// The language of its text, and the default language of reports (`en` when not given).
    pub lang: Lang,
    /// The documents it rests on.
    pub sources: Vec<String>,
    /// The unit kinds, from the top of the tree down (`province`, `department`, `commune`).
    pub kinds: Vec<Named>,
    /// Units declared in the plan files (more may come from a unit registry).
    pub units: Vec<UnitDef>,
    /// Indicators, included files' first.
    pub indicators: Vec<Indicator>,
    /// Sources of records that measures count, included files' first.
    pub records: Vec<RecordSource>,
    /// Goals, included files' first.
    pub goals: Vec<Goal>,
    /// The weighted index the plan defines (its own, or an included file's), if any.
    pub index: Option<Index>,
    /// Whether the file is a fragment without a `plan:` header (a shared catalogue, say):
    /// it can be checked, and included by plans, but not evaluated.
    #[serde(skip)]
    pub fragment: bool,
    /// Every file read, the plan file first.
    #[serde(skip)]
    pub files: Vec<Arc<SourceFile>>,
    /// Where the plan's header is (for findings about the plan as a whole).
    #[serde(skip)]
    pub location: Location,
    /// Ids of the indicators whose entries were faulty (reported when loading, then left
    /// out): the check does not report their uses again as unknown names.
    #[serde(skip)]
    pub(crate) unreadable: Vec<String>,
}

/// A rule-language text of a plan: a goal's rule or milestone, an indicator's formula, an
/// index group's or metric's score formula.
#[derive(Clone, Copy, Debug)]
pub struct Expression<'p> {
    /// The scalar it was read from, with its place in the file.
    pub text: &'p ScalarText,
    /// The parsed expression (a rule's condition, without its deadline).
    pub expr: &'p Expr,
}

impl Plan {
    /// Every rule-language text of the plan and of the files it includes: goal rules and
    /// milestones, then indicator formulas, then index score formulas.
    ///
    /// ```
    /// let plan = chitieu::plan::load("plans/vinh-long/22-kh-ubnd-2026-2030.yaml").unwrap();
    /// assert!(plan.expressions().any(|e| e.text.text.starts_with("online_rate > 80%")));
    /// assert!(plan.expressions().any(|e| e.text.text == "online_dossiers / total_dossiers"));
    /// ```
    pub fn expressions(&self) -> impl Iterator<Item = Expression<'_>> {
        let rules = self.goals.iter().flat_map(|g| {
            std::iter::once(&g.rule)
                .chain(&g.milestones)
                .map(|r| Expression {
                    text: &r.text,
                    expr: &r.rule.expr,
                })
        });
        let formulas = self.indicators.iter().filter_map(|i| i.formula.as_ref());
        let scores = self
            .index
            .iter()
            .flat_map(|x| &x.groups)
            .flat_map(|g| g.score.iter().chain(g.metrics.iter().map(|m| &m.score)));
        rules.chain(formulas.chain(scores).map(|f| Expression {
            text: &f.text,
            expr: &f.expr,
        }))
    }
}

/// A source of records (`records:`): a table of dossiers, one row per record.
#[derive(Clone, Debug, Serialize)]
pub struct RecordSource {
    /// Its id, as measures name it (`dossiers`).
    pub id: Named,
    /// The column with the id of the unit a record belongs to.
    pub unit: Named,
    /// The date column placing a record in a period.
    pub date: Named,
    /// The periods records are counted by.
    pub period: Grain,
}

/// The length of the periods records are counted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Grain {
    /// Calendar months (`2026-03`).
    Month,
    /// Quarters (`2026-Q1`).
    Quarter,
    /// Years (`2026`).
    Year,
}

impl Grain {
    /// Every grain, as plan files spell them.
    pub const ALL: [Grain; 3] = [Grain::Month, Grain::Quarter, Grain::Year];

    /// The name plan files use.
    pub fn name(self) -> &'static str {
        match self {
            Grain::Month => "month",
            Grain::Quarter => "quarter",
            Grain::Year => "year",
        }
    }
}

/// The first and last day of a plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct PlanPeriod {
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
}

/// A name or id as written, with its place.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Named {
    /// The text.
    pub name: String,
    /// Where it is written.
    #[serde(skip)]
    pub location: Location,
}

impl fmt::Display for Named {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// An administrative unit declared in a plan file.
#[derive(Clone, Debug, Serialize)]
pub struct UnitDef {
    /// The unit's id (`H61`).
    pub id: Named,
    /// Its name (`UBND tỉnh Vĩnh Long`).
    pub name: String,
    /// Its kind (`province`).
    pub kind: Named,
    /// The unit above it.
    pub parent: Option<Named>,
}

/// What an indicator's values measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// A fraction, written and shown as a percentage.
    Percent,
    /// A number of things.
    Count,
    /// Score points.
    Points,
    /// A number of days.
    Days,
    /// Vietnamese đồng.
    Vnd,
    /// A plain number.
    Number,
    /// True or false (1 or 0 in data).
    Boolean,
    /// A calendar date.
    Date,
}

impl Unit {
    /// Every unit, as plan files spell them.
    pub const ALL: [Unit; 8] = [
        Unit::Percent,
        Unit::Count,
        Unit::Points,
        Unit::Days,
        Unit::Vnd,
        Unit::Number,
        Unit::Boolean,
        Unit::Date,
    ];

    /// The name plan files use.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Percent => "percent",
            Unit::Count => "count",
            Unit::Points => "points",
            Unit::Days => "days",
            Unit::Vnd => "vnd",
            Unit::Number => "number",
            Unit::Boolean => "boolean",
            Unit::Date => "date",
        }
    }

    /// The unit of that name.
    pub fn from_name(name: &str) -> Option<Unit> {
        Unit::ALL.into_iter().find(|u| u.name() == name)
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which way is better for an indicator.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    /// More is better (the default).
    #[default]
    Higher,
    /// Less is better (cost, time).
    Lower,
}

/// What a derived indicator's value is when its formula divides by zero.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OnZero {
    /// The value is missing (the default): no data, not zero.
    #[default]
    NoData,
    /// The value is zero.
    Zero,
    /// The value is this number (in the indicator's display unit: `100` for a percent is 100%).
    Value(Decimal),
    /// Division by zero is an evaluation error.
    Error,
}

/// A measured or derived quantity.
#[derive(Clone, Debug, Serialize)]
pub struct Indicator {
    /// Its id, as rules name it.
    pub id: Named,
    /// Its name.
    pub name: String,
    /// What it measures.
    pub unit: Unit,
    /// Which way is better.
    pub better: Better,
    /// How it is computed from other indicators, when it is derived.
    pub formula: Option<Formula>,
    /// How it is measured from records (`count(dossiers, channel = 'online')`), when it is;
    /// parsed by [`crate::syntax::parse_measure`], checked and compiled by [`crate::records`].
    pub measure: Option<Formula>,
    /// Its value when the formula divides by zero.
    pub on_zero: OnZero,
    /// Decimal places (in the display unit) its value is rounded to before comparison.
    pub precision: Option<u32>,
    /// A note.
    pub note: Option<String>,
    /// Where its definition comes from.
    pub source: Option<String>,
    /// The index whose total this indicator is (`index: 766-dvcqg-2026`): its values are
    /// computed by [`crate::score`], not read from data.
    pub index: Option<Named>,
    /// Whether its values are targets assigned to each unit per period (`assigned: true`, giao
    /// chỉ tiêu): a rule compares a measure with the unit's own value for the period containing
    /// the deadline, not with the latest measured one.
    pub assigned: bool,
}

/// An expression with the scalar it was read from.
#[derive(Clone, Debug, Serialize)]
pub struct Formula {
    /// The text, with its place in the file.
    #[serde(serialize_with = "scalar::text")]
    pub text: ScalarText,
    /// The parsed expression.
    #[serde(skip)]
    pub expr: Expr,
}

/// A rule with the scalar it was read from.
#[derive(Clone, Debug, Serialize)]
pub struct RuleText {
    /// The text, with its place in the file.
    #[serde(serialize_with = "scalar::text")]
    pub text: ScalarText,
    /// The parsed rule.
    #[serde(skip)]
    pub rule: Rule,
}

/// A target of the plan.
#[derive(Clone, Debug, Serialize)]
pub struct Goal {
    /// Its id (`II.2.h`).
    pub id: Named,
    /// Its title.
    pub title: String,
    /// The source text it encodes, verbatim.
    pub quote: Option<String>,
    /// A note.
    pub note: Option<String>,
    /// The unit kinds it applies to (`None`: every unit).
    pub applies_to: Option<Vec<Named>>,
    /// The rule that decides it.
    pub rule: RuleText,
    /// Intermediate rules with earlier deadlines.
    pub milestones: Vec<RuleText>,
    /// How progress towards it is measured, beside its status.
    pub progress: Option<Progress>,
    /// Whether the target is aspirational (`phấn đấu`, strive for).
    pub aspirational: bool,
    /// How its aggregates treat a unit without data.
    pub missing_units: MissingUnits,
}

/// How a goal's aggregates over units (`share`, `avg`, `count`…) treat a unit without data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingUnits {
    /// Aggregates are over the units that have data (the explanation says how many).
    #[default]
    Skip,
    /// The goal is not met while a unit under an aggregate has no data: “100% of the
    /// departments” is not reached when one of them has no score.
    NotMet,
}

/// A progress measure.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Progress {
    /// The Statistics Canada / Open SDG method (docs/plan-format.md, `progress`).
    Sdg {
        /// The natural limit of the indicator, for targets without a value.
        limit: Option<Decimal>,
    },
}

/// A number written in a plan (a maximum, a band's minimum), with its place.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Amount {
    /// The value.
    pub value: Decimal,
    /// Where it is written.
    #[serde(skip)]
    pub location: Location,
    /// False when the text was not a number (already reported): sums with it are not checked.
    #[serde(skip)]
    pub(crate) known: bool,
}

/// A weighted index (docs/plan-format.md, `index`): groups of metrics scored by formulas, rounded, summed, banded and
/// ranked, as Decision 766/QĐ-TTg scores provinces, departments and communes.
#[derive(Clone, Debug, Serialize)]
pub struct Index {
    /// Its id (`766-dvcqg-2026`).
    pub id: Named,
    /// Its title.
    pub title: String,
    /// The maximum total (100).
    pub max: Amount,
    /// Decimal places each metric score (and each single-formula group) is rounded to, half
    /// away from zero.
    pub places: u32,
    /// The groups (nhóm tiêu chí), in order.
    pub groups: Vec<IndexGroup>,
    /// The bands (xếp loại), highest minimum first.
    pub bands: Vec<Band>,
    /// How units are ranked by total.
    pub ranking: Ranking,
    /// A note.
    pub note: Option<String>,
    /// Where the method comes from.
    pub source: Option<String>,
}

/// A group of an index: a sum of metric scores, a single formula, or a supplied score only.
#[derive(Clone, Debug, Serialize)]
pub struct IndexGroup {
    /// Its id (`CKMB`), the key of `groups` in JSON output.
    pub id: Named,
    /// Its title.
    pub title: String,
    /// Its maximum.
    pub max: Amount,
    /// Its metrics (tiêu chí); empty for a single-formula or supplied-only group.
    pub metrics: Vec<Metric>,
    /// The single formula of a group without metrics.
    pub score: Option<Formula>,
    /// The indicator that carries the group's score when its inputs are missing.
    pub supplied: Option<Named>,
    /// A note.
    pub note: Option<String>,
}

/// A metric (tiêu chí) of an index group.
#[derive(Clone, Debug, Serialize)]
pub struct Metric {
    /// Its id (`PUBLISH_ON_TIME`).
    pub id: Named,
    /// Its title.
    pub title: String,
    /// Its maximum.
    pub max: Amount,
    /// Its score formula, in points.
    pub score: Formula,
    /// A note (where the formula comes from).
    pub note: Option<String>,
}

/// A classification band (xếp loại): totals at or above `min`, below the previous band's.
#[derive(Clone, Debug, Serialize)]
pub struct Band {
    /// Its id.
    pub id: Named,
    /// Its title (`Xuất sắc`).
    pub title: String,
    /// The lowest total in the band.
    pub min: Amount,
}

/// How an index ranks units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ranking {
    /// Highest total first; ties share a rank and the next is skipped (1, 2, 2, 4).
    #[default]
    Descending,
    /// No ranking.
    None,
}
