//! Property tests of index ranking and summing: ranks are 1-based, equal totals share a rank,
//! a unit's rank is one more than the number of units with a better total, unscored units are
//! unranked, and a total is the sum of its rounded group scores.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chitieu::data::{Format, Locale, load_observations_str, load_units_str};
use chitieu::eval::Compiled;
use chitieu::quantity::round;
use chitieu::score::{compute, ranks};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn check_ranks(totals: &[Option<Decimal>], got: &[Option<u32>]) {
    assert_eq!(totals.len(), got.len());
    for (i, (t, r)) in totals.iter().zip(got).enumerate() {
        match (t, r) {
            (None, None) => {}
            (Some(t), Some(r)) => {
                assert!(*r >= 1, "ranks are 1-based");
                let better = totals.iter().flatten().filter(|&&o| o > *t).count();
                assert_eq!(*r as usize, better + 1, "unit {i}");
                for (u, o) in totals.iter().enumerate() {
                    if *o == Some(*t) {
                        assert_eq!(got[u], Some(*r), "ties share a rank");
                    }
                }
            }
            _ => panic!("unit {i}: total {t:?} rank {r:?}"),
        }
    }
}

fn total() -> impl Strategy<Value = Option<Decimal>> {
    prop_oneof![
        1 => Just(None),
        6 => (0i64..=400).prop_map(|c| Some(Decimal::new(c, 1))),
    ]
}

const PLAN: &str = r#"chitieu: 1
plan: { id: P, title: P, period: 2026 .. 2026 }
indicators:
  a: { name: A, unit: points }
  b: { name: B, unit: points }
index:
  id: p
  title: P
  max: 100
  groups:
    - { id: A, title: A, max: 50, score: a }
    - { id: B, title: B, max: 50, metrics: [{ id: B1, title: B1, max: 25, score: b / 2 }, { id: B2, title: B2, max: 25, score: b / 2 }] }
"#;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn rank_invariants(totals in prop::collection::vec(total(), 0..40)) {
        check_ranks(&totals, &ranks(&totals));
    }

    #[test]
    fn computed_scores_rank_and_sum(values in prop::collection::vec(
        (prop::option::of(0i64..=50_000), 0i64..=50_000), 1..12)) {
        let (plan, diags) = chitieu::plan::load_str("p.yaml", PLAN);
        prop_assert!(diags.is_empty());
        let c = Compiled::new(chitieu::check::checked(plan.unwrap()).unwrap());
        let mut units = String::from("id,name,kind,parent\n");
        let mut obs = String::from("unit,indicator,period,value\n");
        for (i, (a, b)) in values.iter().enumerate() {
            units.push_str(&format!("U{i},U{i},province,\n"));
            if let Some(a) = a {
                obs.push_str(&format!("U{i},a,2026,{}\n", Decimal::new(*a, 3)));
            }
            obs.push_str(&format!("U{i},b,2026,{}\n", Decimal::new(*b, 3)));
        }
        let mut u = load_units_str("u.csv", &units, Format::Csv, c.plan()).unwrap();
        let data = load_observations_str("o.csv", &obs, Format::Csv, c.plan(), &mut u, Locale::Default).unwrap();
        let s = compute(&c, &data, &u, chitieu::period::parse_date("2027-01-01").unwrap()).unwrap();
        prop_assert_eq!(s.units.len(), values.len());
        for (x, (a, b)) in s.units.iter().zip(&values) {
            let half = round(Decimal::new(*b, 3) / Decimal::TWO, 2);
            prop_assert_eq!(x.group("B"), Some(half + half));
            match a {
                Some(a) => prop_assert_eq!(x.total, Some(round(Decimal::new(*a, 3), 2) + half + half)),
                None => prop_assert_eq!(x.total, None),
            }
        }
        let totals: Vec<Option<Decimal>> = s.units.iter().map(|x| x.total).collect();
        let got: Vec<Option<u32>> = s.units.iter().map(|x| x.rank).collect();
        check_ranks(&totals, &got);
    }
}
