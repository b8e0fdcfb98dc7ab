//! Inputs the fuzz targets found faults with (`tests/fixtures/fuzz/TARGET-*.txt`), replayed as
//! the targets do: each must now pass.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chitieu::syntax::{parse_expr, parse_rule, print_expr, print_rule};

fn fixtures(target: &str) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = std::fs::read_dir("tests/fixtures/fuzz")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{target}-")))
        })
        .map(|p| {
            let text = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
            (p.display().to_string(), text)
        })
        .collect();
    found.sort();
    found
}

#[test]
fn rule_round_trips() {
    // A rule deep in prefix operators parsed, but its canonical text (with the parentheses
    // precedence needs) did not: parentheses counted as nesting levels of the tree.
    let cases = fixtures("rule_roundtrip");
    assert!(cases.len() >= 2);
    for (name, text) in cases {
        if let Ok(rule) = parse_rule(&text) {
            let printed = print_rule(&rule);
            let again = parse_rule(&printed).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!(again, rule, "{name}");
            assert_eq!(print_rule(&again), printed, "{name}");
        }
        if let Ok(expr) = parse_expr(&text) {
            let printed = print_expr(&expr);
            let again = parse_expr(&printed).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!(again, expr, "{name}");
        }
    }
}
