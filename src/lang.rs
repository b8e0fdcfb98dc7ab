//! The languages of human-facing text: Vietnamese and English.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A language for statuses, headings, diagnostics and help lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Tiếng Việt, the default: plan files are written in it.
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// Picks the text in this language.
    ///
    /// ```
    /// use chitieu::lang::Lang;
    /// assert_eq!(Lang::En.pick("đạt", "met"), "met");
    /// ```
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// The language's code, `vi` or `en`.
    pub fn code(self) -> &'static str {
        self.pick("vi", "en")
    }
}

/// The operating system's reason for an input/output error (`No such file or directory (os
/// error 2)`, as `std::io::Error` displays it), in a language: the common kinds are translated
/// into Vietnamese, so a message is never half Vietnamese, half English. The kind is found from
/// the error's own text (its OS code, or the description of a kind without one), so a reason
/// stored as text still translates. Any text before the reason (`path: `) is kept.
///
/// ```
/// use chitieu::lang::{Lang, io_reason};
/// let e = std::io::Error::from(std::io::ErrorKind::NotFound).to_string();
/// assert_eq!(io_reason(&e, Lang::Vi), "không tìm thấy tệp hoặc thư mục");
/// assert_eq!(io_reason(&e, Lang::En), e);
/// ```
pub fn io_reason(reason: &str, lang: Lang) -> String {
    use std::io::{Error, ErrorKind};
    if lang == Lang::En {
        return reason.to_string();
    }
    if let Some(vi) = crate::files::FileError::translate(reason, lang) {
        return vi;
    }
    // The OS code, from a trailing `(os error N)`.
    let os = reason
        .strip_suffix(')')
        .and_then(|r| r.rsplit_once("(os error "))
        .and_then(|(_, n)| n.parse::<i32>().ok())
        .map(Error::from_raw_os_error);
    let (kind, described) = match os {
        Some(e) => (e.kind(), e.to_string()),
        None => {
            let kind = KINDS
                .iter()
                .find(|(k, _)| reason.ends_with(&Error::from(*k).to_string()))
                .map_or(ErrorKind::Other, |(k, _)| *k);
            (kind, Error::from(kind).to_string())
        }
    };
    let Some((_, vi)) = KINDS.iter().find(|(k, _)| *k == kind) else {
        return reason.to_string();
    };
    match reason.strip_suffix(described.as_str()) {
        Some(prefix) => format!("{prefix}{vi}"),
        None => reason.to_string(),
    }
}

/// The input/output error kinds a user meets, in Vietnamese.
const KINDS: &[(std::io::ErrorKind, &str)] = {
    use std::io::ErrorKind as K;
    &[
        (K::NotFound, "không tìm thấy tệp hoặc thư mục"),
        (K::PermissionDenied, "không có quyền truy cập"),
        (K::IsADirectory, "đây là một thư mục, không phải tệp"),
        (
            K::NotADirectory,
            "một phần của đường dẫn không phải thư mục",
        ),
        (K::AlreadyExists, "tệp đã tồn tại"),
        (K::StorageFull, "ổ đĩa đã đầy"),
        (K::QuotaExceeded, "đã vượt hạn mức dung lượng"),
        (K::ReadOnlyFilesystem, "hệ thống tệp chỉ cho phép đọc"),
        (K::BrokenPipe, "đầu đọc đã đóng"),
        (K::InvalidData, "dữ liệu không hợp lệ"),
        (K::InvalidFilename, "tên tệp không hợp lệ"),
        (K::FileTooLarge, "tệp quá lớn"),
        (K::OutOfMemory, "hết bộ nhớ"),
        (K::ResourceBusy, "tài nguyên đang bận"),
        (K::TimedOut, "hết thời gian chờ"),
        (K::Interrupted, "thao tác bị ngắt"),
        (K::UnexpectedEof, "tệp kết thúc bất ngờ"),
    ]
};

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Lang, String> {
        match s {
            "vi" => Ok(Lang::Vi),
            "en" => Ok(Lang::En),
            other => Err(format!(
                "unknown language `{other}` (expected `vi` or `en`)"
            )),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
