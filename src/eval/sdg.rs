//! The SDG progress measure of Statistics Canada and Open SDG (docs/plan-format.md, `progress:`).
//!
//! The measure is defined by its reference implementation, open-sdg's `sdg-build`
//! (`sdg/ProgressMeasure.py`, class `SeriesProgress`), whose results Statistics Canada
//! publishes. To reproduce those results to the last digit, the measure is computed here in
//! `f64`, in the reference implementation's order of operations: the only floating point on
//! the evaluation path, as the project allows for this measure. Inputs go in as the nearest
//! `f64` of their decimal; the progress value and the score come out as the shortest decimal
//! that reads back as the same `f64`, so no significant digit is lost (the test
//! `tests/sdg_reference.rs` checks every series of a published sample to 1e-9 relative).
//! A result that is not finite or too large for a `Decimal` is `not_available`.

use rust_decimal::Decimal;
use serde::Serialize;

/// How far a goal has come, by the SDG method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SdgStatus {
    /// The target is reached.
    TargetAchieved,
    /// On pace for the target.
    SubstantialProgress,
    /// Some way there.
    ModerateProgress,
    /// Barely moving.
    LimitedProgress,
    /// Moving away.
    Deterioration,
    /// Not enough data: fewer than two years, or values of opposite signs.
    NotAvailable,
}

impl SdgStatus {
    /// The status's name in JSON.
    pub fn name(self) -> &'static str {
        match self {
            SdgStatus::TargetAchieved => "target_achieved",
            SdgStatus::SubstantialProgress => "substantial_progress",
            SdgStatus::ModerateProgress => "moderate_progress",
            SdgStatus::LimitedProgress => "limited_progress",
            SdgStatus::Deterioration => "deterioration",
            SdgStatus::NotAvailable => "not_available",
        }
    }
}

/// The measure for one goal.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Sdg {
    /// P, the progress value (null where undefined).
    pub progress_value: Option<Decimal>,
    /// The score, −5 to 5 (null when not available).
    pub score: Option<Decimal>,
    /// The status.
    pub status: SdgStatus,
}

/// The inputs of the measure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SdgInput {
    /// Base value b.
    pub base: Decimal,
    /// Its year t0.
    pub base_year: i32,
    /// Current value v.
    pub value: Decimal,
    /// Its year t.
    pub year: i32,
    /// Target x and its year tT; `None` for a direction-only goal (`improve`).
    pub target: Option<(Decimal, i32)>,
    /// +1 when higher is better, −1 when lower is.
    pub higher_is_better: bool,
    /// The natural limit L, for goals without a target.
    pub limit: Option<Decimal>,
}

fn dec(text: &str) -> Decimal {
    text.parse().unwrap_or_default()
}

/// The nearest `f64` of a decimal (through its text, which Rust parses correctly rounded).
fn real(d: Decimal) -> f64 {
    d.to_string().parse().unwrap_or(f64::NAN)
}

/// The shortest decimal that reads back as `f`; `None` when `f` is not finite or out of the
/// range of a `Decimal`. Digits beyond a `Decimal`'s 28 places (values below 1e-12 with 16
/// significant digits) are rounded, which is far below the measure's precision.
fn exact(f: f64) -> Option<Decimal> {
    if !f.is_finite() || f.abs() >= 7.9e28 {
        return None;
    }
    // Rust prints the shortest round-trip digits of an f64, never in exponent form.
    format!("{f}").parse().ok()
}

/// CAGR(v1, v0, t1, t0) = (v1 / v0)^(1 / (t1 − t0)) − 1, as `growth_calculation` computes it.
fn cagr(v1: f64, v0: f64, years: i32) -> f64 {
    (v1 / v0).powf(1.0 / f64::from(years)) - 1.0
}

/// Evaluates the measure.
///
/// ```
/// use chitieu::eval::sdg::{sdg, SdgInput, SdgStatus};
/// use rust_decimal::Decimal;
/// let r = sdg(SdgInput {
///     base: "14.5".parse().unwrap(), base_year: 2015,
///     value: "10.2".parse().unwrap(), year: 2023,
///     target: Some(("7.25".parse().unwrap(), 2030)),
///     higher_is_better: false, limit: None,
/// });
/// assert_eq!(r.status, SdgStatus::SubstantialProgress);
/// assert_eq!(r.progress_value, Some("0.9525901792032172".parse().unwrap()));
/// ```
pub fn sdg(input: SdgInput) -> Sdg {
    let direction = if input.higher_is_better { 1.0 } else { -1.0 };
    let raw_base = real(input.base);
    // The sign is taken before a zero base is replaced, as the reference does.
    let sign = if raw_base < 0.0 { -1.0 } else { 1.0 };
    let base = if raw_base == 0.0 { 0.001 } else { raw_base };
    let value = real(input.value);
    let years = input.year - input.base_year;
    // Fewer than two years of data, or values of opposite signs: no progress value.
    let measurable = years >= 1 && !(base > 0.0 && value < 0.0) && !(base < 0.0 && value > 0.0);

    if let Some((x, target_year)) = input.target {
        let x = match real(x) {
            0.0 => 0.001,
            x => x,
        };
        let achieved = if input.higher_is_better {
            value >= x
        } else {
            value <= x
        };
        let p = measurable
            .then(|| {
                sign * direction * cagr(value, base, years)
                    / cagr(x, base, target_year - input.base_year).abs()
            })
            .and_then(exact_pair);
        if achieved {
            return Sdg {
                progress_value: p.map(|(_, d)| d),
                score: Some(Decimal::from(5)),
                status: SdgStatus::TargetAchieved,
            };
        }
        let Some((p, progress_value)) = p else {
            return not_available();
        };
        let score = if p >= 0.6 {
            (7.1429 * p - 4.2857).min(5.0)
        } else {
            (4.1667 * p - 2.5).max(-5.0)
        };
        return finish(p, progress_value, score, (0.95, 0.6, 0.0));
    }

    if !measurable {
        return not_available();
    }
    let Some((p, progress_value)) = exact_pair(sign * direction * cagr(value, base, years)) else {
        return not_available();
    };
    // The reduction coefficient C near a natural limit, from the base as given (before a zero
    // is replaced), as the reference computes it when it sets the thresholds.
    let coefficient = input.limit.map(|limit| {
        let big_b = raw_base.abs();
        let l = real(limit).abs();
        let a = 4.44;
        if big_b >= 2.0 * l {
            1.0
        } else if big_b <= l {
            1.0 - (big_b / l).powf(a)
        } else {
            1.0 - ((2.0 * l - big_b) / l).powf(a)
        }
    });
    let c = coefficient.unwrap_or(1.0);
    let (high, medium, low) = match coefficient {
        Some(c) => (0.015 * c, 0.005 * c, 0.0 * c),
        None => (0.015, 0.005, 0.0),
    };
    let score = if p < low {
        (125.0 * p - 2.5).max(-5.0)
    } else if c == 0.0 {
        5.0
    } else if p >= high {
        (500.0 * p / c - 5.0).min(5.0)
    } else if p >= medium {
        250.0 * p / c - 1.25
    } else {
        500.0 * p / c - 2.5
    };
    finish(p, progress_value, score, (high, medium, low))
}

/// A progress value with its decimal, when it has one.
fn exact_pair(p: f64) -> Option<(f64, Decimal)> {
    exact(p).map(|d| (p, d))
}

/// The result for progress value `p` (not achieved): its status by the thresholds.
fn finish(
    p: f64,
    progress_value: Decimal,
    score: f64,
    (high, medium, low): (f64, f64, f64),
) -> Sdg {
    let Some(score) = exact(score) else {
        return not_available();
    };
    let status = if p >= high {
        SdgStatus::SubstantialProgress
    } else if p >= medium {
        SdgStatus::ModerateProgress
    } else if p >= low {
        SdgStatus::LimitedProgress
    } else {
        SdgStatus::Deterioration
    };
    Sdg {
        progress_value: Some(progress_value),
        score: Some(score),
        status,
    }
}

fn not_available() -> Sdg {
    Sdg {
        progress_value: None,
        score: None,
        status: SdgStatus::NotAvailable,
    }
}

/// The mean score of several goals and its status (≥ 2.5 substantial, ≥ 0 moderate,
/// ≥ −2.5 limited, else deterioration); `None` when no goal has a score.
pub fn mean(scores: impl IntoIterator<Item = Decimal>) -> Option<(Decimal, SdgStatus)> {
    let (sum, n) = scores
        .into_iter()
        .fold((Decimal::ZERO, 0u32), |(s, n), x| (s + x, n + 1));
    if n == 0 {
        return None;
    }
    let m = sum / Decimal::from(n);
    let status = if m >= dec("2.5") {
        SdgStatus::SubstantialProgress
    } else if m >= Decimal::ZERO {
        SdgStatus::ModerateProgress
    } else if m >= dec("-2.5") {
        SdgStatus::LimitedProgress
    } else {
        SdgStatus::Deterioration
    };
    Some((m, status))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Decimal, b: &str) {
        let diff = (a - dec(b)).abs();
        assert!(diff < dec("0.000000001"), "{a} vs {b}");
    }

    #[test]
    fn first_known_vector_with_target() {
        let r = sdg(SdgInput {
            base: dec("14.5"),
            base_year: 2015,
            value: dec("10.2"),
            year: 2023,
            target: Some((dec("7.25"), 2030)),
            higher_is_better: false,
            limit: None,
        });
        close(r.progress_value.unwrap(), "0.9525901792");
        close(r.score.unwrap(), "2.5185563910");
        assert_eq!(r.status, SdgStatus::SubstantialProgress);
    }

    #[test]
    fn second_known_vector_without_target() {
        let r = sdg(SdgInput {
            base: dec("90"),
            base_year: 2015,
            value: dec("93.2"),
            year: 2021,
            target: None,
            higher_is_better: true,
            limit: Some(dec("100")),
        });
        close(r.progress_value.unwrap(), "0.0058399952");
        close(r.score.unwrap(), "2.8153866454");
        assert_eq!(r.status, SdgStatus::SubstantialProgress);
    }

    #[test]
    fn achieved_targets_score_five_even_without_progress_value() {
        let r = sdg(SdgInput {
            base: dec("80"),
            base_year: 2025,
            value: dec("85"),
            year: 2026,
            target: Some((dec("80"), 2030)),
            higher_is_better: true,
            limit: None,
        });
        assert_eq!(r.status, SdgStatus::TargetAchieved);
        assert_eq!(r.score, Some(Decimal::from(5)));
        assert_eq!(r.progress_value, None);
    }

    #[test]
    fn too_little_data_or_sign_change_is_not_available() {
        let base = SdgInput {
            base: dec("10"),
            base_year: 2025,
            value: dec("12"),
            year: 2025,
            target: Some((dec("20"), 2030)),
            higher_is_better: true,
            limit: None,
        };
        assert_eq!(sdg(base).status, SdgStatus::NotAvailable);
        let flipped = SdgInput {
            value: dec("-3"),
            year: 2027,
            ..base
        };
        assert_eq!(sdg(flipped).status, SdgStatus::NotAvailable);
        let worse = SdgInput {
            value: dec("8"),
            year: 2027,
            ..base
        };
        let r = sdg(worse);
        assert_eq!(r.status, SdgStatus::Deterioration);
        assert!(r.score.unwrap() < Decimal::ZERO);
    }

    #[test]
    fn small_progress_keeps_every_significant_digit() {
        // Statistics Canada, 1-4-1 (HSPA+ coverage): published P = 3.769483546056662e-05, which
        // a 12-place rounding of the power cut to 0.000037694835.
        let r = sdg(SdgInput {
            base: dec("99.47"),
            base_year: 2016,
            value: dec("99.5"),
            year: 2024,
            target: None,
            higher_is_better: true,
            limit: Some(dec("100")),
        });
        assert_eq!(r.progress_value, Some(dec("0.00003769483546056662")));
        assert_eq!(r.score, Some(dec("-1.6917364186249069")));
        assert_eq!(r.status, SdgStatus::LimitedProgress);
    }

    #[test]
    fn a_negative_base_keeps_the_sense_of_progress() {
        // −10 → −5, higher is better: the reference's sign s = −1 makes this progress.
        let r = sdg(SdgInput {
            base: dec("-10"),
            base_year: 2020,
            value: dec("-5"),
            year: 2022,
            target: None,
            higher_is_better: true,
            limit: None,
        });
        assert!(r.progress_value.unwrap() > Decimal::ZERO);
        assert_eq!(r.status, SdgStatus::SubstantialProgress);
    }

    #[test]
    fn extreme_decimals_are_not_available_never_a_panic() {
        // Issue 11: `500 * p / c` overflowed a Decimal and panicked.
        let tiny = Decimal::new(1, 28);
        let cases = [
            (tiny, Decimal::MAX, None, Some(dec("100"))),
            (tiny, Decimal::MAX, None, Some(tiny)),
            (tiny, Decimal::MAX, None, Some(Decimal::MAX)),
            (Decimal::MAX, tiny, None, None),
            (tiny, Decimal::MAX, Some((Decimal::MAX, 2030)), None),
            (Decimal::MAX, Decimal::MIN, Some((tiny, 2030)), None),
            (
                dec("1"),
                dec("1.0000000000000000000000000001"),
                Some((dec("1"), 2030)),
                None,
            ),
            (Decimal::MIN, dec("-1"), None, Some(Decimal::MIN)),
        ];
        for (base, value, target, limit) in cases {
            let r = sdg(SdgInput {
                base,
                base_year: 2025,
                value,
                year: 2026,
                target,
                higher_is_better: true,
                limit,
            });
            if r.status == SdgStatus::NotAvailable {
                assert_eq!((r.progress_value, r.score), (None, None));
            } else {
                let score = r.score.unwrap();
                assert!(score.abs() <= Decimal::from(5), "{score}");
            }
        }
        let huge = sdg(SdgInput {
            base: tiny,
            base_year: 2025,
            value: Decimal::MAX,
            year: 2026,
            target: None,
            higher_is_better: true,
            limit: Some(dec("100")),
        });
        assert_eq!(huge.status, SdgStatus::NotAvailable);
    }

    #[test]
    fn mean_of_scores() {
        let (m, s) = mean([dec("2.5185563910"), dec("2.8153866454")]).unwrap();
        close(m, "2.6669715182");
        assert_eq!(s, SdgStatus::SubstantialProgress);
        assert_eq!(mean(Vec::new()), None);
        assert_eq!(mean([dec("-3")]).unwrap().1, SdgStatus::Deterioration);
    }
}
