//! Assigned targets per unit (giao chỉ tiêu, issue 16): an indicator with `assigned: true` holds
//! each unit's own target per period, read from data; a rule comparing a measure with it judges
//! every unit against its own target, with trajectories, aggregates and explanations.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use chitieu::eval::{Evaluation, ExplainStep, GoalResult, Status, StepValue};
use chitieu::lang::Lang;
use chitieu::report::explanation_lines;
use rust_decimal::Decimal;
use std::process::Command;

/// A province and four communes.
const UNITS: &str = include_str!("fixtures/assigned/units.csv");

/// The acceptance plan: communes against their own targets, the province's share of them.
const PLAN: &str = include_str!("fixtures/assigned/plan.yaml");

/// The acceptance data: 2026 targets 70%, 80%, 90% and none for X04; 50% in 2025 for all;
/// June 2026 values 75%, 70%, 60% (and 65% for X04).
const DATA: &str = include_str!("fixtures/assigned/observations.csv");

fn eval_plan(plan: &str, data: &str, as_of: &str) -> Evaluation {
    common::evaluate_texts(plan, UNITS, data, as_of).evaluation
}

fn result<'e>(ev: &'e Evaluation, u: &str, g: &str) -> &'e GoalResult {
    ev.results
        .iter()
        .find(|r| r.unit == u && r.goal == g)
        .unwrap_or_else(|| panic!("no result {u}/{g}"))
}

fn statuses(ev: &Evaluation, goal: &str, units: &[&str]) -> Vec<Status> {
    units.iter().map(|u| result(ev, u, goal).status).collect()
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

const COMMUNES: [&str; 4] = ["X01", "X02", "X03", "X04"];

#[test]
fn acceptance_mid_year_met_on_track_off_track() {
    let ev = eval_plan(PLAN, DATA, "2026-06-30");
    assert_eq!(
        statuses(&ev, "own", &COMMUNES),
        [
            Status::Met,
            Status::OnTrack,
            Status::OffTrack,
            Status::NoData
        ]
    );
    let targets: Vec<_> = COMMUNES
        .iter()
        .map(|u| result(&ev, u, "own").target)
        .collect();
    assert_eq!(
        targets,
        [Some(d("0.7")), Some(d("0.8")), Some(d("0.9")), None]
    );
    // The trajectory runs from each commune's own 2025 value to its own target.
    let x02 = result(&ev, "X02", "own");
    assert_eq!(x02.baseline, Some(d("0.5")));
    let expected = d("0.5") + d("0.3") * Decimal::from(181) / Decimal::from(365);
    assert_eq!(x02.expected, Some(expected));
    let x03 = result(&ev, "X03", "own");
    assert!(x03.expected.unwrap() > d("0.6"));
}

#[test]
fn acceptance_after_deadline_met_not_met_and_no_data() {
    let ev = eval_plan(PLAN, DATA, "2027-01-31");
    assert_eq!(
        statuses(&ev, "own", &COMMUNES),
        [Status::Met, Status::NotMet, Status::NotMet, Status::NoData]
    );
    for (u, t) in [("X01", "0.7"), ("X02", "0.8"), ("X03", "0.9")] {
        let r = result(&ev, u, "own");
        assert_eq!(r.target, Some(d(t)), "{u}");
        assert_eq!(
            r.actual.unwrap() - r.target.unwrap(),
            -r.gap.unwrap(),
            "{u}"
        );
    }
    assert_eq!(result(&ev, "X04", "own").target, None);
}

#[test]
fn acceptance_province_share_counts_communes_meeting_their_own_targets() {
    for as_of in ["2026-06-30", "2027-01-31"] {
        let ev = eval_plan(PLAN, DATA, as_of);
        let r = result(&ev, "H61", "share");
        assert_eq!(r.status, Status::NotMet, "{as_of}");
        assert_eq!(r.actual, Some(Decimal::ONE / Decimal::from(3)), "{as_of}");
        assert_eq!(r.target, Some(d("0.5")));
        // X04 has no target: skipped, and the coverage says so.
        let agg = r
            .steps
            .iter()
            .find_map(|s| match s {
                ExplainStep::Aggregate {
                    counted,
                    total,
                    holds,
                    ..
                } => Some((*counted, *total, *holds)),
                _ => None,
            })
            .unwrap();
        assert_eq!(agg, (3, 4, Some(1)));
        let lines = explanation_lines(&r.steps, Lang::En);
        assert!(
            lines[0].contains("1 hold; 3 of 4 commune units have data"),
            "{lines:?}"
        );
    }
}

#[test]
fn the_explanation_names_the_unit_and_period_of_its_target() {
    let ev = eval_plan(PLAN, DATA, "2026-06-30");
    let x02 = result(&ev, "X02", "own");
    let en = explanation_lines(&x02.steps, Lang::En);
    assert_eq!(
        en,
        [
            "online_rate = 70.00% (2026-06)",
            "online_target = 80.00% (target assigned to Xã B for 2026)",
            "70.00% >= 80.00%  ✗",
        ]
    );
    let vi = explanation_lines(&x02.steps, Lang::Vi);
    assert_eq!(
        vi[1],
        "online_target = 80,00% (chỉ tiêu giao cho Xã B kỳ 2026)"
    );
}

#[test]
fn a_unit_without_assignment_is_no_data_and_says_no_target_was_assigned() {
    let ev = eval_plan(PLAN, DATA, "2027-01-31");
    let x04 = result(&ev, "X04", "own");
    assert_eq!(x04.status, Status::NoData);
    let step = x04
        .steps
        .iter()
        .find(|s| matches!(s, ExplainStep::Assigned { .. }))
        .unwrap();
    let ExplainStep::Assigned {
        unit,
        unit_name,
        value,
        period,
        ..
    } = step
    else {
        unreachable!()
    };
    assert_eq!((unit.as_str(), unit_name.as_str()), ("X04", "Xã D"));
    assert_eq!(value.value, StepValue::Missing);
    assert_eq!(*period, None);
    let en = explanation_lines(&x04.steps, Lang::En);
    assert!(
        en.contains(
            &"online_target: no target assigned to Xã D (for the period containing 2026-12-31 or an earlier one)"
                .to_string()
        ),
        "{en:?}"
    );
    assert!(
        !en.iter().any(|l| l.contains("online_rate = no data")),
        "{en:?}"
    );
    let vi = explanation_lines(&x04.steps, Lang::Vi);
    assert!(
        vi.iter()
            .any(|l| l.contains("chưa giao chỉ tiêu cho Xã D (kỳ chứa ngày 31/12/2026")),
        "{vi:?}"
    );
}

/// `chitieu eval` on the acceptance fixture as of a date, in JSON.
fn cli_json(as_of: &str) -> serde_json::Value {
    let dir = "tests/fixtures/assigned";
    let out = Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args(["eval", &format!("{dir}/plan.yaml"), "--data"])
        .arg(format!("{dir}/observations.csv"))
        .arg("--units")
        .arg(format!("{dir}/units.csv"))
        .args(["--as-of", as_of, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn json_result<'j>(doc: &'j serde_json::Value, unit: &str, goal: &str) -> &'j serde_json::Value {
    doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit"] == unit && r["goal"] == goal)
        .unwrap()
}

#[test]
fn acceptance_through_the_command_line_json() {
    let cases = [
        ("2026-06-30", ["met", "on_track", "off_track", "no_data"]),
        ("2027-01-31", ["met", "not_met", "not_met", "no_data"]),
    ];
    for (as_of, expected) in cases {
        let doc = cli_json(as_of);
        for (unit, status) in COMMUNES.iter().zip(expected) {
            assert_eq!(
                json_result(&doc, unit, "own")["status"],
                status,
                "{unit} {as_of}"
            );
        }
        for (unit, target) in [("X01", "0.7"), ("X02", "0.8"), ("X03", "0.9")] {
            assert_eq!(
                json_result(&doc, unit, "own")["target"],
                target,
                "{unit} {as_of}"
            );
        }
        assert_eq!(
            json_result(&doc, "X04", "own")["target"],
            serde_json::Value::Null
        );
        let share = json_result(&doc, "H61", "share");
        assert_eq!(share["status"], "not_met");
        let actual: Decimal = share["actual"].as_str().unwrap().parse().unwrap();
        assert_eq!(actual, Decimal::ONE / Decimal::from(3));
    }
}
