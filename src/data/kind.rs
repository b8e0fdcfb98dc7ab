//! The faults found in data files (observations and unit registries), with their words.

use crate::diag::{Describe, Description, did_you_mean, quoted_list, tr};
use crate::lang::Lang;

/// A fault in a data file: its table, its cells, its numbers, its units.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Kind {
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
    /// A fraction in the data of a count or VND indicator (`1.675` meant the Vietnamese way,
    /// as 1675, but read in the default locale).
    FractionalCount {
        /// The value as written.
        text: String,
        /// The indicator.
        indicator: String,
        /// The indicator's unit (`count`, `vnd`).
        unit: String,
        /// The locale it was read in (`default`, `vi`; `none` for a JSON or spreadsheet number).
        locale: String,
    },
    /// Goals that name unit kinds, evaluated without a unit registry: every unit would be
    /// judged as if it were of every kind, with no name.
    UnitRegistryNeeded {
        /// The first goal that needs one.
        goal: String,
    },
    /// So many faults in one file that reading it stopped.
    TooManyErrors {
        /// How many were reported.
        limit: usize,
    },
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

impl Describe for Kind {
    fn describe(&self, lang: Lang) -> Description {
        match self {
            Kind::AmbiguousNumber { text } => Description::new(
                "ambiguous-number",
                tr!(
                    lang,
                    "số `{text}` có thể hiểu theo hai cách",
                    "number `{text}` can be read two ways"
                ),
            )
            .help(lang.pick(
                "viết rõ: bỏ dấu phân cách hàng nghìn, hoặc chọn `--locale`",
                "write it unambiguously: drop the thousands separator, or choose a `--locale`",
            )),
            Kind::DuplicateObservation {
                unit,
                indicator,
                period,
            } => Description::new(
                "duplicate-observation",
                tr!(
                    lang,
                    "số liệu `{indicator}` của `{unit}` kỳ {period} bị lặp",
                    "observation of `{indicator}` for `{unit}` in {period} appears twice"
                ),
            )
            .help(lang.pick(
                "mỗi đơn vị, chỉ số và kỳ chỉ có một số liệu; xóa dòng lặp",
                "one value per unit, indicator and period; remove the repeated row",
            )),
            Kind::MissingColumn { column } => Description::new(
                "missing-column",
                tr!(lang, "thiếu cột `{column}`", "missing column `{column}`"),
            )
            .help(if matches!(column.as_str(), "id" | "name" | "kind") {
                lang.pick(
                    "dòng tiêu đề của danh mục đơn vị cần `id,name,kind` (tùy chọn `parent`)",
                    "a unit registry's header needs `id,name,kind` (optionally `parent`)",
                )
            } else {
                lang.pick(
                    "dòng tiêu đề cần `unit,indicator,period,value` (tùy chọn `as_of`, `source`)",
                    "the header needs `unit,indicator,period,value` (optionally `as_of`, `source`)",
                )
            }),
            Kind::Csv { reason } => Description::new(
                "csv",
                tr!(lang, "CSV không hợp lệ: {reason}", "invalid CSV: {reason}"),
            ),
            Kind::UnitCycle { chain } => Description::new(
                "unit-cycle",
                tr!(
                    lang,
                    "đơn vị cấp trên lặp vòng: {}",
                    "unit parents form a circle: {}",
                    chain.join(" → ")
                ),
            )
            .help(lang.pick(
                "mỗi đơn vị có một cấp trên, và cây đơn vị không có vòng",
                "each unit has one parent, and the tree has no circle",
            )),
            Kind::UnknownColumn {
                column,
                expected,
                suggestion,
            } => Description::new(
                "unknown-column",
                tr!(
                    lang,
                    "cột không hợp lệ `{column}`",
                    "unknown column `{column}`"
                ),
            )
            .help(did_you_mean(suggestion, lang).unwrap_or_else(|| {
                format!(
                    "{}: {}",
                    lang.pick("các cột hợp lệ", "allowed columns"),
                    quoted_list(expected)
                )
            })),
            Kind::CellCount { found, expected } => Description::new(
                "cell-count",
                tr!(
                    lang,
                    "dòng có {found} ô, dòng tiêu đề có {expected} ô",
                    "the row has {found} cells, the header has {expected}"
                ),
            )
            .help(lang.pick(
                "mỗi dòng có số ô bằng dòng tiêu đề; ô chứa dấu phẩy phải đặt trong ngoặc kép",
                "every row has as many cells as the header; quote cells that contain a comma",
            )),
            Kind::EmptyCell { column } => Description::new(
                "empty-cell",
                tr!(lang, "ô `{column}` để trống", "empty `{column}` cell"),
            )
            .help(if column == "value" {
                lang.pick(
                    "thiếu số liệu không phải là 0: bỏ dòng này khi chưa có số liệu",
                    "missing is not zero: leave the row out when there is no data",
                )
            } else {
                lang.pick("điền giá trị vào ô này", "fill in the cell")
            }),
            Kind::DerivedObservation { indicator } => Description::new(
                "derived-observation",
                tr!(
                    lang,
                    "chỉ số `{indicator}` được tính theo công thức, không nhận số liệu nhập",
                    "`{indicator}` is computed from its formula; data cannot supply it"
                ),
            )
            .help(lang.pick(
                "xóa các dòng này và nhập số liệu các chỉ số đầu vào của công thức",
                "remove these rows and supply the formula's inputs instead",
            )),
            Kind::UnexpectedPercent {
                text,
                indicator,
                unit,
            } => Description::new(
                "unexpected-percent",
                tr!(
                    lang,
                    "`{text}` là tỷ lệ phần trăm, nhưng chỉ số `{indicator}` có đơn vị `{unit}`",
                    "`{text}` is a percentage, but `{indicator}` is measured in `{unit}`"
                ),
            )
            .help(lang.pick(
                "bỏ dấu `%`, hoặc khai báo chỉ số với `unit: percent`",
                "write the number without `%`, or declare the indicator `unit: percent`",
            )),
            Kind::FractionalCount {
                text,
                indicator,
                unit,
                locale,
            } => Description::new(
                "fractional-count",
                tr!(
                    lang,
                    "chỉ số `{indicator}` có đơn vị `{unit}` (số nguyên), nhưng `{text}` có phần thập phân",
                    "`{indicator}` is measured in `{unit}` (whole numbers), but `{text}` has a fraction"
                ),
            )
            .help(if locale == "default" && grouped_thousands(text) {
                lang.pick(
                    "viết kiểu Việt Nam, `1.675` là một nghìn sáu trăm bảy mươi lăm: dùng `--locale vi` hoặc dòng đầu `# locale: vi`",
                    "written the Vietnamese way, `1.675` is one thousand six hundred seventy-five: use `--locale vi` or a `# locale: vi` first line",
                )
            } else {
                lang.pick(
                    "số đếm và số tiền VND là số nguyên; bỏ phần thập phân",
                    "counts and VND amounts are whole numbers; drop the fraction",
                )
            }),
            Kind::UnitRegistryNeeded { goal } => Description::new(
                "unit-registry-needed",
                tr!(
                    lang,
                    "mục tiêu `{goal}` nói đến các cấp đơn vị, nhưng không có danh mục đơn vị nào cho biết mỗi đơn vị thuộc cấp nào",
                    "goal `{goal}` names unit kinds, but no unit registry says which kind each unit is"
                ),
            )
            .help(lang.pick(
                "cho danh mục đơn vị bằng `--units FILE` (cột id,name,kind,parent) hoặc khai báo `units:` trong kế hoạch",
                "give a unit registry with `--units FILE` (columns id,name,kind,parent), or declare `units:` in the plan",
            )),
            Kind::TooManyErrors { limit } => Description::new(
                "too-many-errors",
                tr!(
                    lang,
                    "tệp có hơn {limit} lỗi; dừng đọc tệp",
                    "more than {limit} errors in this file; stopped reading it"
                ),
            )
            .help(lang.pick(
                "sửa các lỗi trên rồi chạy lại",
                "fix the errors above and run again",
            )),
            Kind::AmbiguousPercent { text, indicator } => {
                let times_100 = text
                    .parse::<rust_decimal::Decimal>()
                    .ok()
                    .and_then(crate::quantity::percentage)
                    .map_or_else(|| format!("{text}×100"), |d| d.normalize().to_string());
                Description::new(
                    "ambiguous-percent",
                    tr!(
                        lang,
                        "số `{text}` của chỉ số phần trăm `{indicator}` có thể là {text}% hoặc tỷ lệ {times_100}%",
                        "`{text}` for percent indicator `{indicator}` could be {text}% or the fraction {times_100}%"
                    ),
                )
                .help(lang.pick(
                    "định dạng ô là phần trăm (Format Cells → Percentage) nếu đó là tỷ lệ, hoặc gõ `0.9%` dạng văn bản nếu đó là phần trăm",
                    "format the cell as a percentage (Format Cells → Percentage) if it is the fraction, or type it as text with `%` (`0.9%`) if it is a percentage",
                ))
            }
            Kind::Workbook { reason } => Description::new(
                "workbook",
                tr!(
                    lang,
                    "không đọc được bảng tính: {reason}",
                    "cannot read the spreadsheet: {reason}"
                ),
            )
            .help(lang.pick(
                "mở tệp trong Excel hoặc LibreOffice và lưu lại dạng .xlsx",
                "open the file in Excel or LibreOffice and save it as .xlsx",
            )),
            Kind::NoSheet { sheets, columns } => Description::new(
                "no-sheet",
                tr!(
                    lang,
                    "không trang tính nào ({}) có dòng tiêu đề với các cột {}",
                    "no sheet ({}) has a header row with the columns {}",
                    quoted_list(sheets),
                    quoted_list(columns)
                ),
            )
            .help(lang.pick(
                "dòng tiêu đề cần `unit` (đơn vị) và `period` (kỳ), rồi `indicator,value` hoặc một cột cho mỗi chỉ số; xem docs/spreadsheets.md",
                "the header row needs `unit` and `period`, then `indicator,value` or one column per indicator; see docs/spreadsheets.md",
            )),
            Kind::SheetSkipped { sheet } => Description::new(
                "sheet-skipped",
                tr!(
                    lang,
                    "bỏ qua trang `{sheet}`: không có dòng tiêu đề của số liệu",
                    "sheet `{sheet}` is not read: it has no data header row"
                ),
            )
            .help(lang.pick(
                "dùng `--sheet TÊN` để chỉ đọc một trang",
                "use `--sheet NAME` to read one sheet only",
            )),
            Kind::CellError { error } => Description::new(
                "cell-error",
                tr!(
                    lang,
                    "ô chứa lỗi bảng tính `{error}`, không phải một giá trị",
                    "the cell holds the spreadsheet error `{error}`, not a value"
                ),
            )
            .help(lang.pick(
                "sửa công thức, hoặc để trống ô nếu chưa có số liệu",
                "fix the formula, or leave the cell empty when there is no data",
            )),
        }
    }

    fn suggestion(&self) -> Option<&str> {
        match self {
            Kind::UnknownColumn { suggestion, .. } => suggestion.as_deref(),
            _ => None,
        }
    }
}

/// Whether a number is written with `.` grouping thousands (`1.675`, `12.000.000`): what a
/// Vietnamese spreadsheet writes.
fn grouped_thousands(text: &str) -> bool {
    let t = text.trim().trim_start_matches('-');
    let mut groups = t.split('.');
    let head = groups.next().unwrap_or_default();
    let rest: Vec<&str> = groups.collect();
    (1..=3).contains(&head.len())
        && head.bytes().all(|b| b.is_ascii_digit())
        && !rest.is_empty()
        && rest
            .iter()
            .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}
