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
            // A target taking `&str` sees the longest valid UTF-8 prefix (as `arbitrary` does).
            let bytes = std::fs::read(&p).unwrap();
            let valid = match std::str::from_utf8(&bytes) {
                Ok(_) => bytes.len(),
                Err(e) => e.valid_up_to(),
            };
            let text = std::str::from_utf8(&bytes[..valid]).unwrap().to_string();
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

/// Parentheses around a prefix operator's operand (`-(not x)`, as the canonical printer writes
/// them) add no nesting level; the depth limit still holds, and the deepest text allowed
/// parses without exhausting a test thread's stack.
#[test]
fn prefix_operators_with_parenthesised_operands_nest_to_the_limit() {
    let nested = |n: usize| format!("{}x{} > 0", "-(not ".repeat(n), ")".repeat(n));
    // Two tree levels per `-(not `: 30 of them are within the limit of 64, 40 are not.
    let rule = parse_rule(&nested(30)).unwrap();
    let printed = print_rule(&rule);
    assert_eq!(parse_rule(&printed).unwrap(), rule);
    let e = parse_rule(&nested(40)).unwrap_err();
    assert!(format!("{e:?}").contains("NestingTooDeep"), "{e:?}");
    // The most the guard lets through to the grammar (64 prefix operators, each with its
    // parentheses) is refused by the tree's depth, not by a stack overflow.
    let deepest = format!("{}x{} > 0", "-(".repeat(64), ")".repeat(64));
    assert!(parse_rule(&deepest).is_err());
    // Without prefix operators, every parenthesis is still a level for the guard.
    let parens = format!("{}x{} > 0", "(".repeat(2000), ")".repeat(2000));
    assert!(parse_rule(&parens).is_err());
}
