//! `eval --format html -o DIR`: a folder with `index.html` and a page per top-level unit, linked
//! both ways, every unit reachable from the index in at most two links; written atomically;
//! `-o FILE.html` keeps one page for small evaluations and refuses a large one (exit 2, with
//! the hint to write a folder).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[allow(dead_code)]
#[path = "../examples/national.rs"]
mod national;

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workload(name: &str, sizes: (usize, usize, usize), months: usize) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chitieu-site-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let units = national::units_sized(sizes.0, sizes.1, sizes.2);
    let (registry, observations) = national::csv_in_memory(&units, months);
    std::fs::write(dir.join("plan.yaml"), national::plan()).unwrap();
    std::fs::write(dir.join("units.csv"), registry).unwrap();
    std::fs::write(dir.join("observations.csv"), observations).unwrap();
    dir
}

fn run(dir: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .current_dir(dir)
        .args([
            "eval",
            "plan.yaml",
            "--data",
            "observations.csv",
            "--units",
            "units.csv",
            "--as-of",
            "2028-06-30",
            "--format",
            "html",
        ])
        .args(extra)
        .output()
        .unwrap()
}

/// The values of an attribute (`href`, `id`) in a page.
fn attributes<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let key = format!(" {name}=\"");
    html.match_indices(&key)
        .map(|(at, _)| {
            let rest = &html[at + key.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

fn unit_ids(dir: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(dir.join("units.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect()
}

#[test]
fn folder_pages_link_both_ways_and_reach_every_unit_in_two_links() {
    let dir = workload("links", (3, 4, 15), 60);
    let out = run(&dir, &["-o", "site", "--lang", "en"]);
    assert!(
        out.status.code().unwrap() < 2,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "the pages go to the folder only");
    let site = dir.join("site");
    let mut pages: HashMap<String, String> = HashMap::new();
    for e in std::fs::read_dir(&site).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        pages.insert(name, std::fs::read_to_string(&p).unwrap());
    }
    assert_eq!(
        pages.len(),
        4,
        "index and one page per province: {:?}",
        pages.keys()
    );
    // No script, nothing from the network.
    for (name, html) in &pages {
        assert!(!html.contains("<script"), "{name}");
        assert!(
            !html.contains("http://") && !html.contains("https://"),
            "{name}"
        );
        assert!(html.contains("<svg"), "{name} has its charts");
    }
    // Every link points at a page of the folder (and an anchor on it).
    let anchors: HashMap<&str, HashSet<&str>> = pages
        .iter()
        .map(|(n, h)| (n.as_str(), attributes(h, "id").into_iter().collect()))
        .collect();
    for (name, html) in &pages {
        for href in attributes(html, "href") {
            let (page, frag) = href.split_once('#').unwrap_or((href, ""));
            let page = if page.is_empty() { name.as_str() } else { page };
            assert!(pages.contains_key(page), "{name} links to {href}");
            assert!(
                frag.is_empty() || anchors[page].contains(frag),
                "{name} links to {href}"
            );
        }
    }
    // Both ways: the index links every unit page, every unit page links the index.
    let index = &pages["index.html"];
    for name in pages.keys().filter(|n| *n != "index.html") {
        assert!(
            attributes(index, "href").contains(&name.as_str()),
            "index → {name}"
        );
        assert!(
            attributes(&pages[name], "href").contains(&"index.html"),
            "{name} → index"
        );
    }
    // Breadth first from the index: each unit's anchor within two links.
    let mut depth: HashMap<&str, usize> = HashMap::from([("index.html", 0)]);
    let mut queue = VecDeque::from(["index.html"]);
    while let Some(page) = queue.pop_front() {
        for href in attributes(&pages[page], "href") {
            let target = href.split('#').next().unwrap();
            let target = pages.get_key_value(target).map(|(k, _)| k.as_str());
            if let Some(t) = target.filter(|t| !depth.contains_key(t)) {
                depth.insert(t, depth[page] + 1);
                queue.push_back(t);
            }
        }
    }
    for id in unit_ids(&dir) {
        let anchor = format!("u-{id}");
        let found = anchors
            .iter()
            .filter(|(_, ids)| ids.contains(anchor.as_str()))
            .filter_map(|(page, _)| depth.get(page))
            .min();
        assert!(
            found.is_some_and(|&d| d <= 1),
            "{id} is on a page one link from the index"
        );
    }
    // Written again over itself: replaced, nothing left beside it.
    let again = run(&dir, &["-o", "site", "--lang", "en"]);
    assert!(again.status.code().unwrap() < 2);
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".chitieu-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_folder_with_other_files_is_not_replaced() {
    let dir = workload("foreign", (1, 1, 2), 24);
    std::fs::create_dir_all(dir.join("mine")).unwrap();
    std::fs::write(dir.join("mine/notes.txt"), "keep me").unwrap();
    let out = run(&dir, &["-o", "mine", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error: -o mine: the folder holds files other than .html pages"),
        "{err}"
    );
    assert!(err.contains("hint:"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("mine/notes.txt")).unwrap(),
        "keep me"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn unit_narrows_the_folder() {
    let dir = workload("narrow", (3, 4, 15), 24);
    let out = run(&dir, &["-o", "site", "--unit", "P02"]);
    assert!(
        out.status.code().unwrap() < 2,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let names: BTreeSet<String> = std::fs::read_dir(dir.join("site"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["index.html".into(), "unit-001-P02.html".into()])
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_single_page_is_kept_for_small_evaluations_and_refused_for_large_ones() {
    let small = workload("small", (1, 2, 3), 24);
    let out = run(&small, &["-o", "report.html"]);
    assert!(out.status.code().unwrap() < 2);
    let page = std::fs::read_to_string(small.join("report.html")).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    std::fs::remove_dir_all(&small).unwrap();

    // 5 provinces of 20 departments and 100 communes: over 2,000 results that apply.
    let large = workload("large", (5, 20, 100), 2);
    for (args, target, folder) in [
        (
            vec!["-o", "report.html", "--lang", "en"],
            "-o report.html",
            "report/",
        ),
        (vec!["--lang", "en"], "standard output", "report/"),
    ] {
        let out = run(&large, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with(&format!("error: {target}: one HTML page of ")),
            "{err}"
        );
        assert!(err.contains("(at most 2,000)"), "{err}");
        assert!(err.contains(&format!("hint: write a folder with an overview page and a page per top-level unit: `-o {folder}`")), "{err}");
        assert!(out.stdout.is_empty());
    }
    assert!(!large.join("report.html").exists());
    let vi = run(&large, &["-o", "report.html"]);
    assert!(String::from_utf8_lossy(&vi.stderr).contains("gợi ý: ghi thành thư mục"));
    std::fs::remove_dir_all(&large).unwrap();
}
