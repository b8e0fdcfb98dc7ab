//! Observation files: formats, locales, faults and their places, storage and queries.

use super::*;
use crate::diag::Diagnostic;
use crate::lang::Lang;
use crate::period::{Period, parse_date};
use crate::plan::Plan;

const PLAN: &str = "chitieu: 1
plan: { id: P, title: T, period: 2026 .. 2030, baseline: 2025 }
indicators:
  online: { name: Hồ sơ trực tuyến, unit: count }
  total: { name: Tổng số hồ sơ, unit: count }
  online_rate: { name: Tỷ lệ, unit: percent, formula: online / total }
  score: { name: Điểm, unit: points }
  autonomous: { name: Tự chủ tài chính, unit: boolean }
  adopted: { name: Ngày ban hành, unit: date }
  share: { name: Tỷ lệ số hóa, unit: percent }
";

const UNITS: &str = "id,name,kind,parent
H61,UBND tỉnh Vĩnh Long,province,
H20,UBND tỉnh Đồng Tháp,province,
S01,Sở Nội vụ,department,H61
";

fn plan() -> Plan {
    let (plan, diags) = crate::plan::load_str("plan.yaml", PLAN);
    assert!(diags.is_empty(), "{diags:?}");
    plan.unwrap()
}

fn ind(plan: &Plan, name: &str) -> usize {
    plan.indicators
        .iter()
        .position(|i| i.id.name == name)
        .unwrap()
}

fn date(s: &str) -> chrono::NaiveDate {
    parse_date(s).unwrap()
}

fn period(s: &str) -> Period {
    s.parse().unwrap()
}

struct Loaded {
    plan: Plan,
    units: Units,
    data: Dataset,
}

impl Loaded {
    fn value(&self, indicator: &str, unit: &str, t: &str) -> Option<String> {
        let u = self.units.get(unit)?;
        self.data
            .current(ind(&self.plan, indicator), u, date(t))
            .map(|p| p.value().to_string())
    }
}

fn load_as(text: &str, format: Format, locale: Locale) -> Result<Loaded, Vec<Diagnostic>> {
    let plan = plan();
    let mut units = load_units_str("units.csv", UNITS, Format::Csv, &plan).unwrap();
    let name = match format {
        Format::Csv => "data.csv",
        Format::Yaml => "data.yaml",
        Format::Json => "data.json",
        Format::Xlsx | Format::Xls | Format::Ods => "data.xlsx",
    };
    let data = load_observations_str(name, text, format, &plan, &mut units, locale)?;
    Ok(Loaded { plan, units, data })
}

fn load(text: &str) -> Loaded {
    match load_as(text, Format::Csv, Locale::Default) {
        Ok(l) => l,
        Err(d) => panic!("{d:#?}"),
    }
}

fn errors(text: &str, format: Format, locale: Locale) -> Vec<Diagnostic> {
    match load_as(text, format, locale) {
        Ok(_) => panic!("no error for {text:?}"),
        Err(d) => d,
    }
}

/// The single error of a CSV text in the default locale.
fn error(text: &str) -> Diagnostic {
    let mut d = errors(text, Format::Csv, Locale::Default);
    assert_eq!(d.len(), 1, "{d:#?}");
    d.remove(0)
}

/// Line, column and underlined text of a diagnostic.
fn place(d: &Diagnostic) -> (usize, usize, &str) {
    let loc = d.location.as_ref().unwrap();
    let (line, col) = loc.start_line_col();
    (line, col, loc.text())
}

// ---- formats ----

#[test]
fn csv_with_bom_crlf_and_quoted_cells_is_read() {
    let text = "\u{feff}unit,indicator,period,value,as_of,source\r\n\
                H61,online,2026,\"3410\",,\"Cổng DVC quốc gia, 2026\"\r\n\
                \"H20\", total ,2026,3806,,\r\n";
    let l = load(text);
    assert_eq!(l.data.len(), 2);
    assert_eq!(
        l.value("online", "H61", "2027-01-01").as_deref(),
        Some("3410")
    );
    assert_eq!(
        l.value("total", "H20", "2027-01-01").as_deref(),
        Some("3806")
    );
    let h61 = l.units.get("H61").unwrap();
    let p = &l.data.series(ind(&l.plan, "online"), h61)[0];
    assert_eq!(l.data.source(p), Some("Cổng DVC quốc gia, 2026"));
    assert_eq!(l.data.origin(p), Some(("data.csv", 2)));
    assert_eq!(p.as_of(), None);
}

#[test]
fn columns_come_in_any_order_and_as_of_and_source_are_optional() {
    let l = load("value,period,indicator,unit\n12,2026,score,H61\n");
    assert_eq!(l.value("score", "H61", "2027-01-01").as_deref(), Some("12"));
}

#[test]
fn an_unknown_column_is_named_with_a_suggestion() {
    let d = error("unit,indicator,period,value,asof\nH61,score,2026,1,\n");
    assert_eq!(d.message(Lang::En), "unknown column `asof`");
    assert_eq!(d.help(Lang::En).as_deref(), Some("did you mean `as_of`?"));
    assert_eq!(place(&d), (1, 29, "asof"));
}

#[test]
fn a_missing_column_is_reported_on_the_header() {
    let d = error("unit,indicator,period\nH61,score,2026\n");
    assert_eq!(d.message(Lang::En), "missing column `value`");
    assert_eq!(place(&d), (1, 1, "unit,indicator,period"));
    let d = error("");
    assert_eq!(d.code(), "missing-column");
}

#[test]
fn rows_with_too_few_cells_are_errors() {
    let d = error("unit,indicator,period,value\nH61,score,2026\n");
    assert_eq!(d.message(Lang::En), "the row has 3 cells, the header has 4");
    assert_eq!(place(&d).0, 2);
}

#[test]
fn yaml_lists_and_observation_mappings_are_read() {
    let yaml = "# số liệu\n- { unit: H61, indicator: score, period: 2026, value: 93.3 }\n\
                - unit: H20\n  indicator: share\n  period: 2026-Q3\n  value: \"89.6%\"\n  as_of: 2026-09-30\n";
    let l = load_as(yaml, Format::Yaml, Locale::Default).unwrap();
    assert_eq!(
        l.value("score", "H61", "2027-01-01").as_deref(),
        Some("93.3")
    );
    assert_eq!(
        l.value("share", "H20", "2026-09-30").as_deref(),
        Some("0.896")
    );
    let h20 = l.units.get("H20").unwrap();
    let p = &l.data.series(ind(&l.plan, "share"), h20)[0];
    assert_eq!(l.data.origin(p), Some(("data.yaml", 3)));
    let mapping = "observations:\n  - { unit: H61, indicator: score, period: 2026, value: 1 }\n";
    assert_eq!(
        load_as(mapping, Format::Yaml, Locale::Default)
            .unwrap()
            .data
            .len(),
        1
    );
}

#[test]
fn yaml_faults_are_located_at_their_field() {
    let yaml = "- { unit: H61, indicator: score, period: 2026, value: \"93,3\" }\n\
                - { unit: H61, indicater: score, period: 2025, value: 1 }\n";
    let d = errors(yaml, Format::Yaml, Locale::Default);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].message(Lang::En), "unknown key `indicater`");
    assert_eq!(
        d[0].help(Lang::En).as_deref(),
        Some("did you mean `indicator`?")
    );
    let yaml = "- { unit: H61, indicator: score, period: 2026, value: \"93,3\" }\n- { unit: H61, period: 2025, value: 1 }\n";
    let d = errors(yaml, Format::Yaml, Locale::Default);
    assert_eq!(d.len(), 2, "{d:#?}");
    assert_eq!(d[0].code(), "malformed-number");
    assert_eq!(place(&d[0]), (1, 55, "\"93,3\""));
    assert_eq!(d[1].message(Lang::En), "missing required key `indicator`");
    assert_eq!(place(&d[1]).0, 2);
}

#[test]
fn json_numbers_follow_json_and_json_strings_follow_the_locale() {
    let json = r#"{"observations": [
  {"unit": "H61", "indicator": "score", "period": "2026", "value": 1.675},
  {"unit": "H20", "indicator": "online", "period": "2026", "value": "1.675"},
  {"unit": "S01", "indicator": "share", "period": "2026", "value": 8.96e1}
]}"#;
    let l = load_as(json, Format::Json, Locale::Vi).unwrap();
    assert_eq!(
        l.value("score", "H61", "2027-01-01").as_deref(),
        Some("1.675")
    );
    assert_eq!(
        l.value("online", "H20", "2027-01-01").as_deref(),
        Some("1675")
    );
    assert_eq!(
        l.value("share", "S01", "2027-01-01").as_deref(),
        Some("0.896")
    );
    let d = errors(
        r#"[{"unit": "H61", "indicator": "online", "period": "2026", "value": "1,675"}]"#,
        Format::Json,
        Locale::Default,
    );
    assert_eq!(d[0].code(), "ambiguous-number");
    assert_eq!(place(&d[0]).2, "\"1,675\"");
}

#[test]
fn formats_follow_the_extension() {
    assert_eq!(Format::of_path("a/b.CSV".as_ref()).unwrap(), Format::Csv);
    assert_eq!(Format::of_path("b.yml".as_ref()).unwrap(), Format::Yaml);
    assert_eq!(Format::of_path("b.json".as_ref()).unwrap(), Format::Json);
    #[cfg(feature = "xlsx")]
    {
        assert_eq!(Format::of_path("b.XLSX".as_ref()).unwrap(), Format::Xlsx);
        assert_eq!(Format::of_path("b.xlsm".as_ref()).unwrap(), Format::Xlsx);
        assert_eq!(Format::of_path("b.xls".as_ref()).unwrap(), Format::Xls);
        assert_eq!(Format::of_path("b.ods".as_ref()).unwrap(), Format::Ods);
    }
    let d = Format::of_path("b.txt".as_ref()).unwrap_err();
    assert_eq!(d.message(Lang::En), "invalid value `.txt` for `extension`");
}

// ---- numbers and locales ----

#[test]
fn a_locale_line_switches_the_file_to_vietnamese_numbers() {
    let text = "# locale: vi\r\nunit,indicator,period,value\r\nH61,online,2026,1.675\r\nH61,score,2026,\"93,3\"\r\n";
    let l = load(text);
    assert_eq!(
        l.value("online", "H61", "2027-01-01").as_deref(),
        Some("1675")
    );
    assert_eq!(
        l.value("score", "H61", "2027-01-01").as_deref(),
        Some("93.3")
    );
    // The same rows without the line: `1.675` is a decimal (not a count: an error that names
    // the Vietnamese locale), `93,3` an error.
    let d = errors(
        "unit,indicator,period,value\nH61,online,2026,1.675\nH61,score,2026,\"93,3\"\n",
        Format::Csv,
        Locale::Default,
    );
    assert_eq!(d.len(), 2, "{d:#?}");
    assert_eq!(
        d[0].message(Lang::En),
        "`online` is measured in `count` (whole numbers), but `1.675` has a fraction"
    );
    assert!(d[0].help(Lang::En).unwrap().contains("use `--locale vi`"));
    assert_eq!(place(&d[0]), (2, 17, "1.675"));
    assert_eq!(
        d[1].message(Lang::En),
        "cannot read number `93,3` (locale default)"
    );
    assert_eq!(place(&d[1]), (3, 16, "\"93,3\""));
    // The caller's locale applies when the file names none.
    let l = load_as(
        "unit,indicator,period,value\nH61,online,2026,1.675\n",
        Format::Csv,
        Locale::Vi,
    )
    .unwrap();
    assert_eq!(
        l.value("online", "H61", "2027-01-01").as_deref(),
        Some("1675")
    );
    let d = errors(
        "# locale: en\nunit,indicator,period,value\n",
        Format::Csv,
        Locale::Default,
    );
    assert_eq!(d[0].message(Lang::En), "invalid value `en` for `locale`");
    assert_eq!(place(&d[0]), (1, 11, "en"));
}

#[test]
fn ambiguous_numbers_are_errors_at_their_cell() {
    let d = error("unit,indicator,period,value\nH61,online,2026,\"1,675\"\n");
    assert_eq!(d.message(Lang::En), "number `1,675` can be read two ways");
    assert_eq!(place(&d), (2, 17, "\"1,675\""));
}

#[test]
fn percent_values_are_stored_as_fractions() {
    let l = load_as(
        "# locale: vi\nunit,indicator,period,value\nH61,share,2025,\"89,6%\"\nH61,share,2026,100\nH20,share,2026,\"12,5\"\n",
        Format::Csv,
        Locale::Default,
    )
    .unwrap();
    assert_eq!(
        l.value("share", "H61", "2026-01-01").as_deref(),
        Some("0.896")
    );
    assert_eq!(
        l.value("share", "H61", "2027-01-01").as_deref(),
        Some("1.00")
    );
    assert_eq!(
        l.value("share", "H20", "2027-01-01").as_deref(),
        Some("0.125")
    );
    let d = error("unit,indicator,period,value\nH61,online,2026,50%\n");
    assert_eq!(
        d.message(Lang::En),
        "`50%` is a percentage, but `online` is measured in `count`"
    );
    assert_eq!(place(&d).2, "50%");
}

#[test]
fn booleans_and_dates_have_their_own_spellings() {
    let l = load(
        "unit,indicator,period,value\nH61,autonomous,2026,có\nH20,autonomous,2026,FALSE\nS01,autonomous,2026,1\nH61,adopted,2026,2026-03-15\n",
    );
    assert_eq!(
        l.value("autonomous", "H61", "2027-01-01").as_deref(),
        Some("1")
    );
    assert_eq!(
        l.value("autonomous", "H20", "2027-01-01").as_deref(),
        Some("0")
    );
    assert_eq!(
        l.value("autonomous", "S01", "2027-01-01").as_deref(),
        Some("1")
    );
    let adopted = l.value("adopted", "H61", "2027-01-01").unwrap();
    let days: rust_decimal::Decimal = adopted.parse().unwrap();
    assert_eq!(value_date(days), Some(date("2026-03-15")));
    let d = error("unit,indicator,period,value\nH61,autonomous,2026,yes\n");
    assert_eq!(d.message(Lang::En), "invalid value `yes` for `value`");
    let d = error("unit,indicator,period,value\nH61,adopted,2026,2026-02-30\n");
    assert_eq!(d.message(Lang::En), "invalid date `2026-02-30`");
}

#[test]
fn an_empty_value_is_an_error_not_a_zero() {
    let d = error("unit,indicator,period,value\nH61,online,2026,\n");
    assert_eq!(d.message(Lang::En), "empty `value` cell");
    assert_eq!(
        d.help(Lang::En).as_deref(),
        Some("missing is not zero: leave the row out when there is no data")
    );
    assert_eq!(place(&d), (2, 17, ""));
}

// ---- names, periods, dates ----

#[test]
fn an_unknown_unit_is_named_with_a_suggestion_at_its_cell() {
    let d = error(
        "unit,indicator,period,value\nH61,online,2026,1\nH611,online,2025,1\nH611,online,2024,1\n",
    );
    assert_eq!(d.message(Lang::En), "unknown unit `H611`");
    assert_eq!(d.message(Lang::Vi), "không có đơn vị `H611`");
    assert_eq!(d.help(Lang::En).as_deref(), Some("did you mean `H61`?"));
    // Reported once, at its first row.
    assert_eq!(place(&d), (3, 1, "H611"));
}

#[test]
fn an_unknown_indicator_is_named_with_a_suggestion() {
    let d = error("unit,indicator,period,value\nH61,onlin,2026,1\n");
    assert_eq!(d.message(Lang::En), "unknown indicator `onlin`");
    assert_eq!(d.help(Lang::En).as_deref(), Some("did you mean `online`?"));
    assert_eq!(place(&d), (2, 5, "onlin"));
}

#[test]
fn derived_indicators_take_no_data() {
    let d = error("unit,indicator,period,value\nH61,online_rate,2026,0.9\n");
    assert_eq!(d.code(), "derived-observation");
    assert_eq!(place(&d).2, "online_rate");
}

#[test]
fn invalid_periods_and_as_of_dates_are_errors_at_their_cell() {
    let d = errors(
        "unit,indicator,period,value,as_of\nH61,online,2026-13,1,\nH61,online,2026,1,2026-02-30\nH61,online,2026,1,2025-06-30\n",
        Format::Csv,
        Locale::Default,
    );
    let found: Vec<(String, (usize, usize, &str))> =
        d.iter().map(|d| (d.message(Lang::En), place(d))).collect();
    assert_eq!(
        found,
        [
            ("invalid period `2026-13`".to_string(), (2, 12, "2026-13")),
            (
                "invalid date `2026-02-30`".to_string(),
                (3, 19, "2026-02-30")
            ),
            (
                "invalid value `2025-06-30` for `as_of`".to_string(),
                (4, 19, "2025-06-30")
            ),
        ]
    );
}

#[test]
fn every_fault_of_a_row_and_a_file_is_reported() {
    let d = errors(
        "unit,indicator,period,value\nH6x,online,2026,1\nH61,online,26,abc\n",
        Format::Csv,
        Locale::Default,
    );
    let codes: Vec<&str> = d.iter().map(|d| d.code()).collect();
    assert_eq!(
        codes,
        ["unknown-name", "invalid-period", "malformed-number"]
    );
}

#[test]
fn reading_stops_after_one_hundred_errors() {
    let mut text = String::from("unit,indicator,period,value\n");
    for _ in 0..150 {
        text.push_str("H61,online,2026,x\n");
    }
    let d = errors(&text, Format::Csv, Locale::Default);
    assert_eq!(d.len(), 101);
    assert_eq!(d[100].code(), "too-many-errors");
}

// ---- duplicates ----

#[test]
fn a_repeated_observation_points_at_the_first() {
    let d = error(
        "unit,indicator,period,value\nH61,online,2026,1\nH20,online,2026,1\nH61,online,2026,2\n",
    );
    assert_eq!(
        d.message(Lang::En),
        "observation of `online` for `H61` in 2026 appears twice"
    );
    assert_eq!(place(&d), (4, 1, "H61,online,2026,2"));
    assert_eq!(d.related.as_ref().unwrap().start_line_col(), (2, 1));
}

#[test]
fn snapshots_of_one_period_on_different_dates_are_not_duplicates() {
    let l = load(
        "unit,indicator,period,value,as_of\nH61,score,2026,40,2026-06-30\nH61,score,2026,62.03,2026-10-10\nH61,score,2026,70,\n",
    );
    assert_eq!(l.data.len(), 3);
    let d = error(
        "unit,indicator,period,value,as_of\nH61,score,2026,40,2026-06-30\nH61,score,2026,41,2026-06-30\n",
    );
    assert_eq!(
        d.message(Lang::En),
        "observation of `score` for `H61` in 2026 (as_of 2026-06-30) appears twice"
    );
}

#[test]
fn duplicates_across_files_are_found() {
    let plan = plan();
    let mut units = load_units_str("units.csv", UNITS, Format::Csv, &plan).unwrap();
    let mut loader = Loader::new(&plan, &mut units, Locale::Default);
    loader.read_str(
        "a.csv",
        "unit,indicator,period,value\nH61,online,2026,1\n",
        Format::Csv,
    );
    loader.read_str(
        "b.yaml",
        "- { unit: H61, indicator: online, period: 2026, value: 2 }\n",
        Format::Yaml,
    );
    let d = loader.finish().unwrap_err();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].file(), Some("b.yaml"));
    assert_eq!(d[0].related.as_ref().unwrap().file.path(), "a.csv");
}

#[test]
fn files_on_disk_are_read_and_reread_for_duplicates() {
    let dir = std::env::temp_dir().join(format!("chitieu-data-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let a = dir.join("a.csv");
    let b = dir.join("b.csv");
    std::fs::write(
        &a,
        "\u{feff}unit,indicator,period,value\r\nH61,online,2026,1\r\n",
    )
    .unwrap();
    std::fs::write(
        &b,
        "unit,indicator,period,value\nH20,online,2026,1\nH61,online,2026,2\n",
    )
    .unwrap();
    let plan = plan();
    let mut units = load_units_str("units.csv", UNITS, Format::Csv, &plan).unwrap();
    let d =
        load_observations(&[a.clone(), b.clone()], &plan, &mut units, Locale::Default).unwrap_err();
    assert_eq!(d.len(), 1);
    assert_eq!(place(&d[0]), (3, 1, "H61,online,2026,2"));
    assert_eq!(d[0].related.as_ref().unwrap().text(), "H61,online,2026,1");
    let data =
        load_observations(std::slice::from_ref(&a), &plan, &mut units, Locale::Default).unwrap();
    assert_eq!(data.len(), 1);
    let d = load_observations(
        &[dir.join("missing.csv")],
        &plan,
        &mut units,
        Locale::Default,
    )
    .unwrap_err();
    assert_eq!(d[0].code(), "io");
    std::fs::write(&a, b"unit,indicator,period,value\nH61,online,2026,\xff\n").unwrap();
    let d = load_observations(std::slice::from_ref(&a), &plan, &mut units, Locale::Default)
        .unwrap_err();
    assert_eq!(d[0].code(), "not-utf8");
    let _ = std::fs::remove_dir_all(&dir);
}

// ---- queries ----

#[test]
fn the_current_value_is_the_latest_visible_period_and_snapshot() {
    let l = load(
        "unit,indicator,period,value,as_of\n\
         H61,score,2026-12,7,\n\
         H61,score,2026,62.03,2026-10-10\n\
         H61,score,2025,93.3,\n\
         H61,score,2026,40,2026-06-30\n\
         H61,score,2026,70,\n",
    );
    let v = |t: &str| l.value("score", "H61", t);
    assert_eq!(v("2025-12-30"), None);
    assert_eq!(v("2025-12-31").as_deref(), Some("93.3"));
    assert_eq!(v("2026-06-29").as_deref(), Some("93.3"));
    assert_eq!(v("2026-06-30").as_deref(), Some("40"));
    assert_eq!(v("2026-12-30").as_deref(), Some("62.03"));
    // Both end on 2026-12-31: the month, which starts later, is the later period.
    assert_eq!(v("2026-12-31").as_deref(), Some("7"));
}

#[test]
fn a_period_value_has_no_fallback_to_other_periods() {
    let l = load(
        "unit,indicator,period,value,as_of\n\
         H61,score,2025,93.3,\n\
         H61,score,2026,40,2026-06-30\n\
         H61,score,2026,62.03,2026-10-10\n\
         H61,score,2026,70,\n\
         H61,score,2027-Q1,1,\n",
    );
    let (s, h61) = (ind(&l.plan, "score"), l.units.get("H61").unwrap());
    let at = |p: &str, t: &str| {
        l.data
            .at_period(s, h61, period(p), date(t))
            .map(|p| p.value().to_string())
    };
    assert_eq!(at("2026", "2026-01-01"), None);
    assert_eq!(at("2026", "2026-07-01").as_deref(), Some("40"));
    assert_eq!(at("2026", "2026-11-01").as_deref(), Some("62.03"));
    assert_eq!(at("2026", "2030-01-01").as_deref(), Some("70"));
    assert_eq!(at("2025", "2030-01-01").as_deref(), Some("93.3"));
    assert_eq!(at("2024", "2030-01-01"), None);
    assert_eq!(at("2026-Q4", "2030-01-01"), None);
    assert_eq!(at("2027-Q1", "2027-03-31").as_deref(), Some("1"));
}

#[test]
fn history_gives_one_visible_point_per_period() {
    let l = load(
        "unit,indicator,period,value,as_of\n\
         H61,score,2024,1,\n\
         H61,score,2025,2,\n\
         H61,score,2026,3,2026-06-30\n\
         H61,score,2026,4,\n",
    );
    let (s, h61) = (ind(&l.plan, "score"), l.units.get("H61").unwrap());
    let values = |t: &str| -> Vec<String> {
        l.data
            .history(s, h61, date(t))
            .map(|p| p.value().to_string())
            .collect()
    };
    assert_eq!(values("2026-07-01"), ["1", "2", "3"]);
    assert_eq!(values("2027-01-01"), ["1", "2", "4"]);
    assert_eq!(values("2025-06-01"), ["1"]);
    let back: Vec<String> = l
        .data
        .history(s, h61, date("2026-07-01"))
        .rev()
        .map(|p| p.period().to_string())
        .collect();
    assert_eq!(back, ["2026", "2025", "2024"]);
    // Out-of-range ids give empty series, not panics.
    assert!(l.data.series(99, h61).is_empty());
}

// ---- units from data, values from code ----

#[test]
fn without_declared_units_the_data_names_them() {
    let plan = plan();
    let mut units = load_units(None, &plan).unwrap();
    let data = load_observations_str(
        "d.csv",
        "unit,indicator,period,value\nX1,online,2026,1\nX2,online,2026,2\nX1,total,2026,3\n",
        Format::Csv,
        &plan,
        &mut units,
        Locale::Default,
    )
    .unwrap();
    let ids: Vec<&str> = units.iter().map(|(_, u)| u.id.as_str()).collect();
    assert_eq!(ids, ["X1", "X2"]);
    assert_eq!(units.kind(units.get("X1").unwrap()), None);
    assert_eq!(
        data.series(ind(&plan, "total"), units.get("X1").unwrap())
            .len(),
        1
    );
}

#[test]
fn observations_can_be_pushed_from_code() {
    let plan = plan();
    let mut units = load_units_str("units.csv", UNITS, Format::Csv, &plan).unwrap();
    let h61 = units.get("H61").unwrap();
    let mut loader = Loader::new(&plan, &mut units, Locale::Default);
    let online = ind(&plan, "online");
    let value = rust_decimal::Decimal::from(3410);
    loader
        .push(h61, online, period("2026"), None, value)
        .unwrap();
    let derived = loader.push(h61, ind(&plan, "online_rate"), period("2026"), None, value);
    assert_eq!(derived.unwrap_err().code(), "derived-observation");
    let data = loader.finish().unwrap();
    assert_eq!(
        data.current(online, h61, date("2027-01-01"))
            .unwrap()
            .value(),
        value
    );
    assert_eq!(data.origin(&data.series(online, h61)[0]), None);
}

#[test]
fn a_dataset_needs_under_64_bytes_per_observation() {
    let plan = plan();
    let mut text = String::from("unit,indicator,period,value\n");
    let mut registry = String::from("id,name,kind,parent\n");
    for u in 0..500 {
        registry.push_str(&format!("U{u},Unit {u},commune,\n"));
        for m in 1..=12 {
            for ind in ["online", "total", "score"] {
                text.push_str(&format!("U{u},{ind},2026-{m:02},{}\n", u * m));
            }
        }
    }
    let mut units = load_units_str("u.csv", &registry, Format::Csv, &plan).unwrap();
    let data = load_observations_str(
        "d.csv",
        &text,
        Format::Csv,
        &plan,
        &mut units,
        Locale::Default,
    )
    .unwrap();
    assert_eq!(data.len(), 18_000);
    assert!(
        data.heap_bytes() <= 64 * data.len(),
        "{}",
        data.heap_bytes()
    );
    let u7 = units.get("U7").unwrap();
    let months: Vec<String> = data
        .history(ind(&plan, "score"), u7, date("2030-01-01"))
        .map(|p| p.period().to_string())
        .collect();
    assert_eq!(months.len(), 12);
    assert_eq!(months[0], "2026-01");
}

/// The national workload: 4,035 units × 20 indicators × 37 months ≈ 3 million observations.
/// Run in release mode: `cargo test --release --lib data::tests::national -- --ignored --nocapture`
/// (targets: at least 2 million observations per second, at most 64 bytes per observation).
#[test]
#[ignore]
fn national_workload_loads_fast_and_small() {
    let units_n: usize = std::env::var("CHITIEU_BENCH_UNITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4035);
    let mut plan_text =
        String::from("chitieu: 1\nplan: { id: P, title: T, period: 2023 .. 2030 }\nindicators:\n");
    for i in 0..20 {
        plan_text.push_str(&format!("  ind_{i:02}: {{ name: I{i}, unit: count }}\n"));
    }
    let (plan, _) = crate::plan::load_str("plan.yaml", &plan_text);
    let plan = plan.unwrap();
    let mut registry = String::from("id,name,kind,parent\nP,Province,province,\n");
    for u in 0..units_n {
        registry.push_str(&format!("U{u:04},Xã {u},commune,P\n"));
    }
    let mut text = String::from("unit,indicator,period,value\n");
    for u in 0..units_n {
        for i in 0..20 {
            for m in 0..37 {
                let (y, mo) = (2023 + m / 12, m % 12 + 1);
                text.push_str(&format!(
                    "U{u:04},ind_{i:02},{y}-{mo:02},{}\n",
                    u * 31 + i * 7 + m
                ));
            }
        }
    }
    let mut units = load_units_str("u.csv", &registry, Format::Csv, &plan).unwrap();
    let start = std::time::Instant::now();
    let data = load_observations_str(
        "d.csv",
        &text,
        Format::Csv,
        &plan,
        &mut units,
        Locale::Default,
    )
    .unwrap();
    let elapsed = start.elapsed();
    let n = data.len();
    let per_second = n as u128 * 1_000_000 / elapsed.as_micros().max(1);
    let bytes = data.heap_bytes() / n;
    println!("{n} observations in {elapsed:?}: {per_second}/s, {bytes} bytes each");
    assert_eq!(n, units_n * 20 * 37);
    assert!(bytes <= 64);
    let t = date("2026-06-30");
    let start = std::time::Instant::now();
    let mut found = 0usize;
    for (u, _) in units.iter() {
        for i in 0..20 {
            found += usize::from(data.current(i, u, t).is_some());
        }
    }
    println!("{found} current values in {:?}", start.elapsed());
}

#[test]
fn rows_repeating_unknown_names_search_for_a_suggestion_once_per_name() {
    // Two unknown units alternating with known ones over 40,000 rows: the did-you-mean search
    // over 20,000 ids ran for every row (the one-entry memo forgot the name at each known
    // row), 800 million distances. Each name is still reported once, at its first row.
    let plan = plan();
    let mut registry = String::from("id,name,kind,parent\n");
    for i in 0..20_000 {
        registry.push_str(&format!("C{i:05},Xã,commune,\n"));
    }
    let mut units = load_units_str("units.csv", &registry, Format::Csv, &plan).unwrap();
    let mut data = String::from("unit,indicator,period,value\n");
    for i in 0..20_000 {
        data.push_str(&format!(
            "C{:05}X,online,2026,1\nC{i:05},online,2026,1\n",
            i % 2
        ));
        data.push_str(&format!("C{i:05},nope{},2026,1\n", i % 2));
    }
    let diags = load_observations_str(
        "d.csv",
        &data,
        Format::Csv,
        &plan,
        &mut units,
        Locale::Default,
    )
    .unwrap_err();
    let found: Vec<(usize, String)> = diags
        .iter()
        .map(|d| (place(d).0, d.message(Lang::En)))
        .collect();
    assert_eq!(
        found,
        [
            (2, "unknown unit `C00000X`".to_string()),
            (4, "unknown indicator `nope0`".to_string()),
            (5, "unknown unit `C00001X`".to_string()),
            (7, "unknown indicator `nope1`".to_string()),
        ]
    );
}

/// The last bytes of a name hashed without a copy of variable length tell every text of up to
/// seven bytes apart: names that differ there never share the word.
#[test]
fn tail_words_tell_short_texts_apart() {
    let mut texts: Vec<Vec<u8>> = vec![Vec::new()];
    let mut seen = std::collections::HashSet::new();
    for _ in 0..7 {
        let longer: Vec<Vec<u8>> = texts
            .iter()
            .flat_map(|t| b"abc".iter().map(move |&c| [t.as_slice(), &[c]].concat()))
            .collect();
        for t in &texts {
            assert!(seen.insert(tail_word(t)), "{t:?}");
        }
        texts = longer;
    }
    for t in &texts {
        assert!(seen.insert(tail_word(t)), "{t:?}");
    }
}
