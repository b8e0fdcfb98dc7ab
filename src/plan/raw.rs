//! The plan file's YAML shape, as serde reads it. Every scalar that a later finding may point
//! at is `Spanned`; numbers and enumerations are read as text and validated by the loader, so
//! their faults get chitieu's own messages and did-you-mean hints.

use serde::Deserialize;
use serde_saphyr::Spanned;
use std::fmt;
use std::marker::PhantomData;

pub(super) type Text = Spanned<String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct File {
    pub chitieu: Text,
    #[serde(default)]
    pub include: Vec<Text>,
    pub plan: Option<Header>,
    pub kinds: Option<Vec<Text>>,
    #[serde(default)]
    pub units: Vec<Unit>,
    #[serde(default)]
    pub indicators: Entries<Text, Indicator>,
    #[serde(default)]
    pub goals: Vec<Goal>,
    pub index: Option<Index>,
}

/// `index:`: a weighted score (SPEC §9).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Index {
    pub id: Text,
    pub title: Text,
    pub max: Text,
    pub rounding: Option<Rounding>,
    pub groups: Vec<Group>,
    #[serde(default)]
    pub bands: Vec<Band>,
    pub ranking: Option<Text>,
    pub note: Option<Text>,
    pub source: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Rounding {
    pub places: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Group {
    pub id: Text,
    pub title: Text,
    pub max: Text,
    #[serde(default)]
    pub metrics: Vec<Metric>,
    pub score: Option<Text>,
    pub supplied: Option<Text>,
    pub note: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Metric {
    pub id: Text,
    pub title: Text,
    pub max: Text,
    pub score: Text,
    pub note: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Band {
    pub id: Text,
    pub title: Text,
    pub min: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Header {
    pub id: Text,
    pub title: Text,
    pub issuer: Option<Text>,
    pub period: Text,
    pub baseline: Option<Text>,
    pub lang: Option<Text>,
    #[serde(default)]
    pub sources: Vec<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Unit {
    pub id: Text,
    pub name: Text,
    pub kind: Text,
    pub parent: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Indicator {
    pub name: Text,
    pub unit: Text,
    pub better: Option<Text>,
    pub formula: Option<Text>,
    pub on_zero: Option<Text>,
    pub precision: Option<Text>,
    pub note: Option<Text>,
    pub source: Option<Text>,
    pub index: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Goal {
    pub id: Text,
    pub title: Text,
    pub quote: Option<Text>,
    pub note: Option<Text>,
    pub applies_to: Option<Vec<Text>>,
    pub rule: Text,
    #[serde(default)]
    pub milestones: Vec<Text>,
    pub progress: Option<Spanned<Progress>>,
    pub aspirational: Option<Spanned<bool>>,
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
