//! The JSON Schema of plan files: generated from the loader's model, kept in
//! `docs/chitieu-plan.schema.json`, accepting every shipped plan and rejecting unknown keys.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&chitieu::plan::schema()).unwrap()
}

fn as_json(yaml: &str) -> serde_json::Value {
    serde_saphyr::from_str(yaml).unwrap()
}

fn errors(v: &jsonschema::Validator, doc: &serde_json::Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect()
}

#[test]
fn the_shipped_schema_is_the_generated_one() {
    let shipped = std::fs::read_to_string("docs/chitieu-plan.schema.json").unwrap();
    let generated = format!("{:#}\n", chitieu::plan::schema());
    assert!(
        shipped == generated,
        "docs/chitieu-plan.schema.json is stale: run `cargo run -- schema > docs/chitieu-plan.schema.json`"
    );
}

#[test]
fn the_schema_is_a_valid_2020_12_schema() {
    let schema = chitieu::plan::schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert!(jsonschema::meta::is_valid(&schema));
}

#[test]
fn every_shipped_plan_validates_and_points_at_the_schema() {
    let v = validator();
    let mut files = Vec::new();
    yaml_files(Path::new("plans"), &mut files);
    assert!(files.len() >= 3);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let first = text.lines().next().unwrap_or_default();
        let depth = file.components().count() - 1;
        let expected = format!(
            "# yaml-language-server: $schema={}docs/chitieu-plan.schema.json",
            "../".repeat(depth)
        );
        assert_eq!(first, expected, "{}", file.display());
        let errs = errors(&v, &as_json(&text));
        assert!(errs.is_empty(), "{}: {errs:?}", file.display());
    }
}

#[test]
fn plans_the_loader_accepts_validate() {
    // Loadable check fixtures (their faults are in names, units, rules: not in shape).
    let v = validator();
    let mut files = Vec::new();
    yaml_files(Path::new("tests/fixtures/check"), &mut files);
    let mut loaded = 0;
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let Ok(doc) = serde_saphyr::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        let (plan, diags) = chitieu::plan::load_partial(&file);
        let shape_fault = diags.iter().any(|d| {
            matches!(
                d.code(),
                "unknown-key" | "missing-key" | "yaml" | "invalid-value" | "type"
            )
        });
        if plan.is_some() && !shape_fault && diags.is_empty() {
            loaded += 1;
            let errs = errors(&v, &doc);
            assert!(errs.is_empty(), "{}: {errs:?}", file.display());
        }
    }
    assert!(loaded > 0);
}

#[test]
fn the_schema_rejects_an_unknown_key() {
    let v = validator();
    let good = "chitieu: 1\nplan:\n  id: X\n  title: T\n  period: 2026-2030\n\
                goals:\n  - id: a\n    title: A\n    rule: x > 1\n";
    assert!(errors(&v, &as_json(good)).is_empty());
    for bad in [
        good.replace("  - id: a\n", "  - id: a\n    rules: x > 2\n"),
        good.replace("plan:\n", "plann: {}\nplan:\n"),
        good.replace("  title: T\n", "  title: T\n  colour: red\n"),
    ] {
        assert!(!v.is_valid(&as_json(&bad)), "accepted:\n{bad}");
    }
    // A goal without a rule, and a plan without `chitieu:`, are rejected too.
    assert!(!v.is_valid(&as_json(&good.replace("    rule: x > 1\n", ""))));
    assert!(!v.is_valid(&as_json(&good.replace("chitieu: 1\n", ""))));
}

#[test]
fn chitieu_schema_prints_the_shipped_schema() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .arg("schema")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        std::fs::read_to_string("docs/chitieu-plan.schema.json").unwrap()
    );
}
