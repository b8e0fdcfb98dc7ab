//! Property tests of the rule language: the parser never panics, and printing then parsing
//! gives back the same tree.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chitieu::period::Period;
use chitieu::syntax::{
    BinaryOp, CmpOp, Expr, ExprKind, Func, Rule, Span, UnaryOp, parse_expr, parse_rule, print_expr,
    print_rule,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

const TOKENS: &[&str] = &[
    "x",
    "online_rate",
    "score",
    "department",
    "(",
    ")",
    ",",
    "+",
    "-",
    "*",
    "/",
    ">",
    ">=",
    "<",
    "<=",
    "=",
    "==",
    "!=",
    "≥",
    "≤",
    "≠",
    "and",
    "or",
    "not",
    "by",
    "true",
    "false",
    "80%",
    "12.5%",
    "93.3",
    "1_675",
    "0",
    "2026",
    "2026-Q3",
    "2026-07",
    "2026-H1",
    "2030-12-31",
    "2026-02-30",
    "2026-Q9",
    "min",
    "max(",
    "share(",
    "baseline(",
    "round(",
    "if(",
    "%",
    " ",
    "  ",
    "\n",
    "\"",
    "'",
    "#",
    "é",
    "ộ",
    "9999999999999999999999999999999",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..24).prop_map(|t| t.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, ..ProptestConfig::default() })]

    #[test]
    fn parser_never_panics_on_arbitrary_text(text in any::<String>()) {
        let _ = parse_rule(&text);
        let _ = parse_expr(&text);
    }

    #[test]
    fn parser_never_panics_on_token_soup_and_spans_stay_inside(text in token_soup()) {
        match parse_rule(&text) {
            Ok(rule) => {
                // The canonical form is a fixed point.
                let printed = print_rule(&rule);
                let again = parse_rule(&printed).unwrap();
                prop_assert_eq!(&again, &rule);
                prop_assert_eq!(print_rule(&again), printed);
                // Every node's span covers text that parses to that node.
                let mut stack = vec![&rule.expr];
                while let Some(node) = stack.pop() {
                    let piece = &text[node.span.start..node.span.end];
                    let reparsed = parse_expr(piece).map_err(|e| TestCaseError::fail(format!("{piece:?}: {e:?}")))?;
                    prop_assert_eq!(&reparsed, node, "span text {:?}", piece);
                    stack.extend(node.children());
                }
            }
            Err(e) => {
                prop_assert!(e.span.start <= e.span.end && e.span.end <= text.len(),
                    "span {:?} outside {:?}", e.span, text);
                prop_assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
            }
        }
    }
}

fn leaf() -> impl Strategy<Value = Expr> {
    let decimal = (0u64..1_000_000, 0u32..4).prop_map(|(m, s)| Decimal::new(m as i64, s));
    let name = "[a-z_][a-z0-9_]{0,8}".prop_filter("not a keyword", |n| {
        !matches!(n.as_str(), "and" | "or" | "not" | "by" | "true" | "false")
    });
    let period = prop_oneof![
        (2000i32..2100, 1u8..=4).prop_map(|(y, q)| Period::Quarter(y, q)),
        (2000i32..2100, 1u8..=2).prop_map(|(y, h)| Period::Half(y, h)),
        (2000i32..2100, 1u8..=12).prop_map(|(y, m)| Period::Month(y, m)),
    ];
    let date = (2000i32..2100, 1u32..=12, 1u32..=28)
        .prop_map(|(y, m, d)| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap());
    prop_oneof![
        decimal.clone().prop_map(|value| ExprKind::Number { value }),
        decimal.prop_map(|value| ExprKind::Percent { value }),
        date.prop_map(|value| ExprKind::Date { value }),
        period.prop_map(|value| ExprKind::Period { value }),
        any::<bool>().prop_map(|value| ExprKind::Bool { value }),
        name.prop_map(|name| ExprKind::Name { name }),
    ]
    .prop_map(|kind| Expr::new(kind, Span::default()))
}

fn expr() -> impl Strategy<Value = Expr> {
    leaf().prop_recursive(6, 48, 4, |inner| {
        let boxed = |e: Expr| Box::new(e);
        prop_oneof![
            (
                prop::sample::select(vec![UnaryOp::Neg, UnaryOp::Not]),
                inner.clone()
            )
                .prop_map(move |(op, e)| ExprKind::Unary {
                    op,
                    operand: boxed(e)
                }),
            (
                prop::sample::select(vec![
                    BinaryOp::Or,
                    BinaryOp::And,
                    BinaryOp::Add,
                    BinaryOp::Sub,
                    BinaryOp::Mul,
                    BinaryOp::Div,
                ]),
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(op, l, r)| ExprKind::Binary {
                    op,
                    left: Box::new(l),
                    right: Box::new(r),
                }),
            (
                inner.clone(),
                prop::collection::vec(
                    (
                        prop::sample::select(vec![
                            CmpOp::Ge,
                            CmpOp::Gt,
                            CmpOp::Le,
                            CmpOp::Lt,
                            CmpOp::Eq,
                            CmpOp::Ne,
                        ]),
                        inner.clone()
                    ),
                    1..3
                )
            )
                .prop_map(|(first, rest)| ExprKind::Compare {
                    first: Box::new(first),
                    rest: rest
                        .into_iter()
                        .map(|(op, e)| (op, Span::default(), e))
                        .collect(),
                }),
            (
                prop::sample::select(Func::ALL.to_vec()),
                prop::collection::vec(inner, 1..4)
            )
                .prop_map(|(func, mut args)| {
                    let (min, max) = func.arity();
                    while args.len() < min {
                        args.push(args[0].clone());
                    }
                    args.truncate(max.unwrap_or(usize::MAX));
                    ExprKind::Call {
                        func,
                        name_span: Span::default(),
                        args,
                    }
                }),
        ]
        .prop_map(|kind| Expr::new(kind, Span::default()))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn print_then_parse_gives_the_same_tree(e in expr()) {
        let text = print_expr(&e);
        let parsed = parse_expr(&text).map_err(|err| TestCaseError::fail(format!("{text:?}: {err:?}")))?;
        prop_assert_eq!(&parsed, &e, "printed as {:?}", text);
    }

    #[test]
    fn rules_with_deadlines_round_trip(e in expr(), day in 0i64..3000) {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(day);
        let rule = Rule { expr: e, deadline: Some((date, Span::default())) };
        let text = print_rule(&rule);
        let parsed = parse_rule(&text).map_err(|err| TestCaseError::fail(format!("{text:?}: {err:?}")))?;
        prop_assert_eq!(parsed.expr, rule.expr);
        prop_assert_eq!(parsed.deadline.map(|d| d.0), Some(date));
    }
}
