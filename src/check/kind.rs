//! The faults found by checking a plan, with their words.

use crate::diag::{Describe, Description, Thing, tr};
use crate::lang::Lang;

/// A fault in a plan's meaning: arities and argument forms, units, cycles, deadlines, and the
/// consistency of an index.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Kind {
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
    /// An indicator of assigned targets (`assigned: true`) with a `formula:`: assigned targets
    /// come from data.
    AssignedFormula {
        /// The indicator.
        indicator: String,
    },
    /// An indicator of assigned targets read in a formula: a target is read for a goal's
    /// deadline, which a formula does not have.
    AssignedInFormula {
        /// The indicator.
        indicator: String,
    },
    /// An indicator of assigned targets read by a function that compares its current value
    /// with another period's (`previous`, `change`, `improve`): a target has no current value,
    /// only one per period.
    AssignedHistory {
        /// The indicator.
        indicator: String,
        /// The function.
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
    /// A score formula that can give more than its `max:` (a warning).
    ScoreAboveMax {
        /// The group or metric.
        name: String,
        /// The most its formula can give.
        reach: String,
        /// Its declared maximum.
        max: String,
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

/// `usage: `share(kind, condition)``, for a function the rule language has.
fn usage(function: &str, lang: Lang) -> Option<String> {
    crate::syntax::signature(function)
        .map(|sig| format!("{}: `{sig}`", lang.pick("cách gọi", "usage")))
}

impl Describe for Kind {
    fn describe(&self, lang: Lang) -> Description {
        match self {
            Kind::Arity {
                function,
                expected,
                found,
            } => Description::new(
                "arity",
                tr!(
                    lang,
                    "hàm `{function}` nhận {expected} tham số, nhưng có {found}",
                    "function `{function}` takes {expected} arguments, but {found} were given"
                ),
            )
            .maybe_help(usage(function, lang)),
            Kind::ArgumentForm {
                function,
                position,
                expected,
            } => Description::new(
                "argument-form",
                tr!(
                    lang,
                    "tham số thứ {position} của `{function}` phải là {}",
                    "argument {position} of `{function}` must be {}",
                    expected.describe(lang)
                ),
            )
            .maybe_help(usage(function, lang)),
            Kind::UnitMismatch { op, left, right } => Description::new(
                "unit-mismatch",
                tr!(
                    lang,
                    "không thể dùng `{op}` giữa đơn vị đo `{left}` và `{right}`",
                    "cannot apply `{op}` to units `{left}` and `{right}`"
                ),
            )
            .help(lang.pick(
                "chỉ so sánh, cộng, trừ các giá trị cùng đơn vị đo; tỷ lệ count / count là percent",
                "compare, add and subtract values of one unit; a count / count ratio is a percent",
            )),
            Kind::NotCondition { found } => Description::new(
                "not-condition",
                tr!(
                    lang,
                    "cần một điều kiện (đúng/sai), nhưng đây là một giá trị `{found}`",
                    "expected a condition (true/false), found a `{found}` value"
                ),
            )
            .help(lang.pick(
                "so sánh giá trị với chỉ tiêu, ví dụ `online_rate > 80%`",
                "compare the value with a target, e.g. `online_rate > 80%`",
            )),
            Kind::NotNumber { context } => Description::new(
                "not-number",
                tr!(
                    lang,
                    "cần một giá trị số cho {context}, nhưng đây là một điều kiện",
                    "expected a number as {context}, found a condition"
                ),
            )
            .help(lang.pick(
                "dùng `if(điều kiện, a, b)` để chọn giữa hai giá trị",
                "use `if(condition, a, b)` to choose between values",
            )),
            Kind::FormulaCycle { cycle } => Description::new(
                "formula-cycle",
                tr!(
                    lang,
                    "công thức phụ thuộc vòng: {}",
                    "formulas depend on each other in a circle: {}",
                    cycle.join(" → ")
                ),
            )
            .help(lang.pick(
                "một chỉ số không thể tính từ chính nó; bỏ một tham chiếu trong vòng",
                "an indicator cannot be computed from itself; break the circle",
            )),
            Kind::DeadlineOutsidePeriod { date, start, end } => Description::new(
                "deadline-outside-period",
                tr!(
                    lang,
                    "thời hạn {date} nằm ngoài giai đoạn của kế hoạch ({start} .. {end})",
                    "deadline {date} lies outside the plan period ({start} .. {end})"
                ),
            )
            .help(lang.pick(
                "sửa thời hạn `by …` hoặc `period:` của kế hoạch",
                "fix the `by …` date or the plan's `period:`",
            )),
            Kind::MilestoneAfterDeadline { date, deadline } => Description::new(
                "milestone-after-deadline",
                tr!(
                    lang,
                    "mốc {date} không trước thời hạn của chỉ tiêu ({deadline})",
                    "milestone {date} is not before the goal's deadline ({deadline})"
                ),
            )
            .help(lang.pick(
                "mốc trung gian phải đến trước thời hạn cuối",
                "a milestone comes before the final deadline",
            )),
            Kind::MilestoneNeedsDate => Description::new(
                "milestone-needs-date",
                lang.pick(
                    "mốc cần có thời hạn `by NGÀY`",
                    "a milestone needs a `by DATE`",
                ),
            )
            .help(lang.pick(
                "ví dụ: `online_rate > 60% by 2027-12-31`",
                "for example `online_rate > 60% by 2027-12-31`",
            )),
            Kind::NoBaseline { function } => Description::new(
                "no-baseline",
                tr!(
                    lang,
                    "`{function}` cần kỳ gốc, nhưng kế hoạch không khai báo `baseline:`",
                    "`{function}` needs a baseline, but the plan declares no `baseline:`"
                ),
            )
            .help(lang.pick(
                "thêm `baseline: 2025` vào mục `plan:`, hoặc ghi rõ kỳ: `baseline(x, 2025)`",
                "add `baseline: 2025` under `plan:`, or name the period: `baseline(x, 2025)`",
            )),
            Kind::AssignedFormula { indicator } => Description::new(
                "assigned-formula",
                tr!(
                    lang,
                    "chỉ số `{indicator}` là chỉ tiêu được giao (`assigned: true`) nên không có công thức",
                    "`{indicator}` holds assigned targets (`assigned: true`), so it cannot have a formula"
                ),
            )
            .help(lang.pick(
                "chỉ tiêu giao cho từng đơn vị, từng kỳ được nhập như số liệu (`X01,online_target,2026,85`); bỏ `formula:` hoặc bỏ `assigned: true`",
                "the targets assigned to each unit and period are data (`X01,online_target,2026,85`); remove `formula:` or `assigned: true`",
            )),
            Kind::AssignedInFormula { indicator } => Description::new(
                "assigned-in-formula",
                tr!(
                    lang,
                    "không dùng được chỉ tiêu được giao `{indicator}` trong công thức",
                    "the assigned target `{indicator}` cannot be used in a formula"
                ),
            )
            .help(lang.pick(
                "chỉ tiêu được giao được đọc theo thời hạn của chỉ tiêu; so sánh nó trong điều kiện: `online_rate >= online_target by 2026-12-31`",
                "an assigned target is read for a goal's deadline; compare with it in the rule: `online_rate >= online_target by 2026-12-31`",
            )),
            Kind::AssignedHistory {
                indicator,
                function,
            } => Description::new(
                "assigned-history",
                tr!(
                    lang,
                    "`{function}` cần số liệu đo được theo thời gian, nhưng `{indicator}` là chỉ tiêu được giao",
                    "`{function}` needs a measured series, but `{indicator}` holds assigned targets"
                ),
            )
            .help(lang.pick(
                "chỉ tiêu được giao không có giá trị hiện tại, chỉ có giá trị từng kỳ: đọc kỳ cần dùng bằng `value(online_target, 2027)` hoặc `baseline(online_target)`, hoặc so sánh số đo với nó: `online_rate >= online_target by 2026-12-31`",
                "an assigned target has no current value, only one per period: read the period wanted with `value(online_target, 2027)` or `baseline(online_target)`, or compare the measure with it: `online_rate >= online_target by 2026-12-31`",
            )),
            Kind::NotInFormula { function } => Description::new(
                "not-in-formula",
                tr!(
                    lang,
                    "không dùng được `{function}` trong công thức của chỉ số",
                    "`{function}` cannot be used in an indicator's formula"
                ),
            )
            .help(lang.pick(
                "công thức tính từng kỳ từ số liệu cùng kỳ; đặt hàm này trong điều kiện của chỉ tiêu",
                "a formula is computed period by period from same-period inputs; use this function in a goal's rule",
            )),
            Kind::PercentVersusNumber { number } => Description::new(
                "percent-versus-number",
                tr!(
                    lang,
                    "so sánh một tỷ lệ phần trăm với số {number}",
                    "a percent is compared with the number {number}"
                ),
            )
            .help(tr!(
                lang,
                "một tỷ lệ là phân số (80% = 0.8); có phải ý bạn là `{number}%`?",
                "a percent is a fraction (80% = 0.8); did you mean `{number}%`?"
            )),
            Kind::WrongUnit {
                thing,
                name,
                expected,
                found,
            } => {
                let what = format!("{} `{name}`", thing.word(lang));
                Description::new(
                    "wrong-unit",
                    tr!(
                        lang,
                        "{what} phải có đơn vị đo `{expected}`, nhưng công thức cho `{found}`",
                        "{what} must be in `{expected}`, but its formula gives `{found}`"
                    ),
                )
                .help(if expected == "points" {
                    lang.pick(
                        "nhân tỷ lệ với điểm tối đa, ví dụ `6 * a / b`",
                        "multiply the ratio by the maximum, e.g. `6 * a / b`",
                    )
                    .into()
                } else {
                    tr!(
                        lang,
                        "sửa công thức hoặc `unit:` thành `{expected}`",
                        "fix the formula, or the `unit:` to `{expected}`"
                    )
                })
            }
            Kind::MaxSumMismatch { what, max, sum } => Description::new(
                "max-sum-mismatch",
                tr!(
                    lang,
                    "tổng điểm tối đa các thành phần của {what} là {sum}, khác {max}",
                    "the maxima of {what}'s parts add up to {sum}, not {max}"
                ),
            )
            .help(lang.pick(
                "sửa `max:` của tiêu chí hoặc của nhóm cho khớp",
                "make the parts' `max:` add up to the whole's",
            )),
            Kind::BandOrder {
                band,
                min,
                previous,
            } => Description::new(
                "band-order",
                tr!(
                    lang,
                    "mức xếp loại `{band}` (từ {min}) phải thấp hơn mức `{previous}` đứng trước",
                    "band `{band}` (from {min}) must be below the band before it, `{previous}`"
                ),
            )
            .help(lang.pick(
                "liệt kê các mức xếp loại từ cao xuống thấp, mỗi mức một ngưỡng khác nhau",
                "list bands from highest to lowest, each with its own threshold",
            )),
            Kind::ScoreWithoutIndex { indicator, index } => Description::new(
                "score-without-index",
                tr!(
                    lang,
                    "chỉ số `{indicator}` là tổng điểm của bộ chỉ số `{index}`, nhưng kế hoạch không có bộ chỉ số này",
                    "indicator `{indicator}` is the total of index `{index}`, but the plan has no such index"
                ),
            )
            .help(lang.pick(
                "thêm mục `index:` (hoặc `include:` kế hoạch có bộ chỉ số), hoặc bỏ `index:` để nhập điểm như số liệu",
                "add an `index:` section (or `include:` the plan that has it), or drop `index:` to read the score as data",
            )),
            Kind::GroupShape { group, both: true } => Description::new(
                "group-shape",
                tr!(
                    lang,
                    "nhóm `{group}` có cả `metrics:` lẫn `score:`",
                    "group `{group}` has both `metrics:` and `score:`"
                ),
            )
            .help(lang.pick(
                "điểm nhóm là tổng điểm các tiêu chí, hoặc một công thức duy nhất: giữ một trong hai",
                "a group's score is the sum of its metrics or one formula: keep one of them",
            )),
            Kind::ScoreAboveMax { name, reach, max } => Description::new(
                "score-above-max",
                match lang {
                    // A decimal comma in Vietnamese prose (the `max:` quotes the plan as written).
                    Lang::Vi => format!(
                        "công thức của `{name}` có thể cho tới {} điểm, vượt `max: {max}`",
                        reach.replace('.', ",")
                    ),
                    Lang::En => format!(
                        "the formula of `{name}` can give up to {reach} points, above its `max: {max}`"
                    ),
                },
            )
            .help(tr!(
                lang,
                "giới hạn công thức bằng `min({max}, …)` nếu văn bản quy định như vậy, hoặc sửa `max:`",
                "cap the formula with `min({max}, …)` if the source says so, or correct `max:`"
            )),
            Kind::GroupShape { group, both: false } => Description::new(
                "group-shape",
                tr!(
                    lang,
                    "nhóm `{group}` không có `metrics:`, `score:` hay `supplied:`",
                    "group `{group}` has no `metrics:`, no `score:` and no `supplied:`"
                ),
            )
            .help(lang.pick(
                "thêm các tiêu chí, một công thức `score:`, hoặc chỉ số `supplied:` mang điểm của nhóm",
                "add metrics, a `score:` formula, or a `supplied:` indicator carrying the group's score",
            )),
        }
    }
}
