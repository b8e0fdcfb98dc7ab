//! The one table of functions (`chitieu::syntax::functions`): every function is documented,
//! parsed, typed and evaluated through its entry, and aggregates explain their coverage.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use chitieu::eval::{ExplainStep, GoalResult};
use chitieu::syntax::functions::{Over, Role};
use chitieu::syntax::{ExprKind, Func, parse_expr};

const UNITS: &str = "id,name,kind,parent
P,Tỉnh,province,
D1,Sở 1,department,P
D2,Sở 2,department,P
D3,Sở 3,department,P
D4,Sở 4,department,P
C1,Xã 1,commune,D1
C2,Xã 2,commune,D1
C3,Xã 3,commune,D2
";

fn plan(indicators: &str, goals: &str) -> String {
    format!(
        "chitieu: 1\nplan:\n  id: T\n  title: T\n  period: 2026-01-01 .. 2030-12-31\n  baseline: 2025\n\
         indicators:\n  a: {{ name: A, unit: count }}\n  score: {{ name: Điểm, unit: points }}\n{indicators}\
         goals:\n{goals}"
    )
}

/// The result for the province of a goal with rule `rule`, on CSV rows, as of 2027-01-01.
fn province(rule: &str, rows: &str) -> GoalResult {
    let text = plan(
        "",
        &format!("  - {{ id: g, title: G, applies_to: [province], rule: \"{rule}\" }}\n"),
    );
    let csv = format!("unit,indicator,period,value\n{rows}");
    let report = common::evaluate_texts(&text, UNITS, &csv, "2027-01-01");
    let ev = report.evaluation;
    ev.results.into_iter().find(|r| r.unit == "P").unwrap()
}

/// `name(a, a, …)` with `n` arguments.
fn call(f: Func, n: usize) -> String {
    format!("{}({})", f.name(), vec!["a"; n].join(", "))
}

#[test]
fn every_function_is_documented_parsed_and_called_as_its_entry_says() {
    let reference = std::fs::read_to_string("docs/rule-language.md").unwrap();
    for (i, &f) in Func::ALL.iter().enumerate() {
        let spec = f.spec();
        assert_eq!(Func::from_name(spec.name), Some(f));
        assert!(
            Func::ALL[..i].iter().all(|g| g.name() != spec.name),
            "{} twice",
            spec.name
        );
        assert!(
            reference.contains(&format!("| `{}(", spec.name)),
            "docs/rule-language.md has no row for `{}`",
            spec.name
        );
        assert!(spec.signature.starts_with(&format!("{}(", spec.name)));
        assert_eq!(chitieu::syntax::signature(spec.name), Some(spec.signature));
        assert!(!spec.doc_vi.is_empty() && !spec.doc_en.is_empty());
        let e = parse_expr(&call(f, spec.min_args)).unwrap();
        assert!(matches!(e.kind, ExprKind::Call { func, .. } if func == f));
    }
}

#[test]
fn arity_and_where_allowed_come_from_the_table() {
    for &f in Func::ALL {
        let spec = f.spec();
        // One argument too few is refused by the checker, with the function's name.
        let few = plan(
            "",
            &format!(
                "  - {{ id: g, title: G, rule: \"{} = 1\" }}\n",
                call(f, spec.min_args - 1)
            ),
        );
        let (p, _) = chitieu::plan::load_str("t.yaml", &few);
        let diags = chitieu::check::checked(p.unwrap()).unwrap_err();
        assert!(
            diags.iter().any(|d| d.code() == "arity"),
            "{}: {diags:#?}",
            spec.name
        );
        // Only scalar functions may stand in an indicator's formula.
        let formula = plan(
            &format!(
                "  d: {{ name: D, unit: count, formula: \"{}\" }}\n",
                call(f, spec.min_args)
            ),
            "  - { id: g, title: G, rule: a > 0 }\n",
        );
        let (p, _) = chitieu::plan::load_str("t.yaml", &formula);
        let refused = chitieu::check::checked(p.unwrap())
            .err()
            .is_some_and(|d| d.iter().any(|d| d.code() == "not-in-formula"));
        assert_eq!(
            refused,
            !matches!(spec.role, Role::Scalar(_)),
            "{}",
            spec.name
        );
        assert_eq!(f.in_formulas(), !refused, "{}", spec.name);
    }
}

#[test]
fn every_aggregate_skips_missing_units_and_explains_its_coverage() {
    // D4 has no score: three of four departments count.
    let rows = "D1,score,2026,90\nD2,score,2026,96\nD3,score,2026,97\n";
    for &f in Func::ALL {
        let Role::Aggregate(agg) = &f.spec().role else {
            continue;
        };
        let arg = match agg.over {
            Over::Condition => "score > 95",
            Over::Value => "score",
        };
        let aggregate = format!("{}(department, {arg})", f.name());
        let r = province(&format!("{aggregate} = {aggregate}"), rows);
        let coverage = r.steps.iter().find_map(|s| match s {
            ExplainStep::Aggregate {
                function,
                kind,
                counted,
                total,
                holds,
                ..
            } => Some((*function, kind.clone(), *counted, *total, *holds)),
            _ => None,
        });
        let holds = (agg.over == Over::Condition).then_some(2);
        assert_eq!(
            coverage,
            Some((f, "department".to_string(), 3, 4, holds)),
            "{}",
            f.name()
        );
    }
}

/// The value of the rule's first aggregate step, and its coverage (counted, total).
fn aggregate(r: &GoalResult) -> (chitieu::eval::StepValue, u32, u32) {
    r.steps
        .iter()
        .find_map(|s| match s {
            ExplainStep::Aggregate {
                value,
                counted,
                total,
                ..
            } => Some((value.value.clone(), *counted, *total)),
            _ => None,
        })
        .unwrap()
}

fn number(v: &str) -> chitieu::eval::StepValue {
    chitieu::eval::StepValue::Number {
        value: v.parse().unwrap(),
    }
}

#[test]
fn median_is_the_middle_value_of_the_units_that_have_one() {
    use chitieu::eval::Status;
    // Odd count (D4 missing, skipped): the middle of 90, 96, 97.
    let odd = "D1,score,2026,97\nD2,score,2026,90\nD3,score,2026,96\n";
    let r = province("median(department, score) = 96", odd);
    assert_eq!(r.status, Status::Met);
    assert_eq!(aggregate(&r), (number("96"), 3, 4));
    // Even count: the mean of the two middle values, exact.
    let even = "D1,score,2026,97\nD2,score,2026,90.1\nD3,score,2026,96.25\nD4,score,2026,99\n";
    let r = province("median(department, score) = 96.625", even);
    assert_eq!(r.status, Status::Met);
    assert_eq!(aggregate(&r), (number("96.625"), 4, 4));
    assert_eq!(
        chitieu::report::explanation_lines(&r.steps, chitieu::lang::Lang::En)[0],
        "median(department, score) = 96.63 (4 of 4 department units have data)"
    );
    // Two values: their mean; one value: itself.
    let r = province(
        "median(department, score) = 93.55",
        "D1,score,2026,97\nD2,score,2026,90.1\n",
    );
    assert_eq!(r.status, Status::Met);
    assert_eq!(aggregate(&r), (number("93.55"), 2, 4));
    let r = province("median(department, score) = 90", "D2,score,2026,90\n");
    assert_eq!(r.status, Status::Met);
    // No unit with a value: missing.
    let r = province("median(department, score) = 90", "P,score,2026,90\n");
    assert_eq!(r.status, Status::NoData);
    assert_eq!(aggregate(&r), (chitieu::eval::StepValue::Missing, 0, 4));
}

#[test]
fn median_has_the_unit_of_its_values() {
    // A median of scores compares with points; with a percent it is a unit mismatch.
    let text = plan(
        "",
        "  - { id: g, title: G, rule: \"median(department, score) >= 80%\" }\n",
    );
    let (p, _) = chitieu::plan::load_str("t.yaml", &text);
    let diags = chitieu::check::checked(p.unwrap()).unwrap_err();
    assert!(
        diags.iter().any(|d| d.code() == "unit-mismatch"),
        "{diags:#?}"
    );
    // Its first argument is a unit kind.
    let text = plan(
        "",
        "  - { id: g, title: G, rule: \"median(score, score) > 1\" }\n",
    );
    let (p, _) = chitieu::plan::load_str("t.yaml", &text);
    let diags = chitieu::check::checked(p.unwrap()).unwrap_err();
    assert!(
        diags.iter().any(|d| d.code() == "argument-form"),
        "{diags:#?}"
    );
}

#[test]
fn aggregates_nest() {
    // Per department, the sum over its communes (D1: 1 + 2, D2: 10, D3 and D4 have none and are
    // skipped); then the median of those sums.
    let rows = "C1,a,2026,1\nC2,a,2026,2\nC3,a,2026,10\n";
    let r = province("median(department, sum(commune, a)) = 6.5", rows);
    assert_eq!(r.status, chitieu::eval::Status::Met);
    assert_eq!(aggregate(&r), (number("6.5"), 2, 4));
    let r = province("maximum(department, count(commune, a > 1)) = 1", rows);
    assert_eq!(r.status, chitieu::eval::Status::Met);
}
