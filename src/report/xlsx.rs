//! Workbooks written with `rust_xlsxwriter`: evaluation results, status histories and the
//! data-entry template of a plan (docs/spreadsheets.md).
//!
//! Numbers are written as numbers (a percent as its fraction, formatted `0.00%`; counts with
//! thousands separators), statuses as words of the report language in coloured cells; every
//! table has its header row frozen and filters on.

use super::status_word;
use crate::data::Units;
use crate::eval::{Evaluation, Status, UnitHistory};
use crate::lang::Lang;
use crate::plan::{Plan, Unit};
use crate::score::Scores;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook, Worksheet, XlsxError};

/// The cell formats a workbook shares.
struct Formats {
    header: Format,
    percent: Format,
    whole: Format,
    decimal: Format,
    wrap: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0x00D9_E1F2))
                .set_align(FormatAlign::Top)
                .set_text_wrap(),
            percent: Format::new().set_num_format("0.00%"),
            whole: Format::new().set_num_format("#,##0"),
            decimal: Format::new().set_num_format("#,##0.00"),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        }
    }
}

/// Adds a worksheet named `name`.
fn add<'w>(book: &'w mut Workbook, name: &str) -> Result<&'w mut Worksheet, XlsxError> {
    let sheet = book.add_worksheet();
    sheet.set_name(name)?;
    Ok(sheet)
}

fn save(mut book: Workbook) -> Result<Vec<u8>, String> {
    book.save_to_buffer().map_err(|e| e.to_string())
}

/// The fill of a status cell.
fn status_color(s: Status) -> Color {
    Color::RGB(match s {
        Status::Met => 0x00C6_EFCE,
        Status::NotMet => 0x00FF_C7CE,
        Status::OnTrack => 0x00E2_EFDA,
        Status::OffTrack => 0x00FF_EB9C,
        Status::InProgress => 0x00DD_EBF7,
        Status::NoData => 0x00ED_EDED,
        Status::NotApplicable => 0x00F2_F2F2,
        Status::Error => 0x00F4_B084,
    })
}

/// Writes a status as a word of `lang` in a cell of its colour.
fn status(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    s: Status,
    lang: Lang,
) -> Result<(), XlsxError> {
    let format = Format::new().set_background_color(status_color(s));
    sheet.write_string_with_format(row, col, status_word(s, lang), &format)?;
    Ok(())
}

/// Writes a header row at row 0, sets column widths and freezes the row.
fn header(sheet: &mut Worksheet, f: &Formats, columns: &[(String, f64)]) -> Result<(), XlsxError> {
    for (col, (name, width)) in (0u16..).zip(columns) {
        sheet.write_string_with_format(0, col, name, &f.header)?;
        sheet.set_column_width(col, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Filters over a table of `rows` data rows under a header at row 0.
fn filters(sheet: &mut Worksheet, rows: usize, columns: usize) -> Result<(), XlsxError> {
    let last_col = u16::try_from(columns.saturating_sub(1)).unwrap_or(u16::MAX);
    let last_row = u32::try_from(rows).unwrap_or(u32::MAX);
    sheet.autofilter(0, 0, last_row, last_col)?;
    Ok(())
}

/// A decimal as the nearest spreadsheet number (cells hold binary floating point).
fn float(v: Decimal) -> f64 {
    v.to_f64().unwrap_or(f64::NAN)
}

/// Writes a value of `unit` in its format: percents as fractions formatted as percentages,
/// dates as dates (text `YYYY-MM-DD`), whole numbers with thousands separators.
fn value(
    f: &Formats,
    sheet: &mut Worksheet,
    (row, col): (u32, u16),
    v: Option<Decimal>,
    unit: Option<Unit>,
) -> Result<(), XlsxError> {
    let Some(v) = v else {
        return Ok(());
    };
    match unit {
        Some(Unit::Percent) => sheet.write_number_with_format(row, col, float(v), &f.percent)?,
        Some(Unit::Date) => match crate::data::value_date(v) {
            Some(d) => sheet.write_string(row, col, d.to_string())?,
            None => sheet.write_number(row, col, float(v))?,
        },
        _ if v.fract().is_zero() => sheet.write_number_with_format(row, col, float(v), &f.whole)?,
        _ => sheet.write_number_with_format(row, col, float(v), &f.decimal)?,
    };
    Ok(())
}

fn columns(names: &[(&str, &str, f64)], lang: Lang) -> Vec<(String, f64)> {
    names
        .iter()
        .map(|&(vi, en, w)| (lang.pick(vi, en).to_string(), w))
        .collect()
}

/// Results as a workbook: a results sheet (one row per unit × goal), a scores sheet for
/// plans with an index, and a sheet describing the plan. Headers and statuses are in `lang`.
pub fn eval_xlsx(
    plan: &Plan,
    ev: &Evaluation,
    scores: Option<&Scores>,
    lang: Lang,
) -> Result<Vec<u8>, String> {
    let f = Formats::new();
    let mut book = Workbook::new();
    results_sheet(&mut book, &f, ev, lang).map_err(|e| e.to_string())?;
    if let Some(s) = scores {
        scores_sheet(&mut book, &f, s, lang).map_err(|e| e.to_string())?;
    }
    plan_sheet(&mut book, &f, plan, Some(ev.as_of), lang).map_err(|e| e.to_string())?;
    save(book)
}

fn results_sheet(
    book: &mut Workbook,
    f: &Formats,
    ev: &Evaluation,
    lang: Lang,
) -> Result<(), XlsxError> {
    let cols = columns(
        &[
            ("đơn vị", "unit", 12.0),
            ("tên đơn vị", "unit name", 28.0),
            ("chỉ tiêu", "goal", 10.0),
            ("nội dung", "title", 48.0),
            ("trạng thái", "status", 16.0),
            ("thực hiện", "actual", 12.0),
            ("mục tiêu", "target", 12.0),
            ("kỳ vọng", "expected", 12.0),
            ("còn thiếu", "gap", 12.0),
            ("thời hạn", "deadline", 12.0),
            ("kỳ số liệu", "data period", 12.0),
        ],
        lang,
    );
    let sheet = add(book, lang.pick("Kết quả", "Results"))?;
    header(sheet, f, &cols)?;
    for (row, r) in (1u32..).zip(&ev.results) {
        sheet.write_string(row, 0, &r.unit)?;
        sheet.write_string(row, 1, &r.unit_name)?;
        sheet.write_string(row, 2, &r.goal)?;
        sheet.write_string(row, 3, &r.title)?;
        status(sheet, row, 4, r.status, lang)?;
        for (col, v) in [(5, r.actual), (6, r.target), (7, r.expected), (8, r.gap)] {
            value(f, sheet, (row, col), v, r.value_unit)?;
        }
        if let Some(d) = r.deadline {
            sheet.write_string(row, 9, d.to_string())?;
        }
        if let Some(p) = r.period {
            sheet.write_string(row, 10, p.to_string())?;
        }
    }
    filters(sheet, ev.results.len(), cols.len())
}

fn scores_sheet(book: &mut Workbook, f: &Formats, s: &Scores, lang: Lang) -> Result<(), XlsxError> {
    let mut cols = columns(
        &[
            ("đơn vị", "unit", 12.0),
            ("tên đơn vị", "unit name", 28.0),
            ("kỳ", "period", 10.0),
        ],
        lang,
    );
    for g in &s.groups {
        cols.push((format!("{} ({})", g.id, g.max.normalize()), 12.0));
    }
    let fixed = cols.len();
    cols.push((
        format!("{} ({})", lang.pick("tổng", "total"), s.max.normalize()),
        12.0,
    ));
    cols.push((lang.pick("xếp loại", "band").to_string(), 16.0));
    cols.push((lang.pick("thứ hạng", "rank").to_string(), 10.0));
    let sheet = add(book, lang.pick("Điểm", "Scores"))?;
    header(sheet, f, &cols)?;
    let total_col = u16::try_from(fixed).unwrap_or(u16::MAX);
    for (row, u) in (1u32..).zip(&s.units) {
        sheet.write_string(row, 0, &u.unit)?;
        sheet.write_string(row, 1, &u.unit_name)?;
        sheet.write_string(row, 2, u.period.to_string())?;
        for (col, g) in (3u16..).zip(&u.groups) {
            if let Some(v) = g.score {
                sheet.write_number_with_format(row, col, float(v), &f.decimal)?;
            }
        }
        if let Some(v) = u.total {
            sheet.write_number_with_format(row, total_col, float(v), &f.decimal)?;
        }
        if let Some(band) = u.band_title.as_ref().or(u.band.as_ref()) {
            sheet.write_string(row, total_col + 1, band)?;
        }
        if let Some(rank) = u.rank {
            sheet.write_number(row, total_col + 2, rank)?;
        }
    }
    filters(sheet, s.units.len(), cols.len())
}

/// The plan: its id, title and period, then its goals with their rules.
fn plan_sheet(
    book: &mut Workbook,
    f: &Formats,
    plan: &Plan,
    as_of: Option<NaiveDate>,
    lang: Lang,
) -> Result<(), XlsxError> {
    let sheet = add(book, lang.pick("Kế hoạch", "Plan"))?;
    sheet.set_column_width(0, 14)?;
    sheet.set_column_width(1, 50)?;
    sheet.set_column_width(2, 50)?;
    sheet.set_column_width(3, 24)?;
    let mut about = vec![
        (lang.pick("kế hoạch", "plan"), plan.id.clone()),
        (lang.pick("tên", "title"), plan.title.clone()),
        (
            lang.pick("thời kỳ", "period"),
            format!("{} .. {}", plan.period.start, plan.period.end),
        ),
    ];
    if let Some(d) = as_of {
        about.push((lang.pick("ngày đánh giá", "as of"), d.to_string()));
    }
    let mut row = 0u32;
    for (key, text) in about {
        sheet.write_string_with_format(row, 0, key, &f.header)?;
        sheet.write_string(row, 1, text)?;
        row += 1;
    }
    row += 1;
    let cols = columns(
        &[
            ("chỉ tiêu", "goal", 14.0),
            ("nội dung", "title", 50.0),
            ("quy tắc", "rule", 50.0),
            ("áp dụng cho", "applies to", 24.0),
        ],
        lang,
    );
    for (col, (name, _)) in (0u16..).zip(&cols) {
        sheet.write_string_with_format(row, col, name, &f.header)?;
    }
    for g in &plan.goals {
        row += 1;
        sheet.write_string_with_format(row, 0, &g.id.name, &f.wrap)?;
        sheet.write_string_with_format(row, 1, &g.title, &f.wrap)?;
        sheet.write_string_with_format(row, 2, &g.rule.text.text, &f.wrap)?;
        if let Some(kinds) = &g.applies_to {
            let kinds: Vec<&str> = kinds.iter().map(|k| k.name.as_str()).collect();
            sheet.write_string(row, 3, kinds.join(", "))?;
        }
    }
    Ok(())
}

/// A status history as a workbook: a history sheet with one row per unit × goal and one
/// column per month-end (statuses coloured), and a sheet describing the plan.
pub fn history_xlsx(
    plan: &Plan,
    units: &Units,
    dates: &[NaiveDate],
    histories: &[UnitHistory],
    lang: Lang,
) -> Result<Vec<u8>, String> {
    let f = Formats::new();
    let mut book = Workbook::new();
    history_sheet(&mut book, &f, plan, units, dates, histories, lang).map_err(|e| e.to_string())?;
    plan_sheet(&mut book, &f, plan, None, lang).map_err(|e| e.to_string())?;
    save(book)
}

fn history_sheet(
    book: &mut Workbook,
    f: &Formats,
    plan: &Plan,
    units: &Units,
    dates: &[NaiveDate],
    histories: &[UnitHistory],
    lang: Lang,
) -> Result<(), XlsxError> {
    let mut cols = columns(
        &[
            ("đơn vị", "unit", 12.0),
            ("tên đơn vị", "unit name", 28.0),
            ("chỉ tiêu", "goal", 10.0),
        ],
        lang,
    );
    cols.extend(dates.iter().map(|d| (d.to_string(), 12.0)));
    let sheet = add(book, lang.pick("Lịch sử", "History"))?;
    header(sheet, f, &cols)?;
    sheet.set_freeze_panes(1, 3)?;
    let mut row = 0u32;
    for h in histories {
        let info = units.info(h.unit);
        for series in &h.series {
            row += 1;
            sheet.write_string(row, 0, units.id(h.unit))?;
            sheet.write_string(row, 1, info.map_or("", |i| i.name.as_str()))?;
            if let Some(g) = plan.goals.get(series.goal) {
                sheet.write_string(row, 2, &g.id.name)?;
            }
            for (col, step) in (3u16..).zip(&series.steps) {
                status(sheet, row, col, step.status, lang)?;
            }
        }
    }
    filters(
        sheet,
        usize::try_from(row).unwrap_or(usize::MAX),
        cols.len(),
    )
}

/// Periods a template asks data for, and the instructions' words for its units of measure.
fn unit_word(unit: Unit) -> &'static str {
    match unit {
        Unit::Percent => "% (gõ 89,6 cho 89,6%)",
        Unit::Count => "số lượng (số nguyên)",
        Unit::Points => "điểm",
        Unit::Days => "ngày",
        Unit::Vnd => "đồng",
        Unit::Number => "số",
        Unit::Boolean => "1 = có, 0 = không",
        Unit::Date => "ngày (YYYY-MM-DD)",
    }
}

/// A data-entry workbook for a plan, in the wide layout `--data` reads: a data sheet with one
/// row per unit and period and one column per indicator in `indicators` (headed by its id, its
/// Vietnamese name and unit in a note; values validated: non-negative numbers, whole numbers
/// for counts; percent columns formatted as percentages, so a typed 89.6 shows and reads as
/// 89.6%), then an instructions sheet in Vietnamese.
pub fn template_xlsx(
    plan: &Plan,
    indicators: &[usize],
    units: &[(&str, &str)],
    periods: &[crate::period::Period],
) -> Result<Vec<u8>, String> {
    template(plan, indicators, units, periods).map_err(|e| e.to_string())
}

fn template(
    plan: &Plan,
    indicators: &[usize],
    units: &[(&str, &str)],
    periods: &[crate::period::Period],
) -> Result<Vec<u8>, XlsxError> {
    use rust_xlsxwriter::{DataValidation, DataValidationRule, Note};
    let f = Formats::new();
    let mut book = Workbook::new();
    let inds: Vec<&crate::plan::Indicator> = indicators
        .iter()
        .filter_map(|&i| plan.indicators.get(i))
        .collect();
    let mut cols = vec![
        ("Đơn vị".to_string(), 12.0),
        ("Tên đơn vị".to_string(), 28.0),
        ("Kỳ".to_string(), 10.0),
    ];
    cols.extend(inds.iter().map(|i| (i.id.name.clone(), 18.0)));
    let rows = units.len().saturating_mul(periods.len());
    let last_row = u32::try_from(rows).unwrap_or(u32::MAX).max(1);
    let sheet = add(&mut book, "Số liệu")?;
    header(sheet, &f, &cols)?;
    sheet.set_freeze_panes(1, 3)?;
    let mut row = 0u32;
    for (id, name) in units {
        for p in periods {
            row += 1;
            sheet.write_string(row, 0, *id)?;
            sheet.write_string(row, 1, *name)?;
            sheet.write_string(row, 2, p.to_string())?;
        }
    }
    for (col, ind) in (3u16..).zip(&inds) {
        let note = Note::new(format!(
            "{}\nĐơn vị tính: {}",
            ind.name,
            unit_word(ind.unit)
        ))
        .add_author_prefix(false);
        sheet.insert_note(0, col, &note)?;
        let rule = match ind.unit {
            Unit::Count => Some(
                DataValidation::new()
                    .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
                    .set_error_message(
                        "Nhập một số nguyên không âm (để trống nếu chưa có số liệu).",
                    )?,
            ),
            Unit::Boolean => Some(
                DataValidation::new()
                    .allow_whole_number(DataValidationRule::Between(0, 1))
                    .set_error_message("Nhập 1 (có) hoặc 0 (không).")?,
            ),
            Unit::Date => None,
            _ => Some(
                DataValidation::new()
                    .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
                    .set_error_message("Nhập một số không âm (để trống nếu chưa có số liệu).")?,
            ),
        };
        if let Some(rule) = rule {
            sheet.add_data_validation(1, col, last_row, col, &rule)?;
        }
        let format = match ind.unit {
            Unit::Percent => Some(Format::new().set_num_format("0.0#%")),
            Unit::Count => Some(f.whole.clone()),
            _ => None,
        };
        if let Some(format) = format {
            for r in 1..=last_row {
                sheet.write_blank(r, col, &format)?;
            }
        }
    }
    instructions(&mut book, &f, plan, &inds)?;
    save(book).map_err(XlsxError::ParameterError)
}

/// The template's instructions, in Vietnamese: how to fill it in and pass it back, and the
/// indicators with their names and units.
fn instructions(
    book: &mut Workbook,
    f: &Formats,
    plan: &Plan,
    inds: &[&crate::plan::Indicator],
) -> Result<(), XlsxError> {
    let sheet = add(book, "Hướng dẫn")?;
    sheet.set_column_width(0, 26)?;
    sheet.set_column_width(1, 60)?;
    sheet.set_column_width(2, 30)?;
    let lines = [
        format!("Mẫu nhập số liệu — {} ({})", plan.title, plan.id),
        "1. Nhập số liệu vào trang «Số liệu»: mỗi dòng là một đơn vị trong một kỳ, mỗi cột là một chỉ số (mã chỉ số ở dòng tiêu đề; di chuột vào ô tiêu đề để xem tên và đơn vị tính).".to_string(),
        "2. Ô để trống là chưa có số liệu (không phải số 0). Không sửa dòng tiêu đề, cột Đơn vị và cột Kỳ.".to_string(),
        "3. Cột tỷ lệ phần trăm đã định dạng %: gõ 89,6 để được 89,6%. Nếu ô không định dạng %, số từ 0 đến 1 (như 0,896) bị báo lỗi vì không rõ là 0,896% hay 89,6%.".to_string(),
        "4. Số lượng là số nguyên không âm; các số khác không âm.".to_string(),
        "5. Kiểm tra và đánh giá: chitieu eval <kế hoạch> --data <tệp này> --units <danh mục đơn vị> --as-of <ngày>".to_string(),
    ];
    let mut row = 0u32;
    for line in lines {
        sheet.write_string(row, 0, line)?;
        row += 1;
    }
    row += 1;
    for (col, name) in (0u16..).zip(["Mã chỉ số", "Tên chỉ số", "Đơn vị tính"]) {
        sheet.write_string_with_format(row, col, name, &f.header)?;
    }
    for ind in inds {
        row += 1;
        sheet.write_string(row, 0, &ind.id.name)?;
        sheet.write_string_with_format(row, 1, &ind.name, &f.wrap)?;
        sheet.write_string(row, 2, unit_word(ind.unit))?;
    }
    Ok(())
}
