//! Values as people read them: `89.60%`, `3,410` (en) or `3.410` (vi), `2030-12-31` (en) or
//! `31/12/2030` (vi), `1.250.000 đồng`, `12 ngày`.

use crate::eval::SdgStatus;
use crate::lang::Lang;
use crate::plan::Unit;
use crate::quantity::{percentage, round};
use crate::syntax::CmpOp;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A date as the language writes it: `2030-12-31` (en, ISO) or `31/12/2030` (vi, as Vietnamese
/// documents write dates). JSON keeps ISO dates.
///
/// ```
/// use chitieu::{lang::Lang, report::format_date};
/// let d = chrono::NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
/// assert_eq!(format_date(d, Lang::Vi), "31/10/2026");
/// assert_eq!(format_date(d, Lang::En), "2026-10-31");
/// ```
pub fn format_date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Vi => d.format("%d/%m/%Y").to_string(),
        Lang::En => d.to_string(),
    }
}

/// An SDG progress status in words.
pub fn sdg_word(s: SdgStatus, lang: Lang) -> &'static str {
    match s {
        SdgStatus::TargetAchieved => lang.pick("đã đạt mục tiêu", "target achieved"),
        SdgStatus::SubstantialProgress => lang.pick("tiến bộ rõ rệt", "substantial progress"),
        SdgStatus::ModerateProgress => lang.pick("tiến bộ vừa phải", "moderate progress"),
        SdgStatus::LimitedProgress => lang.pick("tiến bộ hạn chế", "limited progress"),
        SdgStatus::Deterioration => lang.pick("thụt lùi", "deterioration"),
        SdgStatus::NotAvailable => lang.pick("chưa đủ số liệu", "not available"),
    }
}

/// A unit kind in words: the default kinds in the words an officer uses (`sở, ban, ngành`),
/// others as the plan names them.
pub fn kind_word(kind: &str, lang: Lang) -> String {
    match (kind, lang) {
        ("province", Lang::Vi) => "tỉnh".into(),
        ("department", Lang::Vi) => "sở, ban, ngành".into(),
        ("commune", Lang::Vi) => "xã, phường".into(),
        ("province", Lang::En) => "province".into(),
        ("department", Lang::En) => "department".into(),
        ("commune", Lang::En) => "commune".into(),
        (other, _) => format!("`{other}`"),
    }
}

/// A result's target as a reader needs it: with the rule's comparator (`> 80,00%`), marked as the
/// baseline when it is the baseline level (a level to hold, not a figure of the plan), and
/// marked “phấn đấu” when the goal is aspirational (unless its title already says so); `—`
/// without a target.
pub fn target_text(r: &crate::eval::GoalResult, lang: Lang) -> String {
    let Some(t) = r.target else {
        return "—".into();
    };
    let mut text = format_target(t, r.comparator, r.value_unit, lang);
    if r.target_is_baseline {
        text.push_str(lang.pick(" (kỳ gốc)", " (baseline)"));
    }
    let said = lang == Lang::Vi && r.title.to_lowercase().contains("phấn đấu");
    if r.aspirational && !said {
        text.push_str(lang.pick(" (phấn đấu)", " (aspirational)"));
    }
    text
}

/// A target with its comparator, as the rule states it: `> 80,00%`, `≥ 97,00`, `100,00%` (an
/// equality needs no sign).
pub fn format_target(v: Decimal, op: Option<CmpOp>, unit: Option<Unit>, lang: Lang) -> String {
    let sign = match op {
        Some(CmpOp::Gt) => "> ",
        Some(CmpOp::Ge) => "≥ ",
        Some(CmpOp::Lt) => "< ",
        Some(CmpOp::Le) => "≤ ",
        Some(CmpOp::Ne) => "≠ ",
        Some(CmpOp::Eq) | None => "",
    };
    format!("{sign}{}", format_value(v, unit, lang))
}

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
/// assert_eq!(format_value("1250000.4".parse().unwrap(), Some(Unit::Vnd), Lang::Vi), "1.250.000 đồng");
/// assert_eq!(format_value(Decimal::from(12), Some(Unit::Days), Lang::Vi), "12 ngày");
/// ```
pub fn format_value(v: Decimal, unit: Option<Unit>, lang: Lang) -> String {
    match unit {
        Some(Unit::Percent) => {
            let pct = percentage(v).unwrap_or(v);
            format!("{}%", group(round(pct, 2), 2, lang))
        }
        Some(Unit::Points) => group(round(v, 2), 2, lang),
        Some(Unit::Date) => {
            crate::data::value_date(v).map_or_else(|| v.to_string(), |d| format_date(d, lang))
        }
        // Money in whole đồng: the đồng has no smaller unit in use.
        Some(Unit::Vnd) => format!(
            "{} {}",
            group(round(v, 0), 0, lang),
            lang.pick("đồng", "VND")
        ),
        Some(Unit::Days) => {
            let r = round(v, 2).normalize();
            let word = if r == Decimal::ONE {
                lang.pick("ngày", "day")
            } else {
                lang.pick("ngày", "days")
            };
            format!("{} {word}", group(r, r.scale(), lang))
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
            "1,234,568 VND"
        );
        assert_eq!(
            format_value(d("1234567.5"), Some(Unit::Vnd), Lang::Vi),
            "1.234.568 đồng"
        );
        assert_eq!(format_value(d("1"), Some(Unit::Days), Lang::En), "1 day");
        assert_eq!(
            format_value(d("3.5"), Some(Unit::Days), Lang::Vi),
            "3,5 ngày"
        );
        assert_eq!(
            format_target(d("0.8"), Some(CmpOp::Gt), Some(Unit::Percent), Lang::Vi),
            "> 80,00%"
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
