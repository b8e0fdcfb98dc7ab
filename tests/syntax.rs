//! The rule language: every form of docs/rule-language.md parses, prints canonically, and errors are located.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chitieu::syntax::Kind;
use chitieu::syntax::{
    CmpOp, ExprKind, MAX_DEPTH, Span, parse_expr, parse_rule, print_expr, print_rule,
};

fn canon(text: &str) -> String {
    match parse_rule(text) {
        Ok(rule) => print_rule(&rule),
        Err(e) => panic!("{text:?} did not parse: {e:?}"),
    }
}

#[test]
fn every_form_parses_and_prints_canonically() {
    let cases = [
        ("online_rate > 80%", "online_rate > 80%"),
        (
            "online_rate>80% by 2030-12-31",
            "online_rate > 80% by 2030-12-31",
        ),
        ("x ≥ 93.3 and y ≤ 1_675", "x >= 93.3 and y <= 1675"),
        ("x ≠ 0 or y == 1", "x != 0 or y = 1"),
        ("91 <= score < 100", "91 <= score < 100"),
        ("not a > b", "not a > b"),
        ("not (a and b)", "not (a and b)"),
        ("-x * -(y + 1) > 0", "-x * -(y + 1) > 0"),
        ("a - (b - c) = a - b - c", "a - (b - c) = a - b - c"),
        ("(a + b) * c / d >= 12.5%", "(a + b) * c / d >= 12.5%"),
        (
            "compliance_cost <= baseline(compliance_cost) * (100% - 20%) by 2030-12-31",
            "compliance_cost <= baseline(compliance_cost) * (100% - 20%) by 2030-12-31",
        ),
        (
            "value(x, 2026-Q3) > value(x,2026-07)",
            "value(x, 2026-Q3) > value(x, 2026-07)",
        ),
        (
            "baseline(x, 2025) < previous(x)",
            "baseline(x, 2025) < previous(x)",
        ),
        (
            "change(x) > 0 and improve(y)",
            "change(x) > 0 and improve(y)",
        ),
        (
            "share(department, score_766 >= 97) = 100%",
            "share(department, score_766 >= 97) = 100%",
        ),
        (
            "count(commune) > 0 and count(commune, x > 1) >= 1",
            "count(commune) > 0 and count(commune, x > 1) >= 1",
        ),
        (
            "all(commune, x > 1) or any(commune, x > 1)",
            "all(commune, x > 1) or any(commune, x > 1)",
        ),
        (
            "sum(commune, x) + avg(commune, x) > minimum(commune, x) - maximum(commune, x)",
            "sum(commune, x) + avg(commune, x) > minimum(commune, x) - maximum(commune, x)",
        ),
        (
            "min(a, b, c) <= max(a, b) and abs(a) > round(b, 2)",
            "min(a, b, c) <= max(a, b) and abs(a) > round(b, 2)",
        ),
        (
            "if(a > 0, b, c) = coalesce(a, b, 0)",
            "if(a > 0, b, c) = coalesce(a, b, 0)",
        ),
        ("flag = true or flag = false", "flag = true or flag = false"),
        ("(a < b) = true", "(a < b) = true"),
        ("a > b by 2026-02-28", "a > b by 2026-02-28"),
        ("value(x, 2026-H1) > 0", "value(x, 2026-H1) > 0"),
    ];
    for (input, expected) in cases {
        assert_eq!(canon(input), expected, "input {input:?}");
        assert_eq!(canon(expected), expected, "canonical form is a fixed point");
    }
}

#[test]
fn chained_comparison_is_one_node_but_parenthesised_is_not() {
    let chain = parse_expr("91 <= score < 100").unwrap();
    match &chain.kind {
        ExprKind::Compare { rest, .. } => {
            assert_eq!(
                rest.iter().map(|r| r.0).collect::<Vec<_>>(),
                vec![CmpOp::Le, CmpOp::Lt]
            );
        }
        other => panic!("expected a comparison, got {other:?}"),
    }
    let nested = parse_expr("(a < b) < c").unwrap();
    match &nested.kind {
        ExprKind::Compare { first, rest } => {
            assert_eq!(rest.len(), 1);
            assert!(matches!(first.kind, ExprKind::Compare { .. }));
            assert_eq!(first.span, Span::new(0, 7));
        }
        other => panic!("expected a comparison, got {other:?}"),
    }
}

#[test]
fn precedence_follows_the_spec() {
    // or < and < not < comparison < + - < * / < unary minus
    assert_eq!(
        print_expr(&parse_expr("a or b and c").unwrap()),
        "a or b and c"
    );
    let e = parse_expr("a or b and c").unwrap();
    assert!(matches!(
        e.kind,
        ExprKind::Binary {
            op: chitieu::syntax::BinaryOp::Or,
            ..
        }
    ));
    let e = parse_expr("not a = b and c").unwrap();
    assert!(matches!(
        e.kind,
        ExprKind::Binary {
            op: chitieu::syntax::BinaryOp::And,
            ..
        }
    ));
    let e = parse_expr("1 + 2 * 3").unwrap();
    assert!(matches!(
        e.kind,
        ExprKind::Binary {
            op: chitieu::syntax::BinaryOp::Add,
            ..
        }
    ));
}

#[test]
fn spans_cover_their_text() {
    let text = "online_rate > 80% by 2030-12-31";
    let rule = parse_rule(text).unwrap();
    let ExprKind::Compare { first, rest } = &rule.expr.kind else {
        panic!()
    };
    assert_eq!(&text[first.span.start..first.span.end], "online_rate");
    assert_eq!(&text[rest[0].1.start..rest[0].1.end], ">");
    assert_eq!(&text[rest[0].2.span.start..rest[0].2.span.end], "80%");
    let (_, dspan) = rule.deadline.unwrap();
    assert_eq!(&text[dspan.start..dspan.end], "2030-12-31");
}

#[test]
fn literal_values() {
    let e = parse_expr("1_675").unwrap();
    assert_eq!(e.kind, ExprKind::Number { value: 1675.into() });
    let e = parse_expr("12.5%").unwrap();
    assert_eq!(
        e.kind,
        ExprKind::Percent {
            value: "12.5".parse().unwrap()
        }
    );
    assert!(matches!(
        parse_expr("2026-Q3").unwrap().kind,
        ExprKind::Period { .. }
    ));
    assert!(matches!(
        parse_expr("2026-07").unwrap().kind,
        ExprKind::Period { .. }
    ));
    assert!(matches!(
        parse_expr("2026").unwrap().kind,
        ExprKind::Number { .. }
    ));
    assert!(matches!(
        parse_expr("2026-07-01").unwrap().kind,
        ExprKind::Date { .. }
    ));
}

fn err(text: &str) -> (Kind, String) {
    let e = parse_rule(text).expect_err(text);
    (e.kind, text[e.span.start..e.span.end].to_string())
}

#[test]
fn errors_name_what_was_expected_and_underline_the_culprit() {
    let (kind, under) = err("online_rate > ");
    assert_eq!(under, "");
    let Kind::Syntax { expected, found } = kind else {
        panic!()
    };
    assert_eq!(found, "end of rule");
    assert!(expected.iter().any(|e| e == "a number"), "{expected:?}");

    let (kind, under) = err("online_rate >> 80%");
    assert_eq!(under, ">");
    assert!(matches!(kind, Kind::Syntax { .. }));

    let (kind, under) = err("a > 1 by 2026-02-30");
    assert_eq!(
        kind,
        Kind::InvalidDate {
            text: "2026-02-30".into()
        }
    );
    assert_eq!(under, "2026-02-30");

    let (kind, under) = err("value(x, 2026-Q5) > 1");
    assert_eq!(
        kind,
        Kind::InvalidPeriod {
            text: "2026-Q5".into()
        }
    );
    assert_eq!(under, "2026-Q5");

    let (kind, under) = err("shar(department, x > 1) = 100%");
    assert_eq!(under, "shar");
    let Kind::UnknownFunction { suggestion, .. } = kind else {
        panic!()
    };
    assert_eq!(suggestion.as_deref(), Some("share"));

    let (kind, under) = err("x > 99999999999999999999999999999");
    assert!(matches!(kind, Kind::NumberTooLarge { .. }));
    assert_eq!(under, "99999999999999999999999999999");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("{}x{} > 1", "(".repeat(20_000), ")".repeat(20_000));
    let e = parse_rule(&deep).expect_err("too deep");
    assert_eq!(e.kind, Kind::NestingTooDeep { limit: MAX_DEPTH });
    assert_eq!(e.span, Span::new(MAX_DEPTH, MAX_DEPTH + 1));

    let negs = format!("{}x > 1", "-".repeat(5_000));
    assert!(matches!(
        parse_rule(&negs).unwrap_err().kind,
        Kind::NestingTooDeep { .. }
    ));
    let nots = format!("{}x", "not ".repeat(5_000));
    assert!(matches!(
        parse_rule(&nots).unwrap_err().kind,
        Kind::NestingTooDeep { .. }
    ));
    let long_sum = format!("{} > 1", vec!["x"; 2_000].join(" + "));
    assert!(matches!(
        parse_rule(&long_sum).unwrap_err().kind,
        Kind::NestingTooDeep { .. }
    ));
    let calls = format!("{}x{} > 1", "abs(".repeat(3_000), ")".repeat(3_000));
    assert!(matches!(
        parse_rule(&calls).unwrap_err().kind,
        Kind::NestingTooDeep { .. }
    ));

    let ok = format!(
        "{}x{} > 1",
        "(".repeat(MAX_DEPTH - 2),
        ")".repeat(MAX_DEPTH - 2)
    );
    assert!(parse_rule(&ok).is_ok());
}
