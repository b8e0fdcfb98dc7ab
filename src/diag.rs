//! Diagnostics: what went wrong in an input, where, and how to fix it.
//!
//! A [`Diagnostic`] is a value: a fault, a severity and a [`Location`]. The fault is a kind
//! owned by the stage that finds it (`syntax::Kind`, `plan::Kind`, `check::Kind`,
//! `data::Kind`, and [`Common`] for faults several stages find),
//! each implementing [`Describe`]: one match arm per fault gives its stable code, its message
//! and its help line, in Vietnamese and English. Front ends read the fault back as data with
//! [`Diagnostic::kind`] (`d.kind::<chitieu::check::Kind>()`), or the likely fix with
//! [`Diagnostic::suggestion`]; `report::diagnostics` draws the snippet.
//!
//! This module sits under every stage: it knows files and locations ([`crate::source`]) and
//! languages, and nothing of rules, plans or data.

use crate::lang::Lang;
use crate::source::Location;
use std::any::Any;
use std::fmt;
use std::sync::Arc;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look; does not fail `check`.
    Warning,
    /// The input is wrong; `check` exits 1.
    Error,
}

/// The words of one fault in one language: its stable code, its message and its help line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Description {
    /// The stable code (`unknown-name`, `syntax`, …), the same in every language; JSON, SARIF
    /// and tests rely on it.
    pub code: &'static str,
    /// The message, one line.
    pub message: String,
    /// How to fix it, when there is something to say.
    pub help: Option<String>,
}

impl Description {
    /// A description without a help line.
    pub fn new(code: &'static str, message: impl Into<String>) -> Description {
        Description {
            code,
            message: message.into(),
            help: None,
        }
    }

    /// Adds a help line.
    pub fn help(self, help: impl Into<String>) -> Description {
        self.maybe_help(Some(help.into()))
    }

    /// Adds a help line when there is one.
    pub fn maybe_help(self, help: Option<String>) -> Description {
        Description { help, ..self }
    }
}

/// A kind of fault: what a stage reports, with the data its words need.
///
/// Each stage's kind implements it with one match: one arm per fault giving the code, the
/// message and the help line together.
pub trait Describe: Any + fmt::Debug + Send + Sync {
    /// The fault's code, message and help line in a language.
    fn describe(&self, lang: Lang) -> Description;

    /// The text that would likely fix the fault when it replaces the located text (the
    /// closest known name for a misspelt one): what a language server offers as a quick fix.
    fn suggestion(&self) -> Option<&str> {
        None
    }
}

/// Compares two faults of any kinds: equal when they are of one kind and equal in it.
trait Erased: Describe {
    fn same(&self, other: &dyn Erased) -> bool;
}

impl<K: Describe + PartialEq> Erased for K {
    fn same(&self, other: &dyn Erased) -> bool {
        let other: &dyn Any = other;
        other.downcast_ref::<K>() == Some(self)
    }
}

/// A fault of any stage's kind, as a [`Diagnostic`] carries it. Any kind converts into it with
/// `into()`, so a function that reports faults of several kinds returns this.
#[derive(Clone)]
pub struct Fault(Arc<dyn Erased>);

impl Fault {
    /// The fault as its kind, when it is of kind `K`.
    pub fn downcast<K: Describe>(&self) -> Option<&K> {
        let any: &dyn Any = &*self.0;
        any.downcast_ref::<K>()
    }

    /// The fault as a [`Describe`] value.
    pub fn describe(&self) -> &dyn Describe {
        &*self.0
    }
}

impl<K: Describe + PartialEq> From<K> for Fault {
    fn from(kind: K) -> Fault {
        Fault(Arc::new(kind))
    }
}

impl PartialEq for Fault {
    fn eq(&self, other: &Fault) -> bool {
        self.0.same(&*other.0)
    }
}

impl fmt::Debug for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

/// One finding about an input.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// What is wrong.
    fault: Fault,
    /// How serious it is.
    pub severity: Severity,
    /// Where it is; `None` only when no file is involved (a command-line argument, say).
    pub location: Option<Location>,
    /// A second place worth showing (the first definition of a duplicate id, say).
    pub related: Option<Location>,
    /// The file the finding is about, when it has no location inside it.
    pub path: Option<String>,
}

impl Diagnostic {
    /// An error with no place to point at (a name given on the command line, say).
    pub fn new(kind: impl Into<Fault>) -> Diagnostic {
        Diagnostic {
            fault: kind.into(),
            severity: Severity::Error,
            location: None,
            related: None,
            path: None,
        }
    }

    /// An error at a location.
    pub fn error(kind: impl Into<Fault>, location: Location) -> Diagnostic {
        Diagnostic {
            location: Some(location),
            ..Diagnostic::new(kind)
        }
    }

    /// An error about a whole file that has no place inside it to point at.
    pub fn in_file(kind: impl Into<Fault>, path: impl Into<String>) -> Diagnostic {
        Diagnostic {
            path: Some(path.into()),
            ..Diagnostic::new(kind)
        }
    }

    /// A warning at a location.
    pub fn warning(kind: impl Into<Fault>, location: Location) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(kind, location)
        }
    }

    /// Adds a related location.
    pub fn with_related(mut self, related: Location) -> Diagnostic {
        self.related = Some(related);
        self
    }

    /// The fault, of whichever kind.
    pub fn fault(&self) -> &Fault {
        &self.fault
    }

    /// The fault as a stage's kind, when it is of that kind.
    ///
    /// ```
    /// use chitieu::diag::{Common, Diagnostic, Thing};
    /// let d = Diagnostic::new(Common::UnknownName {
    ///     thing: Thing::Goal,
    ///     name: "g9".into(),
    ///     suggestion: Some("g1".into()),
    /// });
    /// assert!(matches!(d.kind::<Common>(), Some(Common::UnknownName { .. })));
    /// assert!(d.kind::<chitieu::check::Kind>().is_none());
    /// assert_eq!(d.suggestion(), Some("g1"));
    /// ```
    pub fn kind<K: Describe>(&self) -> Option<&K> {
        self.fault.downcast()
    }

    /// The file the diagnostic is about.
    pub fn file(&self) -> Option<&str> {
        match &self.location {
            Some(loc) => Some(loc.file.path()),
            None => self.path.as_deref(),
        }
    }

    /// The code, message and help line in a language.
    pub fn describe(&self, lang: Lang) -> Description {
        self.fault.describe().describe(lang)
    }

    /// The stable code (`unknown-name`, `syntax`, …).
    pub fn code(&self) -> &'static str {
        self.describe(Lang::En).code
    }

    /// The message in a language.
    pub fn message(&self, lang: Lang) -> String {
        self.describe(lang).message
    }

    /// The help line in a language, when there is one.
    pub fn help(&self, lang: Lang) -> Option<String> {
        self.describe(lang).help
    }

    /// The text that would likely fix the fault in place of the located text, when there is
    /// one (see [`Describe::suggestion`]).
    pub fn suggestion(&self) -> Option<&str> {
        self.fault.describe().suggestion()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.location, &self.path) {
            (Some(loc), _) => write!(f, "{loc}: ")?,
            (None, Some(p)) => write!(f, "{p}: ")?,
            (None, None) => {}
        }
        let text = self.describe(Lang::En);
        write!(f, "{}", text.message)?;
        if let Some(help) = text.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// A message in both languages, formatted from the local variables its text names:
/// `tr!(lang, "không có `{name}`", "unknown `{name}`")`, extra arguments after the two texts.
macro_rules! tr {
    ($lang:expr, $vi:literal, $en:literal $(, $arg:expr)* $(,)?) => {
        match $lang {
            $crate::lang::Lang::Vi => format!($vi $(, $arg)*),
            $crate::lang::Lang::En => format!($en $(, $arg)*),
        }
    };
}
pub(crate) use tr;

/// What a name refers to, for messages about names and ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Thing {
    /// An indicator.
    Indicator,
    /// A goal.
    Goal,
    /// A unit kind (province, department, commune).
    UnitKind,
    /// An administrative unit.
    Unit,
    /// A group of an index.
    Group,
    /// A metric of an index group.
    Metric,
    /// A function of the rule language.
    Function,
    /// A band of an index.
    Band,
    /// An index.
    Index,
    /// The supplied score of an index group.
    SuppliedScore,
    /// A sheet of a spreadsheet file.
    Sheet,
    /// A source of records (`records:`).
    RecordSource,
    /// A column of a source of records.
    Column,
}

impl Thing {
    /// The word for it.
    pub fn word(self, lang: Lang) -> &'static str {
        match self {
            Thing::Indicator => lang.pick("chỉ số", "indicator"),
            Thing::Goal => lang.pick("chỉ tiêu", "goal"),
            Thing::UnitKind => lang.pick("cấp đơn vị", "unit kind"),
            Thing::Unit => lang.pick("đơn vị", "unit"),
            Thing::Group => lang.pick("nhóm tiêu chí", "group"),
            Thing::Metric => lang.pick("tiêu chí", "metric"),
            Thing::Function => lang.pick("hàm", "function"),
            Thing::Band => lang.pick("mức xếp loại", "band"),
            Thing::Index => lang.pick("bộ chỉ số", "index"),
            Thing::SuppliedScore => {
                lang.pick("điểm công bố của nhóm", "the supplied score of group")
            }
            Thing::Sheet => lang.pick("trang tính", "sheet"),
            Thing::RecordSource => lang.pick("nguồn hồ sơ", "record source"),
            Thing::Column => lang.pick("cột", "column"),
        }
    }
}

/// Faults that several stages find: reading files, names and ids, numbers in YAML and data.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Common {
    /// The file could not be read.
    Io {
        /// The operating system's reason.
        reason: String,
    },
    /// The file is not UTF-8.
    NotUtf8,
    /// The file is larger than chitieu reads.
    FileTooLarge {
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// Two definitions with one id.
    DuplicateId {
        /// What the id names.
        thing: Thing,
        /// The id.
        id: String,
    },
    /// A name that refers to nothing.
    UnknownName {
        /// What the name should refer to.
        thing: Thing,
        /// The name.
        name: String,
        /// The closest known name.
        suggestion: Option<String>,
    },
    /// A number that cannot be read.
    MalformedNumber {
        /// The text.
        text: String,
        /// The locale it was read in (`default` or `vi`).
        locale: String,
    },
    /// A unit kind that the plan does not declare.
    UnknownKind {
        /// The kind as written.
        name: String,
        /// A close declared kind.
        suggestion: Option<String>,
        /// The plan's kinds, top down.
        known: Vec<String>,
    },
}

impl Describe for Common {
    fn describe(&self, lang: Lang) -> Description {
        match self {
            Common::Io { reason } => Description::new(
                "io",
                tr!(
                    lang,
                    "không đọc được tệp: {}",
                    "cannot read file: {}",
                    crate::lang::io_reason(reason, lang)
                ),
            ),
            Common::NotUtf8 => Description::new(
                "not-utf8",
                lang.pick("tệp không phải văn bản UTF-8", "the file is not UTF-8 text"),
            )
            .help(lang.pick(
                "lưu lại tệp với mã hóa UTF-8",
                "save the file with UTF-8 encoding",
            )),
            Common::FileTooLarge { size, limit } => Description::new(
                "file-too-large",
                tr!(
                    lang,
                    "tệp quá lớn: {size} byte (giới hạn {limit} byte)",
                    "file too large: {size} bytes (the limit is {limit} bytes)"
                ),
            )
            .help(lang.pick(
                "chia nhỏ tệp, hoặc kiểm tra đúng tệp cần đọc",
                "split the file, or check that this is the file meant",
            )),
            Common::DuplicateId { thing, id } => Description::new(
                "duplicate-id",
                tr!(
                    lang,
                    "{} `{id}` được khai báo hai lần",
                    "{} `{id}` is defined twice",
                    thing.word(lang)
                ),
            )
            .help(lang.pick(
                "mỗi mã (id) chỉ được khai báo một lần; đổi tên một trong hai",
                "each id is defined once; rename one of them",
            )),
            Common::UnknownName {
                thing,
                name,
                suggestion,
            } => Description::new(
                "unknown-name",
                tr!(
                    lang,
                    "không có {} `{name}`",
                    "unknown {} `{name}`",
                    thing.word(lang)
                ),
            )
            .maybe_help(did_you_mean(suggestion, lang).or_else(|| match thing {
                Thing::Indicator => Some(
                    lang.pick(
                        "khai báo chỉ số trong mục `indicators:` hoặc trong tệp được `include:`",
                        "declare the indicator under `indicators:` or in an included file",
                    )
                    .into(),
                ),
                _ => None,
            })),
            Common::MalformedNumber { text, locale } => Description::new(
                "malformed-number",
                tr!(
                    lang,
                    "không đọc được số `{text}` (định dạng {locale})",
                    "cannot read number `{text}` (locale {locale})"
                ),
            )
            .help(if locale == "vi" {
                lang.pick(
                    "theo kiểu Việt Nam dấu `,` là dấu thập phân và dấu `.` nhóm hàng nghìn (`93,3`, `1.675`); dùng `--locale default` hoặc dòng `# locale: default` cho `93.3`",
                    "in the Vietnamese locale `,` is the decimal point and `.` groups thousands (`93,3`, `1.675`); use `--locale default` or a `# locale: default` first line for `93.3`",
                )
            } else {
                lang.pick(
                    "mặc định dấu `.` là dấu thập phân; dùng `--locale vi` hoặc dòng `# locale: vi` cho `93,3` và `1.675`",
                    "by default `.` is the decimal point; use `--locale vi` or a `# locale: vi` first line for `93,3` and `1.675`",
                )
            }),
            Common::UnknownKind {
                name,
                suggestion,
                known,
            } => {
                let list = if known.is_empty() {
                    lang.pick("kế hoạch không khai báo cấp nào", "the plan declares none")
                        .to_string()
                } else {
                    known.join(", ")
                };
                let kinds = format!("{}: {list}", lang.pick("các cấp đơn vị", "the unit kinds"));
                Description::new(
                    "unknown-name",
                    tr!(
                        lang,
                        "không có cấp đơn vị `{name}`",
                        "unknown unit kind `{name}`"
                    ),
                )
                .help(match did_you_mean(suggestion, lang) {
                    Some(d) => format!("{d} ({kinds})"),
                    None => kinds,
                })
            }
        }
    }

    fn suggestion(&self) -> Option<&str> {
        match self {
            Common::UnknownName { suggestion, .. } | Common::UnknownKind { suggestion, .. } => {
                suggestion.as_deref()
            }
            _ => None,
        }
    }
}

/// `` `a`, `b`, `c` ``: a list of names for a help line.
pub(crate) fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `a, b or c` in a language.
pub(crate) fn alternatives(items: &[String], lang: Lang) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {} {}", init.join(", "), lang.pick("hoặc", "or"), last),
    }
}

/// The help line `did you mean `x`?`, when there is a suggestion.
pub(crate) fn did_you_mean(suggestion: &Option<String>, lang: Lang) -> Option<String> {
    suggestion
        .as_ref()
        .map(|s| format!("{} `{s}`?", lang.pick("có phải ý bạn là", "did you mean")))
}

/// The closest of `candidates` to `name`, when one is close enough to be a likely typo.
///
/// ```
/// use chitieu::diag::suggest;
/// let known = ["online_rate", "total_dossiers"];
/// assert_eq!(suggest("online_rat", known), Some("online_rate".to_string()));
/// assert_eq!(suggest("zzz", known), None);
/// ```
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let len = name.chars().count();
    let limit = (len / 3).max(1);
    let candidates: Vec<&str> = candidates.into_iter().collect();
    // A different case is the likeliest slip (`II.2.H` for `II.2.h`), whatever the distances.
    let lower = name.to_lowercase();
    if let Some(same) = candidates.iter().find(|c| c.to_lowercase() == lower) {
        return Some((*same).to_string());
    }
    candidates
        .into_iter()
        // Lengths further apart than the limit cannot be within it: skip the full distance.
        .filter(|c| {
            c.len().abs_diff(name.len()) <= limit * 4 && c.chars().count().abs_diff(len) <= limit
        })
        .map(|c| (edit_distance(name, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, c)| (d, c))
        .map(|(_, c)| c.to_string())
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = i;
        let mut next = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let up = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let left = next.last().copied().unwrap_or(usize::MAX);
            let cost = usize::from(ca != *cb);
            next.push(
                (diag + cost)
                    .min(up.saturating_add(1))
                    .min(left.saturating_add(1)),
            );
            diag = up;
        }
        row = next;
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_characters() {
        assert_eq!(edit_distance("online_rat", "online_rate"), 1);
        assert_eq!(edit_distance("sở", "so"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn messages_exist_in_both_languages() {
        let d = Diagnostic::new(Common::UnknownName {
            thing: Thing::Indicator,
            name: "online_rat".into(),
            suggestion: Some("online_rate".into()),
        });
        assert_eq!(d.message(Lang::En), "unknown indicator `online_rat`");
        assert_eq!(d.message(Lang::Vi), "không có chỉ số `online_rat`");
        assert_eq!(
            d.help(Lang::En).as_deref(),
            Some("did you mean `online_rate`?")
        );
        assert_eq!(d.code(), "unknown-name");
    }

    #[test]
    fn faults_compare_by_kind_and_value() {
        let a = Diagnostic::new(Common::NotUtf8);
        assert_eq!(a, a.clone());
        assert_ne!(a, Diagnostic::new(Common::Io { reason: "x".into() }));
        assert_ne!(a, Diagnostic::new(Other));
        assert_eq!(Diagnostic::new(Other).kind::<Other>(), Some(&Other));
        assert_eq!(a.kind::<Other>(), None);
    }

    /// A second kind, as a stage would declare it.
    #[derive(Debug, PartialEq)]
    struct Other;

    impl Describe for Other {
        fn describe(&self, _: Lang) -> Description {
            Description::new("other", "other")
        }
    }
}
