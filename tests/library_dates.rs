//! The library refuses evaluation dates outside the years plans speak of (1900–2999), as the
//! command line does, instead of building a month for every month to year 262,142.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chitieu::data::{Dataset, Locale, Units, load_observations, load_units};
use chitieu::eval::{Compiled, History, Options, evaluate, month_ends, trajectory};
use chitieu::period::Period;
use chrono::NaiveDate;

fn loaded() -> (Compiled, Dataset, Units) {
    let plan = chitieu::plan::load("plans/vinh-long/22-kh-ubnd-2026-2030.yaml").unwrap();
    let plan = chitieu::check::checked(plan).unwrap();
    let mut units = load_units(Some("examples/data/units.csv".as_ref()), &plan).unwrap();
    let data = load_observations(
        &["examples/data/observations.csv".into()],
        &plan,
        &mut units,
        Locale::Default,
    )
    .unwrap();
    (Compiled::new(plan), data, units)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const ABSURD: [NaiveDate; 4] = [NaiveDate::MAX, NaiveDate::MIN, date_1899(), date_3000()];

const fn date_1899() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 31).unwrap()
}

const fn date_3000() -> NaiveDate {
    NaiveDate::from_ymd_opt(3000, 1, 1).unwrap()
}

#[test]
fn a_trajectory_at_an_absurd_date_is_none() {
    let (c, data, units) = loaded();
    assert!(trajectory(&c, &data, &units, "H61", "II.2.h", date(2026, 10, 31)).is_some());
    for d in ABSURD {
        assert!(
            trajectory(&c, &data, &units, "H61", "II.2.h", d).is_none(),
            "{d}"
        );
    }
}

#[test]
fn evaluate_and_history_at_an_absurd_date_are_invalid_date_errors() {
    let (c, data, units) = loaded();
    assert!(evaluate(&c, &data, &units, &Options::new(date(2999, 12, 31))).is_ok());
    for d in ABSURD {
        let e = evaluate(&c, &data, &units, &Options::new(d)).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].code(), "invalid-date");
        assert!(e[0].to_string().contains(&d.to_string()), "{}", e[0]);
        let options = Options::new(date(2026, 10, 31));
        let h = History::new(&c, &data, &units, &options, vec![date(2026, 1, 31), d]);
        assert_eq!(h.err().unwrap()[0].code(), "invalid-date");
    }
}

#[test]
fn month_ends_stay_within_the_years_plans_speak_of() {
    let all = month_ends(Period::Year(-200_000), Period::Year(200_000));
    assert_eq!(all.len(), 1100 * 12);
    assert_eq!(all[0], date(1900, 1, 31));
    assert_eq!(all[all.len() - 1], date(2999, 12, 31));
    assert!(month_ends(Period::Year(5000), Period::Year(262_000)).is_empty());
    assert_eq!(
        month_ends(Period::Year(2026), Period::Quarter(2026, 1)).len(),
        0
    );
}
