//! Diagnostics: what went wrong in an input, where, and how to fix it.
//!
//! A [`Diagnostic`] is a value: a [`Kind`] (the fault, with its data), a severity and a
//! [`Location`]. Its message and help line are produced on demand in either language, so the
//! same diagnostic renders in Vietnamese or English (`report::diagnostics` draws the snippet).

use crate::lang::Lang;
use crate::source::Location;
use std::fmt;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look; does not fail `check`.
    Warning,
    /// The input is wrong; `check` exits 1.
    Error,
}

/// One finding about an input.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// What is wrong.
    pub kind: Kind,
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
    /// An error at a location.
    pub fn error(kind: Kind, location: Location) -> Diagnostic {
        Diagnostic {
            kind,
            severity: Severity::Error,
            location: Some(location),
            related: None,
            path: None,
        }
    }

    /// An error about a whole file that has no place inside it to point at.
    pub fn in_file(kind: Kind, path: impl Into<String>) -> Diagnostic {
        Diagnostic {
            kind,
            severity: Severity::Error,
            location: None,
            related: None,
            path: Some(path.into()),
        }
    }

    /// A warning at a location.
    pub fn warning(kind: Kind, location: Location) -> Diagnostic {
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

    /// The file the diagnostic is about.
    pub fn file(&self) -> Option<&str> {
        match &self.location {
            Some(loc) => Some(loc.file.path()),
            None => self.path.as_deref(),
        }
    }

    /// The stable code (`unknown-name`, `syntax`, …).
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The message in a language.
    pub fn message(&self, lang: Lang) -> String {
        self.kind.message(lang)
    }

    /// The help line in a language, when there is one.
    pub fn help(&self, lang: Lang) -> Option<String> {
        self.kind.help(lang)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.location, &self.path) {
            (Some(loc), _) => write!(f, "{loc}: ")?,
            (None, Some(p)) => write!(f, "{p}: ")?,
            (None, None) => {}
        }
        write!(f, "{}", self.message(Lang::En))?;
        if let Some(help) = self.help(Lang::En) {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

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
        }
    }
}

/// Every fault chitieu can report, with the data its message needs.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    // ---- files and YAML ----
    /// The file could not be read.
    Io {
        /// The operating system's reason.
        reason: String,
    },
    /// The file has nothing in it (or only comments and blank lines).
    EmptyFile,
    /// The file is not UTF-8.
    NotUtf8,
    /// The file is larger than chitieu reads.
    FileTooLarge {
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
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

    // ---- rule text ----
    /// The rule text does not follow the grammar.
    Syntax {
        /// Human names of what could stand here.
        expected: Vec<String>,
        /// What stands here instead.
        found: String,
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

    // ---- plan consistency ----
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
    /// A function called with the wrong number of arguments.
    Arity {
        /// The function.
        function: String,
        /// How many it takes, in words (`2`, `1 or 2`, `at least 2`).
        expected: String,
        /// How many it got.
        found: usize,
    },
    /// An argument of the wrong form (a unit kind or a period was needed).
    ArgumentForm {
        /// The function.
        function: String,
        /// Which argument (1-based).
        position: usize,
        /// What the argument must be.
        expected: ArgForm,
    },
    /// Two operands whose units do not go together.
    UnitMismatch {
        /// The operator or function.
        op: String,
        /// Unit of the left operand.
        left: String,
        /// Unit of the right operand.
        right: String,
    },
    /// A value where a condition (true/false) is needed.
    NotCondition {
        /// The unit of the value found.
        found: String,
    },
    /// A condition where a number is needed.
    NotNumber {
        /// Where (`operand of +`, …).
        context: String,
    },
    /// Indicator formulas that depend on themselves.
    FormulaCycle {
        /// The indicators in the circle, the first repeated at the end.
        cycle: Vec<String>,
    },
    /// A deadline or milestone outside the plan's period.
    DeadlineOutsidePeriod {
        /// The deadline.
        date: String,
        /// The plan period's first day.
        start: String,
        /// The plan period's last day.
        end: String,
    },
    /// A milestone whose deadline is not before its goal's.
    MilestoneAfterDeadline {
        /// The milestone's date.
        date: String,
        /// The goal's deadline.
        deadline: String,
    },
    /// A milestone without a `by DATE`.
    MilestoneNeedsDate,
    /// `baseline(x)`, `change(x)`, `improve(x)` or an SDG measure in a plan with no baseline.
    NoBaseline {
        /// The function or measure that needs it.
        function: String,
    },
    /// A function that a derived indicator's formula cannot use.
    NotInFormula {
        /// The function.
        function: String,
    },
    /// A percent compared with a plain number larger than 1 (`online_rate > 80`).
    PercentVersusNumber {
        /// The number.
        number: String,
    },
    /// A plan period whose text is malformed or whose end precedes its start.
    InvalidPlanPeriod {
        /// The text.
        text: String,
    },
    /// A formula's unit differs from the unit it must have.
    WrongUnit {
        /// What the formula is for: an indicator, a metric, a group, a group's supplied score.
        thing: Thing,
        /// Its id.
        name: String,
        /// The unit required.
        expected: String,
        /// The unit found.
        found: String,
    },
    /// Parts of an index that do not add up to their whole.
    MaxSumMismatch {
        /// The whole (`group CKMB`, `the index`).
        what: String,
        /// Its declared maximum.
        max: String,
        /// The sum of its parts' maxima.
        sum: String,
    },
    /// Bands that are not in descending order of their minimum, or overlap.
    BandOrder {
        /// The band out of order.
        band: String,
        /// Its minimum.
        min: String,
        /// The band before it.
        previous: String,
    },
    /// An indicator declared as an index's total (`index: …`) in a plan without that index.
    ScoreWithoutIndex {
        /// The indicator.
        indicator: String,
        /// The index it names.
        index: String,
    },
    /// An index group with both metrics and a single `score:`, or with neither and no
    /// `supplied:` indicator.
    GroupShape {
        /// The group.
        group: String,
        /// True when it has both, false when it has nothing to compute or read.
        both: bool,
    },

    // ---- data ----
    /// A number that cannot be read.
    MalformedNumber {
        /// The text.
        text: String,
        /// The locale it was read in (`default` or `vi`).
        locale: String,
    },
    /// A number that reads two ways (`1.675` could be 1.675 or 1675).
    AmbiguousNumber {
        /// The text.
        text: String,
    },
    /// The same unit, indicator and period twice.
    DuplicateObservation {
        /// The unit.
        unit: String,
        /// The indicator.
        indicator: String,
        /// The period.
        period: String,
    },
    /// A required column is absent from a CSV header.
    MissingColumn {
        /// The column.
        column: String,
    },
    /// A CSV record that cannot be read.
    Csv {
        /// The reader's description.
        reason: String,
    },
    /// Units whose parents form a circle.
    UnitCycle {
        /// The units in the circle.
        chain: Vec<String>,
    },
    /// A CSV header column that the format does not have.
    UnknownColumn {
        /// The column.
        column: String,
        /// The columns allowed.
        expected: Vec<String>,
        /// The closest allowed column.
        suggestion: Option<String>,
    },
    /// A CSV row whose number of cells differs from the header's.
    CellCount {
        /// Cells in the row.
        found: usize,
        /// Cells in the header.
        expected: usize,
    },
    /// A required cell (or YAML field) left empty.
    EmptyCell {
        /// The column.
        column: String,
    },
    /// Data for an indicator that is computed from its formula.
    DerivedObservation {
        /// The indicator.
        indicator: String,
    },
    /// A percentage (`50%`) given for an indicator that is not a percent.
    UnexpectedPercent {
        /// The value as written.
        text: String,
        /// The indicator.
        indicator: String,
        /// The indicator's unit.
        unit: String,
    },
    /// So many faults in one file that reading it stopped.
    TooManyErrors {
        /// How many were reported.
        limit: usize,
    },

    // ---- spreadsheets ----
    /// A plain number between 0 and 1 in a spreadsheet cell of a percent indicator: 0.9 may be
    /// the fraction 90% or the percentage 0.9%.
    AmbiguousPercent {
        /// The cell's number.
        text: String,
        /// The indicator.
        indicator: String,
    },
    /// A spreadsheet file that cannot be read (damaged, encrypted, not a workbook).
    Workbook {
        /// The reader's description.
        reason: String,
    },
    /// No sheet of a workbook has the header a data file (or unit registry) needs.
    NoSheet {
        /// The sheets of the workbook.
        sheets: Vec<String>,
        /// The columns the header needs.
        columns: Vec<String>,
    },
    /// A sheet that was not read because its header is not one of data (a note).
    SheetSkipped {
        /// The sheet.
        sheet: String,
    },
    /// A cell holding a spreadsheet error (`#DIV/0!`, `#N/A`) where a value is needed.
    CellError {
        /// The error as the spreadsheet shows it.
        error: String,
    },
}

/// The form an argument must have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgForm {
    /// A unit kind name (`department`).
    UnitKind,
    /// A period literal (`2025`, `2026-Q3`).
    Period,
    /// An indicator name.
    Indicator,
    /// A whole number of decimal places.
    Places,
}

impl ArgForm {
    fn describe(self, lang: Lang) -> &'static str {
        match self {
            ArgForm::UnitKind => lang.pick(
                "tên một cấp đơn vị (province, department, commune)",
                "a unit kind (province, department, commune)",
            ),
            ArgForm::Period => lang.pick(
                "một kỳ (2025, 2026-Q3, 2026-07)",
                "a period (2025, 2026-Q3, 2026-07)",
            ),
            ArgForm::Indicator => lang.pick("tên một chỉ số", "an indicator name"),
            ArgForm::Places => lang.pick(
                "số chữ số thập phân (số nguyên từ 0 đến 28)",
                "a number of decimal places (a whole number from 0 to 28)",
            ),
        }
    }
}

fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn alternatives(items: &[String], lang: Lang) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {} {}", init.join(", "), lang.pick("hoặc", "or"), last),
    }
}

fn did_you_mean(suggestion: &Option<String>, lang: Lang) -> Option<String> {
    suggestion
        .as_ref()
        .map(|s| format!("{} `{s}`?", lang.pick("có phải ý bạn là", "did you mean")))
}

impl Kind {
    /// The stable code of the fault, used in JSON, SARIF and tests.
    pub fn code(&self) -> &'static str {
        match self {
            Kind::Io { .. } => "io",
            Kind::EmptyFile => "empty-file",
            Kind::NotUtf8 => "not-utf8",
            Kind::FileTooLarge { .. } => "file-too-large",
            Kind::Yaml { .. } => "yaml",
            Kind::YamlBudget { .. } => "yaml-budget",
            Kind::UnknownKey { .. } => "unknown-key",
            Kind::MissingKey { .. } => "missing-key",
            Kind::InvalidValue { .. } => "invalid-value",
            Kind::FormatVersion { .. } => "format-version",
            Kind::IncludeCycle { .. } => "include-cycle",
            Kind::Syntax { .. } => "syntax",
            Kind::NestingTooDeep { .. } => "nesting-too-deep",
            Kind::RuleTooLong { .. } => "rule-too-long",
            Kind::NumberTooLarge { .. } => "number-too-large",
            Kind::InvalidDate { .. } => "invalid-date",
            Kind::InvalidPeriod { .. } => "invalid-period",
            Kind::DuplicateId { .. } => "duplicate-id",
            Kind::UnknownName { .. } => "unknown-name",
            Kind::Arity { .. } => "arity",
            Kind::ArgumentForm { .. } => "argument-form",
            Kind::UnitMismatch { .. } => "unit-mismatch",
            Kind::NotCondition { .. } => "not-condition",
            Kind::NotNumber { .. } => "not-number",
            Kind::FormulaCycle { .. } => "formula-cycle",
            Kind::DeadlineOutsidePeriod { .. } => "deadline-outside-period",
            Kind::MilestoneAfterDeadline { .. } => "milestone-after-deadline",
            Kind::InvalidPlanPeriod { .. } => "invalid-plan-period",
            Kind::MilestoneNeedsDate => "milestone-needs-date",
            Kind::NoBaseline { .. } => "no-baseline",
            Kind::NotInFormula { .. } => "not-in-formula",
            Kind::PercentVersusNumber { .. } => "percent-versus-number",
            Kind::WrongUnit { .. } => "wrong-unit",
            Kind::MaxSumMismatch { .. } => "max-sum-mismatch",
            Kind::BandOrder { .. } => "band-order",
            Kind::ScoreWithoutIndex { .. } => "score-without-index",
            Kind::GroupShape { .. } => "group-shape",
            Kind::MalformedNumber { .. } => "malformed-number",
            Kind::AmbiguousNumber { .. } => "ambiguous-number",
            Kind::DuplicateObservation { .. } => "duplicate-observation",
            Kind::MissingColumn { .. } => "missing-column",
            Kind::Csv { .. } => "csv",
            Kind::UnitCycle { .. } => "unit-cycle",
            Kind::UnknownColumn { .. } => "unknown-column",
            Kind::CellCount { .. } => "cell-count",
            Kind::EmptyCell { .. } => "empty-cell",
            Kind::DerivedObservation { .. } => "derived-observation",
            Kind::UnexpectedPercent { .. } => "unexpected-percent",
            Kind::TooManyErrors { .. } => "too-many-errors",
            Kind::AmbiguousPercent { .. } => "ambiguous-percent",
            Kind::Workbook { .. } => "workbook",
            Kind::NoSheet { .. } => "no-sheet",
            Kind::SheetSkipped { .. } => "sheet-skipped",
            Kind::CellError { .. } => "cell-error",
        }
    }

    /// The message, one line, in a language.
    pub fn message(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        match self {
            Kind::Io { reason } => {
                format!(
                    "{}: {}",
                    lang.pick("không đọc được tệp", "cannot read file"),
                    crate::lang::io_reason(reason, lang)
                )
            }
            Kind::EmptyFile => lang.pick("tệp rỗng", "the file is empty").into(),
            Kind::NotUtf8 => lang
                .pick("tệp không phải văn bản UTF-8", "the file is not UTF-8 text")
                .into(),
            Kind::FileTooLarge { size, limit } => {
                if vi {
                    format!("tệp quá lớn: {size} byte (giới hạn {limit} byte)")
                } else {
                    format!("file too large: {size} bytes (the limit is {limit} bytes)")
                }
            }
            Kind::Yaml { reason } => match lang {
                Lang::Vi => format!("YAML không hợp lệ: {}", yaml_reason_vi(reason)),
                Lang::En => format!("invalid YAML: {reason}"),
            },
            Kind::YamlBudget { reason } => format!(
                "{}: {reason}",
                lang.pick(
                    "YAML vượt giới hạn đọc (bom alias?)",
                    "YAML exceeds the reading budget (an alias bomb?)"
                )
            ),
            Kind::UnknownKey { key, .. } => {
                format!("{} `{key}`", lang.pick("khóa không hợp lệ", "unknown key"))
            }
            Kind::MissingKey { key } => {
                format!(
                    "{} `{key}`",
                    lang.pick("thiếu khóa bắt buộc", "missing required key")
                )
            }
            Kind::InvalidValue { key, found, .. } => {
                if vi {
                    format!("giá trị `{found}` không hợp lệ cho `{key}`")
                } else {
                    format!("invalid value `{found}` for `{key}`")
                }
            }
            Kind::FormatVersion { found } => {
                if vi {
                    format!("phiên bản định dạng `chitieu: {found}` không được hỗ trợ")
                } else {
                    format!("unsupported format version `chitieu: {found}`")
                }
            }
            Kind::IncludeCycle { chain } => format!(
                "{}: {}",
                lang.pick(
                    "tệp include lẫn nhau thành vòng",
                    "files include each other in a circle"
                ),
                chain.join(" → ")
            ),
            Kind::Syntax { expected, found } => {
                if vi {
                    format!("cần {}, nhưng gặp {found}", alternatives(expected, lang))
                } else {
                    format!("expected {}, found {found}", alternatives(expected, lang))
                }
            }
            Kind::NestingTooDeep { limit } => {
                if vi {
                    format!("biểu thức lồng nhau quá sâu (tối đa {limit} cấp)")
                } else {
                    format!("expression nested too deeply (the limit is {limit} levels)")
                }
            }
            Kind::RuleTooLong { len, limit } => {
                if vi {
                    format!("điều kiện quá dài: {len} byte (tối đa {limit})")
                } else {
                    format!("rule too long: {len} bytes (the limit is {limit})")
                }
            }
            Kind::NumberTooLarge { text } => {
                if vi {
                    format!("số `{text}` vượt quá độ chính xác của số thập phân (tối đa 28 chữ số)")
                } else {
                    format!("number `{text}` does not fit an exact decimal (at most 28 digits)")
                }
            }
            Kind::InvalidDate { text } => {
                format!(
                    "{} `{text}`",
                    lang.pick("ngày không hợp lệ", "invalid date")
                )
            }
            Kind::InvalidPeriod { text } => {
                format!(
                    "{} `{text}`",
                    lang.pick("kỳ không hợp lệ", "invalid period")
                )
            }
            Kind::DuplicateId { thing, id } => {
                if vi {
                    format!("{} `{id}` được khai báo hai lần", thing.word(lang))
                } else {
                    format!("{} `{id}` is defined twice", thing.word(lang))
                }
            }
            Kind::UnknownName { thing, name, .. } => {
                if vi {
                    format!("không có {} `{name}`", thing.word(lang))
                } else {
                    format!("unknown {} `{name}`", thing.word(lang))
                }
            }
            Kind::Arity {
                function,
                expected,
                found,
            } => {
                if vi {
                    format!("hàm `{function}` nhận {expected} tham số, nhưng có {found}")
                } else {
                    format!(
                        "function `{function}` takes {expected} arguments, but {found} were given"
                    )
                }
            }
            Kind::ArgumentForm {
                function,
                position,
                expected,
            } => {
                if vi {
                    format!(
                        "tham số thứ {position} của `{function}` phải là {}",
                        expected.describe(lang)
                    )
                } else {
                    format!(
                        "argument {position} of `{function}` must be {}",
                        expected.describe(lang)
                    )
                }
            }
            Kind::UnitMismatch { op, left, right } => {
                if vi {
                    format!("không thể dùng `{op}` giữa đơn vị đo `{left}` và `{right}`")
                } else {
                    format!("cannot apply `{op}` to units `{left}` and `{right}`")
                }
            }
            Kind::NotCondition { found } => {
                if vi {
                    format!("cần một điều kiện (đúng/sai), nhưng đây là một giá trị `{found}`")
                } else {
                    format!("expected a condition (true/false), found a `{found}` value")
                }
            }
            Kind::NotNumber { context } => {
                if vi {
                    format!("cần một giá trị số cho {context}, nhưng đây là một điều kiện")
                } else {
                    format!("expected a number as {context}, found a condition")
                }
            }
            Kind::FormulaCycle { cycle } => format!(
                "{}: {}",
                lang.pick(
                    "công thức phụ thuộc vòng",
                    "formulas depend on each other in a circle"
                ),
                cycle.join(" → ")
            ),
            Kind::DeadlineOutsidePeriod { date, start, end } => {
                if vi {
                    format!("thời hạn {date} nằm ngoài giai đoạn của kế hoạch ({start} .. {end})")
                } else {
                    format!("deadline {date} lies outside the plan period ({start} .. {end})")
                }
            }
            Kind::MilestoneAfterDeadline { date, deadline } => {
                if vi {
                    format!("mốc {date} không trước thời hạn của chỉ tiêu ({deadline})")
                } else {
                    format!("milestone {date} is not before the goal's deadline ({deadline})")
                }
            }
            Kind::MilestoneNeedsDate => lang
                .pick(
                    "mốc cần có thời hạn `by NGÀY`",
                    "a milestone needs a `by DATE`",
                )
                .into(),
            Kind::NoBaseline { function } => {
                if vi {
                    format!("`{function}` cần kỳ gốc, nhưng kế hoạch không khai báo `baseline:`")
                } else {
                    format!("`{function}` needs a baseline, but the plan declares no `baseline:`")
                }
            }
            Kind::NotInFormula { function } => {
                if vi {
                    format!("không dùng được `{function}` trong công thức của chỉ số")
                } else {
                    format!("`{function}` cannot be used in an indicator's formula")
                }
            }
            Kind::PercentVersusNumber { number } => {
                if vi {
                    format!("so sánh một tỷ lệ phần trăm với số {number}")
                } else {
                    format!("a percent is compared with the number {number}")
                }
            }
            Kind::InvalidPlanPeriod { text } => format!(
                "{} `{text}`",
                lang.pick("giai đoạn kế hoạch không hợp lệ", "invalid plan period")
            ),
            Kind::WrongUnit {
                thing,
                name,
                expected,
                found,
            } => {
                let what = format!("{} `{name}`", thing.word(lang));
                if vi {
                    format!("{what} phải có đơn vị đo `{expected}`, nhưng công thức cho `{found}`")
                } else {
                    format!("{what} must be in `{expected}`, but its formula gives `{found}`")
                }
            }
            Kind::MaxSumMismatch { what, max, sum } => {
                if vi {
                    format!("tổng điểm tối đa các thành phần của {what} là {sum}, khác {max}")
                } else {
                    format!("the maxima of {what}'s parts add up to {sum}, not {max}")
                }
            }
            Kind::BandOrder {
                band,
                min,
                previous,
            } => {
                if vi {
                    format!(
                        "mức xếp loại `{band}` (từ {min}) phải thấp hơn mức `{previous}` đứng trước"
                    )
                } else {
                    format!(
                        "band `{band}` (from {min}) must be below the band before it, `{previous}`"
                    )
                }
            }
            Kind::ScoreWithoutIndex { indicator, index } => {
                if vi {
                    format!(
                        "chỉ số `{indicator}` là tổng điểm của bộ chỉ số `{index}`, nhưng kế hoạch không có bộ chỉ số này"
                    )
                } else {
                    format!(
                        "indicator `{indicator}` is the total of index `{index}`, but the plan has no such index"
                    )
                }
            }
            Kind::GroupShape { group, both: true } => {
                if vi {
                    format!("nhóm `{group}` có cả `metrics:` lẫn `score:`")
                } else {
                    format!("group `{group}` has both `metrics:` and `score:`")
                }
            }
            Kind::GroupShape { group, both: false } => {
                if vi {
                    format!("nhóm `{group}` không có `metrics:`, `score:` hay `supplied:`")
                } else {
                    format!("group `{group}` has no `metrics:`, no `score:` and no `supplied:`")
                }
            }
            Kind::MalformedNumber { text, locale } => {
                if vi {
                    format!("không đọc được số `{text}` (định dạng {locale})")
                } else {
                    format!("cannot read number `{text}` (locale {locale})")
                }
            }
            Kind::AmbiguousNumber { text } => {
                if vi {
                    format!("số `{text}` có thể hiểu theo hai cách")
                } else {
                    format!("number `{text}` can be read two ways")
                }
            }
            Kind::DuplicateObservation {
                unit,
                indicator,
                period,
            } => {
                if vi {
                    format!("số liệu `{indicator}` của `{unit}` kỳ {period} bị lặp")
                } else {
                    format!("observation of `{indicator}` for `{unit}` in {period} appears twice")
                }
            }
            Kind::MissingColumn { column } => {
                format!("{} `{column}`", lang.pick("thiếu cột", "missing column"))
            }
            Kind::Csv { reason } => {
                format!("{}: {reason}", lang.pick("CSV không hợp lệ", "invalid CSV"))
            }
            Kind::UnitCycle { chain } => format!(
                "{}: {}",
                lang.pick("đơn vị cấp trên lặp vòng", "unit parents form a circle"),
                chain.join(" → ")
            ),
            Kind::UnknownColumn { column, .. } => {
                format!(
                    "{} `{column}`",
                    lang.pick("cột không hợp lệ", "unknown column")
                )
            }
            Kind::CellCount { found, expected } => {
                if vi {
                    format!("dòng có {found} ô, dòng tiêu đề có {expected} ô")
                } else {
                    format!("the row has {found} cells, the header has {expected}")
                }
            }
            Kind::EmptyCell { column } => {
                if vi {
                    format!("ô `{column}` để trống")
                } else {
                    format!("empty `{column}` cell")
                }
            }
            Kind::DerivedObservation { indicator } => {
                if vi {
                    format!(
                        "chỉ số `{indicator}` được tính theo công thức, không nhận số liệu nhập"
                    )
                } else {
                    format!("`{indicator}` is computed from its formula; data cannot supply it")
                }
            }
            Kind::UnexpectedPercent {
                text,
                indicator,
                unit,
            } => {
                if vi {
                    format!(
                        "`{text}` là tỷ lệ phần trăm, nhưng chỉ số `{indicator}` có đơn vị `{unit}`"
                    )
                } else {
                    format!("`{text}` is a percentage, but `{indicator}` is measured in `{unit}`")
                }
            }
            Kind::TooManyErrors { limit } => {
                if vi {
                    format!("tệp có hơn {limit} lỗi; dừng đọc tệp")
                } else {
                    format!("more than {limit} errors in this file; stopped reading it")
                }
            }
            Kind::AmbiguousPercent { text, indicator } => {
                let times_100 = text
                    .parse::<rust_decimal::Decimal>()
                    .ok()
                    .and_then(crate::quantity::percentage)
                    .map_or_else(|| format!("{text}×100"), |d| d.normalize().to_string());
                if vi {
                    format!(
                        "số `{text}` của chỉ số phần trăm `{indicator}` có thể là {text}% hoặc tỷ lệ {times_100}%"
                    )
                } else {
                    format!(
                        "`{text}` for percent indicator `{indicator}` could be {text}% or the fraction {times_100}%"
                    )
                }
            }
            Kind::Workbook { reason } => format!(
                "{}: {reason}",
                lang.pick("không đọc được bảng tính", "cannot read the spreadsheet")
            ),
            Kind::NoSheet { sheets, columns } => {
                if vi {
                    format!(
                        "không trang tính nào ({}) có dòng tiêu đề với các cột {}",
                        quoted_list(sheets),
                        quoted_list(columns)
                    )
                } else {
                    format!(
                        "no sheet ({}) has a header row with the columns {}",
                        quoted_list(sheets),
                        quoted_list(columns)
                    )
                }
            }
            Kind::SheetSkipped { sheet } => {
                if vi {
                    format!("bỏ qua trang `{sheet}`: không có dòng tiêu đề của số liệu")
                } else {
                    format!("sheet `{sheet}` is not read: it has no data header row")
                }
            }
            Kind::CellError { error } => {
                if vi {
                    format!("ô chứa lỗi bảng tính `{error}`, không phải một giá trị")
                } else {
                    format!("the cell holds the spreadsheet error `{error}`, not a value")
                }
            }
        }
    }

    /// The help line, in a language, when there is one.
    pub fn help(&self, lang: Lang) -> Option<String> {
        let vi = lang == Lang::Vi;
        match self {
            Kind::Io { .. } => None,
            Kind::EmptyFile => Some(
                lang.pick(
                    "một kế hoạch bắt đầu bằng `chitieu: 1` và mục `plan:`",
                    "a plan starts with `chitieu: 1` and a `plan:` section",
                )
                .into(),
            ),
            Kind::NotUtf8 => Some(
                lang.pick(
                    "lưu lại tệp với mã hóa UTF-8",
                    "save the file with UTF-8 encoding",
                )
                .into(),
            ),
            Kind::FileTooLarge { .. } => Some(
                lang.pick(
                    "chia nhỏ tệp, hoặc kiểm tra đúng tệp cần đọc",
                    "split the file, or check that this is the file meant",
                )
                .into(),
            ),
            Kind::Yaml { .. } => None,
            Kind::YamlBudget { .. } => Some(
                lang.pick(
                    "giảm số lần dùng alias (*tên) lồng nhau",
                    "use fewer nested aliases (*name)",
                )
                .into(),
            ),
            Kind::UnknownKey {
                expected,
                suggestion,
                ..
            } => did_you_mean(suggestion, lang).or_else(|| {
                (!expected.is_empty()).then(|| {
                    format!(
                        "{}: {}",
                        lang.pick("các khóa hợp lệ", "allowed keys"),
                        quoted_list(expected)
                    )
                })
            }),
            Kind::MissingKey { key } => Some(if vi {
                format!("thêm `{key}: …`")
            } else {
                format!("add `{key}: …`")
            }),
            Kind::InvalidValue {
                expected,
                suggestion,
                ..
            } => did_you_mean(suggestion, lang).or_else(|| {
                Some(format!(
                    "{}: {}",
                    lang.pick("giá trị hợp lệ", "allowed values"),
                    quoted_list(expected)
                ))
            }),
            Kind::FormatVersion { .. } => Some(
                lang.pick(
                    "phiên bản này đọc `chitieu: 1`",
                    "this version reads `chitieu: 1`",
                )
                .into(),
            ),
            Kind::IncludeCycle { .. } => Some(
                lang.pick(
                    "bỏ một trong các dòng `include:` tạo vòng",
                    "remove one of the `include:` entries in the circle",
                )
                .into(),
            ),
            Kind::Syntax { .. } => Some(
                lang.pick(
                    "ví dụ một điều kiện: `online_rate > 80% by 2030-12-31`",
                    "a rule looks like `online_rate > 80% by 2030-12-31`",
                )
                .into(),
            ),
            Kind::NestingTooDeep { .. } | Kind::RuleTooLong { .. } => Some(
                lang.pick(
                    "tách biểu thức thành các chỉ số trung gian (formula)",
                    "split the expression into intermediate indicators with formulas",
                )
                .into(),
            ),
            Kind::NumberTooLarge { .. } => Some(
                lang.pick(
                    "dùng đơn vị lớn hơn hoặc bớt chữ số thập phân",
                    "use a larger unit or fewer decimal places",
                )
                .into(),
            ),
            Kind::InvalidDate { .. } => Some(
                lang.pick(
                    "ngày viết dạng NNNN-TT-NN và phải tồn tại, ví dụ 2030-12-31",
                    "dates are written YYYY-MM-DD and must exist, e.g. 2030-12-31",
                )
                .into(),
            ),
            Kind::InvalidPeriod { .. } => Some(
                lang.pick(
                    "kỳ viết dạng 2026, 2026-H1, 2026-Q3 hoặc 2026-07",
                    "periods are written 2026, 2026-H1, 2026-Q3 or 2026-07",
                )
                .into(),
            ),
            Kind::DuplicateId { .. } => Some(
                lang.pick(
                    "mỗi mã (id) chỉ được khai báo một lần; đổi tên một trong hai",
                    "each id is defined once; rename one of them",
                )
                .into(),
            ),
            Kind::UnknownName {
                suggestion, thing, ..
            } => did_you_mean(suggestion, lang).or_else(|| match thing {
                Thing::Indicator => Some(
                    lang.pick(
                        "khai báo chỉ số trong mục `indicators:` hoặc trong tệp được `include:`",
                        "declare the indicator under `indicators:` or in an included file",
                    )
                    .into(),
                ),
                _ => None,
            }),
            Kind::Arity { function, .. } => {
                crate::syntax::signature(function).map(|sig| {
                    format!("{}: `{sig}`", lang.pick("cách gọi", "usage"))
                })
            }
            Kind::ArgumentForm { function, .. } => crate::syntax::signature(function)
                .map(|sig| format!("{}: `{sig}`", lang.pick("cách gọi", "usage"))),
            Kind::UnitMismatch { .. } => Some(
                lang.pick(
                    "chỉ so sánh, cộng, trừ các giá trị cùng đơn vị đo; tỷ lệ count / count là percent",
                    "compare, add and subtract values of one unit; a count / count ratio is a percent",
                )
                .into(),
            ),
            Kind::NotCondition { .. } => Some(
                lang.pick(
                    "so sánh giá trị với chỉ tiêu, ví dụ `online_rate > 80%`",
                    "compare the value with a target, e.g. `online_rate > 80%`",
                )
                .into(),
            ),
            Kind::NotNumber { .. } => Some(
                lang.pick(
                    "dùng `if(điều kiện, a, b)` để chọn giữa hai giá trị",
                    "use `if(condition, a, b)` to choose between values",
                )
                .into(),
            ),
            Kind::FormulaCycle { .. } => Some(
                lang.pick(
                    "một chỉ số không thể tính từ chính nó; bỏ một tham chiếu trong vòng",
                    "an indicator cannot be computed from itself; break the circle",
                )
                .into(),
            ),
            Kind::DeadlineOutsidePeriod { .. } => Some(
                lang.pick(
                    "sửa thời hạn `by …` hoặc `period:` của kế hoạch",
                    "fix the `by …` date or the plan's `period:`",
                )
                .into(),
            ),
            Kind::MilestoneAfterDeadline { .. } => Some(
                lang.pick(
                    "mốc trung gian phải đến trước thời hạn cuối",
                    "a milestone comes before the final deadline",
                )
                .into(),
            ),
            Kind::MilestoneNeedsDate => Some(
                lang.pick(
                    "ví dụ: `online_rate > 60% by 2027-12-31`",
                    "for example `online_rate > 60% by 2027-12-31`",
                )
                .into(),
            ),
            Kind::NoBaseline { .. } => Some(
                lang.pick(
                    "thêm `baseline: 2025` vào mục `plan:`, hoặc ghi rõ kỳ: `baseline(x, 2025)`",
                    "add `baseline: 2025` under `plan:`, or name the period: `baseline(x, 2025)`",
                )
                .into(),
            ),
            Kind::NotInFormula { .. } => Some(
                lang.pick(
                    "công thức tính từng kỳ từ số liệu cùng kỳ; đặt hàm này trong điều kiện của chỉ tiêu",
                    "a formula is computed period by period from same-period inputs; use this function in a goal's rule",
                )
                .into(),
            ),
            Kind::PercentVersusNumber { number } => Some(if vi {
                format!("một tỷ lệ là phân số (80% = 0.8); có phải ý bạn là `{number}%`?")
            } else {
                format!("a percent is a fraction (80% = 0.8); did you mean `{number}%`?")
            }),
            Kind::InvalidPlanPeriod { .. } => Some(
                lang.pick(
                    "viết `period: 2026-01-01 .. 2030-12-31`",
                    "write `period: 2026-01-01 .. 2030-12-31`",
                )
                .into(),
            ),
            Kind::WrongUnit { expected, .. } => Some(if expected == "points" {
                lang.pick(
                    "nhân tỷ lệ với điểm tối đa, ví dụ `6 * a / b`",
                    "multiply the ratio by the maximum, e.g. `6 * a / b`",
                )
                .into()
            } else if vi {
                format!("sửa công thức hoặc `unit:` thành `{expected}`")
            } else {
                format!("fix the formula, or the `unit:` to `{expected}`")
            }),
            Kind::MaxSumMismatch { .. } => Some(
                lang.pick(
                    "sửa `max:` của tiêu chí hoặc của nhóm cho khớp",
                    "make the parts' `max:` add up to the whole's",
                )
                .into(),
            ),
            Kind::BandOrder { .. } => Some(
                lang.pick(
                    "liệt kê các mức xếp loại từ cao xuống thấp, mỗi mức một ngưỡng khác nhau",
                    "list bands from highest to lowest, each with its own threshold",
                )
                .into(),
            ),
            Kind::ScoreWithoutIndex { .. } => Some(
                lang.pick(
                    "thêm mục `index:` (hoặc `include:` kế hoạch có bộ chỉ số), hoặc bỏ `index:` để nhập điểm như số liệu",
                    "add an `index:` section (or `include:` the plan that has it), or drop `index:` to read the score as data",
                )
                .into(),
            ),
            Kind::GroupShape { both: true, .. } => Some(
                lang.pick(
                    "điểm nhóm là tổng điểm các tiêu chí, hoặc một công thức duy nhất: giữ một trong hai",
                    "a group's score is the sum of its metrics or one formula: keep one of them",
                )
                .into(),
            ),
            Kind::GroupShape { both: false, .. } => Some(
                lang.pick(
                    "thêm các tiêu chí, một công thức `score:`, hoặc chỉ số `supplied:` mang điểm của nhóm",
                    "add metrics, a `score:` formula, or a `supplied:` indicator carrying the group's score",
                )
                .into(),
            ),
            Kind::MalformedNumber { .. } => Some(
                lang.pick(
                    "mặc định dấu `.` là dấu thập phân; dùng `--locale vi` hoặc dòng `# locale: vi` cho `93,3` và `1.675`",
                    "by default `.` is the decimal point; use `--locale vi` or a `# locale: vi` first line for `93,3` and `1.675`",
                )
                .into(),
            ),
            Kind::AmbiguousNumber { .. } => Some(
                lang.pick(
                    "viết rõ: bỏ dấu phân cách hàng nghìn, hoặc chọn `--locale`",
                    "write it unambiguously: drop the thousands separator, or choose a `--locale`",
                )
                .into(),
            ),
            Kind::DuplicateObservation { .. } => Some(
                lang.pick(
                    "mỗi đơn vị, chỉ số và kỳ chỉ có một số liệu; xóa dòng lặp",
                    "one value per unit, indicator and period; remove the repeated row",
                )
                .into(),
            ),
            Kind::MissingColumn { column } if matches!(column.as_str(), "id" | "name" | "kind") => {
                Some(
                    lang.pick(
                        "dòng tiêu đề của danh mục đơn vị cần `id,name,kind` (tùy chọn `parent`)",
                        "a unit registry's header needs `id,name,kind` (optionally `parent`)",
                    )
                    .into(),
                )
            }
            Kind::MissingColumn { .. } => Some(
                lang.pick(
                    "dòng tiêu đề cần `unit,indicator,period,value` (tùy chọn `as_of`, `source`)",
                    "the header needs `unit,indicator,period,value` (optionally `as_of`, `source`)",
                )
                .into(),
            ),
            Kind::Csv { .. } => None,
            Kind::UnitCycle { .. } => Some(
                lang.pick(
                    "mỗi đơn vị có một cấp trên, và cây đơn vị không có vòng",
                    "each unit has one parent, and the tree has no circle",
                )
                .into(),
            ),
            Kind::UnknownColumn {
                expected,
                suggestion,
                ..
            } => did_you_mean(suggestion, lang).or_else(|| {
                Some(format!(
                    "{}: {}",
                    lang.pick("các cột hợp lệ", "allowed columns"),
                    quoted_list(expected)
                ))
            }),
            Kind::CellCount { .. } => Some(
                lang.pick(
                    "mỗi dòng có số ô bằng dòng tiêu đề; ô chứa dấu phẩy phải đặt trong ngoặc kép",
                    "every row has as many cells as the header; quote cells that contain a comma",
                )
                .into(),
            ),
            Kind::EmptyCell { column } if column == "value" => Some(
                lang.pick(
                    "thiếu số liệu không phải là 0: bỏ dòng này khi chưa có số liệu",
                    "missing is not zero: leave the row out when there is no data",
                )
                .into(),
            ),
            Kind::EmptyCell { .. } => Some(
                lang.pick("điền giá trị vào ô này", "fill in the cell").into(),
            ),
            Kind::DerivedObservation { .. } => Some(
                lang.pick(
                    "xóa các dòng này và nhập số liệu các chỉ số đầu vào của công thức",
                    "remove these rows and supply the formula's inputs instead",
                )
                .into(),
            ),
            Kind::UnexpectedPercent { .. } => Some(
                lang.pick(
                    "bỏ dấu `%`, hoặc khai báo chỉ số với `unit: percent`",
                    "write the number without `%`, or declare the indicator `unit: percent`",
                )
                .into(),
            ),
            Kind::TooManyErrors { .. } => Some(
                lang.pick("sửa các lỗi trên rồi chạy lại", "fix the errors above and run again")
                    .into(),
            ),
            Kind::AmbiguousPercent { .. } => Some(
                lang.pick(
                    "định dạng ô là phần trăm (Format Cells → Percentage) nếu đó là tỷ lệ, hoặc gõ `0.9%` dạng văn bản nếu đó là phần trăm",
                    "format the cell as a percentage (Format Cells → Percentage) if it is the fraction, or type it as text with `%` (`0.9%`) if it is a percentage",
                )
                .into(),
            ),
            Kind::Workbook { .. } => Some(
                lang.pick(
                    "mở tệp trong Excel hoặc LibreOffice và lưu lại dạng .xlsx",
                    "open the file in Excel or LibreOffice and save it as .xlsx",
                )
                .into(),
            ),
            Kind::NoSheet { .. } => Some(
                lang.pick(
                    "dòng tiêu đề cần `unit` (đơn vị) và `period` (kỳ), rồi `indicator,value` hoặc một cột cho mỗi chỉ số; xem docs/spreadsheets.md",
                    "the header row needs `unit` and `period`, then `indicator,value` or one column per indicator; see docs/spreadsheets.md",
                )
                .into(),
            ),
            Kind::SheetSkipped { .. } => Some(
                lang.pick(
                    "dùng `--sheet TÊN` để chỉ đọc một trang",
                    "use `--sheet NAME` to read one sheet only",
                )
                .into(),
            ),
            Kind::CellError { .. } => Some(
                lang.pick(
                    "sửa công thức, hoặc để trống ô nếu chưa có số liệu",
                    "fix the formula, or leave the cell empty when there is no data",
                )
                .into(),
            ),
        }
    }
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
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, c)| (d, c.to_string()))
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
        let k = Kind::UnknownName {
            thing: Thing::Indicator,
            name: "online_rat".into(),
            suggestion: Some("online_rate".into()),
        };
        assert_eq!(k.message(Lang::En), "unknown indicator `online_rat`");
        assert_eq!(k.message(Lang::Vi), "không có chỉ số `online_rat`");
        assert_eq!(
            k.help(Lang::En).as_deref(),
            Some("did you mean `online_rate`?")
        );
    }
}
