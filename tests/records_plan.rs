//! `records:` sources and `measure:` indicators without an engine: measures parsed and checked
//! with located faults, columns checked against a schema, one `GROUP BY` query per source in
//! each dialect (`chitieu sql`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chitieu::diag::Diagnostic;
use chitieu::lang::Lang;
use chitieu::records::{ColumnType, Dialect, Schema, check_columns, measures, sql};
use chitieu::report::{Style, render_diagnostic};
use std::process::Command;

const PLAN: &str = "tests/fixtures/records/plan.yaml";

fn chitieu(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run chitieu")
}

/// A plan with the given `records:` and `indicators:` entries, loaded from memory.
fn plan(indicators: &str) -> (Option<chitieu::plan::Plan>, Vec<Diagnostic>) {
    let text = format!(
        "chitieu: 1\nplan: {{ id: P, title: T, period: 2026 .. 2026 }}\nrecords:\n  dossiers: {{ unit: agency_id, date: received_at }}\nindicators:\n{indicators}"
    );
    chitieu::plan::load_str("p.yaml", &text)
}

fn rendered(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| render_diagnostic(d, Lang::En, Style::default()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The faults `check` reports for one measure.
fn faults(measure: &str) -> String {
    let (plan, load) = plan(&format!(
        "  x: {{ name: X, unit: count, measure: \"{measure}\" }}\n"
    ));
    assert!(load.is_empty(), "{}", rendered(&load));
    rendered(&chitieu::check::check(&plan.unwrap()))
}

fn schema() -> Schema {
    let c = |n: &str, t| (n.to_string(), t);
    Schema {
        columns: vec![
            c("agency_id", ColumnType::Text),
            c("received_at", ColumnType::Date),
            c("due_at", ColumnType::Date),
            c("finished_at", ColumnType::Date),
            c("channel", ColumnType::Text),
            c("fee", ColumnType::Decimal),
            c("paid_online", ColumnType::Bool),
            c("pages", ColumnType::Integer),
            c("score", ColumnType::Float),
        ],
    }
}

/// The faults of one measure against the schema above.
fn column_faults(measure: &str) -> String {
    let (plan, load) = plan(&format!(
        "  x: {{ name: X, unit: count, measure: \"{measure}\" }}\n"
    ));
    assert!(load.is_empty(), "{}", rendered(&load));
    let plan = plan.unwrap();
    let (ms, diags) = measures(&plan);
    assert!(diags.is_empty(), "{}", rendered(&diags));
    rendered(&check_columns(&ms, 0, &schema()))
}

#[test]
fn the_contract_plan_checks_clean() {
    let o = chitieu(&["check", PLAN]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn sql_prints_one_group_by_query_per_source_in_each_dialect() {
    for d in Dialect::ALL {
        let o = chitieu(&["sql", PLAN, "--dialect", d.name()]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let text = String::from_utf8(o.stdout).unwrap();
        assert_eq!(text.matches("GROUP BY").count(), 1, "{text}");
        insta::assert_snapshot!(format!("sql_{}", d.name()), text);
    }
}

#[test]
fn an_unknown_dialect_is_a_usage_error() {
    let o = chitieu(&["sql", PLAN, "--dialect", "oracle"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("expected datafusion, spark or duckdb"));
}

#[test]
fn an_unknown_source_is_located_with_the_closest_name() {
    let out = faults("count(dosiers, fee > 0)");
    assert!(out.contains("unknown record source `dosiers`"), "{out}");
    assert!(out.contains("did you mean `dossiers`"), "{out}");
    // Line 6 is the indicator's; column 46 is `dosiers` inside the quoted measure.
    assert!(out.contains("p.yaml:6:46"), "{out}");
}

#[test]
fn measure_forms_outside_the_language_are_located() {
    for (measure, expected) in [
        ("count(dossiers) + 1", "a measure is one aggregate"),
        ("count(fee > 0)", "the first argument must name a source"),
        (
            "sum(dossiers)",
            "the call is `sum(source, value) or sum(source, value, condition)`",
        ),
        ("count(dossiers, a, b)", "wrong number of arguments (3)"),
        ("sum(dossiers, fee / 2)", "measures do not divide"),
        (
            "count(dossiers, fee > null)",
            "`null` is only used in `x = null` or `x != null`",
        ),
        (
            "count(dossiers, received_at > 2026-Q1)",
            "a period literal cannot be used",
        ),
        (
            "count(dossiers, previous(fee) > 0)",
            "`previous` cannot be used in a measure",
        ),
    ] {
        let out = faults(measure);
        assert!(out.contains(expected), "{measure}: {out}");
        assert!(out.contains("p.yaml:6:"), "{measure}: {out}");
    }
}

#[test]
fn measures_that_are_well_formed_check_clean() {
    for measure in [
        "count(dossiers)",
        "count(dossiers, finished_at <= due_at)",
        "count(dossiers, channel = 'online')",
        "sum(dossiers, fee, paid_online)",
        "avg(dossiers, fee * 2 - 1, not paid_online or fee >= 0.5)",
        "min(dossiers, abs(fee))",
        "max(dossiers, coalesce(fee, 0), finished_at != null)",
        "count(dossiers, 0 < pages <= 10)",
        "count(dossiers, if(paid_online, fee, 0) > 100)",
    ] {
        assert_eq!(faults(measure), "", "{measure}");
        assert_eq!(column_faults(measure), "", "{measure}");
    }
}

#[test]
fn text_and_null_are_measure_only() {
    assert!(chitieu::syntax::parse_expr("channel = 'online'").is_err());
    assert!(
        chitieu::syntax::parse_rule("x = null by 2030-12-31").is_ok(),
        "a name in rules"
    );
    let (plan, load) = plan("  x: { name: X, unit: count, formula: \"channel = 'online'\" }\n");
    assert!(plan.is_some());
    assert!(rendered(&load).contains("p.yaml:6:"), "{}", rendered(&load));
}

#[test]
fn measure_text_prints_back_to_itself() {
    for text in [
        "count(dossiers, channel = 'it''s online')",
        "count(dossiers, finished_at = null and fee != null)",
        "sum(dossiers, fee, paid_online)",
    ] {
        let e = chitieu::syntax::parse_measure(text).unwrap();
        assert_eq!(chitieu::syntax::print_expr(&e), text);
    }
    let e = chitieu::syntax::parse_measure("count(d, c = 'it''s')").unwrap();
    let printed = format!("{e:?}");
    assert!(printed.contains("\"it's\""), "{printed}");
}

#[test]
fn unknown_columns_get_the_closest_name_at_their_place() {
    let out = column_faults("count(dossiers, chanel = 'online')");
    assert!(out.contains("unknown column `chanel`"), "{out}");
    assert!(out.contains("did you mean `channel`"), "{out}");
    assert!(out.contains("p.yaml:6:56"), "{out}");
}

#[test]
fn type_faults_are_located() {
    for (measure, expected) in [
        (
            "count(dossiers, channel = 5)",
            "cannot compare a text with a number",
        ),
        (
            "count(dossiers, fee)",
            "expected a condition, found a number",
        ),
        ("sum(dossiers, channel)", "expected a number, found a text"),
        (
            "count(dossiers, received_at > 'x')",
            "cannot compare a date with a text",
        ),
        (
            "sum(dossiers, score)",
            "column `score` holds floating-point numbers",
        ),
        (
            "count(dossiers, paid_online < true)",
            "cannot compare a condition with a condition",
        ),
    ] {
        let out = column_faults(measure);
        assert!(out.contains(expected), "{measure}: {out}");
        assert!(out.contains("p.yaml:6:"), "{measure}: {out}");
    }
}

#[test]
fn an_indicator_is_measured_or_computed_not_both() {
    let (plan, _) =
        plan("  x: { name: X, unit: count, formula: \"1\", measure: \"count(dossiers)\" }\n");
    let out = rendered(&chitieu::check::check(&plan.unwrap()));
    assert!(
        out.contains("has both a `formula:` and a `measure:`"),
        "{out}"
    );
}

#[test]
fn a_percentage_is_a_formula_over_measures() {
    let (plan, _) = plan("  x: { name: X, unit: percent, measure: \"count(dossiers)\" }\n");
    let out = rendered(&chitieu::check::check(&plan.unwrap()));
    assert!(
        out.contains("a measure gives counts or amounts, not `percent` values"),
        "{out}"
    );
}

#[test]
fn a_bad_period_grain_gets_the_closest_name() {
    let text = "chitieu: 1\nplan: { id: P, title: T, period: 2026 .. 2026 }\nrecords:\n  d: { unit: u, date: t, period: months }\n";
    let (_, diags) = chitieu::plan::load_str("p.yaml", text);
    let out = rendered(&diags);
    assert!(out.contains("did you mean `month`"), "{out}");
    assert!(out.contains("p.yaml:4:34"), "{out}");
}

#[test]
fn quarter_and_year_sources_group_by_their_period() {
    let text = "chitieu: 1\nplan: { id: P, title: T, period: 2026 .. 2026 }\nrecords:\n  q: { unit: u, date: t, period: quarter }\n  y: { unit: u, date: t, period: year }\nindicators:\n  a: { name: A, unit: count, measure: \"count(q)\" }\n  b: { name: B, unit: count, measure: \"count(y)\" }\n";
    let (plan, diags) = chitieu::plan::load_str("p.yaml", text);
    assert!(diags.is_empty(), "{}", rendered(&diags));
    let plan = plan.unwrap();
    let (ms, _) = measures(&plan);
    let qs = sql(&plan, &ms, Dialect::Spark);
    assert_eq!(qs.len(), 2);
    assert!(qs[0].sql.contains("CAST(EXTRACT(YEAR FROM `t`) AS BIGINT) * 10 + CAST(EXTRACT(QUARTER FROM `t`) AS BIGINT) AS period"), "{}", qs[0].sql);
    assert!(
        qs[1]
            .sql
            .contains("CAST(EXTRACT(YEAR FROM `t`) AS BIGINT) AS period"),
        "{}",
        qs[1].sql
    );
}

#[test]
fn spark_text_escapes_with_backslashes() {
    let (plan, _) = plan(
        "  x: { name: X, unit: count, measure: \"count(dossiers, channel = 'a''b\\\\c')\" }\n",
    );
    let plan = plan.unwrap();
    let (ms, d) = measures(&plan);
    assert!(d.is_empty(), "{}", rendered(&d));
    let spark = &sql(&plan, &ms, Dialect::Spark)[0].sql;
    assert!(spark.contains(r"'a\'b\\c'"), "{spark}");
    let duck = &sql(&plan, &ms, Dialect::DuckDb)[0].sql;
    assert!(duck.contains(r"'a''b\c'"), "{duck}");
}
