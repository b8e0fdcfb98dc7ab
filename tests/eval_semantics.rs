//! Evaluation semantics (docs/rule-language.md, “Deadlines and statuses”): one small plan per behaviour, every status and function.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use chitieu::eval::{
    Evaluation, ExplainStep, Fault, FaultAt, GoalResult, Quantity, Status, StepValue,
};
use chitieu::lang::Lang;
use chitieu::report::{explanation_lines, fault_message};
use rust_decimal::Decimal;

const UNITS: &str = "id,name,kind,parent
P,Tỉnh,province,
D1,Sở 1,department,P
D2,Sở 2,department,P
D3,Sở 3,department,P
C1,Xã 1,commune,P
";

const INDICATORS: &str = "
indicators:
  a: { name: A, unit: count }
  b: { name: B, unit: count }
  n: { name: N, unit: count }
  cost: { name: Chi phí, unit: vnd, better: lower }
  rate: { name: Tỷ lệ, unit: percent }
  score: { name: Điểm, unit: points }
  ratio: { name: Tỷ lệ a/b, unit: percent, formula: a / b }
  ratio_zero: { name: Tỷ lệ 0, unit: percent, formula: a / b, on_zero: zero }
  ratio_full: { name: Tỷ lệ đủ, unit: percent, formula: a / b, on_zero: 100 }
  ratio_err: { name: Tỷ lệ lỗi, unit: percent, formula: a / b, on_zero: error }
  rounded: { name: Làm tròn, unit: percent, formula: a / b, precision: 2 }
";

/// Evaluates goals (YAML list items) on CSV rows as of a date, for every unit.
fn eval(goals: &str, rows: &str, as_of: &str) -> Evaluation {
    let plan = format!(
        "chitieu: 1\nplan:\n  id: T\n  title: T\n  period: 2026-01-01 .. 2030-12-31\n  baseline: 2025\n{INDICATORS}goals:\n{goals}"
    );
    let csv = format!("unit,indicator,period,value,as_of\n{rows}");
    common::evaluate_texts(&plan, UNITS, &csv, as_of).evaluation
}

/// A result's explanation in English words, a line per step.
fn lines(r: &GoalResult) -> Vec<String> {
    explanation_lines(&r.steps, Lang::En)
}

/// A result's fault in English words.
fn message(r: &GoalResult) -> Option<String> {
    r.fault.as_ref().map(|f| fault_message(f, Lang::En))
}

/// The result of goal `g` for unit `u`.
fn result<'e>(ev: &'e Evaluation, u: &str, g: &str) -> &'e GoalResult {
    ev.results
        .iter()
        .find(|r| r.unit == u && r.goal == g)
        .unwrap_or_else(|| panic!("no result {u}/{g}"))
}

fn status(goals: &str, rows: &str, as_of: &str) -> Status {
    result(&eval(goals, rows, as_of), "P", "g").status
}

fn goal(rule: &str) -> String {
    format!("  - {{ id: g, title: G, applies_to: [province], rule: \"{rule}\" }}\n")
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

// ---- statuses ----

#[test]
fn met_when_the_rule_holds_even_before_the_deadline() {
    assert_eq!(
        status(
            &goal("rate > 80% by 2030-12-31"),
            "P,rate,2026,85,\n",
            "2027-01-01"
        ),
        Status::Met
    );
}

#[test]
fn not_met_after_the_deadline_or_without_one() {
    let rows = "P,rate,2026,70,\n";
    assert_eq!(
        status(&goal("rate > 80% by 2026-12-31"), rows, "2027-01-01"),
        Status::NotMet
    );
    assert_eq!(
        status(&goal("rate > 80%"), rows, "2027-01-01"),
        Status::NotMet
    );
    // On the deadline itself the goal is judged.
    assert_eq!(
        status(&goal("rate > 80% by 2026-12-31"), rows, "2026-12-31"),
        Status::NotMet
    );
}

#[test]
fn on_track_and_off_track_follow_the_straight_line_from_the_baseline() {
    // Baseline 2025: 60%; target 80% by 2027-12-31 (730 days later). At 2026-12-31 the
    // trajectory expects 70%.
    let g = goal("rate >= 80% by 2027-12-31");
    let ev = eval(&g, "P,rate,2025,60,\nP,rate,2026,71,\n", "2026-12-31");
    let r = result(&ev, "P", "g");
    assert_eq!(r.status, Status::OnTrack);
    assert_eq!(r.expected, Some(d("0.7")));
    assert_eq!(r.baseline, Some(d("0.6")));
    assert_eq!(r.gap, Some(d("0.09")));
    assert_eq!(r.progress, Some(d("0.55")));
    let ev = eval(&g, "P,rate,2025,60,\nP,rate,2026,69,\n", "2026-12-31");
    assert_eq!(result(&ev, "P", "g").status, Status::OffTrack);
}

#[test]
fn lower_is_better_trajectories_run_downwards() {
    let g = goal("cost <= baseline(cost) * (100% - 20%) by 2027-12-31");
    // From 1000 to 800 over two years: 900 expected after one.
    let ev = eval(&g, "P,cost,2025,1000,\nP,cost,2026,890,\n", "2026-12-31");
    let r = result(&ev, "P", "g");
    assert_eq!(r.status, Status::OnTrack);
    assert_eq!(r.target, Some(d("800")));
    assert_eq!(r.expected, Some(d("900")));
    assert_eq!(r.gap, Some(d("90")));
    let ev = eval(&g, "P,cost,2025,1000,\nP,cost,2026,910,\n", "2026-12-31");
    assert_eq!(result(&ev, "P", "g").status, Status::OffTrack);
}

#[test]
fn trajectories_pass_through_milestones() {
    // 60% (end 2025) → 90% by 2026-12-31 (milestone) → 100% by 2028-12-31.
    let g = "  - id: g\n    title: G\n    applies_to: [province]\n    rule: rate = 100% by 2028-12-31\n    milestones: [\"rate >= 90% by 2026-12-31\"]\n";
    let ev = eval(g, "P,rate,2025,60,\nP,rate,2026-06,70,\n", "2026-07-02");
    let r = result(&ev, "P", "g");
    // About half-way (by days) from 60% to the milestone's 90%: 2025-12-31 → 2026-12-31 is
    // 365 days; 2026-07-02 is day 183. Without the milestone it would expect 60% + 40% × 183/1096.
    let expected = d("0.6") + d("0.3") * Decimal::from(183) / Decimal::from(365);
    assert_eq!(r.expected, Some(expected));
    assert_eq!(r.status, Status::OffTrack);
    let ev = eval(g, "P,rate,2025,60,\nP,rate,2026-06,76,\n", "2026-07-02");
    assert_eq!(result(&ev, "P", "g").status, Status::OnTrack);
    // The milestone is not due yet, so it is not reported.
    assert!(r.milestones.is_empty());
    // After its date, it is judged like a goal and reported with the goal.
    let ev = eval(g, "P,rate,2025,60,\nP,rate,2026,95,\n", "2027-06-30");
    let r = result(&ev, "P", "g");
    assert_eq!(r.milestones.len(), 1);
    assert_eq!(r.milestones[0].status, Status::Met);
    assert_eq!(r.status, Status::OnTrack);
}

#[test]
fn in_progress_without_a_trajectory() {
    // No baseline value.
    assert_eq!(
        status(
            &goal("rate > 80% by 2028-12-31"),
            "P,rate,2026,70,\n",
            "2027-01-01"
        ),
        Status::InProgress
    );
    // A compound rule.
    let rows = "P,rate,2025,60,\nP,rate,2026,70,\nP,score,2026,50,\n";
    assert_eq!(
        status(
            &goal("rate > 80% and score > 90 by 2028-12-31"),
            rows,
            "2027-01-01"
        ),
        Status::InProgress
    );
}

#[test]
fn no_data_when_an_input_is_missing() {
    assert_eq!(
        status(&goal("rate > 80%"), "P,score,2026,50,\n", "2027-01-01"),
        Status::NoData
    );
    // Missing is not zero: a ratio without its denominator has no value.
    assert_eq!(
        status(&goal("ratio > 80%"), "P,a,2026,50,\n", "2027-01-01"),
        Status::NoData
    );
}

#[test]
fn not_applicable_outside_applies_to() {
    let ev = eval(&goal("rate > 80%"), "D1,rate,2026,90,\n", "2027-01-01");
    assert_eq!(result(&ev, "D1", "g").status, Status::NotApplicable);
    assert!(result(&ev, "D1", "g").steps.is_empty());
}

#[test]
fn errors_are_statuses_with_a_message() {
    let ev = eval(
        &goal("a / b > 1"),
        "P,a,2026,5,\nP,b,2026,0,\n",
        "2027-01-01",
    );
    let r = result(&ev, "P", "g");
    assert_eq!(r.status, Status::Error);
    assert_eq!(
        r.fault,
        Some(FaultAt {
            fault: Fault::DivisionByZero,
            expr: "a / b".into()
        })
    );
    assert_eq!(message(r).as_deref(), Some("division by zero in `a / b`"));
    assert_eq!(
        r.fault
            .as_ref()
            .map(|f| fault_message(f, Lang::Vi))
            .as_deref(),
        Some("chia cho 0 khi tính `a / b`")
    );
    let big = "79228162514264337593543950335";
    let ev = eval(
        &goal("a * b > 1"),
        &format!("P,a,2026,{big},\nP,b,2026,2,\n"),
        "2027-01-01",
    );
    let r = result(&ev, "P", "g");
    assert_eq!(r.status, Status::Error);
    assert_eq!(message(r).as_deref(), Some("overflow in `a * b`"));
}

#[test]
fn year_to_date_figures_count_from_their_as_of_date() {
    let rows = "P,rate,2026,85,2026-06-30\n";
    assert_eq!(
        status(&goal("rate > 80%"), rows, "2026-06-29"),
        Status::NoData
    );
    assert_eq!(status(&goal("rate > 80%"), rows, "2026-06-30"), Status::Met);
    // A later snapshot of the same period replaces the earlier one once it is known.
    let rows = "P,rate,2026,85,2026-06-30\nP,rate,2026,75,2026-09-30\n";
    assert_eq!(status(&goal("rate > 80%"), rows, "2026-08-01"), Status::Met);
    assert_eq!(
        status(&goal("rate > 80%"), rows, "2026-10-01"),
        Status::NotMet
    );
    // A period without as_of counts once it has ended.
    assert_eq!(
        status(&goal("rate > 80%"), "P,rate,2026-Q3,85,\n", "2026-09-29"),
        Status::NoData
    );
    assert_eq!(
        status(&goal("rate > 80%"), "P,rate,2026-Q3,85,\n", "2026-09-30"),
        Status::Met
    );
}

// ---- values ----

#[test]
fn derived_values_never_mix_periods() {
    // The latest numerator is 2026-02, the latest denominator 2026-01: the ratio comes from the
    // latest period where both exist.
    let rows = "P,a,2026-01,40,\nP,b,2026-01,50,\nP,a,2026-02,45,\n";
    let ev = eval(&goal("ratio > 70%"), rows, "2026-12-31");
    let r = result(&ev, "P", "g");
    assert_eq!(r.actual, Some(d("0.8")));
    assert_eq!(r.period.map(|p| p.to_string()).as_deref(), Some("2026-01"));
}

#[test]
fn on_zero_chooses_the_value_of_a_zero_denominator() {
    let rows = "P,a,2026,0,\nP,b,2026,0,\n";
    assert_eq!(
        status(&goal("ratio > 0%"), rows, "2027-01-01"),
        Status::NoData
    );
    assert_eq!(
        status(&goal("ratio_zero = 0%"), rows, "2027-01-01"),
        Status::Met
    );
    assert_eq!(
        status(&goal("ratio_full = 100%"), rows, "2027-01-01"),
        Status::Met
    );
    assert_eq!(
        status(&goal("ratio_err > 0%"), rows, "2027-01-01"),
        Status::Error
    );
}

#[test]
fn precision_rounds_the_compared_value_but_not_the_reported_one() {
    // 99.996% is 100.00% at two decimals of a percentage.
    let rows = "P,a,2026,99996,\nP,b,2026,100000,\n";
    let ev = eval(&goal("rounded = 100%"), rows, "2027-01-01");
    let r = result(&ev, "P", "g");
    assert_eq!(r.status, Status::Met);
    assert_eq!(r.actual, Some(d("0.99996")));
    assert_eq!(
        status(&goal("ratio = 100%"), rows, "2027-01-01"),
        Status::NotMet
    );
}

#[test]
fn decimal_arithmetic_is_exact() {
    assert_eq!(
        status(&goal("0.1 + 0.2 = 0.3"), "", "2027-01-01"),
        Status::Met
    );
    let ev = eval(
        &goal("a / b > 80%"),
        "P,a,2026,3410,\nP,b,2026,3806,\n",
        "2027-01-01",
    );
    assert_eq!(
        result(&ev, "P", "g")
            .actual
            .map(|a| a.to_string())
            .as_deref(),
        Some("0.8959537572254335260115606936")
    );
}

#[test]
fn chained_comparisons_hold_when_every_link_does() {
    assert_eq!(
        status(
            &goal("91 <= score < 100"),
            "P,score,2026,93.3,\n",
            "2027-01-01"
        ),
        Status::Met
    );
    assert_eq!(
        status(
            &goal("91 <= score < 100"),
            "P,score,2026,100,\n",
            "2027-01-01"
        ),
        Status::NotMet
    );
}

#[test]
fn and_or_follow_three_valued_logic() {
    let rows = "P,a,2026,1,\n";
    // b is missing.
    assert_eq!(
        status(&goal("a > 5 and b > 0"), rows, "2027-01-01"),
        Status::NotMet
    );
    assert_eq!(
        status(&goal("a > 0 and b > 0"), rows, "2027-01-01"),
        Status::NoData
    );
    assert_eq!(
        status(&goal("a > 0 or b > 0"), rows, "2027-01-01"),
        Status::Met
    );
    assert_eq!(
        status(&goal("a > 5 or b > 0"), rows, "2027-01-01"),
        Status::NoData
    );
    assert_eq!(
        status(&goal("not b > 0"), rows, "2027-01-01"),
        Status::NoData
    );
    assert_eq!(status(&goal("not a > 5"), rows, "2027-01-01"), Status::Met);
}

// ---- functions ----

#[test]
fn min_max_abs_round() {
    let rows = "P,a,2026,7,\nP,b,2026,-3,\n";
    for rule in [
        "min(a, b, 10) = -3",
        "max(a, b) = 7",
        "abs(b) = 3",
        "round(a / 3, 2) = 2.33",
        "round(2.5, 0) = 3 and round(-2.5, 0) = -3",
    ] {
        assert_eq!(
            status(&goal(rule), rows, "2027-01-01"),
            Status::Met,
            "{rule}"
        );
    }
    // Missing propagates through min and max.
    assert_eq!(
        status(&goal("min(a, n) > 0"), rows, "2027-01-01"),
        Status::NoData
    );
}

#[test]
fn if_and_coalesce() {
    let rows = "P,a,2026,7,\n";
    assert_eq!(
        status(&goal("if(a > 5, 1, 0) = 1"), rows, "2027-01-01"),
        Status::Met
    );
    assert_eq!(
        status(&goal("if(a > 50, 1, 0) = 0"), rows, "2027-01-01"),
        Status::Met
    );
    assert_eq!(
        status(&goal("coalesce(b, a, 0) = 7"), rows, "2027-01-01"),
        Status::Met
    );
    assert_eq!(
        status(&goal("coalesce(b, n) = 0"), rows, "2027-01-01"),
        Status::NoData
    );
}

#[test]
fn baseline_value_previous_and_change() {
    let rows = "P,a,2025,100,\nP,a,2026-Q1,110,\nP,a,2026-Q2,120,\nP,a,2024,90,\n";
    for rule in [
        "baseline(a) = 100",
        "baseline(a, 2024) = 90",
        "value(a, 2026-Q1) = 110",
        "previous(a) = 110",
        "change(a) = 20",
        "a = 120",
    ] {
        assert_eq!(
            status(&goal(rule), rows, "2026-12-31"),
            Status::Met,
            "{rule}"
        );
    }
    // A fixed period has no fallback to another.
    assert_eq!(
        status(&goal("value(a, 2026-Q3) > 0"), rows, "2026-12-31"),
        Status::NoData
    );
}

#[test]
fn improve_compares_with_the_baseline_in_the_better_direction() {
    let g = goal("improve(cost)");
    let ev = eval(&g, "P,cost,2025,1000,\nP,cost,2026,900,\n", "2027-01-01");
    let r = result(&ev, "P", "g");
    assert_eq!(r.status, Status::Met);
    assert_eq!((r.actual, r.target), (Some(d("900")), Some(d("1000"))));
    assert_eq!(
        status(&g, "P,cost,2025,1000,\nP,cost,2026,1100,\n", "2027-01-01"),
        Status::NotMet
    );
}

#[test]
fn aggregates_over_units_below() {
    let rows = "D1,score,2026,98,\nD2,score,2026,96,\nC1,score,2026,99,\n";
    for rule in [
        "count(department) = 3",
        "count(department, score >= 97) = 1",
        "share(department, score >= 97) = 50%",
        "all(department, score >= 96)",
        "any(department, score >= 98)",
        "sum(department, score) = 194",
        "avg(department, score) = 97",
        "minimum(department, score) = 96",
        "maximum(department, score) = 98",
        "count(commune, score > 0) = 1",
    ] {
        assert_eq!(
            status(&goal(rule), rows, "2027-01-01"),
            Status::Met,
            "{rule}"
        );
    }
    // D3 has no data: skipped, and the explanation says so.
    let ev = eval(
        &goal("share(department, score >= 97) = 100%"),
        rows,
        "2027-01-01",
    );
    let r = result(&ev, "P", "g");
    assert_eq!(r.status, Status::NotMet);
    assert!(
        lines(r)
            .iter()
            .any(|l| l.contains("2 of 3 department units have data")),
        "{:?}",
        lines(r)
    );
    assert!(
        r.steps.iter().any(|s| matches!(
            s,
            ExplainStep::Aggregate {
                counted: 2,
                total: 3,
                holds: Some(1),
                kind,
                ..
            } if kind == "department"
        )),
        "{:?}",
        r.steps
    );
    // With no unit left, the aggregate is missing.
    assert_eq!(
        status(&goal("all(department, rate > 0%)"), rows, "2027-01-01"),
        Status::NoData
    );
}

#[test]
fn explanations_show_sub_expressions_and_values() {
    let g = "  - { id: g, title: G, applies_to: [province], rule: ratio > 80% }\n";
    let ev = eval(g, "P,a,2025-Q3,3410,\nP,b,2025-Q3,3806,\n", "2026-01-01");
    let r = result(&ev, "P", "g");
    assert_eq!(
        lines(r),
        [
            "ratio = a / b = 3,410 / 3,806 = 89.60% (2025-Q3)",
            "89.60% > 80.00%  ✓"
        ]
    );
    assert_eq!(
        explanation_lines(&r.steps, Lang::Vi),
        [
            "ratio = a / b = 3.410 / 3.806 = 89,60% (2025-Q3)",
            "89,60% > 80,00%  ✓"
        ]
    );
}

#[test]
fn explanations_are_typed_steps_with_exact_values() {
    let g = "  - { id: g, title: G, applies_to: [province], rule: ratio > 80% }\n";
    let ev = eval(g, "P,a,2025-Q3,3410,\nP,b,2025-Q3,3806,\n", "2026-01-01");
    let r = result(&ev, "P", "g");
    let num = |v: &str| StepValue::Number {
        value: v.parse().unwrap(),
    };
    let ratio = Decimal::from(3410) / Decimal::from(3806);
    let [
        ExplainStep::Computed {
            indicator,
            formula,
            inputs,
            value,
            period,
        },
        ExplainStep::Comparison {
            operands,
            ops,
            outcome,
        },
    ] = r.steps.as_slice()
    else {
        panic!("{:?}", r.steps)
    };
    assert_eq!((indicator.as_str(), formula.as_str()), ("ratio", "a / b"));
    assert_eq!(period.map(|p| p.to_string()).as_deref(), Some("2025-Q3"));
    assert_eq!(value.value, StepValue::Number { value: ratio });
    let read: Vec<_> = inputs
        .iter()
        .map(|i| (i.indicator.as_str(), i.start, i.end, i.value.value.clone()))
        .collect();
    assert_eq!(read, [("a", 0, 1, num("3410")), ("b", 4, 5, num("3806"))]);
    assert_eq!(ops, &[chitieu::syntax::CmpOp::Gt]);
    let percent = Some(chitieu::plan::Unit::Percent);
    assert_eq!(
        operands,
        &[
            Quantity {
                value: StepValue::Number { value: ratio },
                unit: percent
            },
            Quantity {
                value: num("0.8"),
                unit: percent
            }
        ]
    );
    assert_eq!(outcome, &StepValue::Bool { value: true });
    // Serializable, values as exact decimal strings.
    let json = serde_json::to_value(&r.steps).unwrap();
    assert_eq!(json[0]["step"], "computed");
    assert_eq!(json[0]["inputs"][0]["value"]["value"], "3410");
    assert_eq!(json[0]["inputs"][0]["value"]["unit"], "count");
    assert_eq!(json[1]["outcome"]["kind"], "bool");
}

#[test]
fn an_sdg_goal_without_data_still_carries_the_sdg_block() {
    // As the reference implementation reports a series with no data: not available, nulls.
    let goals = "  - { id: g, title: G, applies_to: [province], rule: \"rate > 80% by 2030-12-31\", progress: sdg }\n";
    let ev = eval(goals, "C1,rate,2026,85,\n", "2027-01-01");
    let r = result(&ev, "P", "g");
    assert_eq!(r.status, Status::NoData);
    let json = serde_json::to_value(r).unwrap();
    assert_eq!(
        json["sdg"],
        serde_json::json!({"status": "not_available", "progress_value": null, "score": null})
    );
}

#[test]
fn missing_units_not_met_keeps_a_hundred_percent_of_units_from_being_met() {
    // “100% sở, ban, ngành đạt từ 97 điểm”: two departments score 100, the third has no score.
    let rows = "D1,score,2026,100,\nD2,score,2026,100,\n";
    let rule = "share(department, score >= 97) = 100% by 2026-12-31";
    let lenient = format!("  - {{ id: g, title: G, applies_to: [province], rule: \"{rule}\" }}\n");
    let strict = format!(
        "  - {{ id: g, title: G, applies_to: [province], rule: \"{rule}\", missing_units: not_met }}\n"
    );
    assert_eq!(status(&lenient, rows, "2027-01-01"), Status::Met);
    let ev = eval(&strict, rows, "2027-01-01");
    let r = result(&ev, "P", "g");
    assert_eq!(r.status, Status::NotMet);
    // The explanation still says how many units have data.
    assert!(r.steps.iter().any(|s| matches!(
        s,
        chitieu::eval::ExplainStep::Aggregate {
            counted: 2,
            total: 3,
            ..
        }
    )));
    // With every department scored, the strict goal is met.
    let all = "D1,score,2026,100,\nD2,score,2026,100,\nD3,score,2026,98,\n";
    assert_eq!(status(&strict, all, "2027-01-01"), Status::Met);
}

#[test]
fn missing_units_takes_skip_or_not_met() {
    let plan = "chitieu: 1\nplan:\n  id: T\n  title: T\n  period: 2026-01-01 .. 2030-12-31\n\
                indicators:\n  a: { name: A, unit: count }\ngoals:\n\
                \x20 - { id: g, title: G, rule: \"a > 1\", missing_units: never }\n";
    let (_, diags) = chitieu::plan::load_str("t.yaml", plan);
    let text = format!("{diags:?}");
    assert!(
        text.contains("missing_units") && text.contains("not_met"),
        "{text}"
    );
}

#[test]
fn time_functions_and_conditions_explain_their_periods_and_outcomes() {
    let rows = "P,a,2025,100,\nP,a,2026,120,\n";
    let ev = eval(&goal("change(a) >= 10"), rows, "2027-01-01");
    let r = result(&ev, "P", "g");
    assert_eq!(
        lines(r),
        ["a = 120 (2026)", "change(a) = 100 (2025)", "20 >= 10  ✓"]
    );
    let ev = eval(&goal("improve(a)"), rows, "2027-01-01");
    let r = result(&ev, "P", "g");
    assert_eq!(
        explanation_lines(&r.steps, Lang::Vi),
        ["a = 120 (2026)", "a = 100 (2025)", "improve(a): đúng  ✓"]
    );
    assert!(matches!(
        r.steps.as_slice(),
        [
            ExplainStep::Read { .. },
            ExplainStep::AtPeriod { .. },
            ExplainStep::Condition {
                outcome: StepValue::Bool { value: true },
                ..
            }
        ]
    ));
}

#[test]
fn a_target_is_called_the_baseline_only_when_the_rule_says_baseline() {
    // `rate >= baseline(rate)`: the target is the baseline level. `rate >= 80%` whose baseline
    // happens to be 80% is a figure of the plan.
    let rows = "P,rate,2025,80,\nP,rate,2026,85,\n";
    let held = eval(&goal("rate >= baseline(rate)"), rows, "2027-01-01");
    let fixed = eval(&goal("rate >= 80%"), rows, "2027-01-01");
    let (held, fixed) = (result(&held, "P", "g"), result(&fixed, "P", "g"));
    assert_eq!(held.baseline, fixed.baseline);
    let text = |r: &GoalResult| chitieu::report::target_text(r, chitieu::lang::Lang::Vi);
    assert_eq!(text(held), "≥ 80,00% (kỳ gốc)");
    assert_eq!(text(fixed), "≥ 80,00%");
}
