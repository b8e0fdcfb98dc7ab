//! `eval::trajectory`: the series behind the HTML report's charts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chitieu::data::{Dataset, Format, Locale, Units, load_observations_str, load_units_str};
use chitieu::eval::{Compiled, Point, trajectory};
use chitieu::period::parse_date;
use rust_decimal::Decimal;

const UNITS: &str = "id,name,kind,parent\nP,Tỉnh,province,\nC1,Xã 1,commune,P\n";

fn setup(goals: &str, rows: &str) -> (Compiled, Dataset, Units) {
    let plan = format!(
        "chitieu: 1\nplan:\n  id: T\n  title: T\n  period: 2026-01-01 .. 2030-12-31\n  baseline: 2025\n\
         indicators:\n  rate: {{ name: R, unit: percent }}\n  n: {{ name: N, unit: count }}\ngoals:\n{goals}"
    );
    let (plan, diags) = chitieu::plan::load_str("t.yaml", &plan);
    assert!(diags.is_empty(), "{diags:#?}");
    let checked = chitieu::check::checked(plan.unwrap()).unwrap_or_else(|d| panic!("{d:#?}"));
    let mut units = load_units_str("u.csv", UNITS, Format::Csv, &checked).unwrap();
    let csv = format!("unit,indicator,period,value\n{rows}");
    let data = load_observations_str(
        "d.csv",
        &csv,
        Format::Csv,
        &checked,
        &mut units,
        Locale::Default,
    )
    .unwrap_or_else(|d| panic!("{d:#?}"));
    (Compiled::new(checked), data, units)
}

fn d(s: &str) -> chrono::NaiveDate {
    parse_date(s).unwrap()
}

fn pct(s: &str) -> Decimal {
    s.parse::<Decimal>().unwrap() / Decimal::ONE_HUNDRED
}

#[test]
fn baseline_milestones_target_and_observed_values() {
    let (c, data, units) = setup(
        "  - id: g\n    title: G\n    rule: rate >= 90% by 2030-12-31\n    \
         milestones: [\"rate >= 70% by 2027-12-31\", \"rate >= 80% by 2028-12-31\"]\n",
        "P,rate,2025,50\nP,rate,2026-Q1,55\nP,rate,2026-Q2,60\nP,rate,2026-Q3,58\nP,rate,2026-Q4,65\n",
    );
    let t = trajectory(&c, &data, &units, "P", "g", d("2026-10-31")).unwrap();
    assert_eq!(
        t.baseline,
        Some(Point {
            date: d("2025-12-31"),
            value: pct("50")
        })
    );
    assert_eq!(
        t.milestones,
        vec![
            Point {
                date: d("2027-12-31"),
                value: pct("70")
            },
            Point {
                date: d("2028-12-31"),
                value: pct("80")
            },
        ]
    );
    assert_eq!(
        t.target,
        Some(Point {
            date: d("2030-12-31"),
            value: pct("90")
        })
    );
    // Periods ended by the evaluation date, each once, dated at its end; Q4 has not ended.
    // The baseline period's value is observed too, from the start of the baseline year.
    let observed: Vec<(chrono::NaiveDate, Decimal)> =
        t.observed.iter().map(|p| (p.date, p.value)).collect();
    assert_eq!(
        observed,
        vec![
            (d("2025-12-31"), pct("50")),
            (d("2026-03-31"), pct("55")),
            (d("2026-06-30"), pct("60")),
            (d("2026-09-30"), pct("58")),
        ]
    );
    assert_eq!(t.value_range(), Some((pct("50"), pct("90"))));
    assert_eq!(t.date_range(), Some((d("2025-12-31"), d("2030-12-31"))));
    assert!(!t.is_empty());
}

#[test]
fn no_trajectory_without_a_measure_or_for_unknown_ids() {
    let (c, data, units) = setup(
        "  - id: g\n    title: G\n    rule: rate >= 90% by 2030-12-31\n  \
         - id: both\n    title: B\n    rule: rate >= 90% and n > 3\n  \
         - id: imp\n    title: I\n    rule: improve(rate)\n  \
         - id: prov\n    title: P\n    applies_to: [province]\n    rule: n > 3\n",
        "P,rate,2026,50\n",
    );
    let as_of = d("2026-12-31");
    assert!(trajectory(&c, &data, &units, "P", "both", as_of).is_none());
    assert!(trajectory(&c, &data, &units, "P", "imp", as_of).is_none());
    assert!(trajectory(&c, &data, &units, "C1", "prov", as_of).is_none());
    assert!(trajectory(&c, &data, &units, "X", "g", as_of).is_none());
    assert!(trajectory(&c, &data, &units, "P", "nope", as_of).is_none());
    // A unit without data: the planned path, no observation.
    let t = trajectory(&c, &data, &units, "C1", "g", as_of).unwrap();
    assert!(t.observed.is_empty());
    assert!(t.target.is_some());
}

#[test]
fn status_strip_is_the_month_end_history_and_ends_at_the_evaluation() {
    let (c, data, units) = setup(
        "  - id: g\n    title: G\n    rule: rate >= 90% by 2030-12-31\n",
        "P,rate,2025,50\nP,rate,2026-Q1,55\nP,rate,2026-Q2,95\n",
    );
    let as_of = d("2026-08-15");
    let t = trajectory(&c, &data, &units, "P", "g", as_of).unwrap();
    // From the baseline year's first month end to the evaluation date: 12 + 7 month ends, then
    // the evaluation date itself.
    assert_eq!(t.statuses.len(), 20);
    assert_eq!(t.statuses.first().unwrap().date, d("2025-01-31"));
    assert_eq!(t.statuses.last().unwrap().date, as_of);
    assert!(t.statuses.windows(2).all(|w| w[0].date < w[1].date));
    // Each cell is what a separate evaluation at that date says.
    for st in &t.statuses {
        let ev = chitieu::eval::evaluate(&c, &data, &units, &chitieu::eval::Options::new(st.date))
            .unwrap();
        let r = ev.results.iter().find(|r| r.unit == "P").unwrap();
        assert_eq!(r.status, st.status, "at {}", st.date);
    }
}
