//! `eval --history` at scale: the per-goal counts over time agree with the JSON history; the
//! terminal leads with them and lists every unit's row only with `--all`; `--format html` gives
//! a page for small histories and a folder (`-o DIR`) with a page per top-level unit.

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

const RANGE: &str = "2027-01..2027-12";

fn workload(name: &str, sizes: (usize, usize, usize)) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chitieu-hroll-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let units = national::units_sized(sizes.0, sizes.1, sizes.2);
    let (registry, observations) = national::csv_in_memory(&units, 36);
    std::fs::write(dir.join("plan.yaml"), national::plan()).unwrap();
    std::fs::write(dir.join("units.csv"), registry).unwrap();
    std::fs::write(dir.join("observations.csv"), observations).unwrap();
    dir
}

fn run(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .current_dir(dir)
        .args([
            "eval",
            "plan.yaml",
            "--data",
            "observations.csv",
            "--units",
            "units.csv",
            "--history",
            RANGE,
        ])
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn counts_over_time_agree_with_the_json_history() {
    let dir = workload("counts", (3, 4, 15));
    let (code, json, err) = run(&dir, &["--format", "json"]);
    assert!(code < 2, "{err}");
    let doc: Value = serde_json::from_str(&json).unwrap();
    // Per goal and month: how many units had each status.
    let mut expected: HashMap<(String, usize, String), usize> = HashMap::new();
    for r in doc["results"].as_array().unwrap() {
        for (d, step) in r["series"].as_array().unwrap().iter().enumerate() {
            *expected
                .entry((
                    r["goal"].as_str().unwrap().into(),
                    d,
                    step["status"].as_str().unwrap().into(),
                ))
                .or_default() += 1;
        }
    }
    let inputs = chitieu::Inputs::new(dir.join("plan.yaml"))
        .data(dir.join("observations.csv"))
        .units(dir.join("units.csv"));
    let project = chitieu::Workspace::new().open(&inputs).unwrap();
    let (from, to) = RANGE.split_once("..").unwrap();
    let query = chitieu::Query::new("2027-12-31".parse().unwrap());
    let history = project
        .history(&query, from.parse().unwrap(), to.parse().unwrap())
        .unwrap();
    let mut rollup =
        chitieu::report::HistoryRollup::new(project.compiled(), history.goals(), history.dates());
    history
        .run(|block| -> Result<(), ()> {
            rollup.block(project.units(), block);
            Ok(())
        })
        .unwrap();
    assert_eq!(rollup.dates.len(), 12);
    let mut compared = 0;
    for ((goal, _), per_date) in rollup.goals.iter().zip(&rollup.counts) {
        for (d, counts) in per_date.iter().enumerate() {
            for s in chitieu::eval::Status::ALL {
                let want = expected
                    .get(&(goal.clone(), d, s.name().to_string()))
                    .copied()
                    .unwrap_or(0);
                assert_eq!(counts.get(s), want, "{goal} month {d} {}", s.name());
                compared += want;
            }
        }
    }
    assert_eq!(compared, expected.values().sum::<usize>());
    // The top-level units' counts add up to the whole.
    for (g, per_date) in rollup.counts.iter().enumerate() {
        for (d, all) in per_date.iter().enumerate() {
            let sum: usize = rollup
                .tops
                .iter()
                .map(|t| t.counts[g][d].applicable())
                .sum();
            assert_eq!(sum, all.applicable());
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_large_history_leads_with_counts_and_all_lists_every_unit() {
    let dir = workload("terminal", (3, 4, 15));
    let (_, short, _) = run(&dir, &["--lang", "en"]);
    assert!(short.contains("One character a month"), "{short}");
    assert!(short.contains("`--all` lists every unit's history."));
    assert!(!short.contains("  P01.X001 "), "{short}");
    // Six lines a goal, whatever the number of units.
    assert!(short.lines().count() < 150, "{short}");
    let (_, all, _) = run(&dir, &["--lang", "en", "--all"]);
    assert!(all.starts_with(&short));
    for id in ["P01", "P01.S01", "P01.X001", "P03"] {
        assert!(all.contains(&format!("\n  {id} ")), "{id}");
    }
    // A small history keeps its table.
    let (_, one, _) = run(&dir, &["--lang", "en", "--unit", "P01"]);
    assert!(!one.contains("One character a month"));
    std::fs::remove_dir_all(&dir).unwrap();
}

fn hrefs(html: &str) -> Vec<&str> {
    html.match_indices(" href=\"")
        .map(|(at, _)| {
            let rest = &html[at + 7..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

#[test]
fn history_html_is_a_page_when_small_and_a_folder_on_request() {
    let dir = workload("html", (3, 4, 15));
    let (code, page, err) = run(
        &dir,
        &[
            "--format", "html", "--lang", "en", "--unit", "P01", "P01.S01",
        ],
    );
    assert!(code < 2, "{err}");
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<figure class=\"history\""));
    assert!(page.contains("id=\"u-P01.S01\""));
    for h in hrefs(&page) {
        let anchor = h.strip_prefix('#').unwrap();
        assert!(page.contains(&format!("id=\"{anchor}\"")), "{h}");
    }

    let (code, _, err) = run(&dir, &["--format", "html", "-o", "site"]);
    assert!(code < 2, "{err}");
    let site = dir.join("site");
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    let links = hrefs(&index);
    assert_eq!(links.len(), 3, "a link per province: {links:?}");
    let registry = std::fs::read_to_string(dir.join("units.csv")).unwrap();
    let mut anchors = String::new();
    for l in &links {
        let p = std::fs::read_to_string(site.join(l)).unwrap();
        assert!(hrefs(&p).contains(&"index.html"), "{l} links back");
        assert!(!p.contains("<script"));
        anchors.push_str(&p);
    }
    for line in registry.lines().skip(1) {
        let id = line.split(',').next().unwrap();
        assert!(
            anchors.contains(&format!("id=\"u-{id}\"")),
            "{id} one link from the index"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
