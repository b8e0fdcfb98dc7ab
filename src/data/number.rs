//! Numbers as data files write them, in two locales.
//!
//! A number in a data file is read exactly or not at all: a text that a locale cannot read is
//! [`NumberError::Malformed`], and a text that could mean two numbers (`1,675` in the default
//! locale: one thousand six hundred seventy-five, or one point six seven five?) is
//! [`NumberError::Ambiguous`]. Neither is ever guessed.

use super::Kind;
use crate::diag::{Common, Fault};
use crate::syntax::Kind as SyntaxKind;
use rust_decimal::Decimal;
use std::fmt;
use std::str::FromStr;

/// How a data file writes numbers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Locale {
    /// `.` is the decimal point and there is no thousands separator: `1675`, `93.3`.
    #[default]
    Default,
    /// Vietnamese: `.` groups thousands and `,` is the decimal point: `1.675`, `93,3`,
    /// `1.675,5`.
    Vi,
}

impl Locale {
    /// The locale's name, as `--locale` and `# locale:` spell it.
    pub fn name(self) -> &'static str {
        match self {
            Locale::Default => "default",
            Locale::Vi => "vi",
        }
    }
}

impl FromStr for Locale {
    type Err = String;

    fn from_str(s: &str) -> Result<Locale, String> {
        match s {
            "default" => Ok(Locale::Default),
            "vi" => Ok(Locale::Vi),
            other => Err(format!(
                "unknown locale `{other}` (expected `default` or `vi`)"
            )),
        }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a number's text could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    /// Not a number in the locale (`93,3` in the default locale, `1.5` in `vi`, `abc`, ``).
    #[error("not a number in this locale")]
    Malformed,
    /// A number that reads two ways (`1,675` in the default locale).
    #[error("the number reads two ways")]
    Ambiguous,
    /// A number that a 96-bit decimal cannot hold exactly.
    #[error("the number does not fit an exact decimal")]
    TooLarge,
}

impl NumberError {
    /// The fault this error is about `text`, read in `locale`.
    pub fn fault(self, text: &str, locale: Locale) -> Fault {
        let text = text.to_string();
        match self {
            NumberError::Malformed => Common::MalformedNumber {
                text,
                locale: locale.name().into(),
            }
            .into(),
            NumberError::Ambiguous => Kind::AmbiguousNumber { text }.into(),
            NumberError::TooLarge => SyntaxKind::NumberTooLarge { text }.into(),
        }
    }
}

/// Reads a number as a data file writes it.
///
/// Surrounding whitespace is ignored; a leading `-` and a trailing `%` are allowed (the value is
/// the number before the `%`: converting a percentage to its fraction is the caller's choice).
///
/// ```
/// use chitieu::data::{Locale, NumberError, parse_number};
/// use rust_decimal::Decimal;
/// assert_eq!(parse_number("93.3", Locale::Default), Ok(Decimal::new(933, 1)));
/// assert_eq!(parse_number("93,3", Locale::Vi), Ok(Decimal::new(933, 1)));
/// assert_eq!(parse_number("1.675", Locale::Vi), Ok(Decimal::new(1675, 0)));
/// assert_eq!(parse_number("1,675", Locale::Default), Err(NumberError::Ambiguous));
/// assert_eq!(parse_number("93,3", Locale::Default), Err(NumberError::Malformed));
/// ```
pub fn parse_number(text: &str, locale: Locale) -> Result<Decimal, NumberError> {
    let t = text.trim();
    let t = t.strip_suffix('%').map_or(t, str::trim_end);
    let (negative, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    if body.is_empty()
        || !body
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        return Err(NumberError::Malformed);
    }
    let (int, frac) = match locale {
        Locale::Default => {
            if body.contains(',') {
                // One comma followed by three digits is a thousands group or a Vietnamese
                // decimal comma; any other comma is plainly not this locale's.
                let one_comma = body.bytes().filter(|&b| b == b',').count() == 1;
                return Err(
                    if one_comma && !body.contains('.') && thousands_grouped(body, b',') {
                        NumberError::Ambiguous
                    } else {
                        NumberError::Malformed
                    },
                );
            }
            split_fraction(body, '.')?
        }
        Locale::Vi => {
            let (int, frac) = split_fraction(body, ',')?;
            if int.contains('.') && !thousands_grouped(int, b'.') {
                return Err(NumberError::Malformed);
            }
            (int, frac)
        }
    };
    exact(negative, int, frac)
}

/// Reads a number in the JSON grammar (`-12.5`, `1e3`), as a JSON file's unquoted values are.
pub(crate) fn parse_json_number(text: &str) -> Result<Decimal, NumberError> {
    let t = text.trim();
    if !t.contains(['e', 'E']) {
        return parse_number(t, Locale::Default).and_then(|v| {
            // JSON numbers carry no `%`.
            if t.ends_with('%') {
                Err(NumberError::Malformed)
            } else {
                Ok(v)
            }
        });
    }
    let (mantissa, exponent) = t.split_once(['e', 'E']).ok_or(NumberError::Malformed)?;
    let exponent: i32 = exponent
        .strip_prefix('+')
        .unwrap_or(exponent)
        .parse()
        .map_err(|_| NumberError::Malformed)?;
    if mantissa.contains('%') {
        return Err(NumberError::Malformed);
    }
    let mut value = parse_number(mantissa, Locale::Default)?;
    // The exponent moves the decimal point: 8.96e1 is 89.6, with no trailing zero added.
    let scale = i64::from(value.scale()) - i64::from(exponent);
    if !(-28..=28).contains(&scale) {
        // 10^29 times any digit other than zero is beyond a decimal's 96 bits.
        return if value.is_zero() {
            Ok(Decimal::ZERO)
        } else {
            Err(NumberError::TooLarge)
        };
    }
    let shift = u32::try_from(scale).unwrap_or(0);
    value.set_scale(shift).map_err(|_| NumberError::TooLarge)?;
    for _ in 0..(-scale).max(0) {
        value = value
            .checked_mul(Decimal::TEN)
            .ok_or(NumberError::TooLarge)?;
    }
    Ok(value)
}

/// Splits `body` at its decimal separator; at most one is allowed, with digits on both sides.
fn split_fraction(body: &str, point: char) -> Result<(&str, &str), NumberError> {
    match body.split_once(point) {
        None => Ok((body, "")),
        Some((int, frac)) => {
            if int.is_empty() || frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
                Err(NumberError::Malformed)
            } else {
                Ok((int, frac))
            }
        }
    }
}

/// Whether `digits` is 1 to 3 digits (not starting with 0) followed by groups of exactly 3
/// digits, each after one `sep`: `1,675`, `12,345,678`.
fn thousands_grouped(digits: &str, sep: u8) -> bool {
    let mut groups = digits.split(char::from(sep));
    let first_ok = groups.next().is_some_and(|g| {
        (1..=3).contains(&g.len()) && !g.starts_with('0') && g.bytes().all(|b| b.is_ascii_digit())
    });
    let mut rest = groups.peekable();
    first_ok
        && rest.peek().is_some()
        && rest.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// The largest mantissa a `Decimal` holds: 2^96 − 1.
const MAX_MANTISSA: u128 = (1 << 96) - 1;

/// The decimal whose integer digits are `int` (digits and `.` group separators) and whose
/// fraction digits are `frac`, exactly.
fn exact(negative: bool, int: &str, frac: &str) -> Result<Decimal, NumberError> {
    let mut mantissa: u128 = 0;
    for b in int.bytes().filter(|&b| b != b'.') {
        if !b.is_ascii_digit() {
            return Err(NumberError::Malformed);
        }
        mantissa = mantissa * 10 + u128::from(b - b'0');
        if mantissa > MAX_MANTISSA {
            return Err(NumberError::TooLarge);
        }
    }
    let mut scale = 0u32;
    for (i, b) in frac.bytes().enumerate() {
        let next = mantissa * 10 + u128::from(b - b'0');
        if scale >= 28 || next > MAX_MANTISSA {
            // Trailing zeros that do not fit change nothing; any other digit would be lost.
            if frac
                .get(i..)
                .is_some_and(|rest| rest.bytes().all(|c| c == b'0'))
            {
                break;
            }
            return Err(NumberError::TooLarge);
        }
        mantissa = next;
        scale += 1;
    }
    let signed = i128::try_from(mantissa).map_err(|_| NumberError::TooLarge)?;
    let signed = if negative { -signed } else { signed };
    Decimal::try_from_i128_with_scale(signed, scale).map_err(|_| NumberError::TooLarge)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn default_locale_reads_point_decimals_and_refuses_commas() {
        let ok = [
            ("1675", "1675"),
            ("93.3", "93.3"),
            ("  -0.5 ", "-0.5"),
            ("89.6%", "89.6"),
            ("89.6 %", "89.6"),
            ("007", "7"),
            ("1.50", "1.50"),
        ];
        for (text, want) in ok {
            assert_eq!(parse_number(text, Locale::Default), Ok(d(want)), "{text}");
        }
        assert_eq!(parse_number("1.50", Locale::Default).unwrap().scale(), 2);
        let bad = [
            ("1,675", NumberError::Ambiguous),
            ("-1,675", NumberError::Ambiguous),
            ("12,345", NumberError::Ambiguous),
            ("93,3", NumberError::Malformed),
            ("0,675", NumberError::Malformed),
            ("1,234,567", NumberError::Malformed),
            ("1,675.5", NumberError::Malformed),
            ("1_675", NumberError::Malformed),
            ("", NumberError::Malformed),
            ("  ", NumberError::Malformed),
            ("%", NumberError::Malformed),
            ("-", NumberError::Malformed),
            ("1.2.3", NumberError::Malformed),
            (".5", NumberError::Malformed),
            ("5.", NumberError::Malformed),
            ("+5", NumberError::Malformed),
            ("1e3", NumberError::Malformed),
            ("abc", NumberError::Malformed),
            ("5%%", NumberError::Malformed),
        ];
        for (text, want) in bad {
            assert_eq!(parse_number(text, Locale::Default), Err(want), "{text:?}");
        }
    }

    #[test]
    fn vi_locale_groups_thousands_with_points() {
        let ok = [
            ("1.675", "1675"),
            ("1.234.567", "1234567"),
            ("93,3", "93.3"),
            ("1.675,5", "1675.5"),
            ("89,6%", "89.6"),
            ("-12,50", "-12.50"),
            ("1675", "1675"),
            ("0,5", "0.5"),
        ];
        for (text, want) in ok {
            assert_eq!(parse_number(text, Locale::Vi), Ok(d(want)), "{text}");
        }
        for text in [
            "1.5",
            "1.6750",
            "12.34.567",
            "0.675",
            "1.675,",
            ",5",
            "1,2,3",
            "1.675.5",
        ] {
            assert_eq!(
                parse_number(text, Locale::Vi),
                Err(NumberError::Malformed),
                "{text:?}"
            );
        }
    }

    #[test]
    fn numbers_beyond_a_decimal_are_too_large_not_rounded() {
        let max = "79228162514264337593543950335";
        assert_eq!(parse_number(max, Locale::Default), Ok(Decimal::MAX));
        assert_eq!(
            parse_number("79228162514264337593543950336", Locale::Default),
            Err(NumberError::TooLarge)
        );
        // 29 decimals: the last one cannot be kept.
        assert_eq!(
            parse_number("0.00000000000000000000000000001", Locale::Default),
            Err(NumberError::TooLarge)
        );
        // Trailing zeros past what fits are dropped exactly.
        assert_eq!(
            parse_number("1.000000000000000000000000000000000", Locale::Default),
            Ok(Decimal::ONE)
        );
        assert_eq!(
            parse_number(&format!("{max}.0"), Locale::Default),
            Ok(Decimal::MAX)
        );
    }

    #[test]
    fn json_numbers_allow_exponents() {
        assert_eq!(parse_json_number("1e3"), Ok(d("1000")));
        assert_eq!(parse_json_number("2.5E-2"), Ok(d("0.025")));
        assert_eq!(parse_json_number("89.6"), Ok(d("89.6")));
        assert_eq!(parse_json_number("8.96e1").unwrap().to_string(), "89.6");
        assert_eq!(
            parse_json_number("1.5e27").unwrap().to_string(),
            "1500000000000000000000000000"
        );
        assert_eq!(parse_json_number("1e99"), Err(NumberError::TooLarge));
        assert_eq!(parse_json_number("0e2000000000"), Ok(Decimal::ZERO));
        assert_eq!(parse_json_number("1e"), Err(NumberError::Malformed));
        assert_eq!(parse_json_number("5%"), Err(NumberError::Malformed));
    }

    #[test]
    fn locales_parse_and_print() {
        assert_eq!("vi".parse::<Locale>(), Ok(Locale::Vi));
        assert!("en".parse::<Locale>().is_err());
        assert_eq!(Locale::Default.to_string(), "default");
    }
}
