//! The SDG progress measure against Statistics Canada's published Open SDG results.
//!
//! The fixture `tests/fixtures/sdg/statcan-open-sdg-2026-03-10.json` holds every series of the
//! Canadian SDG Data Hub's `indicator_calculation_components.yml` (repository
//! sdg-data-canada-odd-donnees/sdg-data-donnees-odd, commit f89e601d, 2026-03-10) whose base
//! and current values are published: the inputs and the published progress value, score and
//! status. Every series must agree to 1e-9 relative.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chitieu::eval::sdg::{Sdg, SdgInput, sdg};
use rust_decimal::Decimal;
use serde_json::Value;

const FIXTURE: &str = include_str!("fixtures/sdg/statcan-open-sdg-2026-03-10.json");

/// A published number as the decimal it was written as (the shortest form of the float).
fn decimal(v: &Value) -> Decimal {
    let f = v.as_f64().unwrap();
    format!("{f}").parse().unwrap()
}

fn input(s: &Value) -> SdgInput {
    let target = match &s["target"] {
        Value::Null => None,
        t => Some((decimal(t), s["target_year"].as_i64().unwrap() as i32)),
    };
    SdgInput {
        base: decimal(&s["base_value"]),
        base_year: s["base_year"].as_i64().unwrap() as i32,
        value: decimal(&s["current_value"]),
        year: s["current_year"].as_i64().unwrap() as i32,
        target,
        higher_is_better: s["direction"].as_i64() == Some(1),
        limit: match &s["limit"] {
            Value::Null => None,
            l => Some(decimal(l)),
        },
    }
}

/// `None` when `ours` agrees with `published` to 1e-9 relative (absolute near zero).
fn disagreement(what: &str, ours: Option<Decimal>, published: &Value) -> Option<String> {
    let published = match published {
        Value::Null => None,
        v => Some(v.as_f64().unwrap()),
    };
    match (ours, published) {
        (None, None) => None,
        (Some(a), Some(b)) => {
            let a: f64 = a.to_string().parse().unwrap();
            let scale = b.abs().max(f64::MIN_POSITIVE);
            ((a - b).abs() / scale > 1e-9).then(|| format!("{what} {a:e} vs published {b:e}"))
        }
        (a, b) => Some(format!("{what} {a:?} vs published {b:?}")),
    }
}

#[test]
fn every_published_series_agrees_to_one_billionth() {
    let doc: Value = serde_json::from_str(FIXTURE).unwrap();
    assert_eq!(
        doc["source"]["commit"],
        "f89e601dc5b925c4bc66f985a439be39d1f88a05"
    );
    let series = doc["series"].as_array().unwrap();
    assert_eq!(series.len(), 243);
    let mut failures = Vec::new();
    for s in series {
        let r: Sdg = sdg(input(s));
        let name = s["series"].as_str().unwrap();
        let problems: Vec<String> = [
            disagreement("progress", r.progress_value, &s["progress_value"]),
            disagreement("score", r.score, &s["score"]),
            (r.status.name() != s["status"].as_str().unwrap())
                .then(|| format!("status {} vs published {}", r.status.name(), s["status"])),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !problems.is_empty() {
            failures.push(format!("{name}: {}", problems.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} series disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
