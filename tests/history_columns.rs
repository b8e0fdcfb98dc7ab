//! The columnar history evaluator against the per-date engine: on randomized plans and data
//! (revised snapshots, missing periods, zero denominators, negative values, long decimals,
//! quarters and years, units of several kinds), every step of every (unit, goal) of a history
//! equals the one the tree-walking engine gives date by date (`History::per_date`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chitieu::data::{Format, Locale, load_observations_str, load_units_str};
use chitieu::eval::{self, Compiled, History, Options, Step};
use chitieu::period::Period;
use proptest::prelude::*;

const UNITS: &str = "id,name,kind,parent\n\
    P1,P1,province,\n\
    P1.D1,D1,department,P1\n\
    P1.C1,C1,commune,P1\n\
    P1.C2,C2,commune,P1\n\
    P1.C3,C3,commune,P1\n\
    P2,P2,province,\n\
    P2.C1,C1,commune,P2\n\
    P2.C2,C2,commune,P2\n";

const UNIT_IDS: [&str; 8] = [
    "P1", "P1.D1", "P1.C1", "P1.C2", "P1.C3", "P2", "P2.C1", "P2.C2",
];

/// Goal rules, `{a}`, `{b}` standing for literals: every node the columnar evaluator covers,
/// and shapes it leaves to the engine (`previous`, `missing_units: not_met`).
const RULES: &[&str] = &[
    "r >= {a}% by 2028-06-30",
    "r > {a}% by 2028-12-31",
    "r = {a}% by 2028-12-31",
    "r <= baseline(r) * (100% - {b}%) by 2028-06-30",
    "r >= baseline(r) + {b}% by 2027-12-31",
    "improve(r)",
    "improve(d)",
    "change(r) >= {b}% by 2028-12-31",
    "min(r, q) >= {a}% by 2028-12-31",
    "max(x, z) <= {a}",
    "share(commune, r > {a}%) >= {b}% by 2028-12-31",
    "avg(commune, r) >= {a}% by 2028-06-30",
    "count(commune, x >= {a}) >= 2 by 2028-12-31",
    "count(commune) >= 3",
    "sum(commune, d) < {a}",
    "median(commune, x) > {b}",
    "x - z > {b} and y > {a}",
    "x > {a} or y < {b}",
    "not (x > {a})",
    "coalesce(d, y) > {b}",
    "if(x > {a}, y, z) >= {b}",
    "value(x, 2025) < x",
    "round(r, 1) >= {a}%",
    "{b} <= x <= {a}",
    "w >= {b}% by 2028-12-31",
    "v >= {a}% by 2028-12-31",
    "x / y >= {a}% by 2028-12-31",
    "previous(x) < x",
    "-d < {b}",
];

fn plan(precision: u32, on_zero: &str, goals: &[(usize, i64, i64, u8)]) -> String {
    let mut text = format!(
        "chitieu: 1\nplan: {{ id: P, title: T, period: 2026 .. 2030, baseline: 2025 }}\n\
         indicators:\n  \
         x: {{ name: X, unit: points }}\n  \
         y: {{ name: Y, unit: points }}\n  \
         z: {{ name: Z, unit: points, better: lower }}\n  \
         r: {{ name: R, unit: percent, formula: x / y, precision: {precision}, on_zero: {on_zero} }}\n  \
         q: {{ name: Q, unit: percent, formula: z / y, precision: 1 }}\n  \
         d: {{ name: D, unit: points, formula: x - z, better: lower }}\n  \
         w: {{ name: W, unit: percent, formula: (x + z) / y, on_zero: zero }}\n  \
         v: {{ name: V, unit: percent, formula: r * 2, precision: 1 }}\n\
         goals:\n"
    );
    for (k, &(rule, a, b, extra)) in goals.iter().enumerate() {
        let rule = RULES[rule % RULES.len()]
            .replace("{a}", &a.to_string())
            .replace("{b}", &b.to_string());
        text.push_str(&format!(
            "  - id: G{k}\n    title: G\n    rule: \"{rule}\"\n"
        ));
        if extra & 1 == 1 && rule.contains("by 2028") && rule.starts_with("r ") {
            let op = if rule.contains("<=") { "<=" } else { ">=" };
            text.push_str(&format!(
                "    milestones: [\"r {op} {}% by 2026-12-31\", \"r {op} {}% by 2027-09-30\"]\n",
                a / 2,
                a - 5
            ));
        }
        if extra & 2 == 2 {
            text.push_str("    missing_units: not_met\n");
        }
        if extra & 4 == 4 {
            text.push_str("    applies_to: [province, commune]\n");
        }
    }
    text
}

/// Periods a series may hold: the baseline year, months, quarters, halves and years.
fn periods() -> Vec<String> {
    let mut out = vec!["2025".to_string()];
    for y in 2026..=2028 {
        for m in 1..=12 {
            out.push(format!("{y}-{m:02}"));
        }
        for q in 1..=4 {
            out.push(format!("{y}-Q{q}"));
        }
        out.push(format!("{y}-H1"));
        out.push(format!("{y}"));
    }
    out
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (0i64..400).prop_map(|v| v.to_string()),
        2 => Just("0".to_string()),
        1 => (-300i64..0).prop_map(|v| v.to_string()),
        2 => (0i64..4_000_000, 1u32..7).prop_map(|(m, s)| rust_decimal::Decimal::new(m, s).to_string()),
        1 => (1i64..i64::MAX, 10u32..20).prop_map(|(m, s)| rust_decimal::Decimal::new(m, s).to_string()),
    ]
}

/// An observation: unit, indicator, period (index into `periods()`), value and, for a
/// snapshot or revision, the day of its `as_of` (days after the period's start: during the
/// period, a year-to-date figure; after it, a revision).
fn observation() -> impl Strategy<Value = (usize, usize, usize, String, Option<i64>)> {
    (
        0usize..UNIT_IDS.len(),
        0usize..3,
        prop_oneof![3 => 0usize..1, 20 => 0usize..55],
        value(),
        prop_oneof![4 => Just(None), 1 => (0i64..900).prop_map(Some)],
    )
}

fn steps(history: &History) -> Vec<(String, usize, Vec<Step>)> {
    let mut out = Vec::new();
    history
        .run(|block| -> Result<(), ()> {
            for h in block {
                for s in &h.series {
                    out.push((format!("{:?}", h.unit), s.goal, s.steps.clone()));
                }
            }
            Ok(())
        })
        .unwrap();
    out
}

/// Runs both evaluators; returns how many steps were compared.
fn compare(plan_text: &str, csv: &str, from: &str, to: &str) -> usize {
    let (p, diags) = chitieu::plan::load_str("p.yaml", plan_text);
    let p = chitieu::check::checked(p.unwrap_or_else(|| panic!("{diags:?}\n{plan_text}")))
        .unwrap_or_else(|d| panic!("{d:?}\n{plan_text}"));
    let mut units = load_units_str("u.csv", UNITS, Format::Csv, &p).unwrap();
    let data = load_observations_str("d.csv", csv, Format::Csv, &p, &mut units, Locale::Default)
        .unwrap_or_else(|d| panic!("{d:?}\n{csv}"));
    let c = Compiled::new(p);
    let from: Period = from.parse().unwrap();
    let dates = eval::month_ends(from, to.parse().unwrap());
    let options = Options::new(dates[0]);
    let columnar = History::new(&c, &data, &units, &options, dates.clone()).unwrap();
    let per_date = History::new(&c, &data, &units, &options, dates)
        .unwrap()
        .per_date();
    let (a, b) = (steps(&columnar), steps(&per_date));
    assert_eq!(a.len(), b.len());
    let mut compared = 0;
    for ((unit, goal, x), (_, _, y)) in a.iter().zip(&b) {
        for (k, (s, t)) in x.iter().zip(y).enumerate() {
            // Compared as text too: decimals equal in value may differ in scale (`0.7` and
            // `0.70`), and the JSON prints the scale.
            assert_eq!(
                (s, format!("{s:?}")),
                (t, format!("{t:?}")),
                "unit {unit}, goal {goal} ({}), date {k}\n{plan_text}\n{csv}",
                c.plan().goals[*goal].rule.text.text
            );
            compared += 1;
        }
    }
    compared
}

fn csv_of(observations: &[(usize, usize, usize, String, Option<i64>)]) -> String {
    let periods = periods();
    let mut seen = std::collections::HashSet::new();
    let mut csv = String::from("unit,indicator,period,value,as_of\n");
    for (u, i, p, v, as_of) in observations {
        let period = &periods[*p % periods.len()];
        let parsed = period.parse::<Period>().unwrap();
        let as_of = as_of.map(|d| parsed.start() + chrono::Duration::days(d));
        // A point is seen from its `as_of`, or else from its period's end: one point per day.
        let visible = as_of.unwrap_or(parsed.end());
        let as_of = as_of.map(|d| d.to_string());
        if !seen.insert((*u, *i, period.clone(), visible)) {
            continue;
        }
        csv.push_str(&format!(
            "{},{},{period},{v},{}\n",
            UNIT_IDS[*u],
            ["x", "y", "z"][*i],
            as_of.unwrap_or_default()
        ));
    }
    csv
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    #[test]
    fn columnar_history_equals_the_per_date_engine(
        precision in 0u32..4,
        on_zero in prop_oneof![Just("no_data"), Just("zero"), Just("error"), Just("100")],
        goals in prop::collection::vec((0usize..RULES.len(), 0i64..120, -20i64..60, 0u8..8), 1..6),
        observations in prop::collection::vec(observation(), 0..160),
        late in any::<bool>(),
    ) {
        let plan_text = plan(precision, on_zero, &goals);
        let csv = csv_of(&observations);
        // Dates before, inside and after the data, or a range starting later.
        let (from, to) = if late { ("2027-05", "2029-02") } else { ("2025-11", "2028-12") };
        compare(&plan_text, &csv, from, to);
    }
}

/// Every rule shape at once, on data with revisions, gaps and zeros: the shapes the proptest
/// draws a few at a time.
#[test]
fn every_rule_shape_equals_the_per_date_engine() {
    let goals: Vec<(usize, i64, i64, u8)> = (0..RULES.len())
        .map(|k| (k, 40 + k as i64, 5 + (k as i64 % 7), (k % 8) as u8))
        .collect();
    let plan_text = plan(2, "no_data", &goals);
    let mut observations = Vec::new();
    for u in 0..UNIT_IDS.len() {
        for i in 0..3 {
            for p in 0..55 {
                if (u + i + p) % 7 == 3 {
                    continue;
                }
                let v = ((u * 37 + i * 11 + p * 5) % 90).to_string();
                observations.push((u, i, p, v.clone(), None));
                if p % 9 == 2 {
                    observations.push((u, i, p, format!("{v}.5"), Some(100 + p as i64 * 20)));
                }
            }
        }
    }
    let compared = compare(&plan_text, &csv_of(&observations), "2025-11", "2029-02");
    assert!(compared > 1000, "{compared}");
}

/// A target read from a revised baseline moves the trajectory: 2025 is revised in May 2026,
/// the target `baseline(r) + 10%` goes from 60% to 65%, and a measure of 52% that was on the
/// trajectory from 50% to 60% falls behind the one to 65% (the trajectory starts from the
/// baseline as known at its end, 50%). A history must not keep the first trajectory.
#[test]
fn a_revised_target_moves_the_trajectory() {
    let plan_text = "chitieu: 1\nplan: { id: P, title: T, period: 2026 .. 2030, baseline: 2025 }\n\
        indicators:\n  x: { name: X, unit: points }\n  y: { name: Y, unit: points }\n  \
        r: { name: R, unit: percent, formula: x / y, precision: 2 }\n\
        goals:\n  - { id: G, title: G, rule: \"r >= baseline(r) + 10% by 2028-12-31\" }\n";
    let mut csv = String::from(
        "unit,indicator,period,value,as_of\nP1,x,2025,50,\nP1,y,2025,100,\nP1,x,2025,55,2026-05-15\n",
    );
    for m in 1..=12 {
        csv.push_str(&format!("P1,x,2026-{m:02},52,\nP1,y,2026-{m:02},100,\n"));
    }
    let (p, _) = chitieu::plan::load_str("p.yaml", plan_text);
    let p = chitieu::check::checked(p.unwrap()).unwrap();
    let mut units = load_units_str("u.csv", UNITS, Format::Csv, &p).unwrap();
    let data =
        load_observations_str("d.csv", &csv, Format::Csv, &p, &mut units, Locale::Default).unwrap();
    let c = Compiled::new(p);
    let dates = eval::month_ends("2026-01".parse().unwrap(), "2026-12".parse().unwrap());
    let history = History::new(&c, &data, &units, &Options::new(dates[0]), dates).unwrap();
    let p1 = units.get("P1").unwrap();
    let statuses: Vec<_> = history.unit(p1).series[0]
        .steps
        .iter()
        .map(|s| s.status.name())
        .collect();
    assert_eq!(statuses[..4], ["on_track"; 4]);
    assert_eq!(statuses[4..], ["off_track"; 8]);
    assert_eq!(compare(plan_text, &csv, "2026-01", "2026-12"), 8 * 12);
}

/// A value revised in its scale alone (`50` to `50.0`) is a new value: an arithmetic node whose
/// operands are the same at every date computes once, and must not keep `100` where the engine
/// gives `100.0` from the revision on (the JSON prints the scale).
#[test]
fn a_revision_of_the_scale_alone_is_computed_again() {
    let plan_text = "chitieu: 1\nplan: { id: P, title: T, period: 2026 .. 2030, baseline: 2025 }\n\
        indicators:\n  x: { name: X, unit: points }\n\
        goals:\n  - { id: G, title: G, rule: \"value(x, 2025) * 2 >= 150 by 2028-12-31\" }\n";
    let csv = "unit,indicator,period,value,as_of\nP1,x,2025,50,\nP1,x,2025,50.0,2026-05-15\n\
        P1,x,2025,-0,2026-08-15\nP1,x,2025,0,2026-10-15\n";
    assert_eq!(compare(plan_text, csv, "2026-01", "2026-12"), 8 * 12);
}

/// More units than the columnar evaluator keeps columns for: a province's aggregate reads 300
/// communes, whose columns take the oldest slots in turn, and each commune judged after reads
/// its own values, never those of the unit that took its slot since.
#[test]
fn columns_kept_from_unit_to_unit_are_the_units_own() {
    let plan_text = "chitieu: 1\nplan: { id: P, title: T, period: 2026 .. 2030, baseline: 2025 }\n\
        indicators:\n  x: { name: X, unit: points }\n  y: { name: Y, unit: points }\n  \
        r: { name: R, unit: percent, formula: x / y, precision: 1 }\n\
        goals:\n  - { id: A, title: A, rule: \"share(commune, r > 50%) >= 50% by 2028-12-31\", \
        applies_to: [province] }\n  - { id: B, title: B, rule: \"r >= 40% by 2028-12-31\", \
        applies_to: [commune] }\n";
    let mut units = String::from("id,name,kind,parent\nP,P,province,\n");
    let mut csv = String::from("unit,indicator,period,value,as_of\n");
    for k in 0..300 {
        units.push_str(&format!("P.C{k},C{k},commune,P\n"));
        for m in 1..=6 {
            csv.push_str(&format!(
                "P.C{k},x,2026-{m:02},{},\nP.C{k},y,2026-{m:02},100,\n",
                (k * 7 + m * 13) % 100
            ));
        }
    }
    let (p, _) = chitieu::plan::load_str("p.yaml", plan_text);
    let p = chitieu::check::checked(p.unwrap()).unwrap();
    let mut registry = load_units_str("u.csv", &units, Format::Csv, &p).unwrap();
    let data = load_observations_str(
        "d.csv",
        &csv,
        Format::Csv,
        &p,
        &mut registry,
        Locale::Default,
    )
    .unwrap();
    let c = Compiled::new(p);
    let dates = eval::month_ends("2026-01".parse().unwrap(), "2026-08".parse().unwrap());
    let options = Options::new(dates[0]);
    let columnar = History::new(&c, &data, &registry, &options, dates.clone()).unwrap();
    let per_date = History::new(&c, &data, &registry, &options, dates)
        .unwrap()
        .per_date();
    let (a, b) = (steps(&columnar), steps(&per_date));
    assert_eq!(a.len(), 301);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(format!("{x:?}"), format!("{y:?}"));
    }
}
