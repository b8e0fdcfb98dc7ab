//! The SDG progress measure of Statistics Canada and Open SDG (SPEC §8).
//!
//! The compound annual growth rate needs a real power, `(v / b)^(1 / years)`. That one power is
//! computed in `f64` (the only floating point on the evaluation path, as the specification
//! allows) and converted back to a `Decimal` rounded to 12 decimal places; everything around it
//! (thresholds, scores, means) is exact decimal arithmetic.

use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

/// Decimal places kept from the real-valued power.
pub const PLACES: u32 = 12;

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

/// CAGR(v1, v0, t1, t0) = (v1 / v0)^(1 / (t1 − t0)) − 1.
fn cagr(v1: Decimal, v0: Decimal, years: i32) -> Option<Decimal> {
    let ratio = v1.checked_div(v0)?.to_f64()?;
    let power = ratio.powf(1.0 / f64::from(years));
    let power = Decimal::from_f64(power)?
        .round_dp_with_strategy(PLACES, RoundingStrategy::MidpointAwayFromZero);
    Some(power - Decimal::ONE)
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
/// let p = r.progress_value.unwrap();
/// assert!((p - "0.9525901792".parse::<Decimal>().unwrap()).abs() < "1e-9".parse().unwrap());
/// ```
pub fn sdg(input: SdgInput) -> Sdg {
    let tiny = dec("0.001");
    let nonzero = |v: Decimal| if v.is_zero() { tiny } else { v };
    let d = if input.higher_is_better {
        Decimal::ONE
    } else {
        Decimal::NEGATIVE_ONE
    };
    let b = nonzero(input.base);
    let v = input.value;
    let years = input.year - input.base_year;

    if let Some((x, target_year)) = input.target {
        let x = nonzero(x);
        let achieved = if input.higher_is_better {
            v >= x
        } else {
            v <= x
        };
        let p = if years >= 1 && b.is_sign_positive() == v.is_sign_positive() {
            let needed = cagr(x, b, target_year - input.base_year);
            let actual = cagr(v, b, years);
            match (actual, needed) {
                (Some(a), Some(n)) if !n.is_zero() => (d * a).checked_div(n.abs()),
                _ => None,
            }
        } else {
            None
        };
        if achieved {
            return Sdg {
                progress_value: p,
                score: Some(Decimal::from(5)),
                status: SdgStatus::TargetAchieved,
            };
        }
        let Some(p) = p else {
            return not_available();
        };
        let score = if p >= dec("0.6") {
            dec("7.1429") * p - dec("4.2857")
        } else {
            dec("4.1667") * p - dec("2.5")
        };
        let status = by_thresholds(p, dec("0.95"), dec("0.6"), Decimal::ZERO);
        return Sdg {
            progress_value: Some(p),
            score: Some(clamp(score)),
            status,
        };
    }

    if years < 1 || b.is_sign_positive() != v.is_sign_positive() {
        return not_available();
    }
    let Some(p) = cagr(v, b, years).map(|c| d * c) else {
        return not_available();
    };
    let c = match input.limit {
        None => Decimal::ONE,
        Some(limit) => {
            let big_b = b.abs();
            let l = limit.abs();
            let a = 4.44f64;
            let pow = |x: Decimal| -> Decimal {
                x.to_f64()
                    .map(|x| x.powf(a))
                    .and_then(Decimal::from_f64)
                    .map(|p| {
                        p.round_dp_with_strategy(PLACES, RoundingStrategy::MidpointAwayFromZero)
                    })
                    .unwrap_or_default()
            };
            if l.is_zero() || big_b >= l * Decimal::TWO {
                Decimal::ONE
            } else if big_b <= l {
                Decimal::ONE - pow(big_b / l)
            } else {
                Decimal::ONE - pow((l * Decimal::TWO - big_b) / l)
            }
        }
    };
    let high = dec("0.015") * c;
    let medium = dec("0.005") * c;
    let score = if p < Decimal::ZERO {
        Decimal::from(125) * p - dec("2.5")
    } else if c.is_zero() {
        Decimal::from(5)
    } else if p >= high {
        Decimal::from(500) * p / c - Decimal::from(5)
    } else if p >= medium {
        Decimal::from(250) * p / c - dec("1.25")
    } else {
        Decimal::from(500) * p / c - dec("2.5")
    };
    Sdg {
        progress_value: Some(p),
        score: Some(clamp(score)),
        status: by_thresholds(p, high, medium, Decimal::ZERO),
    }
}

fn not_available() -> Sdg {
    Sdg {
        progress_value: None,
        score: None,
        status: SdgStatus::NotAvailable,
    }
}

fn clamp(score: Decimal) -> Decimal {
    score.clamp(Decimal::from(-5), Decimal::from(5))
}

fn by_thresholds(p: Decimal, high: Decimal, medium: Decimal, low: Decimal) -> SdgStatus {
    if p >= high {
        SdgStatus::SubstantialProgress
    } else if p >= medium {
        SdgStatus::ModerateProgress
    } else if p >= low {
        SdgStatus::LimitedProgress
    } else {
        SdgStatus::Deterioration
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
    fn mean_of_scores() {
        let (m, s) = mean([dec("2.5185563910"), dec("2.8153866454")]).unwrap();
        close(m, "2.6669715182");
        assert_eq!(s, SdgStatus::SubstantialProgress);
        assert_eq!(mean(Vec::new()), None);
        assert_eq!(mean([dec("-3")]).unwrap().1, SdgStatus::Deterioration);
    }
}
