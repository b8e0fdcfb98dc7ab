//! Evaluates Plan 22/KH-UBND on the example data and prints one line per judged goal.
//!
//! `cargo run --example evaluate [AS_OF]`

use chitieu::diag::Diagnostic;
use chitieu::{check, data, eval, period, plan};

fn fail(diags: Vec<Diagnostic>) -> String {
    diags
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn main() -> Result<(), String> {
    let as_of = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "2026-10-31".into());
    let as_of = period::parse_date(&as_of).map_err(|e| format!("{as_of}: {e}"))?;

    let plan = plan::load("plans/vinh-long/22-kh-ubnd-2026-2030.yaml").map_err(fail)?;
    let checked = check::checked(plan).map_err(fail)?;
    let mut units =
        data::load_units(Some("examples/data/units.csv".as_ref()), &checked).map_err(fail)?;
    let observations = data::load_observations(
        &["examples/data/observations.csv".into()],
        &checked,
        &mut units,
        data::Locale::Default,
    )
    .map_err(fail)?;

    let compiled = eval::Compiled::new(checked);
    let report = eval::evaluate(&compiled, &observations, &units, &eval::Options::new(as_of))
        .map_err(fail)?;
    for r in report
        .results
        .iter()
        .filter(|r| !matches!(r.status, eval::Status::NotApplicable | eval::Status::NoData))
    {
        let actual = r.actual.map_or_else(
            || "-".to_string(),
            |a| chitieu::report::format_value(a, r.value_unit, chitieu::lang::Lang::En),
        );
        println!(
            "{:<12} {:<7} {:<12} {actual}",
            r.unit,
            r.goal,
            r.status.name()
        );
    }
    Ok(())
}
