//! Roll-ups of large evaluations: the matrix of top-level units × goals and the attention list
//! agree with the JSON results; terminal and Markdown output of a large evaluation lead with the
//! roll-up and list every unit only with `--all` (or `--unit`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[allow(dead_code)]
#[path = "../examples/national.rs"]
mod national;

use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const AS_OF: &str = "2028-06-30";

/// A workload from the national generator in a fresh folder: `provinces`, `departments` per
/// province, `communes` in all, `months` months of data.
fn workload(name: &str, sizes: (usize, usize, usize), months: usize) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chitieu-rollup-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let units = national::units_sized(sizes.0, sizes.1, sizes.2);
    let (registry, observations) = national::csv_in_memory(&units, months);
    std::fs::write(dir.join("plan.yaml"), national::plan()).unwrap();
    std::fs::write(dir.join("units.csv"), registry).unwrap();
    std::fs::write(dir.join("observations.csv"), observations).unwrap();
    dir
}

fn run(dir: &Path, extra: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .current_dir(dir)
        .args([
            "eval",
            "plan.yaml",
            "--data",
            "observations.csv",
            "--units",
            "units.csv",
        ])
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c < 2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

/// Each unit's parent, from the registry.
fn parents(dir: &Path) -> HashMap<String, String> {
    std::fs::read_to_string(dir.join("units.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (!f[3].is_empty()).then(|| (f[0].to_string(), f[3].to_string()))
        })
        .collect()
}

fn top<'a>(unit: &'a str, parents: &'a HashMap<String, String>) -> &'a str {
    let mut at = unit;
    while let Some(p) = parents.get(at) {
        at = p;
    }
    at
}

/// The matrix cell the roll-up should show, counted here from the JSON results alone: the
/// top's own status mark, then the share (whole percent, half up) of the results below it that
/// are not met or off track.
fn expected_cells(
    results: &[Value],
    parents: &HashMap<String, String>,
) -> HashMap<(String, String), String> {
    let mark = |s: &str| match s {
        "met" => "✓",
        "not_met" => "✗",
        "on_track" => "↗",
        "off_track" => "↘",
        "in_progress" => "…",
        "no_data" => "?",
        "error" => "!",
        _ => "·",
    };
    let mut own: HashMap<(String, String), String> = HashMap::new();
    let mut below: HashMap<(String, String), (usize, usize)> = HashMap::new();
    for r in results {
        let unit = r["unit"].as_str().unwrap();
        let goal = r["goal"].as_str().unwrap().to_string();
        let status = r["status"].as_str().unwrap();
        let t = top(unit, parents).to_string();
        if t == unit {
            own.insert((t, goal), mark(status).to_string());
        } else if status != "not_applicable" {
            let e = below.entry((t, goal)).or_default();
            e.0 += 1;
            if status == "not_met" || status == "off_track" {
                e.1 += 1;
            }
        }
    }
    own.into_iter()
        .map(|(k, m)| {
            let cell = match below.get(&k) {
                Some(&(all, behind)) if all > 0 => {
                    format!("{m}{}%", (behind * 200 + all) / (all * 2))
                }
                _ => m,
            };
            (k, cell)
        })
        .collect()
}

#[test]
fn matrix_and_attention_agree_with_the_json_results() {
    let dir = workload("matrix", (3, 4, 15), 60);
    let (_, json) = run(&dir, &["--as-of", AS_OF, "--format", "json"]);
    let doc: Value = serde_json::from_str(&json).unwrap();
    let results = doc["results"].as_array().unwrap();
    let parents = parents(&dir);
    let expected = expected_cells(results, &parents);
    let behind = results
        .iter()
        .filter(|r| matches!(r["status"].as_str(), Some("not_met" | "off_track")))
        .count();
    assert!(behind > 0, "the workload has results needing attention");

    // The Markdown matrix, cell by cell.
    let (_, md) = run(
        &dir,
        &["--as-of", AS_OF, "--format", "markdown", "--lang", "en"],
    );
    let matrix = md
        .split("## Top-level units × goals")
        .nth(1)
        .expect("a matrix section");
    let mut lines = matrix
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'));
    let head: Vec<String> = lines
        .next()
        .unwrap()
        .split('|')
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    let goals = &head[1..];
    assert_eq!(goals.len(), 20);
    let mut rows = 0;
    for line in lines.skip(1) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let unit = cells[1].rsplit('(').next().unwrap().trim_end_matches(')');
        for (g, cell) in goals.iter().zip(&cells[2..]) {
            assert_eq!(
                Some(&cell.to_string()),
                expected.get(&(unit.to_string(), g.clone())),
                "{unit} × {g}"
            );
        }
        rows += 1;
    }
    assert_eq!(rows, 3, "one row per province");

    // The attention list: its count, its length, and the rest counted.
    let heading = format!("Needing attention: {behind} results not met or off track");
    assert!(md.contains(&heading), "{heading}");
    let listed = md
        .split(&heading)
        .nth(1)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("| ✗") || l.starts_with("| ↘"))
        .count();
    assert_eq!(listed, behind.min(chitieu::report::ATTENTION_LIMIT));
    if behind > chitieu::report::ATTENTION_LIMIT {
        let rest = behind - chitieu::report::ATTENTION_LIMIT;
        assert!(rest < 1000, "no thousands separator to write");
        assert!(md.contains(&format!("… and {rest} more")));
    }

    // The library's roll-up, counted per goal and kind, against the JSON.
    let inputs = chitieu::Inputs::new(dir.join("plan.yaml"))
        .data(dir.join("observations.csv"))
        .units(dir.join("units.csv"));
    let project = chitieu::Workspace::new().open(&inputs).unwrap();
    let report = project.evaluate(AS_OF.parse().unwrap()).unwrap();
    let rollup = project.rollup(&report);
    assert_eq!(rollup.attention.len(), behind);
    let kinds: HashMap<String, String> = std::fs::read_to_string(dir.join("units.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_string(), f[2].to_string())
        })
        .collect();
    for g in &rollup.goals {
        for (k, counts) in rollup.kinds.iter().zip(&g.by_kind) {
            for s in chitieu::eval::Status::ALL {
                let n = results
                    .iter()
                    .filter(|r| {
                        r["goal"] == g.goal.as_str()
                            && kinds[r["unit"].as_str().unwrap()] == *k
                            && r["status"] == s.name()
                    })
                    .count();
                assert_eq!(counts.get(s), n, "{} {k} {}", g.goal, s.name());
            }
        }
    }
    // Worst first: relative gaps never increase down the list.
    let gaps: Vec<_> = rollup
        .attention
        .iter()
        .map(|&i| chitieu::report::relative_gap(&report.results()[i]))
        .collect();
    assert!(gaps.windows(2).all(|w| match (w[0], w[1]) {
        (Some(a), Some(b)) => a >= b,
        (None, Some(_)) => false,
        _ => true,
    }));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_large_evaluation_leads_with_the_rollup_and_all_lists_every_unit() {
    let dir = workload("terminal", (3, 4, 15), 60);
    let ids: Vec<String> = parents(&dir).keys().cloned().collect();
    let (_, short) = run(&dir, &["--as-of", AS_OF, "--lang", "en"]);
    assert!(short.contains("Goals by unit kind"), "{short}");
    assert!(short.contains("Top-level units × goals"));
    assert!(short.contains("Needing attention"));
    assert!(!short.contains("Every unit"));
    let (_, all) = run(&dir, &["--as-of", AS_OF, "--lang", "en", "--all"]);
    assert!(all.starts_with(&short[..short.find("Needing attention").unwrap()]));
    assert!(all.contains("Every unit"));
    for id in &ids {
        assert!(all.contains(&format!("({id})\n")), "{id} listed with --all");
    }
    // `--unit` asks for those units' rows: the full table, no roll-up.
    let (_, one) = run(&dir, &["--as-of", AS_OF, "--lang", "en", "--unit", "P01"]);
    assert!(!one.contains("Goals by unit kind"));
    assert!(one.contains("(P01)"));
    // Vietnamese headings and grouped numbers.
    let (_, vi) = run(&dir, &["--as-of", AS_OF]);
    assert!(vi.contains("Chỉ tiêu theo loại đơn vị"));
    assert!(vi.contains("Cần chú ý"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_small_evaluation_keeps_its_full_table() {
    let dir = workload("small", (1, 1, 2), 24);
    let (_, text) = run(&dir, &["--as-of", "2026-06-30", "--lang", "en"]);
    assert!(!text.contains("Goals by unit kind"), "{text}");
    assert!(text.contains("(P01)"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A country: 34 provinces, 680 departments, 3,321 communes, 20 goals; the baseline year and
/// one month of data (the size of the output is the number of units and goals, not of months).
#[test]
fn national_terminal_output_fits_a_few_screens_and_all_lists_every_unit() {
    let dir = workload("national", (34, 20, 3321), 2);
    let (_, short) = run(&dir, &["--as-of", "2026-01-31", "--lang", "en"]);
    let lines = short.lines().count();
    assert!(lines <= 150, "{lines} lines:\n{short}");
    assert!(short.contains("Needing attention"));
    let (_, all) = run(&dir, &["--as-of", "2026-01-31", "--lang", "en", "--all"]);
    // Every unit's heading, `Name (ID)`, after the roll-up.
    let listed = all
        .split("\nEvery unit\n")
        .nth(1)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with(' ') && l.ends_with(')') && !l.contains(':'))
        .count();
    assert_eq!(listed, 4035, "every unit has its heading with --all");
    std::fs::remove_dir_all(&dir).unwrap();
}
