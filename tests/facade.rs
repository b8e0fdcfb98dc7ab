//! The library facade gives what the command line gives, reads files from memory as from the
//! disk, and fails with errors that are `std::error::Error`s rendering their diagnostics.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chitieu::files::{FileSystem, InMemory, Overlay};
use chitieu::{Inputs, Query, Stage, Status, Workspace, date};
use std::process::Command;

const UNITS: &str = "examples/data/units.csv";

fn cli_json(plan: &str, data: &str, as_of: &str) -> serde_json::Value {
    let o = Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "eval", plan, "--data", data, "--units", UNITS, "--as-of", as_of,
        ])
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn library_json(plan: &str, data: &str, as_of: &str) -> serde_json::Value {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = Workspace::new()
        .open(
            &Inputs::new(root.join(plan))
                .data(root.join(data))
                .units(root.join(UNITS)),
        )
        .unwrap();
    let as_of = chitieu::period::parse_date(as_of).unwrap();
    serde_json::to_value(project.evaluate(as_of).unwrap()).unwrap()
}

/// The README's two plans: the library's report is the command line's, document for document
/// (statuses, values, explanations, index scores).
#[test]
fn the_library_gives_what_the_command_line_gives() {
    for (plan, data) in [
        (
            "plans/vinh-long/22-kh-ubnd-2026-2030.yaml",
            "examples/data/observations.csv",
        ),
        (
            "plans/vinh-long/thi-dua-766-2026.yaml",
            "examples/data/thi-dua-766.csv",
        ),
    ] {
        let cli = cli_json(plan, data, "2026-10-31");
        let lib = library_json(plan, data, "2026-10-31");
        assert_eq!(cli["results"], lib["results"], "{plan}");
        assert_eq!(cli["scores"], lib["scores"], "{plan}");
        assert!(!cli["results"].as_array().unwrap().is_empty());
    }
}

/// A goal on the index total is judged from the library too (it was `no_data` before the
/// facade gave goals the totals).
#[test]
fn goals_on_index_totals_are_judged() {
    let lib = library_json(
        "plans/vinh-long/thi-dua-766-2026.yaml",
        "examples/data/thi-dua-766.csv",
        "2026-10-31",
    );
    let so = lib["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["goal"] == "thi-dua.so" && r["unit"] == "H61")
        .unwrap();
    assert_ne!(so["status"], "no_data", "{so:#}");
    assert!(lib["scores"].as_array().is_some_and(|s| !s.is_empty()));
}

const PLAN: &str = "chitieu: 1\ninclude: [../catalogue/x.yaml]\n\
    plan: { id: P, title: T, period: 2026 .. 2030, baseline: 2025 }\n\
    goals:\n  - { id: g, title: G, rule: x > 80% by 2030-12-31 }\n";
const CATALOGUE: &str = "chitieu: 1\nindicators:\n  x: { name: X, unit: percent }\n";

/// Plans, includes and data from memory: no file system needed (the browser, an editor).
#[test]
fn files_in_memory_are_read_like_files_on_disk() {
    let mut files = InMemory::new();
    files.insert("plans/p.yaml", PLAN);
    files.insert("catalogue/x.yaml", CATALOGUE);
    files.insert(
        "data/d.csv",
        "unit,indicator,period,value\nA,x,2025,50\nA,x,2026,85\nB,x,2025,50\nB,x,2026,55\n",
    );
    let ws = Workspace::with_files(files);
    assert_eq!(ws.check_file("plans/p.yaml").diagnostics.len(), 0);
    let project = ws
        .open(&Inputs::new("plans/p.yaml").data("data/d.csv"))
        .unwrap();
    let report = project.evaluate(date(2027, 1, 1).unwrap()).unwrap();
    let statuses: Vec<(&str, Status)> = report
        .results()
        .iter()
        .map(|r| (r.unit.as_str(), r.status))
        .collect();
    assert_eq!(
        statuses,
        [("A", Status::Met), ("B", Status::OffTrack)],
        "{report:?}"
    );
    // A query narrows; an unknown goal is a request that cannot run.
    let one = project
        .evaluate_query(&Query::new(date(2027, 1, 1).unwrap()).units(["B"]))
        .unwrap();
    assert_eq!(one.results().len(), 1);
    let e = project
        .evaluate_query(&Query::new(date(2027, 1, 1).unwrap()).goals(["G"]))
        .unwrap_err();
    assert_eq!(e.stage(), Stage::Query);
    assert!(e.could_not_run());
    assert!(e.to_string().contains("`g`"), "{e}");
}

/// An open buffer wins over the file on disk, includes still resolve from the disk.
#[test]
fn open_buffers_win_over_the_disk() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let plan = root.join("plans/vinh-long/22-kh-ubnd-2026-2030.yaml");
    let text = std::fs::read_to_string(&plan).unwrap();
    let broken = text.replacen("rule: online_rate > 80%", "rule: online_rat > 80%", 1);
    assert_ne!(text, broken);
    let mut top = InMemory::new();
    top.insert(&plan, broken);
    let ws = Workspace::with_files(Overlay::new(top, FileSystem));
    let checked = ws.check_file(&plan);
    let codes: Vec<&str> = checked.diagnostics.iter().map(|d| d.code()).collect();
    assert_eq!(codes, ["unknown-name"], "{:?}", checked.diagnostics);
    assert_eq!(Workspace::new().check_file(&plan).errors(), 0);
}

/// Errors are `std::error::Error`s (so `?` works into `Box<dyn Error>`), their `Display` is
/// the rendered diagnostics, and the diagnostics stay values.
#[test]
fn errors_render_their_diagnostics_and_keep_them_as_values() {
    fn open(files: InMemory) -> Result<chitieu::Project, Box<dyn std::error::Error>> {
        Ok(Workspace::with_files(files).open(&Inputs::new("plans/p.yaml"))?)
    }
    let mut files = InMemory::new();
    files.insert("plans/p.yaml", PLAN.replace("x > 80%", "y > 80%").as_str());
    files.insert("catalogue/x.yaml", CATALOGUE);
    let e = open(files).unwrap_err();
    let e = e.downcast_ref::<chitieu::Error>().unwrap();
    assert_eq!(e.stage(), Stage::Check);
    assert!(!e.could_not_run());
    assert_eq!(e.diagnostics()[0].code(), "unknown-name");
    let shown = e.to_string();
    assert!(shown.contains("plans/p.yaml:5:"), "{shown}");
    assert!(shown.contains("y > 80%"), "{shown}");
    // A missing include is an error at the include, from memory as from disk.
    let mut files = InMemory::new();
    files.insert("plans/p.yaml", PLAN);
    let e = Workspace::with_files(files)
        .open(&Inputs::new("plans/p.yaml"))
        .unwrap_err();
    assert_eq!(e.stage(), Stage::Plan);
    assert!(e.to_string().contains("plans/p.yaml:2:"), "{e}");
}

/// Dates the library refuses instead of walking every month to the year 262,142.
#[test]
fn absurd_dates_are_errors() {
    let mut files = InMemory::new();
    files.insert("plans/p.yaml", PLAN);
    files.insert("catalogue/x.yaml", CATALOGUE);
    let project = Workspace::with_files(files)
        .open(&Inputs::new("plans/p.yaml"))
        .unwrap();
    let e = project.evaluate(chrono::NaiveDate::MAX).unwrap_err();
    assert_eq!(e.stage(), Stage::Query);
    let far: chitieu::period::Period = "2026-01".parse().unwrap();
    assert!(project.history(&Query::new(far.end()), far, far).is_ok());
    assert!(date(2026, 2, 30).is_err());
}
