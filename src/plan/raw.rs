//! The plan file's YAML shape, as serde reads it. Every scalar that a later finding may point
//! at is `Spanned`; numbers and enumerations are read as text and validated by the loader, so
//! their faults get chitieu's own messages and did-you-mean hints.

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

pub(super) type Text = Spanned<String>;

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct File {
    /// The format version: `1`.
    #[schemars(with = "Scalar")]
    pub chitieu: Text,
    /// Files whose indicators (and units) this file uses, relative to it.
    #[serde(default)]
    #[schemars(with = "Vec<Scalar>")]
    pub include: Vec<Text>,
    /// The plan: id, title, period, baseline, language. Absent in a fragment (a catalogue).
    pub plan: Option<Header>,
    /// The kinds of administrative unit, when the plan declares its own.
    #[schemars(with = "Option<Vec<Scalar>>")]
    pub kinds: Option<Vec<Text>>,
    /// Units declared in the plan itself.
    #[serde(default)]
    pub units: Vec<Unit>,
    /// Indicators by id: measured inputs, or derived by a `formula`.
    #[serde(default)]
    #[schemars(with = "std::collections::BTreeMap<String, Indicator>")]
    pub indicators: Entries<Text, Indicator>,
    /// Sources of records (`dossiers: { unit: agency_id, date: received_at, period: month }`),
    /// which indicators' `measure:` count and sum.
    #[serde(default)]
    #[schemars(with = "std::collections::BTreeMap<String, RecordSource>")]
    pub records: Entries<Text, RecordSource>,
    /// The plan's goals, each a rule over its indicators.
    #[serde(default)]
    pub goals: Vec<Goal>,
    /// A weighted index (docs/plan-format.md, `index`): groups of metrics, bands, ranking.
    pub index: Option<Index>,
}

/// `index:`: a weighted score (docs/plan-format.md, `index`).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Index {
    /// The index's id, such as `766-dvcqg-2026`.
    #[schemars(with = "Scalar")]
    pub id: Text,
    /// Its title.
    #[schemars(with = "Scalar")]
    pub title: Text,
    /// The maximum total; the groups' maxima add up to it.
    #[schemars(with = "Scalar")]
    pub max: Text,
    /// How metric scores are rounded: `{ places: 2 }` (half away from zero).
    pub rounding: Option<Rounding>,
    /// The groups of metrics, in report order.
    pub groups: Vec<Group>,
    #[serde(default)]
    /// Classification bands (xếp loại), highest first.
    pub bands: Vec<Band>,
    /// `descending` (by total; ties share a rank) or `none`.
    #[schemars(with = "Option<Scalar>")]
    pub ranking: Option<Text>,
    /// A note.
    #[schemars(with = "Option<Scalar>")]
    pub note: Option<Text>,
    /// Where the method comes from.
    #[schemars(with = "Option<Scalar>")]
    pub source: Option<Text>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Rounding {
    /// Decimal places kept.
    #[schemars(with = "Scalar")]
    pub places: Text,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Group {
    /// The group's id, such as `CKMB`.
    #[schemars(with = "Scalar")]
    pub id: Text,
    /// Its title.
    #[schemars(with = "Scalar")]
    pub title: Text,
    /// Its maximum; its metrics' maxima add up to it.
    #[schemars(with = "Scalar")]
    pub max: Text,
    #[serde(default)]
    /// Its metrics; the group score is the sum of their rounded scores.
    pub metrics: Vec<Metric>,
    /// A single formula for the whole group, instead of metrics.
    #[schemars(with = "Option<Scalar>")]
    pub score: Option<Text>,
    /// The indicator carrying a published group score, used when inputs are missing.
    #[schemars(with = "Option<Scalar>")]
    pub supplied: Option<Text>,
    /// A note.
    #[schemars(with = "Option<Scalar>")]
    pub note: Option<Text>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Metric {
    /// The metric's id.
    #[schemars(with = "Scalar")]
    pub id: Text,
    /// Its title.
    #[schemars(with = "Scalar")]
    pub title: Text,
    /// Its maximum score.
    #[schemars(with = "Scalar")]
    pub max: Text,
    /// Its score formula in the rule language, in points.
    #[schemars(with = "Scalar")]
    pub score: Text,
    /// A note, such as its source.
    #[schemars(with = "Option<Scalar>")]
    pub note: Option<Text>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Band {
    /// The band's id.
    #[schemars(with = "Scalar")]
    pub id: Text,
    /// Its title, such as `Xuất sắc`.
    #[schemars(with = "Scalar")]
    pub title: Text,
    /// The lowest total in the band.
    #[schemars(with = "Scalar")]
    pub min: Text,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Header {
    /// The plan's number, such as `22/KH-UBND`.
    #[schemars(with = "Scalar")]
    pub id: Text,
    /// Its title, verbatim.
    #[schemars(with = "Scalar")]
    pub title: Text,
    /// Who issued it.
    #[schemars(with = "Option<Scalar>")]
    pub issuer: Option<Text>,
    /// Its period: `2026-2030`, or from a date `2026-01-01`.
    #[schemars(with = "Scalar")]
    pub period: Text,
    /// The baseline period, such as `2025`.
    #[schemars(with = "Option<Scalar>")]
    pub baseline: Option<Text>,
    /// The language of reports: `vi` or `en`.
    #[schemars(with = "Option<Scalar>")]
    pub lang: Option<Text>,
    /// Where its text comes from.
    #[serde(default)]
    #[schemars(with = "Vec<Scalar>")]
    pub sources: Vec<Text>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Unit {
    /// The unit's id.
    #[schemars(with = "Scalar")]
    pub id: Text,
    /// Its name.
    #[schemars(with = "Scalar")]
    pub name: Text,
    /// Its kind (province, department, commune, …).
    #[schemars(with = "Scalar")]
    pub kind: Text,
    /// The id of the unit above it.
    #[schemars(with = "Option<Scalar>")]
    pub parent: Option<Text>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Indicator {
    /// What it measures, in words.
    #[schemars(with = "Scalar")]
    pub name: Text,
    /// percent, count, points, days, vnd, date, boolean, …
    #[schemars(with = "Scalar")]
    pub unit: Text,
    /// `higher` or `lower`.
    #[schemars(with = "Option<Scalar>")]
    pub better: Option<Text>,
    /// A rule-language expression computing it from other indicators.
    #[schemars(with = "Option<Scalar>")]
    pub formula: Option<Text>,
    /// How it is measured from records: `count(dossiers, channel = 'online')`.
    #[schemars(with = "Option<Scalar>")]
    pub measure: Option<Text>,
    /// What a division by zero gives: `no_data`, `zero`, `error` or a number.
    #[schemars(with = "Option<Scalar>")]
    pub on_zero: Option<Text>,
    /// Decimal places kept before comparing.
    #[schemars(with = "Option<Scalar>")]
    pub precision: Option<Text>,
    /// A note.
    #[schemars(with = "Option<Scalar>")]
    pub note: Option<Text>,
    /// Where its data comes from.
    #[schemars(with = "Option<Scalar>")]
    pub source: Option<Text>,
    /// The id of the index whose total this indicator is (`score_766`).
    #[schemars(with = "Option<Scalar>")]
    pub index: Option<Text>,
    /// Whether its values are targets assigned to each unit, per period (giao chỉ tiêu).
    #[schemars(with = "Option<bool>")]
    pub assigned: Option<Spanned<bool>>,
}

/// A source of records under `records:`.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RecordSource {
    /// The column holding the id of the unit a record belongs to.
    #[schemars(with = "Scalar")]
    pub unit: Text,
    /// The date column placing a record in a period.
    #[schemars(with = "Scalar")]
    pub date: Text,
    /// The periods records are counted by: `month` (the default), `quarter` or `year`.
    #[schemars(with = "Option<Scalar>")]
    pub period: Option<Text>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Goal {
    /// A stable id, such as `II.2.h`.
    #[schemars(with = "Scalar")]
    pub id: Text,
    /// A short title.
    #[schemars(with = "Scalar")]
    pub title: Text,
    /// The plan's own words for the target, verbatim.
    #[schemars(with = "Option<Scalar>")]
    pub quote: Option<Text>,
    /// A note.
    #[schemars(with = "Option<Scalar>")]
    pub note: Option<Text>,
    /// The unit kinds it applies to.
    #[schemars(with = "Option<Vec<Scalar>>")]
    pub applies_to: Option<Vec<Text>>,
    /// The target, in the rule language: `online_rate > 80% by 2030-12-31`.
    #[schemars(with = "Scalar")]
    pub rule: Text,
    /// Intermediate targets with earlier deadlines, in the rule language.
    #[serde(default)]
    #[schemars(with = "Vec<Scalar>")]
    pub milestones: Vec<Text>,
    /// A progress measure: `sdg`.
    #[schemars(with = "Option<Progress>")]
    pub progress: Option<Spanned<Progress>>,
    /// A target the plan strives for (“phấn đấu”).
    #[schemars(with = "Option<bool>")]
    pub aspirational: Option<Spanned<bool>>,
    /// How an aggregate over units treats a unit without data: `skip` (the default: the share,
    /// average… is over the units that have data) or `not_met` (a “100% of units” goal is not
    /// met while a unit has no data).
    #[schemars(with = "Option<MissingUnitsSchema>")]
    pub missing_units: Option<Text>,
}

/// The values of `missing_units:`.
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub(super) enum MissingUnitsSchema {
    /// Aggregates are over the units that have data.
    Skip,
    /// A unit without data keeps the goal from being met.
    NotMet,
}

/// A scalar the loader reads as text and validates itself: YAML may write it as a string, a
/// number or a boolean.
pub(super) struct Scalar;

impl JsonSchema for Scalar {
    fn schema_name() -> Cow<'static, str> {
        "Scalar".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": ["string", "number", "boolean"] })
    }
}

impl JsonSchema for Progress {
    fn schema_name() -> Cow<'static, str> {
        "Progress".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "The progress measure: `sdg`, or `{ method: sdg, limit: N }`.",
            "oneOf": [
                { "type": "string" },
                {
                    "type": "object",
                    "properties": {
                        "method": { "type": "string" },
                        "limit": { "type": ["string", "number"] }
                    },
                    "required": ["method"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

/// The JSON Schema of a plan file, generated from the structs above.
pub(super) fn schema() -> serde_json::Value {
    let mut schema = schemars::schema_for!(File);
    schema.insert("title".into(), "chitieu plan file".into());
    schema.to_value()
}

/// `progress: sdg` or `progress: { method: sdg, limit: 100 }`. Read by hand rather than as an
/// untagged enum, which would buffer the value and lose numbers written without quotes.
pub(super) struct Progress {
    pub method: String,
    pub limit: Option<String>,
}

impl<'de> Deserialize<'de> for Progress {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Progress;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`sdg` or a mapping with `method` and `limit`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Progress, E> {
                Ok(Progress {
                    method: v.to_string(),
                    limit: None,
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Progress, A::Error> {
                let mut method = None;
                let mut limit = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "method" => method = Some(map.next_value::<String>()?),
                        "limit" => limit = Some(map.next_value::<String>()?),
                        other => {
                            return Err(serde::de::Error::unknown_field(
                                other,
                                &["method", "limit"],
                            ));
                        }
                    }
                }
                let method = method.ok_or_else(|| serde::de::Error::missing_field("method"))?;
                Ok(Progress { method, limit })
            }
        }
        d.deserialize_any(Visit)
    }
}

/// A YAML mapping read in file order (serde's maps would sort or hash it).
pub(super) struct Entries<K, V>(pub Vec<(K, V)>);

impl<K, V> Default for Entries<K, V> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Entries<K, V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<K, V>(PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> serde::de::Visitor<'de> for Visit<K, V> {
            type Value = Entries<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        d.deserialize_map(Visit(PhantomData))
    }
}
