//! Evaluates Plan 22/KH-UBND on the example data through the library facade and prints one
//! line per judged goal.
//!
//! `cargo run --example evaluate [AS_OF]`

use chitieu::report::format_value;
use chitieu::{Inputs, Status, Workspace};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let as_of = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "2026-10-31".into());
    let as_of = chitieu::period::parse_date(&as_of).map_err(|e| format!("{as_of}: {e}"))?;
    let project = Workspace::new().open(
        &Inputs::new("plans/vinh-long/22-kh-ubnd-2026-2030.yaml")
            .data("examples/data/observations.csv")
            .units("examples/data/units.csv"),
    )?;
    let report = project.evaluate(as_of)?;
    for r in report
        .results()
        .iter()
        .filter(|r| !matches!(r.status, Status::NotApplicable | Status::NoData))
    {
        let actual = r.actual.map_or_else(
            || "-".to_string(),
            |a| format_value(a, r.value_unit, chitieu::Lang::En),
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
