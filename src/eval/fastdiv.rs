//! A decimal quotient, and a value rounded for display, computed in machine integers: the same
//! decimals `Decimal::checked_div` and `round_display` return (issue 18: rust_decimal's
//! division was about 7% of a national history, nearly all of it ratios of two counts such as
//! `online_dossiers / total_dossiers`, and rounding a rate to its precision about 3%).
//!
//! The quotient is written to reports with all its digits (`0.797141988446336272423228945`), so
//! "the same decimal" means the same mantissa and the same scale, trailing zeros included.
//! rust_decimal 1.43 (`ops/div.rs`, not the `legacy-ops` feature) divides a 96-bit mantissa `n`
//! by a 96-bit mantissa `d` as a long division in steps of up to nine decimal digits:
//!
//! 1. `q = n / d`, `r = n % d`, scale `s = scale(x) − scale(y)`;
//! 2. while `r ≠ 0` (or `s < 0`), it takes the largest step `p ≤ 9` with `q·10^p < 2⁹⁶` and
//!    `s + p ≤ 28`, and sets `q = q·10^p + (r·10^p) / d`, `r = (r·10^p) % d`, `s = s + p`;
//! 3. when no step is possible (`p = 0`: `s` is 28 or `q·10 ≥ 2⁹⁶`), it rounds `q` half to
//!    even on `2r` against `d`; when adding a step's digits carries `q` past 2⁹⁶, it divides
//!    `q` by ten instead, rounding half to even with the remainder as a sticky bit;
//! 4. if there ever was a remainder, it strips trailing zeros, but only in the steps its
//!    `unscale` takes: eight at a time while the low 32 bits are zero, then at most four, two
//!    and one, each only when the low bits show the factor of 2 it needs.
//!
//! [`div_exact`] performs the same steps for a divisor below 2³²: `r < d < 2³²`, so
//! `r·10⁹ < 2⁶²` and every step's digits come from one 64-bit division, done as a
//! multiplication by the divisor's reciprocal ([`Divisor`]); `q < 2⁹⁶` times `10⁹` stays inside
//! a `u128`. A rate (`0 < n < d`, equal scales) takes the steps unrolled
//! ([`proper_fraction`]). Every other case (a larger divisor, a zero divisor, a step that
//! would overflow, a round-up that reaches 2⁹⁶) is left to `checked_div` by returning `None`.
//! The tests compare both on hand-picked and random operands, mantissa and scale, so an update
//! of rust_decimal that divides differently fails them.

use rust_decimal::Decimal;

/// 2⁹⁶: no mantissa reaches it.
const LIMIT: u128 = 1 << 96;

/// The largest scale of a decimal.
const MAX_SCALE: i32 = 28;

/// Powers of ten up to 10⁹, the longest step.
const POW10: [u64; 10] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
];

/// `x / y` exactly as `x.checked_div(y)` computes it (same mantissa, same scale), in integers;
/// `None` when `y`'s mantissa is 0 or at least 2³², or when rust_decimal would take a path
/// this does not follow (an overflow, a round-up to 2⁹⁶): the caller then uses `checked_div`.
pub(crate) fn div_exact(x: Decimal, y: Decimal) -> Option<Decimal> {
    let d = u64::try_from(y.mantissa().unsigned_abs())
        .ok()
        .filter(|&d| d != 0 && d <= u64::from(u32::MAX))?;
    if x.is_zero() {
        return Some(Decimal::ZERO);
    }
    let negative = x.is_sign_negative() != y.is_sign_negative();
    let n = x.mantissa().unsigned_abs();
    let mut scale = x.scale() as i32 - y.scale() as i32;
    let divisor = Divisor::new(d);
    if x.scale() == y.scale() && n < u128::from(d) {
        return Some(proper_fraction(n as u64, &divisor, negative));
    }
    let (mut q, mut r) = match u64::try_from(n) {
        Ok(n) => {
            let (q, r) = divisor.div_rem(n);
            (u128::from(q), r)
        }
        // Only for dividends of 2⁶⁴ and more, which counts never reach.
        Err(_) => (n / u128::from(d), (n % u128::from(d)) as u64),
    };
    let mut had_remainder = false;
    while r != 0 || scale < 0 {
        let p = if r == 0 {
            // An exact quotient with a negative scale: scaled up to scale 0, nine at a time.
            (-scale).min(9)
        } else {
            had_remainder = true;
            let p = step(q, scale);
            if p < 9 && scale + p < 0 {
                return None;
            }
            if p == 0 {
                let twice = u128::from(r) * 2;
                let d = u128::from(d);
                if twice > d || (twice == d && q & 1 == 1) {
                    q += 1;
                    if q == LIMIT {
                        return None;
                    }
                }
                break;
            }
            p
        };
        let pow = *POW10.get(p as usize)?;
        scale += p;
        q *= u128::from(pow);
        if q >= LIMIT {
            return None;
        }
        // r < d < 2³², so r·10⁹ < 2⁶².
        let (digits, rest) = divisor.div_rem(r * pow);
        r = rest;
        q += u128::from(digits);
        if q >= LIMIT {
            // The step's digits carried past 96 bits: one digit fewer, rounded half to even
            // with what is left over (r and the dropped digit) deciding.
            scale -= 1;
            if scale < 0 {
                return None;
            }
            let digit = q % 10;
            q /= 10;
            if digit > 5 || (digit == 5 && (r != 0 || q & 1 == 1)) {
                q += 1;
            }
            break;
        }
    }
    if had_remainder {
        scale = unscale(&mut q, scale);
    }
    let scale = u32::try_from(scale).ok()?;
    let lo = q as u32;
    let mid = (q >> 32) as u32;
    let hi = (q >> 64) as u32;
    Some(Decimal::from_parts(lo, mid, hi, negative, scale))
}

/// `v` rounded half away from zero to `places` as [`round_display`](super::engine) rounds it
/// (a percent as a percentage, then back to its fraction), the same decimal, in integers;
/// `None` for zero and wherever a decimal step would overflow or pass scale 28 (the caller
/// then takes the decimal path).
///
/// The decimal path is `nearest_fraction(round(v·100, places))` for a percent. rust_decimal's
/// `v·100` is exact: `a·100` at scale `s` for a mantissa `a`, and when that passes 96 bits its
/// `rescale` drops the one or two zeros it just added (`a·10` at `s − 1`, or `a` at `s − 2`;
/// it overflows only when `s` is too small for that, left to the decimal path). Rounding to
/// `places` below the scale is `a / 10^j`, plus one when the remainder is at least half of
/// `10^j`, signed afterwards; at or above the scale the value stays as it is. The fraction of
/// the rounded percentage is the same mantissa two places further (`fraction`'s `set_scale`).
pub(crate) fn round_exact(v: Decimal, places: u32, percent: bool) -> Option<Decimal> {
    if v.is_zero() {
        return None;
    }
    let negative = v.is_sign_negative();
    let a = v.mantissa().unsigned_abs();
    let s = v.scale();
    let (m, scale) = if !percent {
        (a, s)
    } else if a * 100 < LIMIT {
        (a * 100, s)
    } else if a * 10 < LIMIT {
        (a * 10, s.checked_sub(1)?)
    } else {
        (a, s.checked_sub(2)?)
    };
    let (m, scale) = if scale <= places {
        (m, scale)
    } else {
        let pow = 10u128.checked_pow(scale - places)?;
        let (q, rem) = (m / pow, m % pow);
        (if rem * 2 >= pow { q + 1 } else { q }, places)
    };
    let scale = if percent { scale + 2 } else { scale };
    if scale > MAX_SCALE as u32 {
        return None;
    }
    Some(Decimal::from_parts(
        m as u32,
        (m >> 32) as u32,
        (m >> 64) as u32,
        negative,
        scale,
    ))
}

/// `n / d` for `0 < n < d` (a rate: a count over a larger count), the steps above unrolled.
///
/// The quotient is below 1, so each step's `q` is far from 2⁹⁶: the steps are 9, 9 and 9
/// digits (`q < 10²⁷`, and `10²⁷·10 < 2⁹⁶`), then 1 digit to scale 28, then the rounding;
/// no carry past 2⁹⁶ and no round-up to it can occur. The division stops at the first step
/// that leaves no remainder, whose scale `unscale` then starts from.
fn proper_fraction(n: u64, divisor: &Divisor, negative: bool) -> Decimal {
    const BILLION: u64 = 1_000_000_000;
    let finish = |mut q: u128, scale: i32| {
        let scale = unscale(&mut q, scale) as u32;
        Decimal::from_parts(
            q as u32,
            (q >> 32) as u32,
            (q >> 64) as u32,
            negative,
            scale,
        )
    };
    // r < d < 2³², so r·10⁹ < 2⁶²; after two steps q < 10¹⁸.
    let (q1, r) = divisor.div_rem(n * BILLION);
    if r == 0 {
        return finish(u128::from(q1), 9);
    }
    let (digits, r) = divisor.div_rem(r * BILLION);
    let q2 = q1 * BILLION + digits;
    if r == 0 {
        return finish(u128::from(q2), 18);
    }
    let (digits, r) = divisor.div_rem(r * BILLION);
    let q3 = u128::from(q2) * u128::from(BILLION) + u128::from(digits);
    if r == 0 {
        return finish(q3, 27);
    }
    let (digit, r) = divisor.div_rem(r * 10);
    let mut q = q3 * 10 + u128::from(digit);
    let twice = r * 2;
    if twice > divisor.d || (twice == divisor.d && q & 1 == 1) {
        q += 1;
    }
    finish(q, 28)
}

/// A divisor below 2³² with its reciprocal: each step's division becomes a multiplication and
/// a correction, the one hardware division being the reciprocal's (a 64-bit division takes tens
/// of cycles, and a 28-digit quotient needs four or five of them).
struct Divisor {
    d: u64,
    /// ⌊2⁶⁴ / d⌋ (2⁶⁴ − 1 for d = 1): x·inv / 2⁶⁴ ≤ x / d, and x / d − 1 < x·inv / 2⁶⁴ for
    /// x < 2⁶⁴ (inv > 2⁶⁴/d − 1, so x·inv / 2⁶⁴ > x/d − x/2⁶⁴).
    inv: u64,
}

impl Divisor {
    fn new(d: u64) -> Divisor {
        let (q, r) = (u64::MAX / d, u64::MAX % d);
        // 2⁶⁴ = u64::MAX + 1: one more when that completes a multiple of d (not for d = 1,
        // whose 2⁶⁴ does not fit).
        let inv = if d > 1 && r == d - 1 { q + 1 } else { q };
        Divisor { d, inv }
    }

    /// `(x / d, x % d)`: the estimate ⌊x·inv / 2⁶⁴⌋ is the quotient or one below it, so
    /// `x − estimate·d` does not underflow and one correction completes it.
    #[inline(always)]
    fn div_rem(&self, x: u64) -> (u64, u64) {
        let q = ((u128::from(x) * u128::from(self.inv)) >> 64) as u64;
        let r = x - q * self.d;
        // A branch, not arithmetic on the comparison: it is nearly always predicted (the
        // estimate is rarely short) and keeps the correction off the chain of dependent steps.
        if r >= self.d {
            (q + 1, r - self.d)
        } else {
            (q, r)
        }
    }
}

/// The step rust_decimal's `find_scale` takes: the largest `p ≤ 9` with `q·10^p < 2⁹⁶` and
/// `scale + p ≤ 28` (0 when none).
fn step(q: u128, scale: i32) -> i32 {
    let mut p = (MAX_SCALE - scale).clamp(0, 9);
    // q < 2⁹⁶ and 10⁹ < 2³⁰: the product fits in a u128.
    while p > 0 && q * u128::from(POW10.get(p as usize).copied().unwrap_or(1)) >= LIMIT {
        p -= 1;
    }
    p
}

/// rust_decimal's `unscale`: the trailing zeros it strips, in its steps and with its tests.
fn unscale(q: &mut u128, mut scale: i32) -> i32 {
    while *q as u32 == 0 && scale >= 8 {
        let Some(exact) = divide_exactly(*q, 100_000_000) else {
            break;
        };
        *q = exact;
        scale -= 8;
    }
    for (mask, pow, places) in [(0xF, 10_000, 4), (0x3, 100, 2), (0x1, 10, 1)] {
        if *q & mask == 0
            && scale >= places
            && let Some(exact) = divide_exactly(*q, pow)
        {
            *q = exact;
            scale -= places;
        }
    }
    scale
}

/// `q / pow` when `pow` divides `q < 2⁹⁶`, in two 64-bit divisions as rust_decimal's
/// `div32_const` makes them (a `u128` remainder is a call into a slow library routine; with a
/// constant `pow` these are multiplications).
#[inline(always)]
fn divide_exactly(q: u128, pow: u64) -> Option<u128> {
    let high = (q >> 32) as u64;
    let low = u64::from(q as u32);
    let (qh, rh) = (high / pow, high % pow);
    // rh < pow ≤ 10⁸ < 2²⁷, so this stays inside 64 bits.
    let rest = (rh << 32) | low;
    (rest % pow == 0).then(|| (u128::from(qh) << 32) | u128::from(rest / pow))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use proptest::prelude::*;

    /// `div_exact` agrees with `checked_div` (mantissa, scale and sign) wherever it answers.
    fn agrees(x: Decimal, y: Decimal) -> Result<(), TestCaseError> {
        if let Some(fast) = div_exact(x, y) {
            let slow = x.checked_div(y);
            prop_assert!(
                slow.is_some(),
                "{x} / {y}: {fast} where checked_div overflows"
            );
            let slow = slow.unwrap();
            prop_assert_eq!(
                (fast.mantissa(), fast.scale(), fast.is_sign_negative()),
                (slow.mantissa(), slow.scale(), slow.is_sign_negative()),
                "{} / {}: {} against {}",
                x,
                y,
                fast,
                slow
            );
        }
        Ok(())
    }

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn hand_picked_quotients_are_checked_divs() {
        let cases = [
            // Exact quotients, with and without trailing zeros to strip.
            ("1", "2"),
            ("1", "4"),
            ("1", "8"),
            ("1", "16"),
            ("1", "1024"),
            ("3", "5"),
            ("10", "2"),
            ("100", "4"),
            ("1.0", "2"),
            ("1.000", "8"),
            ("100", "0.5"),
            ("100", "0.0000000000000000000000000001"),
            ("1", "0.0000000000000000000000000003"),
            ("7", "7"),
            ("123456789", "123456789"),
            ("0", "7"),
            ("0.000", "3"),
            ("-0", "3"),
            // Repeating decimals, rounded at the 28th digit or where 96 bits end.
            ("1", "3"),
            ("2", "3"),
            ("10", "3"),
            ("20", "3"),
            ("1", "7"),
            ("22", "7"),
            ("1", "9"),
            ("8", "9"),
            ("1", "6"),
            ("5", "6"),
            ("1", "11"),
            ("3941", "4943"),
            ("2953620", "4035"),
            ("4035", "2953620"),
            ("1", "4294967295"),
            ("4294967294", "4294967295"),
            ("4294967295", "4294967294"),
            // Ties at the last digit: 2r = d at scale 28, and after a carry past 2⁹⁶.
            ("0.00000000000000000000000000015", "1"),
            ("0.00000000000000000000000000025", "1"),
            ("0.0000000000000000000000000001", "2"),
            ("0.0000000000000000000000000003", "2"),
            ("0.0000000000000000000000000005", "2"),
            ("15", "2"),
            // n / 2²⁹ has 29 decimal places: a tie at the 29th digit, on an even 28th digit
            // (stays) and an odd one (rounds up); n / 2³⁰, n / 2³¹: just off a tie.
            ("1", "536870912"),
            ("3", "536870912"),
            ("536870911", "536870912"),
            ("1", "2684354560"),
            ("1", "1073741824"),
            ("3", "2147483648"),
            ("7922816251426433759354395033", "2"),
            ("7922816251426433759354395035", "2"),
            ("79228162514264337593543950335", "2"),
            // A two-digit step carrying past 2⁹⁶ (792281625142643375935439503·100 + 45 ≥ 2⁹⁶):
            // the dropped 5 with a remainder after it (rounds up), exactly 5 on an even
            // digit (stays), exactly 5 on an odd digit (rounds up).
            ("78435880889121694217608510842", "99"),
            ("15845632502852867518708790069", "20"),
            ("15845632502852867518708790071", "20"),
            ("79228162514264337593543950335", "10"),
            ("79228162514264337593543950335", "3"),
            ("79228162514264337593543950335", "4294967295"),
            ("79228162514264337593543950335", "1"),
            ("7.9228162514264337593543950335", "3"),
            ("9", "1.1"),
            ("99", "1.3"),
            // Negative operands.
            ("-1", "3"),
            ("1", "-3"),
            ("-1", "-3"),
            ("-2", "3"),
            ("-0.0000000000000000000000000001", "3"),
            ("-0.0000000000000000000000000002", "3"),
            // Large numerators.
            ("18446744073709551615", "3"),
            ("18446744073709551616", "7"),
            ("1844674407370955161600000", "17"),
            ("123456789012345678901234567", "0.001"),
            ("12345678901234567890123456789", "0.1"),
            ("1", "0.1"),
            ("1.5", "0.03"),
        ];
        for (x, y) in cases {
            agrees(d(x), d(y)).unwrap();
        }
        // The common cases are answered, not left to the slow path.
        for (x, y) in [
            ("1", "3"),
            ("2", "3"),
            ("10", "3"),
            ("3941", "4943"),
            ("0", "7"),
            ("78435880889121694217608510842", "99"),
        ] {
            assert!(div_exact(d(x), d(y)).is_some(), "{x} / {y}");
        }
        assert_eq!(div_exact(d("1"), d("0")), None);
        assert_eq!(div_exact(d("1"), d("4294967296")), None);
        assert_eq!(
            div_exact(d("2"), d("3")).unwrap().to_string(),
            "0.6666666666666666666666666667"
        );
    }

    /// Operands as a history divides them: counts and small decimals.
    fn operand() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            (0u64..100_000).prop_map(Decimal::from),
            (1u64..=u64::from(u32::MAX)).prop_map(Decimal::from),
            (any::<i64>(), 0u32..=28).prop_map(|(m, s)| Decimal::new(m, s)),
            (
                any::<u32>(),
                any::<u32>(),
                any::<u32>(),
                any::<bool>(),
                0u32..=28
            )
                .prop_map(|(lo, mid, hi, neg, s)| Decimal::from_parts(lo, mid, hi, neg, s)),
        ]
    }

    fn divisor() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            (1u64..100_000).prop_map(Decimal::from),
            (1u64..=u64::from(u32::MAX)).prop_map(Decimal::from),
            (1u32..=u32::MAX, any::<bool>(), 0u32..=28)
                .prop_map(|(m, neg, s)| Decimal::from_parts(m, 0, 0, neg, s)),
            // Powers of two and five and their neighbours: exact quotients and ties.
            (0u32..32, 0u32..14, -1i64..=1, 0u32..=28).prop_map(|(two, five, off, s)| {
                let m = (1i64 << two)
                    .saturating_mul(5i64.pow(five))
                    .saturating_add(off)
                    .clamp(1, i64::from(u32::MAX));
                Decimal::new(m, s)
            }),
        ]
    }

    /// `round_display`'s decimal path.
    fn rounded_by_decimals(v: Decimal, places: u32, percent: bool) -> Decimal {
        use crate::quantity::{nearest_fraction, percentage, round};
        if percent {
            percentage(v).map_or(v, |p| nearest_fraction(round(p, places)))
        } else {
            round(v, places)
        }
    }

    /// `round_exact` agrees with the decimal path (mantissa, scale and sign) wherever it answers.
    fn rounds_alike(v: Decimal, places: u32, percent: bool) -> Result<(), TestCaseError> {
        if let Some(fast) = round_exact(v, places, percent) {
            let slow = rounded_by_decimals(v, places, percent);
            prop_assert_eq!(
                (fast.mantissa(), fast.scale(), fast.is_sign_negative()),
                (slow.mantissa(), slow.scale(), slow.is_sign_negative()),
                "{} to {} places (percent: {}): {} against {}",
                v,
                places,
                percent,
                fast,
                slow
            );
        }
        Ok(())
    }

    #[test]
    fn hand_picked_roundings_are_the_decimal_ones() {
        let values = [
            "0.797141988446336272423228945",
            "0.7922816251426433759354395033",
            "0.7922816251426433759354395034",
            "0.6666666666666666666666666667",
            "0.3333333333333333333333333333",
            "0.5",
            "0.50",
            "0.005",
            "0.0049999",
            "0.00005",
            "-0.00005",
            "-0.004",
            "0.125",
            "-0.125",
            "0.895",
            "0.8949999999999999999999999999",
            "0.8950000000000000000000000001",
            "1",
            "12.5",
            "100",
            "79228162514264337593543950335",
            "7922816251426433759354395033.5",
            "792281625142643375935439503.35",
            "-79228162514264337593543950335",
            "0.0000000000000000000000000001",
            "0.0000000000000000000000000005",
            "9.9999999999999999999999999999",
            "0",
            "0.000",
        ];
        for text in values {
            for places in [0, 1, 2, 3, 4, 8, 26, 27, 28, 30] {
                for percent in [false, true] {
                    rounds_alike(d(text), places, percent).unwrap();
                }
            }
        }
        // A rate with all its digits, as the national workload rounds it, is answered.
        let rate = d("0.797141988446336272423228945");
        assert_eq!(round_exact(rate, 1, true).unwrap().to_string(), "0.797");
        assert_eq!(round_exact(rate, 2, false).unwrap().to_string(), "0.80");
        assert_eq!(
            round_exact(d("0.00005"), 2, true).unwrap().to_string(),
            "0.0001"
        );
        assert_eq!(
            round_exact(d("-0.004"), 2, false).unwrap().to_string(),
            "0.00"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40_000))]

        #[test]
        fn roundings_are_the_decimal_ones(v in operand(), places in 0u32..=30, percent in any::<bool>()) {
            rounds_alike(v, places, percent)?;
        }

        /// Quotients of counts at small precisions, the national workload's case: answered.
        #[test]
        fn rates_are_rounded_in_integers(
            a in 0u32..10_000_000,
            b in 1u32..10_000_000,
            places in 0u32..=4,
            percent in any::<bool>(),
        ) {
            let v = Decimal::from(a) / Decimal::from(b);
            prop_assert!(v.is_zero() || round_exact(v, places, percent).is_some());
            rounds_alike(v, places, percent)?;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(100_000))]

        #[test]
        fn quotients_are_checked_divs(x in operand(), y in divisor()) {
            agrees(x, y)?;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        /// Quotients with 28 to 31 decimal places: ties and near-ties at the rounding digit.
        #[test]
        fn ties_round_half_to_even(n in 1u64..=u64::from(u32::MAX), k in 27u32..32, s in 0u32..2) {
            let d = Decimal::from(1u64 << k);
            let x = Decimal::new(n as i64, s);
            prop_assert!(div_exact(x, d).is_some());
            agrees(x, d)?;
        }

        /// Ratios of counts, the national workload's case: always answered.
        #[test]
        fn ratios_of_counts_are_answered(a in 0u32..10_000_000, b in 1u32..10_000_000) {
            let (x, y) = (Decimal::from(a), Decimal::from(b));
            prop_assert!(div_exact(x, y).is_some());
            agrees(x, y)?;
        }
    }
}
