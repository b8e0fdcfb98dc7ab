//! Reading data files written in YAML or JSON (JSON is YAML), with positions.
//!
//! Observation and unit files are read with serde-saphyr like plan files, but they can be far
//! larger, so the reader's node budget grows with the file (aliases keep their default limits).

use crate::diag::Diagnostic;
use crate::source::{Location, SourceFile};
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

/// A scalar read as text, with its place.
pub(super) type Text = Spanned<String>;

/// Byte range of a spanned node, when the reader kept it.
pub(super) fn span<T>(s: &Spanned<T>) -> Option<(usize, usize)> {
    let span = s.referenced.span();
    let start = usize::try_from(span.byte_offset()?).ok()?;
    let len = usize::try_from(span.byte_len().unwrap_or(0)).ok()?;
    Some((start, start + len))
}

/// The location of a spanned node, or the file's start when the reader lost it.
pub(super) fn location<T>(file: &Arc<SourceFile>, s: &Spanned<T>) -> Location {
    crate::plan::node_location(file, s)
}

/// 1-based line of a spanned node (0 when unknown).
pub(super) fn line<T>(s: &Spanned<T>) -> u32 {
    u32::try_from(s.referenced.line()).unwrap_or(u32::MAX)
}

/// Reads a file as a list of `T`, or a mapping whose key [`ListKey::KEY`] holds that list.
pub(super) fn read_list<T: DeserializeOwned + ListKey>(
    file: &Arc<SourceFile>,
) -> Result<Vec<Spanned<T>>, Diagnostic> {
    let mut options = serde_saphyr::options::Options::default();
    options.with_snippet = false;
    let mut budget = serde_saphyr::Budget::default();
    // Every node takes at least one byte of text; aliases are bounded by their own limits.
    let size = file.text().len().saturating_add(1024);
    budget.max_nodes = budget.max_nodes.max(size);
    budget.max_events = budget.max_events.max(size.saturating_mul(2));
    budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(size);
    options.budget = Some(budget);
    let parsed: Result<ListOrKey<T>, _> = serde_saphyr::from_str_with_options(file.text(), options);
    parsed
        .map(|l| l.items)
        .map_err(|e| crate::plan::yaml_error(file, &e))
}

/// A YAML list, or a mapping with one key holding the list.
struct ListOrKey<T> {
    items: Vec<Spanned<T>>,
}

/// The mapping key that holds the list, by the type read.
pub(super) trait ListKey {
    /// The key (`observations`, `units`).
    const KEY: &'static str;
}

impl<'de, T: Deserialize<'de> + ListKey> Deserialize<'de> for ListOrKey<T> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de> + ListKey> Visitor<'de> for Visit<T> {
            type Value = ListOrKey<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "a list of records, or a mapping with key `{}`", T::KEY)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(ListOrKey { items })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut items = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key == T::KEY && items.is_none() {
                        items = Some(map.next_value::<Vec<Spanned<T>>>()?);
                    } else if key == T::KEY {
                        return Err(de::Error::duplicate_field(T::KEY));
                    } else {
                        return Err(de::Error::unknown_field(&key, &[T::KEY]));
                    }
                }
                items
                    .map(|items| ListOrKey { items })
                    .ok_or_else(|| de::Error::missing_field(T::KEY))
            }
        }
        d.deserialize_any(Visit(PhantomData))
    }
}
