//! Property tests of evaluation invariants.
//!
//! - Raising the actual of a `>=` goal never worsens its status.
//! - Mirroring polarity (negating values and flipping `>=` to `<=`) mirrors results.
//! - Removing an observation never turns a result into `met`, for rules whose inputs have one
//!   period each and no `coalesce` or aggregate: those two are the intended exceptions (an older
//!   period becomes current; an aggregate skips a unit without data), pinned by
//!   `removing_data_can_change_what_is_current` below.
//! - The order of units in the registry does not change any result.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chitieu::data::{Format, Locale, load_observations_str, load_units_str};
use chitieu::eval::{Compiled, Options, Status, evaluate};
use chitieu::period::parse_date;
use proptest::prelude::*;
use std::collections::BTreeMap;

const INDICATORS: &str = "
indicators:
  x: { name: X, unit: number }
  y: { name: Y, unit: number }
  z: { name: Z, unit: number }
";

struct Setup {
    compiled: Compiled,
    units_csv: String,
}

fn setup(goals: &str, units_csv: &str) -> Setup {
    let plan = format!(
        "chitieu: 1\nplan:\n  id: T\n  title: T\n  period: 2026-01-01 .. 2030-12-31\n  baseline: 2025\n{INDICATORS}goals:\n{goals}"
    );
    let (plan, diags) = chitieu::plan::load_str("t.yaml", &plan);
    assert!(diags.is_empty(), "{diags:#?}");
    let checked = chitieu::check::checked(plan.unwrap()).unwrap();
    Setup {
        compiled: Compiled::new(checked),
        units_csv: units_csv.to_string(),
    }
}

/// Results keyed by (unit, goal).
fn run(
    s: &Setup,
    rows: &[(String, String, String, String)],
    as_of: &str,
) -> BTreeMap<(String, String), (Status, Option<String>)> {
    let plan = s.compiled.plan();
    let mut units = load_units_str("u.csv", &s.units_csv, Format::Csv, plan).unwrap();
    let mut csv = String::from("unit,indicator,period,value\n");
    for (u, i, p, v) in rows {
        csv.push_str(&format!("{u},{i},{p},{v}\n"));
    }
    let data = load_observations_str(
        "d.csv",
        &csv,
        Format::Csv,
        plan,
        &mut units,
        Locale::Default,
    )
    .unwrap();
    let ev = evaluate(
        &s.compiled,
        &data,
        &units,
        &Options::new(parse_date(as_of).unwrap()),
    )
    .unwrap();
    ev.results
        .into_iter()
        .map(|r| {
            (
                (r.unit, r.goal),
                (r.status, r.gap.map(|g| g.normalize().to_string())),
            )
        })
        .collect()
}

/// Better statuses rank higher; `no_data`, `error` and `not_applicable` are not ranked.
fn rank(s: Status) -> Option<u8> {
    match s {
        Status::NotMet => Some(0),
        Status::OffTrack => Some(1),
        Status::InProgress => Some(2),
        Status::OnTrack => Some(3),
        Status::Met => Some(4),
        _ => None,
    }
}

const ONE_UNIT: &str = "id,name,kind,parent\nP,P,province,\n";

fn value() -> impl Strategy<Value = i64> {
    -1000i64..1000
}

fn as_of() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "2026-03-31",
        "2026-12-31",
        "2027-06-30",
        "2028-12-31",
        "2029-01-01",
    ])
    .prop_map(str::to_string)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn raising_the_actual_of_a_ge_goal_never_worsens_it(
        base in value(), now in value(), raise in 0i64..500, target in value(),
        deadline in prop::sample::select(vec!["2026-12-31", "2028-12-31"]), t in as_of(),
    ) {
        let s = setup(&format!("  - {{ id: g, title: G, rule: x >= {target} by {deadline} }}\n").replace(">= -", ">= 0 - "), ONE_UNIT);
        let rows = |v: i64| vec![
            ("P".into(), "x".into(), "2025".into(), base.to_string()),
            ("P".into(), "x".into(), "2026-01".into(), v.to_string()),
        ];
        let before = run(&s, &rows(now), &t)[&("P".into(), "g".into())].0;
        let after = run(&s, &rows(now + raise), &t)[&("P".into(), "g".into())].0;
        prop_assert!(rank(after) >= rank(before), "{before:?} → {after:?}");
    }

    #[test]
    fn mirroring_polarity_mirrors_results(
        base in value(), now in value(), target in value(),
        op in prop::sample::select(vec![">=", ">", "="]), t in as_of(),
    ) {
        let flipped = match op { ">=" => "<=", ">" => "<", _ => "=" };
        let rule = |op: &str, g: i64| format!("x {op} 0 + ({g}) by 2028-12-31");
        let a = setup(&format!("  - {{ id: g, title: G, rule: \"{}\" }}\n", rule(op, target)), ONE_UNIT);
        let b = setup(&format!("  - {{ id: g, title: G, rule: \"{}\" }}\n", rule(flipped, -target)), ONE_UNIT);
        let rows = |sign: i64| vec![
            ("P".into(), "x".into(), "2025".into(), (sign * base).to_string()),
            ("P".into(), "x".into(), "2026-01".into(), (sign * now).to_string()),
        ];
        prop_assert_eq!(run(&a, &rows(1), &t), run(&b, &rows(-1), &t));
    }

    #[test]
    fn removing_an_observation_never_turns_a_result_into_met(
        values in prop::collection::vec(prop::option::of(value()), 6),
        rule in prop::sample::select(vec![
            "x > y", "x + y >= z", "x > 0 and y > 0", "x > 0 or y > 0", "not x > y",
            "min(x, y) > z", "abs(x - y) < 100", "if(x > 0, y, z) > 0", "x * y > z",
        ]),
        drop in 0usize..6,
    ) {
        let units = "id,name,kind,parent\nA,A,province,\nB,B,province,\n";
        let s = setup(&format!("  - {{ id: g, title: G, rule: \"{rule}\" }}\n"), units);
        let rows: Vec<(String, String, String, String)> = values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                let unit = if i < 3 { "A" } else { "B" };
                let ind = ["x", "y", "z"][i % 3];
                v.map(|v| (unit.into(), ind.into(), "2026".into(), v.to_string()))
            })
            .collect();
        prop_assume!(drop < rows.len());
        let before = run(&s, &rows, "2027-01-01");
        let mut fewer = rows.clone();
        fewer.remove(drop);
        let after = run(&s, &fewer, "2027-01-01");
        for (key, (status, _)) in &after {
            if *status == Status::Met {
                prop_assert_eq!(before[key].0, Status::Met, "{:?}", key);
            }
        }
    }

    #[test]
    fn unit_order_does_not_change_results(
        scores in prop::collection::vec(prop::option::of(0i64..100), 5),
        order in Just(vec![0usize, 1, 2, 3, 4]).prop_shuffle(),
    ) {
        let goals = "  - { id: s, title: S, applies_to: [province], rule: \"share(department, x >= 50) >= 50%\" }\n  - { id: d, title: D, applies_to: [department], rule: x >= 50 }\n";
        let lines = [
            "P,P,province,", "D1,D1,department,P", "D2,D2,department,P",
            "D3,D3,department,P", "C1,C1,commune,D1",
        ];
        // Parents must come first in neither order: the registry resolves them after reading.
        let shuffled: Vec<&str> = order.iter().map(|&i| lines[i]).collect();
        let a = setup(goals, &format!("id,name,kind,parent\n{}\n", lines.join("\n")));
        let b = setup(goals, &format!("id,name,kind,parent\n{}\n", shuffled.join("\n")));
        let ids = ["P", "D1", "D2", "D3", "C1"];
        let rows: Vec<(String, String, String, String)> = scores
            .iter()
            .zip(ids)
            .filter_map(|(v, u)| v.map(|v| (u.into(), "x".into(), "2026".into(), v.to_string())))
            .collect();
        prop_assert_eq!(run(&a, &rows, "2027-01-01"), run(&b, &rows, "2027-01-01"));
    }
}

/// The documented exceptions to "removing data never makes a goal met".
#[test]
fn removing_data_can_change_what_is_current() {
    let s = setup("  - { id: g, title: G, rule: x > 80 }\n", ONE_UNIT);
    let rows = vec![
        (
            "P".to_string(),
            "x".to_string(),
            "2025".to_string(),
            "90".to_string(),
        ),
        (
            "P".to_string(),
            "x".to_string(),
            "2026".to_string(),
            "70".to_string(),
        ),
    ];
    let key = ("P".to_string(), "g".to_string());
    assert_eq!(run(&s, &rows, "2027-01-01")[&key].0, Status::NotMet);
    // Without the 2026 figure, 2025 is the latest period: the current value.
    assert_eq!(run(&s, &rows[..1], "2027-01-01")[&key].0, Status::Met);
}
