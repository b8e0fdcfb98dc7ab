//! `chitieu eval` on the Decision 766 plan and the portal's real figures: the acceptance command
//! prints every published group score, total, band and rank, in every output format.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::{Command, Output};

fn chitieu(plan: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "eval",
        plan,
        "--data",
        "tests/fixtures/766/observations.csv",
        "--units",
        "tests/fixtures/766/units.csv",
        "--as-of",
        "2026-10-11",
    ];
    args.extend_from_slice(extra);
    run(&args)
}

/// Runs chitieu with `args`, without colour.
fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run chitieu")
}

/// `chitieu eval|explain PLAN` on the example data shipped in `examples/data/`, as of 2026-10-31.
fn on_examples(command: &str, plan: &str, data: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        command,
        plan,
        "--data",
        data,
        "--units",
        "examples/data/units.csv",
        "--as-of",
        "2026-10-31",
    ];
    args.extend_from_slice(extra);
    run(&args)
}

const PLAN_22: &str = "plans/vinh-long/22-kh-ubnd-2026-2030.yaml";
const EXAMPLE_DATA: &str = "examples/data/observations.csv";

const NATIONAL: &str = "plans/national/766-dvcqg-2026.yaml";

fn stdout(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn row<'a>(out: &'a str, unit: &str) -> Vec<&'a str> {
    out.lines()
        .find(|l| l.trim_start().starts_with(unit))
        .unwrap_or_else(|| panic!("no row for {unit} in\n{out}"))
        .split_whitespace()
        .collect()
}

#[test]
fn the_acceptance_command_prints_the_published_scores() {
    let out = stdout(&chitieu(NATIONAL, &["--lang", "en"]));
    assert_eq!(
        row(&out, "H61"),
        [
            "H61", "2026", "12.09", "16.51", "9.01*", "6.55*", "9.83", "8.04", "62.03", "Trung",
            "bình", "2/2"
        ]
    );
    assert_eq!(
        row(&out, "H20"),
        [
            "H20", "2026", "11.46", "17.69", "8.84*", "6.42*", "9.72", "14.67", "68.80", "Trung",
            "bình", "1/2"
        ]
    );
    insta::assert_snapshot!("scores_human_en", out);
}

#[test]
fn in_vietnamese_by_the_plan_language() {
    let out = stdout(&chitieu(NATIONAL, &[]));
    assert!(out.contains("Xếp loại"), "{out}");
    assert_eq!(row(&out, "H20")[8], "68,80");
    insta::assert_snapshot!("scores_human_vi", out);
}

#[test]
fn json_scores_are_exactly_the_spec_shape() {
    let out = stdout(&chitieu(NATIONAL, &["--format", "json"]));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["schema"], "chitieu.eval/v1");
    let scores = doc["scores"].as_array().unwrap();
    assert_eq!(scores.len(), 2);
    let h61 = &scores[0];
    assert_eq!(h61["unit"], "H61");
    assert_eq!(h61["period"], "2026");
    assert_eq!(h61["groups"]["CKMB"], "12.09");
    assert_eq!(h61["groups"]["MDHL"], "8.04");
    assert_eq!(h61["total"], "62.03");
    assert_eq!(h61["band"], "trung-binh");
    assert_eq!(h61["rank"], 2);
    assert_eq!(scores[1]["total"], "68.80");
    assert_eq!(scores[1]["groups"]["MDHL"], "14.67");
    assert_eq!(scores[1]["rank"], 1);
    insta::assert_json_snapshot!("scores_eval_json", doc["scores"]);
}

#[test]
fn markdown_and_junit_carry_the_scores() {
    let md = stdout(&chitieu(
        NATIONAL,
        &["--format", "markdown", "--lang", "en"],
    ));
    assert!(
        md.contains("| H20 | 2026 | 11.46 | 17.69 | 8.84\\* | 6.42\\* | 9.72 | 14.67 | 68.80 | Trung bình | 1/2 |"),
        "{md}"
    );
    insta::assert_snapshot!("scores_markdown_en", md);
    let xml = stdout(&chitieu(NATIONAL, &["--format", "junit"]));
    assert!(
        xml.contains("<testsuites name=\"766-dvcqg-2026\" tests=\"2\""),
        "{xml}"
    );
    assert!(
        xml.contains("<property name=\"total\" value=\"68.80\"/>"),
        "{xml}"
    );
    assert!(
        xml.contains("<property name=\"rank\" value=\"1\"/>"),
        "{xml}"
    );
    insta::assert_snapshot!("scores_junit", xml);
}

#[test]
fn the_unit_filter_keeps_ranks_among_all_units() {
    let out = stdout(&chitieu(NATIONAL, &["--format", "json", "--unit", "H61"]));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let scores = doc["scores"].as_array().unwrap();
    assert_eq!(scores.len(), 1);
    assert_eq!(scores[0]["rank"], 2);
}

#[test]
fn the_2022_view_prints_five_groups_with_the_same_totals() {
    let out = stdout(&chitieu(
        "plans/national/766-qd-2022.yaml",
        &["--lang", "en"],
    ));
    let h61 = row(&out, "H61");
    assert_eq!(
        &h61[2..8],
        ["12.09", "16.51", "15.56", "9.83", "8.04", "62.03"]
    );
}

#[test]
fn a_plan_without_index_has_no_score_table() {
    let o = on_examples("eval", PLAN_22, EXAMPLE_DATA, &["--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["scores"], serde_json::json!([]));
}

#[test]
fn html_report_has_the_index_table() {
    let out = stdout(&chitieu(NATIONAL, &["--format", "html", "--lang", "en"]));
    let start = out
        .find("<section class=\"index\">")
        .expect("index section");
    let table = &out[start..];
    let end = table.find("</section>").unwrap();
    let table = &table[..end];
    for cell in [
        "<th>CKMB (18)</th>",
        "<td>H61</td>",
        "<td class=\"num\">62.03</td>",
        "<td class=\"num\">68.80</td>",
        "<td class=\"num\">14.67</td>",
        "<td class=\"num\">1/2</td>",
        "<td class=\"num\">2/2</td>",
    ] {
        assert!(table.contains(cell), "{cell} missing from {table}");
    }
    // A plan without an index has no index section.
    let plain = on_examples("eval", PLAN_22, EXAMPLE_DATA, &["--format", "html"]);
    assert!(!String::from_utf8_lossy(&plain.stdout).contains("class=\"index\""));
}

#[test]
fn explain_score_shows_every_metric_with_its_inputs_and_rounding() {
    let explain = |extra: &[&str]| {
        let mut args = vec![
            "explain",
            NATIONAL,
            "--data",
            "tests/fixtures/766/observations.csv",
            "--units",
            "tests/fixtures/766/units.csv",
            "--as-of",
            "2026-10-11",
            "--unit",
            "H20",
            "--score",
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    let text = stdout(&explain(&["--lang", "en"]));
    assert!(text.contains("total 68.80/100"), "{text}");
    assert!(text.contains("MDHL Mức độ hài lòng — 14.67/18 (computed from inputs)"));
    assert!(text.contains("min(6, 6 * dossier_satisfaction_rate / 0.9) = 5.895425… → 5.90"));
    assert!(text.contains("= 358,522 / 405,424 = 88.43% (2026)"));
    assert!(text.contains(
        "ONLINE Dịch vụ công trực tuyến — 8.84/12 (read from the supplied score `online_score`)"
    ));
    insta::assert_snapshot!("explain_score_en", text);

    // JSON: every computed group is the sum of its metrics' rounded scores.
    let doc: serde_json::Value =
        serde_json::from_str(&stdout(&explain(&["--format", "json", "--lang", "en"]))).unwrap();
    let groups = doc[0]["groups"].as_array().unwrap();
    // Each formula's steps, and the same steps in words as the human report prints them.
    let traces: Vec<&serde_json::Value> = groups
        .iter()
        .flat_map(|g| g["metrics"].as_array().unwrap())
        .map(|m| &m["formula"])
        .collect();
    assert!(traces.iter().all(|f| f["steps"].is_array()));
    assert!(
        traces
            .iter()
            .any(|f| f["trace"].as_array().unwrap().iter().any(|l| l
                .as_str()
                .unwrap()
                .contains("= 358,522 / 405,424 = 88.43% (2026)"))),
        "{doc:#}"
    );
    assert_eq!(groups.len(), 6);
    for g in groups {
        let metrics = g["metrics"].as_array().unwrap();
        if g["source"] == "computed" && !metrics.is_empty() {
            let sum: rust_decimal::Decimal = metrics
                .iter()
                .map(|m| {
                    m["formula"]["rounded"]
                        .as_str()
                        .unwrap()
                        .parse::<rust_decimal::Decimal>()
                        .unwrap()
                })
                .sum();
            let score: rust_decimal::Decimal = g["score"].as_str().unwrap().parse().unwrap();
            assert_eq!(sum, score, "{}", g["id"]);
        }
    }

    // An unknown unit and a plan without an index cannot run: exit 2.
    let unknown = run(&[
        "explain",
        NATIONAL,
        "--data",
        "tests/fixtures/766/observations.csv",
        "--units",
        "tests/fixtures/766/units.csv",
        "--unit",
        "H99",
        "--score",
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    let no_index = on_examples(
        "explain",
        PLAN_22,
        EXAMPLE_DATA,
        &["--unit", "H61", "--score"],
    );
    assert_eq!(no_index.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_index.stderr).contains("index"));
}

#[test]
fn the_emulation_example_is_judged_on_computed_totals() {
    let out = on_examples(
        "eval",
        "plans/vinh-long/thi-dua-766-2026.yaml",
        "examples/data/thi-dua-766.csv",
        &["--format", "json"],
    );
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let result = |u: &str, g: &str| {
        doc["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["unit"] == u && r["goal"] == g)
            .unwrap_or_else(|| panic!("{u} {g}"))
            .clone()
    };
    // Sở Nội vụ: TDGQ computed from its dossiers (20 · 19,402 / 19,800 = 19.598… → 19.60), the
    // other groups supplied: exactly 97.00, which meets `>= 97`.
    let snv = result("H61.SNV", "thi-dua.so.diem");
    assert_eq!(snv["status"], "met");
    assert_eq!(snv["actual"], "97.00");
    let score = doc["scores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["unit"] == "H61.SNV")
        .unwrap();
    assert_eq!(score["groups"]["TDGQ"], "19.60");
    assert_eq!(score["rank"], 3);
    assert_eq!(
        result("H61.STP", "thi-dua.so.diem")["status"],
        "in_progress"
    );
    assert_eq!(result("H61.SKHCN", "thi-dua.so.diem")["status"], "no_data");
    assert_eq!(result("H61.X02", "thi-dua.xa.diem")["actual"], "93.00");
    // 3 of the 4 departments with a score reach 97; 2 of 3 communes reach 96.
    assert_eq!(result("H61", "thi-dua.so")["actual"], "0.75");
    let xa = result("H61", "thi-dua.xa")["actual"]
        .as_str()
        .unwrap()
        .parse::<rust_decimal::Decimal>()
        .unwrap();
    assert_eq!(xa.round_dp(4).to_string(), "0.6667");
    // The rank goal: 20/34 in 2026 against 10/34 at the end of 2025, deadline not yet passed.
    let rank = result("H61", "thi-dua.hang");
    assert_eq!(rank["actual"], "20");
    assert_eq!(rank["target"], "10");
    assert_eq!(rank["status"], "off_track");
}

#[test]
fn a_score_above_its_maximum_is_flagged_in_every_format() {
    // `6·A + min(2, 2.5·B) + 2.5·C` with A = B = C = 100% gives 10.50 of 10: never shown as if
    // it were in range.
    let dir = std::env::temp_dir().join(format!("chitieu-above-max-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = |f: &str| dir.join(f).to_string_lossy().into_owned();
    std::fs::copy(
        "tests/fixtures/check/score-above-max.yaml",
        path("plan.yaml"),
    )
    .unwrap();
    std::fs::write(
        path("data.csv"),
        "unit,indicator,period,value\nP,a,2026,100\nP,b,2026,100\nP,c,2026,100\n",
    )
    .unwrap();
    std::fs::write(path("units.csv"), "id,name,kind,parent\nP,Tỉnh,province,\n").unwrap();
    let (plan, data, units) = (path("plan.yaml"), path("data.csv"), path("units.csv"));
    let eval = |format: &str| {
        stdout(&run(&[
            "eval",
            &plan,
            "--data",
            &data,
            "--units",
            &units,
            "--as-of",
            "2026-12-31",
            "--format",
            format,
        ]))
    };
    let doc: serde_json::Value = serde_json::from_str(&eval("json")).unwrap();
    let score = &doc["scores"][0];
    assert_eq!(score["groups"]["TTTT"], "10.50");
    assert_eq!(score["above_max"], serde_json::json!(["TTTT", "total"]));
    for format in ["human", "markdown", "html"] {
        let text = eval(format);
        assert!(text.contains("10.50!"), "{format}: {text}");
        assert!(text.contains("above its maximum"), "{format}: {text}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
