//! Spreadsheets in and out, against an independent client: openpyxl (tests/sheets/client.py)
//! writes the workbooks chitieu reads and reads back those chitieu writes. These tests need
//! `python3` with `openpyxl` (`python3 -m pip install openpyxl`) and fail without it. The
//! LibreOffice ones (`.ods`/`.xls` input, converting the results workbook) run when
//! `CHITIEU_LIBREOFFICE=1`, as CI sets it (they take seconds each).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const PLAN: &str = "plans/vinh-long/22-kh-ubnd-2026-2030.yaml";

/// A fresh folder for one test's files.
fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("sheets")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the openpyxl client; panics (the test fails) when python3 or openpyxl is missing.
fn client(args: &[&str]) -> String {
    let o = Command::new("python3")
        .arg("tests/sheets/client.py")
        .args(args)
        .output()
        .expect("python3 is needed by the spreadsheet tests");
    assert!(
        o.status.success(),
        "the openpyxl client failed (install it: python3 -m pip install openpyxl):\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// Writes a workbook described as JSON (see client.py) with openpyxl.
fn workbook(dir: &Path, name: &str, spec: &Value) -> PathBuf {
    let spec_path = dir.join(format!("{name}.json"));
    std::fs::write(&spec_path, spec.to_string()).unwrap();
    let out = dir.join(name);
    client(&["write", spec_path.to_str().unwrap(), out.to_str().unwrap()]);
    out
}

fn chitieu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run chitieu")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `eval --format json` of Plan 22 on `data` (and `units`) as of 2026-10-31.
fn eval_json(data: &str, units: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "eval",
        PLAN,
        "--data",
        data,
        "--units",
        units,
        "--as-of",
        "2026-10-31",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let o = chitieu(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The example observations: (unit, indicator, period, value, as_of), as CSV text.
fn observations() -> Vec<[String; 5]> {
    let text = std::fs::read_to_string("examples/data/observations.csv").unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            [0, 1, 2, 3, 4].map(|i| r[i].to_string())
        })
        .collect()
}

/// A CSV cell as a spreadsheet holds it: numbers as numbers, dates as dates.
fn typed(text: &str) -> Value {
    if text.is_empty() {
        Value::Null
    } else if let Ok(i) = text.parse::<i64>() {
        json!(i)
    } else if let Ok(f) = text.parse::<f64>() {
        json!(f)
    } else if text.len() == 10 && text.as_bytes()[4] == b'-' {
        json!({ "date": text })
    } else {
        json!(text)
    }
}

/// The example data in the long layout, headers in Vietnamese.
fn long_form() -> Value {
    let mut rows = vec![json!([
        "Đơn vị",
        "Chỉ tiêu",
        "Kỳ",
        "Giá trị",
        "Ngày số liệu"
    ])];
    for [unit, indicator, period, value, as_of] in observations() {
        rows.push(json!([
            unit,
            indicator,
            typed(&period),
            typed(&value),
            typed(&as_of)
        ]));
    }
    json!({ "sheets": [
        { "name": "Hướng dẫn", "rows": [["Số liệu ở trang bên"]] },
        { "name": "Số liệu", "rows": rows },
    ]})
}

/// The example data in the wide layout: a title row, then `unit, period, as_of` and one
/// column per indicator (by id, two by their Vietnamese name); empty cells where the CSV has
/// no row.
fn wide_form() -> Value {
    let obs = observations();
    let mut indicators: Vec<String> = Vec::new();
    let mut keys: Vec<(String, String, String)> = Vec::new();
    for [unit, indicator, period, _, as_of] in &obs {
        if !indicators.contains(indicator) {
            indicators.push(indicator.clone());
        }
        let key = (unit.clone(), period.clone(), as_of.clone());
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    let heading = |id: &str| match id {
        "total_dossiers" => "Tổng số hồ sơ TTHC tiếp nhận".to_string(),
        "online_dossiers" => "SỐ HỒ SƠ TTHC TIẾP NHẬN, XỬ LÝ TRỰC TUYẾN".to_string(),
        id => id.to_string(),
    };
    let mut header = vec![json!("unit"), json!("period"), json!("as_of")];
    header.extend(indicators.iter().map(|i| json!(heading(i))));
    let mut rows = vec![json!(["Số liệu chỉ tiêu CCHC 2022–2026"]), json!(header)];
    for (unit, period, as_of) in &keys {
        let mut row = vec![json!(unit), typed(period), typed(as_of)];
        for ind in &indicators {
            let v = obs
                .iter()
                .find(|[u, i, p, _, a]| u == unit && i == ind && p == period && a == as_of)
                .map_or(Value::Null, |o| typed(&o[3]));
            row.push(v);
        }
        rows.push(Value::Array(row));
    }
    json!({ "sheets": [{ "name": "Data", "rows": rows }] })
}

/// The example unit registry, headers in Vietnamese.
fn units_book() -> Value {
    let text = std::fs::read_to_string("examples/data/units.csv").unwrap();
    let mut rows = vec![json!(["Mã", "Tên", "Loại", "Cấp trên"])];
    for r in csv::Reader::from_reader(text.as_bytes()).records() {
        let r = r.unwrap();
        rows.push(json!([&r[0], &r[1], &r[2], typed(&r[3])]));
    }
    json!({ "sheets": [{ "name": "Đơn vị", "rows": rows }] })
}

#[test]
fn long_and_wide_workbooks_evaluate_exactly_as_the_csv() {
    let dir = scratch("layouts");
    let expected = eval_json(
        "examples/data/observations.csv",
        "examples/data/units.csv",
        &[],
    );
    let units = workbook(&dir, "units.xlsx", &units_book());
    for (name, spec) in [("long.xlsx", long_form()), ("wide.xlsx", wide_form())] {
        let book = workbook(&dir, name, &spec);
        for registry in ["examples/data/units.csv", units.to_str().unwrap()] {
            let got = eval_json(book.to_str().unwrap(), registry, &[]);
            assert_eq!(got, expected, "{name} with units from {registry}");
        }
    }
}

#[test]
fn a_text_value_in_a_numeric_cell_is_an_error_at_its_sheet_and_cell() {
    let dir = scratch("text-value");
    let mut spec = long_form();
    // Row 7 of the sheet is the sixth observation; D is the value column.
    spec["sheets"][1]["rows"][6][3] = json!("chín mươi");
    let book = workbook(&dir, "data.xlsx", &spec);
    let (code, err) = eval_book(&book, &[]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("error[malformed-number]: cannot read number `chín mươi`"),
        "{err}"
    );
    assert!(err.contains("data.xlsx:Số liệu!D7"), "{err}");
    assert!(err.contains("^^^^^^^^^"), "{err}");
}

/// A one-sheet workbook of the given rows under a long header, evaluated for `online_rate`
/// (a percent) and `total_dossiers` (a count) through `explain`.
fn percent_case(dir: &Path, name: &str, rows: Vec<Value>, formats: Value) -> Output {
    let mut all = vec![json!(["unit", "indicator", "period", "value"])];
    all.extend(rows);
    let spec = json!({ "sheets": [{ "name": "Số liệu", "rows": all, "formats": formats }] });
    let book = workbook(dir, name, &spec);
    chitieu(&[
        "explain",
        PLAN,
        "--data",
        book.to_str().unwrap(),
        "--units",
        "examples/data/units.csv",
        "--as-of",
        "2026-10-31",
        "--unit",
        "H61",
        "--goal",
        "II.2.h",
        "--lang",
        "en",
    ])
}

#[test]
fn percent_cells_are_read_as_shown_and_plain_fractions_are_refused() {
    let dir = scratch("percent");
    let data = |v: Value| {
        vec![
            json!(["H61", "online_dossiers", "2026-Q3", 900]),
            json!(["H61", "total_dossiers", "2026-Q3", 1000]),
            json!(["H61", "satisfaction_rate", "2026", v]),
        ]
    };
    // A cell formatted as a percentage holds the fraction: 0.896 shows as 89.6%.
    let o = percent_case(
        &dir,
        "formatted.xlsx",
        data(json!(0.896)),
        json!({ "D4": "0.0%" }),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A plain number is a percentage, as in CSV.
    let o = percent_case(&dir, "plain.xlsx", data(json!(89.6)), json!({}));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A plain number from 0 to 1 could be either: refused, at its cell.
    let o = percent_case(&dir, "ambiguous.xlsx", data(json!(0.896)), json!({}));
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("error[ambiguous-percent]: `0.896` for percent indicator `satisfaction_rate` could be 0.896% or the fraction 89.6%"),
        "{err}"
    );
    assert!(err.contains("ambiguous.xlsx:Số liệu!D4"), "{err}");
    // A percentage for a count is refused.
    let mut rows = data(json!(89.6));
    rows[1] = json!(["H61", "total_dossiers", "2026-Q3", 0.5]);
    let o = percent_case(&dir, "count.xlsx", rows, json!({ "D3": "0%" }));
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("error[unexpected-percent]: `50%` is a percentage"),
        "{err}"
    );
    assert!(err.contains("count.xlsx:Số liệu!D3"), "{err}");
}

#[test]
fn the_values_read_are_those_shown() {
    let dir = scratch("values");
    let rows = vec![
        json!(["H61", "online_dossiers", "2026-Q3", 3410]),
        json!(["H61", "total_dossiers", "2026-Q3", "3806"]),
    ];
    let o = percent_case(&dir, "values.xlsx", rows, json!({}));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.contains(
            "online_rate = online_dossiers / total_dossiers = 3,410 / 3,806 = 89.60% (2026-Q3)"
        ),
        "{out}"
    );
}

/// Runs eval on a workbook and returns (exit code, stderr).
fn eval_book(book: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let mut args = vec![
        "eval",
        PLAN,
        "--data",
        book.to_str().unwrap(),
        "--units",
        "examples/data/units.csv",
        "--as-of",
        "2026-10-31",
        "--lang",
        "en",
    ];
    args.extend_from_slice(extra);
    let o = chitieu(&args);
    (o.status.code(), stderr(&o))
}

#[test]
fn each_faulty_cell_is_reported_at_its_cell() {
    let dir = scratch("faults");
    let spec = json!({ "sheets": [{ "name": "Số liệu", "rows": [
        ["unit", "indicator", "period", "value", "as_of"],
        ["H61", "online_rat", "2026", 1, null],
        ["H99", "total_dossiers", "2026", 1, null],
        ["H61", "total_dossiers", "2026-Q5", 1, null],
        ["H61", "total_dossiers", "2026", "#DIV/0!", null],
        ["H61", "total_dossiers", "2025", null, null],
        ["H61", "online_rate", "2026", 5, null],
        ["H61", "total_dossiers", "2026-Q1", 5, "2025-01-01"],
        ["H61", "total_dossiers", "2026-Q2", 5, null],
        ["H61", "total_dossiers", "2026-Q2", 6, null],
    ]}]});
    let book = workbook(&dir, "faults.xlsx", &spec);
    let (code, err) = eval_book(&book, &[]);
    assert_eq!(code, Some(1));
    for expected in [
        "error[unknown-name]: unknown indicator `online_rat`\n --> ",
        "faults.xlsx:Số liệu!B2",
        "error[unknown-name]: unknown unit `H99`",
        "faults.xlsx:Số liệu!A3",
        "error[invalid-period]",
        "faults.xlsx:Số liệu!C4",
        "error[cell-error]: the cell holds the spreadsheet error `#DIV/0!`, not a value",
        "faults.xlsx:Số liệu!D5",
        "error[empty-cell]",
        "faults.xlsx:Số liệu!D6",
        "error[derived-observation]",
        "faults.xlsx:Số liệu!B7",
        "error[invalid-value]",
        "faults.xlsx:Số liệu!E8",
        "error[duplicate-observation]",
        "faults.xlsx:Số liệu!10:10",
        "faults.xlsx:Số liệu!9:9",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in\n{err}");
    }
}

#[test]
fn errors_are_capped_per_workbook_like_csv() {
    let dir = scratch("cap");
    let mut rows = vec![json!(["unit", "indicator", "period", "value"])];
    for i in 0..150 {
        rows.push(json!([
            "H61",
            "total_dossiers",
            format!("2026-{:02}", i % 12 + 1),
            "x"
        ]));
    }
    let spec = json!({ "sheets": [
        { "name": "A", "rows": rows.clone() },
        { "name": "B", "rows": rows },
    ]});
    let book = workbook(&dir, "cap.xlsx", &spec);
    let (code, err) = eval_book(&book, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(err.matches("error[malformed-number]").count(), 100, "{err}");
    assert_eq!(err.matches("error[too-many-errors]").count(), 1, "{err}");
}

#[test]
fn sheets_are_chosen_by_their_header_or_by_name() {
    let dir = scratch("choose");
    let book = workbook(&dir, "data.xlsx", &long_form());
    // The instructions sheet is noted and skipped.
    let (code, err) = eval_book(&book, &[]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains(
            "warning[sheet-skipped]: sheet `Hướng dẫn` is not read: it has no data header row"
        ),
        "{err}"
    );
    let (code, err) = eval_book(&book, &["--sheet", "Số liệu"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!err.contains("sheet-skipped"), "{err}");
    let (code, err) = eval_book(&book, &["--sheet", "So lieu"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("error[unknown-name]: unknown sheet `So lieu`"),
        "{err}"
    );
    assert!(err.contains("did you mean `Số liệu`?"), "{err}");
    // No sheet with a header at all.
    let spec =
        json!({ "sheets": [{ "name": "Sheet1", "rows": [["đơn vị", "giá trị"], ["H61", 1]] }] });
    let book = workbook(&dir, "none.xlsx", &spec);
    let (code, err) = eval_book(&book, &[]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("error[no-sheet]: no sheet (`Sheet1`) has a header row with the columns `unit`, `period`"),
        "{err}"
    );
}

#[test]
fn wide_headers_are_checked_against_the_plan() {
    let dir = scratch("wide-headers");
    let spec = json!({ "sheets": [{ "name": "Số liệu", "rows": [
        ["Đơn vị", "Kỳ", "total_dosiers", "online_rate", "online_dossiers"],
        ["H61", 2026, 1, 2, 3],
    ]}]});
    let book = workbook(&dir, "wide.xlsx", &spec);
    let (code, err) = eval_book(&book, &[]);
    assert_eq!(code, Some(1));
    assert!(err.contains("unknown indicator `total_dosiers`"), "{err}");
    assert!(err.contains("wide.xlsx:Số liệu!C1"), "{err}");
    assert!(err.contains("did you mean `total_dossiers`?"), "{err}");
    assert!(err.contains("error[derived-observation]"), "{err}");
    assert!(err.contains("wide.xlsx:Số liệu!D1"), "{err}");
}

#[test]
fn a_damaged_workbook_is_an_error_not_a_crash() {
    let dir = scratch("damaged");
    let book = dir.join("damaged.xlsx");
    std::fs::write(&book, b"PK\x03\x04 not really a zip").unwrap();
    let (code, err) = eval_book(&book, &[]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("error[workbook]: cannot read the spreadsheet"),
        "{err}"
    );
}

#[test]
fn unit_registries_in_workbooks_are_checked_at_their_cells() {
    let dir = scratch("units");
    let mut spec = units_book();
    spec["sheets"][0]["rows"][3][2] = json!("departmnt");
    let units = workbook(&dir, "units.xlsx", &spec);
    let o = chitieu(&[
        "eval",
        PLAN,
        "--data",
        "examples/data/observations.csv",
        "--units",
        units.to_str().unwrap(),
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("units.xlsx:Đơn vị!C4"), "{err}");
    assert!(err.contains("did you mean `department`?"), "{err}");
}

/// LibreOffice, headless: converts `book` to `format` in `dir`.
fn soffice(dir: &Path, book: &Path, format: &str) -> PathBuf {
    let o = Command::new("soffice")
        .args(["--headless", "--convert-to", format, "--outdir"])
        .arg(dir)
        .arg(book)
        .env("HOME", dir)
        .output()
        .expect("LibreOffice (soffice) is needed when CHITIEU_LIBREOFFICE=1");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = book
        .with_extension(format.split(':').next().unwrap())
        .file_name()
        .map(|f| dir.join(f))
        .unwrap();
    assert!(out.exists(), "soffice wrote no {}", out.display());
    out
}

fn libreoffice() -> bool {
    std::env::var_os("CHITIEU_LIBREOFFICE").is_some_and(|v| v == "1")
}

#[test]
fn ods_and_xls_from_libreoffice_evaluate_as_the_csv() {
    if !libreoffice() {
        return;
    }
    let dir = scratch("libreoffice-in");
    let expected = eval_json(
        "examples/data/observations.csv",
        "examples/data/units.csv",
        &[],
    );
    for spec in [long_form(), wide_form()] {
        let book = workbook(&dir, "data.xlsx", &spec);
        for format in ["ods", "xls"] {
            let converted = soffice(&dir, &book, format);
            let got = eval_json(converted.to_str().unwrap(), "examples/data/units.csv", &[]);
            assert_eq!(got, expected, "{format}");
        }
    }
}

/// A workbook's sheets as openpyxl reads them.
fn read_book(path: &Path) -> Value {
    serde_json::from_str(&client(&["read", path.to_str().unwrap()])).unwrap()
}

/// Runs chitieu and expects exit 0.
fn ok(args: &[&str]) -> Output {
    let o = chitieu(args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    o
}

/// A JSON decimal string as the spreadsheet number it is written as.
fn number(v: &Value) -> Option<f64> {
    v.as_str().map(|s| s.parse::<f64>().unwrap())
}

#[test]
fn the_results_workbook_holds_the_json_results_cell_by_cell() {
    let dir = scratch("results");
    let out = dir.join("results.xlsx");
    let o = ok(&common::main_args(
        "eval",
        &[
            "--lang",
            "en",
            "--format",
            "xlsx",
            "-o",
            out.to_str().unwrap(),
        ],
    ));
    assert!(o.stdout.is_empty());
    let json: Value = serde_json::from_slice(
        &ok(&common::main_args(
            "eval",
            &["--lang", "en", "--format", "json"],
        ))
        .stdout,
    )
    .unwrap();
    let book = read_book(&out);
    let sheets: Vec<&str> = book["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(sheets, ["Results", "Plan"]);
    let results = &book["sheets"][0];
    let rows = results["rows"].as_array().unwrap();
    assert_eq!(
        rows[0],
        json!([
            "unit",
            "unit name",
            "goal",
            "title",
            "status",
            "actual",
            "target",
            "expected",
            "gap",
            "deadline",
            "data period"
        ])
    );
    let expected = json["results"].as_array().unwrap();
    assert_eq!(rows.len(), expected.len() + 1);
    for (i, (row, r)) in rows[1..].iter().zip(expected).enumerate() {
        let at = |col: char| format!("{col}{}", i + 2);
        assert_eq!(row[0], r["unit"]);
        assert_eq!(row[1], r["unit_name"]);
        assert_eq!(row[2], r["goal"]);
        assert_eq!(row[3], r["title"]);
        assert_eq!(
            row[4].as_str().unwrap(),
            r["status"].as_str().unwrap().replace('_', " ")
        );
        assert!(
            results["fills"][at('E')].is_string(),
            "status cell {} is coloured",
            at('E')
        );
        for (col, key) in [(5, "actual"), (6, "target"), (7, "expected"), (8, "gap")] {
            match number(&r[key]) {
                Some(v) => {
                    let cell = row[col].as_f64().unwrap();
                    assert!(
                        (cell - v).abs() <= 1e-12 * v.abs().max(1.0),
                        "{key} {cell} != {v}"
                    );
                    let letter = char::from(b'A' + col as u8);
                    let format = results["formats"][at(letter)].as_str().unwrap();
                    if r["value_unit"] == "percent" {
                        assert_eq!(format, "0.00%");
                    } else {
                        assert!(format.starts_with("#,##0"), "{format}");
                    }
                }
                None => assert!(row[col].is_null(), "{key} of {} {}", r["unit"], r["goal"]),
            }
        }
        assert_eq!(row[9], r["deadline"]);
        assert_eq!(row[10], r["period"]);
    }
    assert_eq!(results["freeze"], "A2");
    assert_eq!(results["filter"], format!("A1:K{}", rows.len()));
}

#[test]
fn statuses_and_headers_follow_the_report_language() {
    let dir = scratch("results-vi");
    let out = dir.join("ket-qua.xlsx");
    ok(&common::main_args(
        "eval",
        &[
            "--lang",
            "vi",
            "--format",
            "xlsx",
            "-o",
            out.to_str().unwrap(),
        ],
    ));
    let book = read_book(&out);
    assert_eq!(book["sheets"][0]["name"], "Kết quả");
    let rows = book["sheets"][0]["rows"].as_array().unwrap();
    assert_eq!(rows[0][4], "trạng thái");
    let statuses: Vec<&str> = rows[1..].iter().map(|r| r[4].as_str().unwrap()).collect();
    assert!(
        statuses.contains(&"đạt") && statuses.contains(&"không đạt"),
        "{statuses:?}"
    );
}

#[test]
fn index_plans_get_a_scores_sheet_equal_to_the_json_scores() {
    let dir = scratch("scores");
    let out = dir.join("scores.xlsx");
    let args = |extra: &[&'static str]| {
        let mut a = vec![
            "eval",
            "plans/national/766-dvcqg-2026.yaml",
            "--data",
            "tests/fixtures/766/observations.csv",
            "--units",
            "tests/fixtures/766/units.csv",
            "--as-of",
            "2026-10-11",
            "--lang",
            "en",
        ];
        a.extend_from_slice(extra);
        a
    };
    let mut xlsx = args(&["--format", "xlsx", "-o"]);
    xlsx.push(out.to_str().unwrap());
    ok(&xlsx);
    let json: Value = serde_json::from_slice(&ok(&args(&["--format", "json"])).stdout).unwrap();
    let book = read_book(&out);
    let scores = &book["sheets"][1];
    assert_eq!(scores["name"], "Scores");
    let rows = scores["rows"].as_array().unwrap();
    let header: Vec<&str> = rows[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(header[..3], ["unit", "unit name", "period"]);
    assert_eq!(header[header.len() - 3..], ["total (100)", "band", "rank"]);
    let expected = json["scores"].as_array().unwrap();
    assert_eq!(rows.len(), expected.len() + 1);
    for (row, s) in rows[1..].iter().zip(expected) {
        assert_eq!(row[0], s["unit"]);
        assert_eq!(row[2], s["period"]);
        let n = row.as_array().unwrap().len();
        let total = row[n - 3].as_f64().unwrap();
        assert!((total - number(&s["total"]).unwrap()).abs() < 1e-9);
        assert_eq!(row[n - 1], s["rank"]);
    }
}

#[test]
fn a_history_workbook_has_a_status_per_unit_goal_and_month_end() {
    let dir = scratch("history");
    let out = dir.join("history.xlsx");
    let mut args = common::main_args(
        "eval",
        &[
            "--lang",
            "en",
            "--history",
            "2026-07..2026-10",
            "--format",
            "json",
        ],
    );
    args.retain(|a| *a != "--as-of" && *a != "2026-10-31");
    let mut xargs = common::main_args(
        "eval",
        &[
            "--lang",
            "en",
            "--history",
            "2026-07..2026-10",
            "--format",
            "xlsx",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    xargs.retain(|a| *a != "--as-of" && *a != "2026-10-31");
    ok(&xargs);
    let text = String::from_utf8(ok(&args).stdout).unwrap();
    let book = read_book(&out);
    let history = &book["sheets"][0];
    assert_eq!(history["name"], "History");
    let rows = history["rows"].as_array().unwrap();
    assert_eq!(
        rows[0],
        json!([
            "unit",
            "unit name",
            "goal",
            "2026-07-31",
            "2026-08-31",
            "2026-09-30",
            "2026-10-31"
        ])
    );
    let mut n = 0;
    for line in text.lines().filter(|l| l.starts_with("{\"unit\"")) {
        let h: Value = serde_json::from_str(line.trim_end_matches(',')).unwrap();
        n += 1;
        let row = &rows[n];
        assert_eq!(row[0], h["unit"]);
        assert_eq!(row[2], h["goal"]);
        for (i, step) in h["series"].as_array().unwrap().iter().enumerate() {
            assert_eq!(
                row[3 + i].as_str().unwrap(),
                step["status"].as_str().unwrap().replace('_', " ")
            );
        }
    }
    assert_eq!(rows.len(), n + 1);
    assert!(n > 0);
    assert_eq!(history["freeze"], "D2");
}

#[test]
fn output_files_are_written_whole_through_a_rename() {
    let dir = scratch("output");
    let out = dir.join("results.json");
    std::fs::write(&out, "old").unwrap();
    ok(&common::main_args(
        "eval",
        &["--format", "json", "-o", out.to_str().unwrap()],
    ));
    let stdout = ok(&common::main_args("eval", &["--format", "json"])).stdout;
    assert_eq!(std::fs::read(&out).unwrap(), stdout);
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, [std::ffi::OsString::from("results.json")]);
    // `check` and `schema` write reports too.
    let schema = dir.join("schema.json");
    ok(&["schema", "-o", schema.to_str().unwrap()]);
    assert_eq!(std::fs::read(&schema).unwrap(), ok(&["schema"]).stdout);
    // A folder that does not exist: exit 2, nothing written.
    let o = chitieu(&common::main_args(
        "eval",
        &[
            "--lang",
            "en",
            "-o",
            dir.join("no/such/dir.txt").to_str().unwrap(),
        ],
    ));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("error: cannot write the output"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_workbook_is_not_written_to_a_terminal() {
    // `script` gives the command a terminal for its standard output.
    let bin = env!("CARGO_BIN_EXE_chitieu");
    let command = format!(
        "{bin} {} --format xlsx --lang en",
        common::main_args("eval", &[]).join(" ")
    );
    let o = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .output()
        .expect("script (util-linux) gives the command a terminal");
    assert_eq!(o.status.code(), Some(2));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("write it to a file with `-o FILE.xlsx`"),
        "{text}"
    );
    // Piped, the workbook goes to standard output.
    let o = ok(&common::main_args("eval", &["--format", "xlsx"]));
    assert!(o.stdout.starts_with(b"PK\x03\x04"));
}

#[test]
fn a_filled_in_template_evaluates_with_no_editing() {
    let dir = scratch("template");
    let out = dir.join("mau.xlsx");
    ok(&[
        "template",
        PLAN,
        "--units",
        "examples/data/units.csv",
        "--period",
        "2026-Q3",
        "2026-Q4",
        "-o",
        out.to_str().unwrap(),
    ]);
    let book = read_book(&out);
    assert_eq!(book["sheets"][0]["name"], "Số liệu");
    assert_eq!(book["sheets"][1]["name"], "Hướng dẫn");
    let data = &book["sheets"][0];
    let rows = data["rows"].as_array().unwrap();
    let header: Vec<&str> = rows[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(header[..3], ["Đơn vị", "Tên đơn vị", "Kỳ"]);
    // Measured indicators only: online_rate is derived from these two.
    let col = |id: &str| {
        header
            .iter()
            .position(|h| *h == id)
            .unwrap_or_else(|| panic!("no {id} in {header:?}"))
    };
    assert!(!header.contains(&"online_rate"));
    let (online, total) = (col("online_dossiers"), col("total_dossiers"));
    // One row per unit and period.
    assert_eq!(rows.len(), 1 + 9 * 2);
    assert_eq!(rows[1][0], "H61");
    assert_eq!(rows[1][2], "2026-Q3");
    let validations = data["validations"].as_array().unwrap();
    assert!(
        validations
            .iter()
            .any(|v| v["type"] == "whole" && v["operator"] == "greaterThanOrEqual"),
        "{validations:?}"
    );
    assert_eq!(data["freeze"], "D2");
    // Fill two cells: H61's online and total dossiers for 2026-Q3, 85%.
    let letter = |c: usize| char::from(b'A' + c as u8);
    let spec = json!({ "Số liệu": {
        format!("{}2", letter(online)): 850,
        format!("{}2", letter(total)): 1000,
    }});
    let spec_path = dir.join("fill.json");
    std::fs::write(&spec_path, spec.to_string()).unwrap();
    let filled = dir.join("filled.xlsx");
    client(&[
        "fill",
        out.to_str().unwrap(),
        filled.to_str().unwrap(),
        spec_path.to_str().unwrap(),
    ]);
    let o = ok(&[
        "explain",
        PLAN,
        "--data",
        filled.to_str().unwrap(),
        "--units",
        "examples/data/units.csv",
        "--as-of",
        "2026-10-31",
        "--unit",
        "H61",
        "--goal",
        "II.2.h",
        "--lang",
        "en",
    ]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains(
            "online_rate = online_dossiers / total_dossiers = 850 / 1,000 = 85.00% (2026-Q3)"
        ),
        "{text}"
    );
    assert!(text.contains("Status: ✓ met"), "{text}");
}

#[test]
fn libreoffice_converts_the_results_workbook() {
    if !libreoffice() {
        return;
    }
    let dir = scratch("libreoffice-out");
    let out = dir.join("results.xlsx");
    ok(&common::main_args(
        "eval",
        &[
            "--lang",
            "en",
            "--format",
            "xlsx",
            "-o",
            out.to_str().unwrap(),
        ],
    ));
    // Comma-separated, double quotes, UTF-8 (76), whatever the machine's locale.
    let csv_path = soffice(&dir, &out, "csv:Text - txt - csv (StarCalc):44,34,76");
    let text = std::fs::read_to_string(csv_path).unwrap();
    assert!(
        text.starts_with("unit,unit name,goal,title,status,"),
        "{text}"
    );
    assert!(text.contains("H61,"), "{text}");
}
