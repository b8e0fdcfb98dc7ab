//! Properties of reporting periods: the order is chronological (first day, then last day), a
//! total order that agrees with equality, and text round-trips through `Display` and `FromStr`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chitieu::period::{Period, YEARS, month_ends};
use chrono::Datelike;
use proptest::prelude::*;
use std::cmp::Ordering;

fn period() -> impl Strategy<Value = Period> {
    (YEARS, 0u8..4, 1u8..=12).prop_map(|(y, shape, n)| match shape {
        0 => Period::Year(y),
        1 => Period::Half(y, (n - 1) % 2 + 1),
        2 => Period::Quarter(y, (n - 1) % 4 + 1),
        _ => Period::Month(y, n),
    })
}

/// Two periods of the same year or of adjacent years.
fn close_pair() -> impl Strategy<Value = (Period, Period)> {
    (period(), 0u8..4, 1u8..=12, 0i32..=1).prop_map(|(a, shape, n, later)| {
        let y = (a.year() + later).min(*YEARS.end());
        let b = match shape {
            0 => Period::Year(y),
            1 => Period::Half(y, (n - 1) % 2 + 1),
            2 => Period::Quarter(y, (n - 1) % 4 + 1),
            _ => Period::Month(y, n),
        };
        (a, b)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 5_000, ..ProptestConfig::default() })]

    #[test]
    fn order_is_by_start_then_end((a, b) in close_pair()) {
        prop_assert_eq!(a.cmp(&b), (a.start(), a.end()).cmp(&(b.start(), b.end())));
        prop_assert_eq!(a.partial_cmp(&b), Some(a.cmp(&b)));
    }

    #[test]
    fn order_is_total_and_agrees_with_equality((a, b) in close_pair()) {
        prop_assert_eq!(a.cmp(&b) == Ordering::Equal, a == b);
        prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
        prop_assert_eq!(a.cmp(&a), Ordering::Equal);
    }

    #[test]
    fn order_is_transitive((a, b) in close_pair(), c in period()) {
        let mut v = [a, b, c];
        v.sort();
        prop_assert!(v[0] <= v[1] && v[1] <= v[2] && v[0] <= v[2]);
    }

    #[test]
    fn text_round_trips(p in period()) {
        let text = p.to_string();
        prop_assert_eq!(text.parse::<Period>(), Ok(p));
    }

    #[test]
    fn a_period_is_its_days(p in period()) {
        prop_assert!(p.start() <= p.end());
        prop_assert!(p.contains(p.start()) && p.contains(p.end()));
        prop_assert_eq!(p.previous().end().succ_opt(), Some(p.start()));
    }

    #[test]
    fn next_and_previous_are_neighbours(p in period()) {
        prop_assert_eq!(p.next().previous(), p);
        prop_assert_eq!(p.end().succ_opt(), Some(p.next().start()));
        prop_assert!(p < p.next());
    }

    #[test]
    fn month_ends_are_every_last_day_from_one_month_to_another((a, b) in close_pair()) {
        let ends = month_ends(a, b);
        let month = |p: Period| i64::from(p.end().year()) * 12 + i64::from(p.end().month0());
        let count = usize::try_from(month(b) - month(a) + 1).unwrap_or(0);
        prop_assert_eq!(ends.len(), count);
        for d in &ends {
            prop_assert_eq!(d.succ_opt().map(|n| n.day()), Some(1));
        }
        prop_assert!(ends.windows(2).all(|w| w[0] < w[1]));
        if let Some(first) = ends.first() {
            prop_assert_eq!(*first, a.end());
        }
        if let Some(last) = ends.last() {
            prop_assert_eq!(*last, b.end());
        }
    }
}

#[test]
fn a_later_year_follows_every_month_of_an_earlier_one() {
    // The derived order put every year before every month: `2030` < `2020-01`.
    assert!(Period::Month(2020, 1) < Period::Year(2030));
    assert!(Period::Quarter(2026, 1) < Period::Year(2026));
    assert!(Period::Year(2026) < Period::Half(2026, 2));
    assert!(Period::Month(2026, 12) > Period::Year(2026));
}
