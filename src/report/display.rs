//! Values as people read them: `89.60%`, `3,410` (en) or `3.410` (vi), `2030-12-31`.

use crate::lang::Lang;
use crate::plan::Unit;
use crate::quantity::{percentage, round};
use rust_decimal::Decimal;

/// Formats a value in its unit's display form.
///
/// ```
/// use chitieu::report::format_value;
/// use chitieu::lang::Lang;
/// use chitieu::plan::Unit;
/// use rust_decimal::Decimal;
/// let share = Decimal::from(3410) / Decimal::from(3806);
/// assert_eq!(format_value(share, Some(Unit::Percent), Lang::En), "89.60%");
/// assert_eq!(format_value(share, Some(Unit::Percent), Lang::Vi), "89,60%");
/// assert_eq!(format_value(Decimal::from(1675), Some(Unit::Count), Lang::Vi), "1.675");
/// assert_eq!(format_value("93.3".parse().unwrap(), Some(Unit::Points), Lang::En), "93.30");
/// ```
pub fn format_value(v: Decimal, unit: Option<Unit>, lang: Lang) -> String {
    match unit {
        Some(Unit::Percent) => {
            let pct = percentage(v).unwrap_or(v);
            format!("{}%", group(round(pct, 2), 2, lang))
        }
        Some(Unit::Points) => group(round(v, 2), 2, lang),
        Some(Unit::Date) => {
            crate::data::value_date(v).map_or_else(|| v.to_string(), |d| d.to_string())
        }
        Some(Unit::Boolean) => {
            if v.is_zero() {
                lang.pick("không", "no").into()
            } else {
                lang.pick("có", "yes").into()
            }
        }
        _ => {
            let r = round(v, 4).normalize();
            let places = r.scale();
            group(r, places, lang)
        }
    }
}

/// Writes a number with `places` decimals, grouping thousands: `1,675.5` or `1.675,5`.
/// A number with exactly `places` decimals (rounded half away from zero), digits grouped as
/// the language writes them: `68.80` (en), `68,80` (vi).
///
/// ```
/// use chitieu::{lang::Lang, report::format_decimal};
/// let v: rust_decimal::Decimal = "1234.565".parse().unwrap();
/// assert_eq!(format_decimal(v, 2, Lang::En), "1,234.57");
/// assert_eq!(format_decimal(v, 2, Lang::Vi), "1.234,57");
/// ```
pub fn format_decimal(v: Decimal, places: u32, lang: Lang) -> String {
    group(round(v, places), places, lang)
}

fn group(v: Decimal, places: u32, lang: Lang) -> String {
    let mut v = v;
    v.rescale(places);
    let text = v.abs().to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let (sep, point) = match lang {
        Lang::Vi => ('.', ','),
        Lang::En => (',', '.'),
    };
    let mut out = String::new();
    if v.is_sign_negative() && !v.is_zero() {
        out.push('-');
    }
    let digits: Vec<char> = int.chars().collect();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(*c);
    }
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_group_by_language() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(
            format_value(d("1234567.5"), Some(Unit::Vnd), Lang::En),
            "1,234,567.5"
        );
        assert_eq!(
            format_value(d("1234567.5"), Some(Unit::Vnd), Lang::Vi),
            "1.234.567,5"
        );
        assert_eq!(format_value(d("-0.5"), None, Lang::En), "-0.5");
        assert_eq!(
            format_value(d("0.99805"), Some(Unit::Percent), Lang::En),
            "99.81%"
        );
        assert_eq!(format_value(d("12"), Some(Unit::Count), Lang::En), "12");
        assert_eq!(
            format_value(Decimal::ONE, Some(Unit::Boolean), Lang::Vi),
            "có"
        );
    }
}
