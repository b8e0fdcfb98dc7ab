//! Quantities as plans, data and reports write them: one rounding, one percent scale.
//!
//! A percent is computed with as its fraction (`0.896`) and written as a percentage: `89.6` in
//! a data file, `80%` in a rule, `89.60%` in a report. [`fraction`] and [`percentage`] are the
//! only conversions between the two. Every rounding (an indicator's `precision:`, index scores,
//! the rule language's `round()`, figures in reports) is [`round`]: half away from zero, as
//! people round by hand and as the 766 portal rounds its scores.

use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds half away from zero to `places` decimals.
///
/// ```
/// use chitieu::quantity::round;
/// let d = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
/// assert_eq!(round(d("2.345"), 2), d("2.35"));
/// assert_eq!(round(d("-2.345"), 2), d("-2.35"));
/// assert_eq!(round(d("2.5"), 0), d("3"));
/// ```
pub fn round(v: Decimal, places: u32) -> Decimal {
    v.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
}

/// The fraction a percentage stands for (`89.6` → `0.896`), exactly and keeping the digits as
/// written (`89.60` → `0.8960`); `None` when that needs more than the 28 decimal places a
/// decimal has.
///
/// ```
/// use chitieu::quantity::fraction;
/// let d = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
/// assert_eq!(fraction(d("89.6")), Some(d("0.896")));
/// assert_eq!(fraction(d("89.60")).map(|f| f.to_string()), Some("0.8960".into()));
/// ```
pub fn fraction(percentage: Decimal) -> Option<Decimal> {
    // Trailing zeros are dropped only when keeping them would pass the limit.
    let mut v = if percentage.scale() + 2 > 28 {
        percentage.normalize()
    } else {
        percentage
    };
    let scale = v.scale() + 2;
    v.set_scale(scale).ok()?;
    Some(v)
}

/// [`fraction`], rounded at the 28th decimal place when the exact fraction needs more: for
/// percentages written in a plan, which the evaluator must take whatever their length.
pub(crate) fn nearest_fraction(percentage: Decimal) -> Decimal {
    fraction(percentage).unwrap_or_else(|| percentage / Decimal::ONE_HUNDRED)
}

/// The percentage a fraction stands for (`0.896` → `89.6`); `None` when it would overflow.
///
/// ```
/// use chitieu::quantity::percentage;
/// let d = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
/// assert_eq!(percentage(d("0.896")), Some(d("89.6")));
/// ```
pub fn percentage(fraction: Decimal) -> Option<Decimal> {
    fraction.checked_mul(Decimal::ONE_HUNDRED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_and_fractions_convert_both_ways() {
        for text in ["0", "89.6", "-12.5", "100", "0.0001", "123456789.123456789"] {
            let p: Decimal = text.parse().unwrap();
            let f = fraction(p).unwrap();
            assert_eq!(f, p / Decimal::ONE_HUNDRED);
            assert_eq!(percentage(f), Some(p));
            assert_eq!(nearest_fraction(p), f);
        }
        // 27 decimal places: the exact fraction would need 29.
        let tiny = Decimal::new(1, 27);
        assert_eq!(fraction(tiny), None);
        assert_eq!(nearest_fraction(tiny), tiny / Decimal::ONE_HUNDRED);
        assert_eq!(percentage(Decimal::MAX), None);
    }
}
