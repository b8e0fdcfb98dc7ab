//! `--history`: a status history equals separate evaluations as of each month's end, in the
//! library and on the command line, on a small workload from the national generator.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[allow(dead_code)]
#[path = "../examples/national.rs"]
mod national;

use chitieu::eval::{self, Compiled, History, Options, Status};
use chitieu::period::Period;
use std::collections::HashMap;
use std::process::Command;

fn month(s: &str) -> Period {
    s.parse().unwrap()
}

/// 2 provinces, 3 departments each, 12 communes; 2025 and every month 2026-01 … 2030-12.
fn workload() -> (Compiled, chitieu::data::Units, chitieu::data::Dataset) {
    let w = national::load(&national::plan(), &national::units_sized(2, 3, 12), 60).unwrap();
    (w.compiled, w.units, w.data)
}

#[test]
fn month_ends_cover_the_range() {
    let dates = eval::month_ends(month("2026-11"), month("2027-02"));
    let text: Vec<String> = dates.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        text,
        ["2026-11-30", "2026-12-31", "2027-01-31", "2027-02-28"]
    );
    assert_eq!(
        eval::month_ends(month("2026-01"), month("2030-12")).len(),
        60
    );
    assert!(eval::month_ends(month("2027-01"), month("2026-12")).is_empty());
}

#[test]
fn history_equals_separate_evaluations_at_every_month() {
    let (c, units, data) = workload();
    let dates = eval::month_ends(month("2026-01"), month("2030-12"));
    let options = Options::new(dates[0]);
    let history = History::new(&c, &data, &units, &options, dates.clone()).unwrap();
    // (unit, goal, date) → (status, actual), from the history.
    let mut seen = HashMap::new();
    let mut order = Vec::new();
    history
        .run(|block| -> Result<(), ()> {
            for h in block {
                order.push(h.unit);
                for s in &h.series {
                    assert_eq!(s.steps.len(), dates.len());
                    for (step, date) in s.steps.iter().zip(&dates) {
                        seen.insert(
                            (units.id(h.unit).to_string(), s.goal, *date),
                            (step.status, step.actual),
                        );
                    }
                }
            }
            Ok(())
        })
        .unwrap();
    // Units come out in registry order, whatever the threads did.
    let registry: Vec<_> = units.iter().map(|(u, _)| u).collect();
    assert_eq!(order, registry);
    let mut statuses = HashMap::new();
    let mut compared = 0;
    for &date in &dates {
        let ev = eval::evaluate(&c, &data, &units, &Options::new(date)).unwrap();
        for r in &ev.results {
            let g = c.goal_index(&r.goal).unwrap();
            let key = (r.unit.clone(), g, date);
            if r.status == Status::NotApplicable {
                assert!(!seen.contains_key(&key), "{key:?} does not apply");
                continue;
            }
            assert_eq!(seen.get(&key), Some(&(r.status, r.actual)), "{key:?}");
            *statuses.entry(r.status).or_insert(0) += 1;
            compared += 1;
        }
    }
    assert_eq!(compared, seen.len());
    // The workload exercises the statuses that matter over a plan's life.
    for s in [
        Status::Met,
        Status::NotMet,
        Status::OnTrack,
        Status::OffTrack,
    ] {
        assert!(statuses.contains_key(&s), "no {s:?} in {statuses:?}");
    }
}

/// `chitieu eval plan.yaml --data observations.csv --units units.csv --format json EXTRA…`
/// in `dir`.
fn eval_json(dir: &std::path::Path, extra: &[&str]) -> serde_json::Value {
    let o = Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .current_dir(dir)
        .args(["eval", "plan.yaml", "--data", "observations.csv"])
        .args(["--units", "units.csv", "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Checks a `chitieu.history/v1` document against separate `--as-of` runs at `dates`: every
/// applicable (unit, goal) has the same status and value. Returns how many were compared and
/// how many steps the history has.
fn compare_with_as_of_runs(
    dir: &std::path::Path,
    history: &serde_json::Value,
    dates: &[&str],
) -> (usize, usize) {
    let mut seen = HashMap::new();
    for r in history["results"].as_array().unwrap() {
        for step in r["series"].as_array().unwrap() {
            let key = (
                r["unit"].as_str().unwrap().to_string(),
                r["goal"].as_str().unwrap().to_string(),
                step["as_of"].as_str().unwrap().to_string(),
            );
            seen.insert(key, (step["status"].clone(), step["actual"].clone()));
        }
    }
    let mut compared = 0;
    for &date in dates {
        let ev = eval_json(dir, &["--as-of", date]);
        for r in ev["results"].as_array().unwrap() {
            if r["status"] == "not_applicable" {
                continue;
            }
            let key = (
                r["unit"].as_str().unwrap().to_string(),
                r["goal"].as_str().unwrap().to_string(),
                date.to_string(),
            );
            assert_eq!(
                seen.get(&key),
                Some(&(r["status"].clone(), r["actual"].clone())),
                "{key:?}"
            );
            compared += 1;
        }
    }
    (compared, seen.len())
}

#[test]
fn cli_history_json_equals_as_of_runs() {
    let dir = std::env::temp_dir().join(format!("chitieu-history-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let units = national::units_sized(2, 2, 6);
    let (registry, observations) = national::csv_in_memory(&units, 60);
    std::fs::write(dir.join("plan.yaml"), national::plan()).unwrap();
    std::fs::write(dir.join("units.csv"), registry).unwrap();
    std::fs::write(dir.join("observations.csv"), observations).unwrap();
    let history = eval_json(&dir, &["--history", "2027-10..2028-03"]);
    assert_eq!(history["schema"], "chitieu.history/v1");
    let dates: Vec<String> = history["dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().to_string())
        .collect();
    assert_eq!(dates.len(), 6);
    let dates: Vec<&str> = dates.iter().map(String::as_str).collect();
    let (compared, seen) = compare_with_as_of_runs(&dir, &history, &dates);
    assert_eq!(compared, seen);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn cli_history_json_to_a_file_is_what_standard_output_gets() {
    // More than a 4 MiB chunk of output: whole chunks go to the file by direct I/O, the last
    // through the page cache (src/cli/file.rs); the file replaces an older one.
    let dir = std::env::temp_dir().join(format!("chitieu-history-o-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let units = national::units_sized(4, 6, 60);
    let (registry, observations) = national::csv_in_memory(&units, 60);
    std::fs::write(dir.join("plan.yaml"), national::plan()).unwrap();
    std::fs::write(dir.join("units.csv"), registry).unwrap();
    std::fs::write(dir.join("observations.csv"), observations).unwrap();
    std::fs::write(dir.join("h.json"), "old").unwrap();
    let run = |extra: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_chitieu"))
            .current_dir(&dir)
            .args(["eval", "plan.yaml", "--data", "observations.csv"])
            .args(["--units", "units.csv", "--format", "json"])
            .args(["--history", "2026-01..2030-12"])
            .args(extra)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        o.stdout
    };
    let stdout = run(&[]);
    assert!(stdout.len() > 4 << 20, "{} bytes", stdout.len());
    assert!(run(&["-o", "h.json"]).is_empty());
    assert!(std::fs::read(dir.join("h.json")).unwrap() == stdout);
    // No temporary file left beside it.
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["h.json", "observations.csv", "plan.yaml", "units.csv"]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn cli_history_human_table_and_usage_errors() {
    let dir = std::env::temp_dir().join(format!("chitieu-history-h-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let units = national::units_sized(1, 1, 2);
    let (registry, observations) = national::csv_in_memory(&units, 24);
    std::fs::write(dir.join("plan.yaml"), national::plan()).unwrap();
    std::fs::write(dir.join("units.csv"), registry).unwrap();
    std::fs::write(dir.join("observations.csv"), observations).unwrap();
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_chitieu"))
            .current_dir(&dir)
            .args([
                "eval",
                "plan.yaml",
                "--data",
                "observations.csv",
                "--units",
                "units.csv",
                "--lang",
                "en",
            ])
            .args(extra)
            .output()
            .unwrap()
    };
    let o = run(&["--history", "2026-01..2027-12", "--goal", "N01", "N10"]);
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    insta::assert_snapshot!(text);
    // Bad ranges and formats are usage errors (exit 2), never a panic.
    for bad in ["2026-13..2027-01", "2027-01..2026-01", "2026-01", "x..y"] {
        let o = run(&["--history", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
    }
    let o = run(&["--history", "2026-01..2026-12", "--format", "markdown"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["--history", "2026-01..2026-12", "--goal", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    // --fail-on looks at the last month.
    let o = run(&[
        "--history",
        "2026-01..2027-12",
        "--goal",
        "N16",
        "--fail-on",
        "not_met",
        "off_track",
        "on_track",
        "met",
        "no_data",
    ]);
    assert_eq!(o.status.code(), Some(1));
    std::fs::remove_dir_all(&dir).unwrap();
}

fn index_fixture() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/history-index")
}

/// A plan whose goals read an index total over monthly data: each month-end of a history is
/// judged on the totals as they stand at that date, exactly as a separate evaluation is.
#[test]
fn library_history_with_index_totals_equals_separate_evaluations() {
    let dir = index_fixture();
    let project = chitieu::Workspace::new()
        .open(
            &chitieu::Inputs::new(dir.join("plan.yaml"))
                .data(dir.join("observations.csv"))
                .units(dir.join("units.csv")),
        )
        .unwrap();
    let (from, to) = (month("2026-01"), month("2028-12"));
    let query = chitieu::Query::new(from.end());
    let history = project.history(&query, from, to).unwrap();
    let dates = history.dates().to_vec();
    assert_eq!(dates.len(), 36);
    let mut seen = HashMap::new();
    history
        .run(|block| -> Result<(), ()> {
            for h in block {
                for s in &h.series {
                    for (step, date) in s.steps.iter().zip(&dates) {
                        let unit = project.units().id(h.unit).to_string();
                        seen.insert((unit, s.goal, *date), (step.status, step.actual));
                    }
                }
            }
            Ok(())
        })
        .unwrap();
    let mut statuses = HashMap::new();
    let mut compared = 0;
    for &date in &dates {
        let report = project.evaluate(date).unwrap();
        for r in report.results() {
            if r.status == Status::NotApplicable {
                continue;
            }
            let g = project.compiled().goal_index(&r.goal).unwrap();
            let key = (r.unit.clone(), g, date);
            assert_eq!(seen.get(&key), Some(&(r.status, r.actual)), "{key:?}");
            *statuses.entry(r.status).or_insert(0) += 1;
            compared += 1;
        }
    }
    assert_eq!(compared, seen.len());
    assert_eq!(compared, 36 * 4);
    // The totals move month by month, so the goals on them change status over the range.
    for s in [
        Status::Met,
        Status::OnTrack,
        Status::OffTrack,
        Status::NotMet,
    ] {
        assert!(statuses.contains_key(&s), "no {s:?} in {statuses:?}");
    }
}

#[test]
fn cli_history_with_index_totals_equals_as_of_runs() {
    let dir = index_fixture();
    let history = eval_json(&dir, &["--history", "2026-01..2028-12"]);
    // Every sixth month and the two around the missing months, to keep the test quick; the
    // library test above compares every month.
    let dates = [
        "2026-01-31",
        "2026-07-31",
        "2027-01-31",
        "2027-02-28",
        "2027-03-31",
        "2027-06-30",
        "2028-01-31",
        "2028-12-31",
    ];
    let (compared, steps) = compare_with_as_of_runs(&dir, &history, &dates);
    assert_eq!(steps, 36 * 4);
    assert_eq!(compared, 8 * 4);
}

/// History equals separate evaluations on a plan and data given as text.
fn history_equals_evaluations(plan: &str, csv: &str, from: &str, to: &str) -> usize {
    let (p, diags) = chitieu::plan::load_str("p.yaml", plan);
    let p = chitieu::check::checked(p.unwrap_or_else(|| panic!("{diags:?}"))).unwrap();
    let mut units = chitieu::data::load_units(None, &p).unwrap();
    let data = chitieu::data::load_observations_str(
        "d.csv",
        csv,
        chitieu::data::Format::Csv,
        &p,
        &mut units,
        chitieu::data::Locale::Default,
    )
    .unwrap();
    let c = Compiled::new(p);
    let dates = eval::month_ends(month(from), month(to));
    let history = History::new(&c, &data, &units, &Options::new(dates[0]), dates.clone()).unwrap();
    let mut compared = 0;
    history
        .run(|block| -> Result<(), ()> {
            for h in block {
                for s in &h.series {
                    for (step, &date) in s.steps.iter().zip(&dates) {
                        let ev = eval::evaluate(&c, &data, &units, &Options::new(date)).unwrap();
                        let goal = &c.plan().goals[s.goal].id.name;
                        let r = ev
                            .results
                            .iter()
                            .find(|r| &r.goal == goal && r.unit == units.id(h.unit))
                            .unwrap();
                        assert_eq!(
                            (step.status, step.actual),
                            (r.status, r.actual),
                            "{goal} {date}"
                        );
                        compared += 1;
                    }
                }
            }
            Ok(())
        })
        .unwrap();
    compared
}

/// A period's ratio revised by later snapshots (`as_of`) is read again once the revision is
/// known: a history reuses a period's value across dates only when no later snapshot of its
/// inputs is to come.
#[test]
fn history_reads_revised_snapshots_again() {
    let plan = "chitieu: 1\nplan: { id: P, title: T, period: 2026 .. 2030, baseline: 2025 }\n\
        indicators:\n  x: { name: X, unit: points }\n  y: { name: Y, unit: points }\n  \
        r: { name: R, unit: percent, formula: x / y, precision: 2 }\n\
        goals:\n  - { id: G1, title: G, rule: \"r >= 50% by 2030-12-31\" }\n  \
        - { id: G2, title: G, rule: \"r >= baseline(r) + 1% by 2030-12-31\" }\n  \
        - { id: G3, title: G, rule: \"improve(r)\" }\n";
    // 2025 is revised twice in 2026 (x from 40 to 52, then to 49.996); 2026 has a snapshot
    // during the year and its final value after it; 2026-Q1 alone.
    let csv = "unit,indicator,period,value,as_of\n\
        U,x,2025,40,\nU,y,2025,100,\n\
        U,x,2025,52,2026-02-10\nU,x,2025,49.996,2026-04-02\n\
        U,x,2026,30,2026-03-15\nU,y,2026,60,2026-03-15\n\
        U,x,2026,33,\nU,y,2026,60,\n";
    let compared = history_equals_evaluations(plan, csv, "2026-01", "2027-03");
    assert_eq!(compared, 3 * 15);
}
