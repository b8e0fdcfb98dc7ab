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

// ---- every status, yearly steps, revisions, fixed periods ----

/// A plan with one commune goal `rule` (and `extra` YAML under it), on the acceptance units.
fn plan_with(rule: &str, extra: &str) -> String {
    format!(
        "chitieu: 1\nplan:\n  id: T\n  title: T\n  period: 2026-01-01 .. 2030-12-31\n  baseline: 2025\n  lang: en\n\
indicators:\n  online_rate: {{ name: R, unit: percent }}\n  online_target: {{ name: G, unit: percent, assigned: true }}\n  k: {{ name: K, unit: number }}\n\
goals:\n  - id: g\n    title: G\n    applies_to: [commune]\n    rule: {rule}\n{extra}"
    )
}

fn rows(lines: &str) -> String {
    format!("unit,indicator,period,value,as_of\n{lines}")
}

#[test]
fn every_status_against_the_units_own_target() {
    let plan = plan_with(
        "\"online_rate >= online_target / value(k, 2025) by 2026-12-31\"",
        "",
    );
    // X01 reaches its target; X02 and X03 are behind it, on and off the line from their own
    // baselines; X04 has no baseline value (no trajectory); H61 is not a commune.
    let data = rows(
        "X01,online_target,2026,70,\nX02,online_target,2026,80,\nX03,online_target,2026,90,\nX04,online_target,2026,90,\n\
X01,online_rate,2025,50,\nX02,online_rate,2025,50,\nX03,online_rate,2025,50,\n\
X01,online_rate,2026-06,75,\nX02,online_rate,2026-06,70,\nX03,online_rate,2026-06,60,\nX04,online_rate,2026-06,60,\n\
X01,k,2025,1,\nX02,k,2025,1,\nX03,k,2025,1,\nX04,k,2025,1,\n",
    );
    let units = ["H61", "X01", "X02", "X03", "X04"];
    let before = eval_plan(&plan, &data, "2026-06-30");
    assert_eq!(
        statuses(&before, "g", &units),
        [
            Status::NotApplicable,
            Status::Met,
            Status::OnTrack,
            Status::OffTrack,
            Status::InProgress
        ]
    );
    let after = eval_plan(&plan, &data, "2027-01-31");
    assert_eq!(
        statuses(&after, "g", &units),
        [
            Status::NotApplicable,
            Status::Met,
            Status::NotMet,
            Status::NotMet,
            Status::NotMet
        ]
    );
    // Without the target's input `k`, the rule has no data; with k = 0 it fails.
    let no_k = eval_plan(&plan, &data.replace("X02,k,2025,1,\n", ""), "2026-06-30");
    assert_eq!(result(&no_k, "X02", "g").status, Status::NoData);
    let zero_k = eval_plan(
        &plan,
        &data.replace("X02,k,2025,1,", "X02,k,2025,0,"),
        "2026-06-30",
    );
    assert_eq!(result(&zero_k, "X02", "g").status, Status::Error);
}

/// Yearly targets 2026–2030 for X01 (60, 65, 70, 75, 80), a goal for 2030 with a milestone per
/// year, and a goal without deadline.
fn yearly() -> (String, String) {
    let milestones: String = (2026..=2029)
        .map(|y| format!("      - online_rate >= online_target by {y}-12-31\n"))
        .collect();
    let plan = plan_with(
        "online_rate >= online_target by 2030-12-31",
        &format!(
            "    milestones:\n{milestones}  - {{ id: now, title: N, applies_to: [commune], rule: online_rate >= online_target }}\n"
        ),
    );
    let data = rows(
        "X01,online_target,2026,60,\nX01,online_target,2027,65,\nX01,online_target,2028,70,\n\
X01,online_target,2029,75,\nX01,online_target,2030,80,\nX01,online_rate,2025,50,\n\
X01,online_rate,2026,61,\nX01,online_rate,2027-06,62,\n",
    );
    (plan, data)
}

#[test]
fn yearly_steps_each_deadline_reads_its_own_year() {
    let (plan, data) = yearly();
    let ev = eval_plan(&plan, &data, "2027-07-31");
    let g = result(&ev, "X01", "g");
    // The goal reads the 2030 target; the milestone due (2026) reads the 2026 one.
    assert_eq!(g.target, Some(d("0.8")));
    assert_eq!(g.milestones.len(), 1);
    assert_eq!(g.milestones[0].target, Some(d("0.6")));
    assert_eq!(g.milestones[0].status, Status::Met);
    // The trajectory passes through the unit's yearly targets: at 2027-07-31 it lies between
    // the 2026 target (60%) and the 2027 one (65%).
    let expected = d("0.6") + d("0.05") * Decimal::from(212) / Decimal::from(365);
    assert_eq!(g.expected, Some(expected));
    assert_eq!(g.status, Status::OffTrack);
    // Without a deadline, the target of the year containing the evaluation date.
    let now = result(&ev, "X01", "now");
    assert_eq!((now.target, now.status), (Some(d("0.65")), Status::NotMet));
    let earlier = eval_plan(&plan, &data, "2026-12-31");
    assert_eq!(result(&earlier, "X01", "now").target, Some(d("0.6")));
    assert_eq!(result(&earlier, "X01", "now").status, Status::Met);
}

#[test]
fn without_a_value_for_the_deadlines_period_the_latest_earlier_one_applies() {
    let plan = plan_with(
        "online_rate >= online_target by 2028-12-31",
        "  - { id: y27, title: Y, applies_to: [commune], rule: \"online_rate >= value(online_target, 2027)\" }\n",
    );
    let data = rows(
        "X01,online_target,2026,60,\nX01,online_target,2027,65,\nX01,online_target,2029,75,\n\
X01,online_rate,2025,50,\nX01,online_rate,2026,70,\n",
    );
    let ev = eval_plan(&plan, &data, "2027-01-31");
    // 2028 has no target: the 2027 one applies, not the later 2029 one.
    assert_eq!(result(&ev, "X01", "g").target, Some(d("0.65")));
    assert_eq!(result(&ev, "X01", "g").status, Status::Met);
    // `value(online_target, 2027)` reads that period exactly.
    assert_eq!(result(&ev, "X01", "y27").target, Some(d("0.65")));
    // X02 has none at all: no data.
    assert_eq!(result(&ev, "X02", "g").status, Status::NoData);
}

#[test]
fn a_revised_target_counts_from_its_as_of_date() {
    let plan = plan_with("online_rate >= online_target by 2026-12-31", "");
    let data = rows(
        "X01,online_target,2026,80,\nX01,online_target,2026,70,2026-07-01\n\
X01,online_rate,2025,50,\nX01,online_rate,2026-06,75,\n",
    );
    let before = eval_plan(&plan, &data, "2026-06-30");
    let r = result(&before, "X01", "g");
    assert_eq!((r.target, r.status), (Some(d("0.8")), Status::OnTrack));
    let after = eval_plan(&plan, &data, "2026-07-01");
    let r = result(&after, "X01", "g");
    assert_eq!((r.target, r.status), (Some(d("0.7")), Status::Met));
}

#[test]
fn a_target_in_another_unit_of_measure_is_a_located_unit_mismatch() {
    let plan = PLAN.replace(
        "online_target: { name: Chỉ tiêu được giao, unit: percent,",
        "online_target: { name: Chỉ tiêu được giao, unit: count,",
    );
    let (loaded, diags) = chitieu::plan::load_str("t.yaml", &plan);
    assert!(diags.is_empty(), "{diags:?}");
    let diags = chitieu::check::check(&loaded.unwrap());
    let d = diags
        .iter()
        .find(|d| d.code() == "unit-mismatch")
        .unwrap_or_else(|| panic!("{diags:?}"));
    let loc = d.location.as_ref().unwrap();
    assert_eq!(
        (loc.start_line_col(), loc.text()),
        ((15, 11), "online_rate >= online_target")
    );
}

// ---- property: better actual or lower target never worsens the status ----

/// How good a status is, for a `>=` rule with a deadline and a baseline value.
fn rank(s: Status) -> u8 {
    match s {
        Status::Met => 2,
        Status::OnTrack => 1,
        Status::OffTrack | Status::NotMet => 0,
        other => panic!("unexpected status {other:?}"),
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
    /// X01 has actual `a` and target `g`; X02 the actual raised by `delta`; X03 the target
    /// lowered by `delta`; all the same baseline. Neither change worsens the status.
    #[test]
    fn raising_the_actual_or_lowering_the_own_target_never_worsens_the_status(
        b in 0u32..=100,
        a in 0u32..=100,
        g in 1u32..=100,
        delta in 0u32..=40,
        as_of in proptest::sample::select(vec!["2026-03-31", "2026-08-15", "2026-12-30", "2027-02-01"]),
    ) {
        let plan = plan_with("online_rate >= online_target by 2026-12-31", "");
        let lowered = g.saturating_sub(delta);
        let mut lines = String::new();
        for (u, actual, target) in [("X01", a, g), ("X02", a + delta, g), ("X03", a, lowered)] {
            lines.push_str(&format!(
                "{u},online_rate,2025,{b},\n{u},online_rate,2026-03,{actual},\n{u},online_target,2026,{target},\n"
            ));
        }
        let ev = eval_plan(&plan, &rows(&lines), as_of);
        let base = rank(result(&ev, "X01", "g").status);
        proptest::prop_assert!(rank(result(&ev, "X02", "g").status) >= base);
        proptest::prop_assert!(rank(result(&ev, "X03", "g").status) >= base);
    }
}

// ---- every report format shows each unit's own target ----

/// `chitieu COMMAND` on the acceptance fixture as of 2026-06-30, with `extra` arguments.
fn cli(command: &str, extra: &[&str]) -> String {
    let dir = "tests/fixtures/assigned";
    let out = Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args([command, &format!("{dir}/plan.yaml"), "--data"])
        .arg(format!("{dir}/observations.csv"))
        .arg("--units")
        .arg(format!("{dir}/units.csv"))
        .args(["--as-of", "2026-06-30"])
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The text from the first occurrence of `from` on.
fn after<'a>(text: &'a str, from: &str) -> &'a str {
    &text[text
        .find(from)
        .unwrap_or_else(|| panic!("no {from:?} in\n{text}"))..]
}

#[test]
fn human_markdown_and_html_reports_show_each_units_own_target() {
    let human = cli("eval", &[]);
    for (name, target) in [
        ("Phường A", "70.00%"),
        ("Xã B", "80.00%"),
        ("Xã C", "90.00%"),
    ] {
        let line = after(&human, name).lines().nth(1).unwrap();
        assert!(line.contains(&format!("target ≥ {target}")), "{line}");
    }
    let markdown = cli("eval", &["--format", "markdown"]);
    for (name, target) in [
        ("Phường A", "70.00%"),
        ("Xã B", "80.00%"),
        ("Xã C", "90.00%"),
    ] {
        let section = after(&markdown, &format!("## {name}"));
        let row = section.lines().find(|l| l.contains("| own |")).unwrap();
        assert!(row.contains(&format!("| ≥ {target} |")), "{row}");
    }
    let html = cli("eval", &["--format", "html"]);
    for (name, target) in [
        ("Phường A", "70.00%"),
        ("Xã B", "80.00%"),
        ("Xã C", "90.00%"),
    ] {
        // The results table's row of the unit: its target cell.
        let row = after(&html, &format!("<td>{name} <span"));
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(
            row.contains(&format!(r#"<td class="num">≥ {target}</td>"#)),
            "{row}"
        );
    }
}

#[test]
fn junit_failures_and_the_json_explanation_name_the_assigned_target() {
    let junit = cli("eval", &["--format", "junit"]);
    let x03 = after(&junit, r#"<testcase classname="X03" name="own"#);
    let failure = &x03[..x03.find("</failure>").unwrap()];
    assert!(
        failure.contains(r#"failure message="off track""#),
        "{failure}"
    );
    assert!(
        failure.contains("online_target = 90.00% (target assigned to Xã C for 2026)"),
        "{failure}"
    );
    // JSON: the typed step is additive, beside the words.
    let doc = cli_json("2026-06-30");
    let x03 = json_result(&doc, "X03", "own");
    let step = x03["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"] == "assigned")
        .unwrap();
    assert_eq!(
        step,
        &serde_json::json!({
            "step": "assigned", "indicator": "online_target", "unit": "X03", "unit_name": "Xã C",
            "value": {"kind": "number", "value": "0.9", "unit": "percent"},
            "period": "2026", "date": "2026-12-31"
        })
    );
}

#[test]
fn the_results_workbook_carries_each_units_own_target() {
    use calamine::{Data, Reader, Xlsx};
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("assigned_targets");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("results.xlsx");
    cli("eval", &["--format", "xlsx", "-o", path.to_str().unwrap()]);
    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let sheet = book.worksheet_range("Results").unwrap();
    let rows: Vec<_> = sheet.rows().collect();
    assert_eq!(rows[0][6], Data::String("target".into()));
    for (unit, target) in [("X01", 0.7), ("X02", 0.8), ("X03", 0.9)] {
        let row = rows
            .iter()
            .find(|r| r[0] == Data::String(unit.into()) && r[2] == Data::String("own".into()))
            .unwrap();
        assert_eq!(row[6], Data::Float(target), "{unit}");
    }
}

#[test]
fn explain_snapshots() {
    let on_track = cli("explain", &["--unit", "X02", "--goal", "own"]);
    insta::assert_snapshot!("assigned_explain_on_track_en", on_track);
    let unassigned = cli(
        "explain",
        &["--unit", "X04", "--goal", "own", "--lang", "vi"],
    );
    insta::assert_snapshot!("assigned_explain_unassigned_vi", unassigned);
}

#[test]
fn an_assigned_targets_precision_rounds_it_for_the_comparison_as_published() {
    // A target of 80.04% with `precision: 1` is compared as 80.0%: an actual of 80% meets it,
    // while the result still reports the target as assigned.
    let data =
        rows("X01,online_target,2026,80.04,\nX01,online_rate,2025,50,\nX01,online_rate,2026,80,\n");
    let rule = "online_rate >= online_target by 2026-12-31";
    let exact = eval_plan(&plan_with(rule, ""), &data, "2027-01-31");
    assert_eq!(result(&exact, "X01", "g").status, Status::NotMet);
    let published = plan_with(rule, "").replace("assigned: true", "assigned: true, precision: 1");
    let ev = eval_plan(&published, &data, "2027-01-31");
    let r = result(&ev, "X01", "g");
    assert_eq!((r.status, r.target), (Status::Met, Some(d("0.8004"))));
    // Only the comparison rounds: `value(online_target, 2026)` reads the exact target.
    let at = plan_with("\"online_rate >= value(online_target, 2026)\"", "")
        .replace("assigned: true", "assigned: true, precision: 1");
    assert_eq!(
        result(&eval_plan(&at, &data, "2027-01-31"), "X01", "g").status,
        Status::NotMet
    );
}

#[test]
fn human_and_markdown_reports_say_a_no_data_unit_was_given_no_target() {
    // X04's section, up to the summary, in the terminal and Markdown reports, in both languages.
    let section = |text: &str, summary: &str| {
        let from = after(text, "Xã D (X04)");
        from[..from.find(summary).unwrap()].trim_end().to_string()
    };
    let human_en = cli("eval", &[]);
    let human_vi = cli("eval", &["--lang", "vi"]);
    let md_en = cli("eval", &["--format", "markdown"]);
    let md_vi = cli("eval", &["--format", "markdown", "--lang", "vi"]);
    insta::assert_snapshot!(
        "assigned_no_target_reports",
        [
            section(&human_en, "Summary"),
            section(&human_vi, "Tổng hợp"),
            section(&md_en, "**Summary"),
            section(&md_vi, "**Tổng hợp"),
        ]
        .join("\n\n")
    );
}
