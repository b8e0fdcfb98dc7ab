//! Shared by the command-line tests: the README's main command on the example data.
#![allow(dead_code)]

/// The inputs of the README's main command: Plan 22/KH-UBND on the shipped example data, as
/// of 2026-10-31 (follow `eval` or `explain` with these).
pub const MAIN_INPUTS: [&str; 7] = [
    "plans/vinh-long/22-kh-ubnd-2026-2030.yaml",
    "--data",
    "examples/data/observations.csv",
    "--units",
    "examples/data/units.csv",
    "--as-of",
    "2026-10-31",
];

/// `command` with the main inputs, then `extra`.
pub fn main_args<'a>(command: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![command];
    args.extend(MAIN_INPUTS);
    args.extend_from_slice(extra);
    args
}

/// Evaluates a plan, a unit registry and observations given as text (CSV), as of a date,
/// through the library facade with the files in memory; panics with the diagnostics if any
/// stage fails.
pub fn evaluate_texts(plan: &str, units_csv: &str, data_csv: &str, as_of: &str) -> chitieu::Report {
    let mut files = chitieu::files::InMemory::new();
    files.insert("t.yaml", plan);
    files.insert("units.csv", units_csv);
    files.insert("d.csv", data_csv);
    let project = chitieu::Workspace::with_files(files)
        .open(
            &chitieu::Inputs::new("t.yaml")
                .data("d.csv")
                .units("units.csv"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let as_of = chitieu::period::parse_date(as_of).unwrap_or_else(|e| panic!("{e:?}"));
    project.evaluate(as_of).unwrap_or_else(|e| panic!("{e}"))
}
