//! The faults found in plan files (and in the YAML of data files), with their words.

use crate::diag::{Describe, Description, did_you_mean, quoted_list, tr};
use crate::lang::Lang;

/// A fault in the shape of a YAML file: the file, its keys and values, its includes.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Kind {
    /// The file has nothing in it (or only comments and blank lines).
    EmptyFile,
    /// The YAML is malformed or a value has the wrong shape.
    Yaml {
        /// The YAML reader's description.
        reason: String,
    },
    /// The YAML expands beyond the reader's budget (an alias bomb, say).
    YamlBudget {
        /// What was exceeded.
        reason: String,
    },
    /// A key that the format does not have.
    UnknownKey {
        /// The key.
        key: String,
        /// The keys allowed here.
        expected: Vec<String>,
        /// The closest allowed key.
        suggestion: Option<String>,
    },
    /// A required key is absent.
    MissingKey {
        /// The key.
        key: String,
    },
    /// A value is not one of those allowed.
    InvalidValue {
        /// The key whose value it is.
        key: String,
        /// The value found.
        found: String,
        /// The values allowed.
        expected: Vec<String>,
        /// The closest allowed value.
        suggestion: Option<String>,
    },
    /// `chitieu:` names a format version this build does not read.
    FormatVersion {
        /// The version found.
        found: String,
    },
    /// Plan files include each other in a circle.
    IncludeCycle {
        /// The files in the circle.
        chain: Vec<String>,
    },
    /// A plan period whose text is malformed or whose end precedes its start.
    InvalidPlanPeriod {
        /// The text.
        text: String,
    },
}

impl Describe for Kind {
    fn describe(&self, lang: Lang) -> Description {
        match self {
            Kind::EmptyFile => {
                Description::new("empty-file", lang.pick("tệp rỗng", "the file is empty")).help(
                    lang.pick(
                        "một kế hoạch bắt đầu bằng `chitieu: 1` và mục `plan:`",
                        "a plan starts with `chitieu: 1` and a `plan:` section",
                    ),
                )
            }
            Kind::Yaml { reason } => Description::new(
                "yaml",
                match lang {
                    Lang::Vi => format!("YAML không hợp lệ: {}", yaml_reason_vi(reason)),
                    Lang::En => format!("invalid YAML: {reason}"),
                },
            ),
            Kind::YamlBudget { reason } => Description::new(
                "yaml-budget",
                tr!(
                    lang,
                    "YAML vượt giới hạn đọc (bom alias?): {reason}",
                    "YAML exceeds the reading budget (an alias bomb?): {reason}"
                ),
            )
            .help(lang.pick(
                "giảm số lần dùng alias (*tên) lồng nhau",
                "use fewer nested aliases (*name)",
            )),
            Kind::UnknownKey {
                key,
                expected,
                suggestion,
            } => Description::new(
                "unknown-key",
                tr!(lang, "khóa không hợp lệ `{key}`", "unknown key `{key}`"),
            )
            .maybe_help(did_you_mean(suggestion, lang).or_else(|| {
                (!expected.is_empty()).then(|| {
                    format!(
                        "{}: {}",
                        lang.pick("các khóa hợp lệ", "allowed keys"),
                        quoted_list(expected)
                    )
                })
            })),
            Kind::MissingKey { key } => Description::new(
                "missing-key",
                tr!(
                    lang,
                    "thiếu khóa bắt buộc `{key}`",
                    "missing required key `{key}`"
                ),
            )
            .help(tr!(lang, "thêm `{key}: …`", "add `{key}: …`")),
            Kind::InvalidValue {
                key,
                found,
                expected,
                suggestion,
            } => Description::new(
                "invalid-value",
                tr!(
                    lang,
                    "giá trị `{found}` không hợp lệ cho `{key}`",
                    "invalid value `{found}` for `{key}`"
                ),
            )
            .help(did_you_mean(suggestion, lang).unwrap_or_else(|| {
                format!(
                    "{}: {}",
                    lang.pick("giá trị hợp lệ", "allowed values"),
                    quoted_list(expected)
                )
            })),
            Kind::FormatVersion { found } => Description::new(
                "format-version",
                tr!(
                    lang,
                    "phiên bản định dạng `chitieu: {found}` không được hỗ trợ",
                    "unsupported format version `chitieu: {found}`"
                ),
            )
            .help(lang.pick(
                "phiên bản này đọc `chitieu: 1`",
                "this version reads `chitieu: 1`",
            )),
            Kind::IncludeCycle { chain } => Description::new(
                "include-cycle",
                tr!(
                    lang,
                    "tệp include lẫn nhau thành vòng: {}",
                    "files include each other in a circle: {}",
                    chain.join(" → ")
                ),
            )
            .help(lang.pick(
                "bỏ một trong các dòng `include:` tạo vòng",
                "remove one of the `include:` entries in the circle",
            )),
            Kind::InvalidPlanPeriod { text } => Description::new(
                "invalid-plan-period",
                tr!(
                    lang,
                    "giai đoạn kế hoạch không hợp lệ `{text}`",
                    "invalid plan period `{text}`"
                ),
            )
            .help(lang.pick(
                "viết `period: 2026-01-01 .. 2030-12-31`",
                "write `period: 2026-01-01 .. 2030-12-31`",
            )),
        }
    }

    fn suggestion(&self) -> Option<&str> {
        match self {
            Kind::UnknownKey { suggestion, .. } | Kind::InvalidValue { suggestion, .. } => {
                suggestion.as_deref()
            }
            _ => None,
        }
    }
}

/// The YAML parser's most common messages in Vietnamese; others are kept as the parser wrote
/// them (with the Vietnamese heading in front).
fn yaml_reason_vi(reason: &str) -> String {
    const PHRASES: [(&str, &str); 12] = [
        (
            "expected a single value here, found a list or a mapping",
            "ở đây cần một giá trị đơn, nhưng gặp một danh sách hoặc một ánh xạ",
        ),
        ("unexpected end of input", "tệp kết thúc đột ngột"),
        ("unclosed bracket", "thiếu dấu đóng cho ngoặc"),
        ("unclosed quote", "thiếu dấu đóng cho dấu nháy"),
        ("unexpected end of file", "tệp kết thúc đột ngột"),
        (
            "invalid boolean (true or false expected)",
            "giá trị logic không hợp lệ (cần true hoặc false)",
        ),
        ("invalid number", "số không hợp lệ"),
        ("invalid value type", "kiểu giá trị không hợp lệ"),
        ("invalid value", "giá trị không hợp lệ"),
        (
            "unexpected sequence end",
            "danh sách kết thúc không đúng chỗ",
        ),
        ("unexpected mapping end", "ánh xạ kết thúc không đúng chỗ"),
        (
            "while parsing node, found unknown anchor",
            "gặp một anchor chưa được khai báo",
        ),
    ];
    PHRASES
        .iter()
        .find(|(en, _)| reason.starts_with(en))
        .map_or_else(
            || reason.to_string(),
            |(en, vi)| format!("{vi}{}", reason.get(en.len()..).unwrap_or_default()),
        )
}
