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
