//! The faults found in rule text, with their words.

use crate::diag::{Describe, Description, alternatives, did_you_mean, tr};
use crate::lang::Lang;

/// A fault in rule text (and in the literals the rule language shares with plan and data files:
/// numbers, dates, periods).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Kind {
    /// The rule text does not follow the grammar.
    Syntax {
        /// Human names of what could stand here.
        expected: Vec<String>,
        /// What stands here instead.
        found: String,
    },
    /// A call of a function the rule language does not have.
    UnknownFunction {
        /// The name called.
        name: String,
        /// The closest function name.
        suggestion: Option<String>,
    },
    /// Parentheses or operators nested deeper than the limit.
    NestingTooDeep {
        /// The limit.
        limit: usize,
    },
    /// Rule text longer than the limit.
    RuleTooLong {
        /// Its length in bytes.
        len: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// A number that a 96-bit decimal cannot hold exactly.
    NumberTooLarge {
        /// The number as written.
        text: String,
    },
    /// A date that does not exist or is malformed.
    InvalidDate {
        /// The date as written.
        text: String,
    },
    /// A period that does not exist or is malformed.
    InvalidPeriod {
        /// The period as written.
        text: String,
    },
}

impl Describe for Kind {
    fn describe(&self, lang: Lang) -> Description {
        match self {
            Kind::Syntax { expected, found } => {
                let expected = alternatives(expected, lang);
                Description::new(
                    "syntax",
                    tr!(
                        lang,
                        "cần {expected}, nhưng gặp {found}",
                        "expected {expected}, found {found}"
                    ),
                )
                .help(lang.pick(
                    "ví dụ một điều kiện: `online_rate > 80% by 2030-12-31`",
                    "a rule looks like `online_rate > 80% by 2030-12-31`",
                ))
            }
            // The code and words of every unknown name, so tools see one code for them.
            Kind::UnknownFunction { name, suggestion } => Description::new(
                "unknown-name",
                tr!(lang, "không có hàm `{name}`", "unknown function `{name}`"),
            )
            .maybe_help(did_you_mean(suggestion, lang)),
            Kind::NestingTooDeep { limit } => Description::new(
                "nesting-too-deep",
                tr!(
                    lang,
                    "biểu thức lồng nhau quá sâu (tối đa {limit} cấp)",
                    "expression nested too deeply (the limit is {limit} levels)"
                ),
            )
            .help(split_help(lang)),
            Kind::RuleTooLong { len, limit } => Description::new(
                "rule-too-long",
                tr!(
                    lang,
                    "điều kiện quá dài: {len} byte (tối đa {limit})",
                    "rule too long: {len} bytes (the limit is {limit})"
                ),
            )
            .help(split_help(lang)),
            Kind::NumberTooLarge { text } => Description::new(
                "number-too-large",
                tr!(
                    lang,
                    "số `{text}` vượt quá độ chính xác của số thập phân (tối đa 28 chữ số)",
                    "number `{text}` does not fit an exact decimal (at most 28 digits)"
                ),
            )
            .help(lang.pick(
                "dùng đơn vị lớn hơn hoặc bớt chữ số thập phân",
                "use a larger unit or fewer decimal places",
            )),
            Kind::InvalidDate { text } => Description::new(
                "invalid-date",
                tr!(lang, "ngày không hợp lệ `{text}`", "invalid date `{text}`"),
            )
            .help(lang.pick(
                "ngày viết dạng NNNN-TT-NN và phải tồn tại, ví dụ 2030-12-31",
                "dates are written YYYY-MM-DD and must exist, e.g. 2030-12-31",
            )),
            Kind::InvalidPeriod { text } => Description::new(
                "invalid-period",
                tr!(lang, "kỳ không hợp lệ `{text}`", "invalid period `{text}`"),
            )
            .help(lang.pick(
                "kỳ viết dạng 2026, 2026-H1, 2026-Q3 hoặc 2026-07",
                "periods are written 2026, 2026-H1, 2026-Q3 or 2026-07",
            )),
        }
    }

    fn suggestion(&self) -> Option<&str> {
        match self {
            Kind::UnknownFunction { suggestion, .. } => suggestion.as_deref(),
            _ => None,
        }
    }
}

fn split_help(lang: Lang) -> &'static str {
    lang.pick(
        "tách biểu thức thành các chỉ số trung gian (formula)",
        "split the expression into intermediate indicators with formulas",
    )
}
