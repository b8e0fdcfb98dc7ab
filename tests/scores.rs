//! Index scores (docs/plan-format.md, `index`) on the portal's real figures (tests/fixtures/766), and the rules of the
//! method: rounding, supplied group scores, missing groups, zero denominators, ties, bands, and
//! goals that read computed totals.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chitieu::data::{Dataset, Format, Locale, Units, load_observations_str, load_units_str};
use chitieu::eval::{Compiled, Status};
use chitieu::period::parse_date;
use chitieu::score::{ScoreSource, Scores, UnitScore, compute, ranks};
use rust_decimal::Decimal;
use std::str::FromStr;

const NATIONAL: &str = "plans/national/766-dvcqg-2026.yaml";
const OBSERVATIONS: &str = "tests/fixtures/766/observations.csv";
const UNITS: &str = "tests/fixtures/766/units.csv";
const GROUPS: [&str; 6] = ["CKMB", "TDGQ", "ONLINE", "TTTT", "MDSH", "MDHL"];

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn compiled(path: &str) -> Compiled {
    let plan = chitieu::plan::load(path).unwrap();
    Compiled::new(chitieu::check::checked(plan).unwrap())
}

fn load(c: &Compiled, units: &str, observations: &str) -> (Units, Dataset) {
    let mut u = load_units_str("units.csv", units, Format::Csv, c.plan()).unwrap();
    let data = load_observations_str(
        "observations.csv",
        observations,
        Format::Csv,
        c.plan(),
        &mut u,
        Locale::Default,
    )
    .unwrap();
    (u, data)
}

fn scores_of(c: &Compiled, units: &str, observations: &str) -> Scores {
    let (u, data) = load(c, units, observations);
    compute(c, &data, &u, parse_date("2026-10-11").unwrap()).unwrap()
}

fn fixture() -> (String, String) {
    (
        std::fs::read_to_string(UNITS).unwrap(),
        std::fs::read_to_string(OBSERVATIONS).unwrap(),
    )
}

fn unit<'a>(s: &'a Scores, id: &str) -> &'a UnitScore {
    s.units.iter().find(|u| u.unit == id).unwrap()
}

fn group<'a>(u: &'a UnitScore, id: &str) -> &'a chitieu::score::GroupScore {
    u.groups.iter().find(|g| g.id == id).unwrap()
}

/// The observations without the rows of these indicators for unit `unit`.
fn without(observations: &str, unit: &str, indicators: &[&str]) -> String {
    observations
        .lines()
        .filter(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            !(cells[0] == unit && indicators.contains(&cells[1]))
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The observations with the value of `indicator` for `unit` replaced.
fn with_value(observations: &str, unit: &str, indicator: &str, value: &str) -> String {
    let mut out = without(observations, unit, &[indicator]);
    out.push_str(&format!("{unit},{indicator},2026,{value},2026-10-10\n"));
    out
}

#[test]
fn the_fixture_reproduces_every_published_figure() {
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("tests/fixtures/766/expected.json").unwrap())
            .unwrap();
    let (units, observations) = fixture();
    let s = scores_of(&compiled(NATIONAL), &units, &observations);
    assert_eq!(s.units.len(), 2);
    for (id, want) in expected.as_object().unwrap() {
        let u = unit(&s, id);
        assert_eq!(u.period.to_string(), "2026");
        for g in GROUPS {
            let got = u.group(g).unwrap_or_else(|| panic!("{id} {g} missing"));
            let want = d(want[g].as_str().unwrap());
            assert!((got - want).abs() <= d("0.01"), "{id} {g}: {got} vs {want}");
        }
        let total = u.total.unwrap();
        let want_total = d(want["total"].as_str().unwrap());
        assert!(
            (total - want_total).abs() <= d("0.015"),
            "{id} total {total} vs {want_total}"
        );
        assert_eq!(
            u.rank,
            Some(u32::try_from(want["rank"].as_u64().unwrap()).unwrap())
        );
        assert_eq!(u.band.as_deref(), Some("trung-binh"));
    }
    // Exactly, as published.
    assert_eq!(unit(&s, "H61").total.unwrap().to_string(), "62.03");
    assert_eq!(unit(&s, "H20").total.unwrap().to_string(), "68.80");
    assert_eq!(unit(&s, "H20").rank, Some(1));
    assert_eq!(unit(&s, "H61").rank, Some(2));
}

#[test]
fn dong_thap_mdhl_is_the_sum_of_rounded_metrics() {
    let (units, observations) = fixture();
    let s = scores_of(&compiled(NATIONAL), &units, &observations);
    let mdhl = group(unit(&s, "H20"), "MDHL");
    let metrics: Vec<String> = mdhl
        .metrics
        .iter()
        .map(|(_, v)| v.unwrap().to_string())
        .collect();
    assert_eq!(metrics, ["5.90", "4.91", "3.86"]);
    assert_eq!(mdhl.score.unwrap().to_string(), "14.67");
    assert_eq!(mdhl.source, ScoreSource::Computed);
    // The unrounded sum would be 14.66.
    let exact = d("6") * d("358522") / d("405424") / d("0.9")
        + d("6") * d("234") / d("286")
        + d("6") * d("184") / d("286");
    assert_eq!(exact.round_dp(2).to_string(), "14.66");
}

#[test]
fn vinh_long_ckmb_follows_the_worked_example() {
    let (units, observations) = fixture();
    let s = scores_of(&compiled(NATIONAL), &units, &observations);
    let ckmb = group(unit(&s, "H61"), "CKMB");
    let metrics: Vec<String> = ckmb
        .metrics
        .iter()
        .map(|(_, v)| v.unwrap().normalize().to_string())
        .collect();
    assert_eq!(metrics, ["0.28", "3.81", "2", "6"]);
    assert_eq!(ckmb.score.unwrap().to_string(), "12.09");
}

#[test]
fn no_petitions_scores_both_petition_metrics_in_full() {
    let (units, mut obs) = fixture();
    for ind in [
        "petition_on_time_num",
        "petition_on_time_den",
        "petition_satisfaction_num",
        "petition_satisfaction_den",
    ] {
        obs = with_value(&obs, "H61", ind, "0");
    }
    let s = scores_of(&compiled(NATIONAL), &units, &obs);
    let mdhl = group(unit(&s, "H61"), "MDHL");
    assert_eq!(mdhl.metrics[1].1.unwrap(), d("6"));
    assert_eq!(mdhl.metrics[2].1.unwrap(), d("6"));
    // Dossier satisfaction is unchanged: min(6, 6 × 408514/495111 / 0.9) = 5.50.
    assert_eq!(mdhl.metrics[0].1.unwrap().to_string(), "5.50");
    assert_eq!(mdhl.score.unwrap().to_string(), "17.50");
}

#[test]
fn no_dossiers_scores_no_satisfaction_points() {
    let (units, mut obs) = fixture();
    obs = with_value(&obs, "H20", "dossier_satisfaction_num", "0");
    obs = with_value(&obs, "H20", "dossier_satisfaction_den", "0");
    let s = scores_of(&compiled(NATIONAL), &units, &obs);
    let mdhl = group(unit(&s, "H20"), "MDHL");
    assert_eq!(mdhl.metrics[0].1.unwrap(), d("0"));
    assert_eq!(mdhl.score.unwrap().to_string(), "8.77");
    assert_eq!(mdhl.source, ScoreSource::Computed);
}

#[test]
fn a_supplied_group_score_is_used_only_when_inputs_are_missing() {
    let (units, obs) = fixture();
    let c = compiled(NATIONAL);
    // Inputs incomplete (no fee_procedures_synced): the published score.
    let s = scores_of(&c, &units, &obs);
    let tttt = group(unit(&s, "H20"), "TTTT");
    assert_eq!(tttt.source, ScoreSource::Supplied);
    assert_eq!(tttt.score.unwrap().to_string(), "6.42");
    // Inputs complete: computed, the supplied score ignored.
    // 6 × 227321/264583 + min(2, 2.5 × 113/330) + 2.5 × 33/330 = 5.155… + 0.856… + 0.25 = 6.26
    let obs = with_value(&obs, "H20", "fee_procedures_synced", "33");
    let s = scores_of(&c, &units, &obs);
    let tttt = group(unit(&s, "H20"), "TTTT");
    assert_eq!(tttt.source, ScoreSource::Computed);
    assert_eq!(tttt.score.unwrap().to_string(), "6.26");
    // A computed group (CKMB) keeps its computed score although a supplied one is given.
    let obs = with_value(&obs, "H20", "ckmb_score", "1");
    let s = scores_of(&c, &units, &obs);
    assert_eq!(unit(&s, "H20").group("CKMB").unwrap().to_string(), "11.46");
    // Without one input and with a supplied score: the supplied score.
    let obs2 = without(&obs, "H20", &["dossier_sync_den"]);
    let s = scores_of(&c, &units, &obs2);
    let ckmb = group(unit(&s, "H20"), "CKMB");
    assert_eq!(ckmb.source, ScoreSource::Supplied);
    assert_eq!(ckmb.score.unwrap().to_string(), "1.00");
}

#[test]
fn a_group_with_neither_inputs_nor_supplied_score_is_missing_not_zero() {
    let (units, obs) = fixture();
    let obs = without(&obs, "H61", &["dossiers_on_time"]);
    let s = scores_of(&compiled(NATIONAL), &units, &obs);
    let h61 = unit(&s, "H61");
    assert_eq!(group(h61, "TDGQ").source, ScoreSource::Missing);
    assert_eq!(h61.group("TDGQ"), None);
    assert_eq!(h61.total, None);
    assert_eq!(h61.band, None);
    assert_eq!(h61.rank, None);
    // The other province is ranked alone.
    assert_eq!(unit(&s, "H20").rank, Some(1));
    assert_eq!(unit(&s, "H20").ranked, 1);
}

const TIE_PLAN: &str = r#"chitieu: 1
plan: { id: T, title: Ties, period: 2026 .. 2026 }
indicators:
  a: { name: A, unit: points }
  b: { name: B, unit: points }
index:
  id: tie
  title: Ties
  max: 100
  groups:
    - { id: A, title: A, max: 60, score: a }
    - { id: B, title: B, max: 40, score: b }
  bands:
    - { id: top, title: Top, min: 80 }
    - { id: low, title: Low, min: 0 }
"#;

/// Unit, total, rank, band.
type Row = (String, Option<String>, Option<u32>, Option<String>);

#[test]
fn ties_share_a_rank_and_the_next_is_skipped() {
    let (plan, diags) = chitieu::plan::load_str("tie.yaml", TIE_PLAN);
    assert!(diags.is_empty(), "{diags:?}");
    let c = Compiled::new(chitieu::check::checked(plan.unwrap()).unwrap());
    let units = "id,name,kind,parent\nP1,One,province,\nP2,Two,province,\nP3,Three,province,\nP4,Four,province,\nP5,Five,province,\n";
    let obs = "unit,indicator,period,value\n\
               P1,a,2026,50\nP1,b,2026,40\n\
               P2,a,2026,45\nP2,b,2026,35.005\n\
               P3,a,2026,40\nP3,b,2026,40.01\n\
               P4,a,2026,30\nP4,b,2026,30\n\
               P5,a,2026,60\n";
    let (u, data) = load(&c, units, obs);
    let s = compute(&c, &data, &u, parse_date("2027-01-01").unwrap()).unwrap();
    let got: Vec<Row> = s
        .units
        .iter()
        .map(|x| {
            (
                x.unit.clone(),
                x.total.map(|t| t.to_string()),
                x.rank,
                x.band.clone(),
            )
        })
        .collect();
    let e = |u: &str, t: Option<&str>, r: Option<u32>, b: Option<&str>| {
        (u.to_string(), t.map(String::from), r, b.map(String::from))
    };
    assert_eq!(
        got,
        [
            e("P1", Some("90.00"), Some(1), Some("top")),
            // 35.005 rounds half away from zero to 35.01: 80.01 ties with P3.
            e("P2", Some("80.01"), Some(2), Some("top")),
            e("P3", Some("80.01"), Some(2), Some("top")),
            e("P4", Some("60.00"), Some(4), Some("low")),
            e("P5", None, None, None),
        ]
    );
    assert_eq!(
        ranks(&[Some(d("3")), Some(d("2")), Some(d("2")), Some(d("1"))]),
        [Some(1), Some(2), Some(2), Some(4)]
    );
}

#[test]
fn json_scores_have_the_spec_shape() {
    let (units, observations) = fixture();
    let s = scores_of(&compiled(NATIONAL), &units, &observations);
    let json = chitieu::report::scores_json(&s);
    insta::assert_json_snapshot!("scores_json", json);
    let first = &json[0];
    let keys: Vec<&String> = first.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["band", "groups", "period", "rank", "total", "unit"]);
    assert_eq!(first["groups"]["CKMB"], "12.09");
}

const DEPARTMENTS: &str = "id,name,kind,parent\n\
    H61,Vĩnh Long,province,\n\
    SNV,Sở Nội vụ,department,H61\n\
    STC,Sở Tài chính,department,H61\n\
    X1,Xã Một,commune,H61\n";

/// Every group's supplied score, for a unit with no inputs.
fn supplied(unit: &str, scores: [&str; 6]) -> String {
    let names = [
        "ckmb_score",
        "tdgq_score",
        "online_score",
        "payment_score",
        "mdsh_score",
        "mdhl_score",
    ];
    names
        .iter()
        .zip(scores)
        .map(|(n, v)| format!("{unit},{n},2026,{v},2026-10-10\n"))
        .collect()
}

#[test]
fn the_emulation_plan_evaluates_on_computed_scores() {
    let mut obs = String::from("unit,indicator,period,value,as_of\n");
    obs.push_str(&supplied("SNV", ["18", "20", "12", "10", "21", "17.5"])); // 98.50
    obs.push_str(&supplied("STC", ["18", "20", "12", "10", "20", "16.99"])); // 96.99
    obs.push_str(&supplied("X1", ["18", "20", "12", "10", "20", "16"])); // 96.00
    // The plan from the disk, the units and observations from memory, through the facade
    // (the only place that gives goals the index totals).
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut top = chitieu::files::InMemory::new();
    top.insert(root.join("memory/units.csv"), DEPARTMENTS);
    top.insert(root.join("memory/observations.csv"), obs);
    let files = chitieu::files::Overlay::new(top, chitieu::files::FileSystem);
    let project = chitieu::Workspace::with_files(files)
        .open(
            &chitieu::Inputs::new(root.join("plans/vinh-long/thi-dua-766-2026.yaml"))
                .data(root.join("memory/observations.csv"))
                .units(root.join("memory/units.csv")),
        )
        .unwrap();
    let as_of = parse_date("2026-10-11").unwrap();
    let report = project.evaluate(as_of).unwrap();
    let s = report.scores.as_ref().unwrap();
    assert_eq!(unit(s, "SNV").total.unwrap().to_string(), "98.50");
    assert_eq!(unit(s, "SNV").band.as_deref(), Some("xuat-sac"));
    assert_eq!(unit(s, "STC").rank, Some(2));
    assert_eq!(unit(s, "X1").rank, Some(1), "communes rank among communes");
    let ev = &report.evaluation;
    let status = |u: &str, g: &str| {
        ev.results
            .iter()
            .find(|r| r.unit == u && r.goal == g)
            .unwrap()
            .clone()
    };
    assert_eq!(status("SNV", "thi-dua.so.diem").status, Status::Met);
    assert_eq!(status("SNV", "thi-dua.so.diem").actual, Some(d("98.50")));
    assert_ne!(status("STC", "thi-dua.so.diem").status, Status::Met);
    assert_eq!(status("X1", "thi-dua.xa.diem").status, Status::Met);
    let so = status("H61", "thi-dua.so");
    assert_eq!(so.actual, Some(d("0.5")), "{so:?}");
    assert_ne!(so.status, Status::Met);
    assert_eq!(status("H61", "thi-dua.xa").status, Status::Met);
}

#[test]
fn a_computed_total_cannot_be_given_as_data() {
    let c = compiled(NATIONAL);
    let mut u = load_units_str("units.csv", DEPARTMENTS, Format::Csv, c.plan()).unwrap();
    let err = load_observations_str(
        "o.csv",
        "unit,indicator,period,value\nSNV,score_766,2026,99\n",
        Format::Csv,
        c.plan(),
        &mut u,
        Locale::Default,
    )
    .unwrap_err();
    assert_eq!(err[0].code(), "derived-observation");
}

#[test]
fn the_2022_view_merges_online_and_payment() {
    let (units, observations) = fixture();
    let s = scores_of(
        &compiled("plans/national/766-qd-2022.yaml"),
        &units,
        &observations,
    );
    for (id, total, online) in [("H61", "62.03", "15.56"), ("H20", "68.80", "15.26")] {
        let u = unit(&s, id);
        assert_eq!(u.groups.len(), 5);
        assert_eq!(u.group("DVCTT").unwrap().to_string(), online);
        assert_eq!(u.total.unwrap().to_string(), total);
    }
}

#[test]
fn the_national_plans_declare_the_contract_groups_with_notes() {
    let c = compiled(NATIONAL);
    let x = c.plan().index.as_ref().unwrap();
    let ids: Vec<&str> = x.groups.iter().map(|g| g.id.name.as_str()).collect();
    assert_eq!(ids, GROUPS);
    let maxima: Vec<String> = x.groups.iter().map(|g| g.max.value.to_string()).collect();
    assert_eq!(maxima, ["18", "20", "12", "10", "22", "18"]);
    let metrics: Vec<&str> = x
        .groups
        .iter()
        .flat_map(|g| &g.metrics)
        .map(|m| m.id.name.as_str())
        .collect();
    assert_eq!(metrics.len(), 4 + 7 + 3);
    for g in &x.groups {
        assert!(g.note.is_some() || !g.metrics.is_empty(), "{}", g.id);
        for m in &g.metrics {
            assert!(
                m.note.as_deref().is_some_and(|n| n.contains("Cổng DVCQG")),
                "{}",
                m.id
            );
            assert!(!m.title.is_ascii(), "{} has a Vietnamese title", m.id);
        }
    }
    let bands: Vec<(&str, String)> = x
        .bands
        .iter()
        .map(|b| (b.title.as_str(), b.min.value.to_string()))
        .collect();
    assert_eq!(
        bands,
        [
            ("Xuất sắc", "90".to_string()),
            ("Tốt", "80".to_string()),
            ("Khá", "70".to_string()),
            ("Trung bình", "50".to_string()),
            ("Yếu", "0".to_string()),
        ]
    );
    let old = compiled("plans/national/766-qd-2022.yaml");
    let x = old.plan().index.as_ref().unwrap();
    let groups: Vec<(&str, String)> = x
        .groups
        .iter()
        .map(|g| (g.id.name.as_str(), g.max.value.to_string()))
        .collect();
    assert_eq!(
        groups,
        [
            ("CKMB", "18".to_string()),
            ("TDGQ", "20".to_string()),
            ("DVCTT", "22".to_string()),
            ("MDSH", "22".to_string()),
            ("MDHL", "18".to_string()),
        ]
    );
    assert_eq!(x.groups[2].title, "Cung cấp dịch vụ trực tuyến");
}

#[test]
fn a_unit_scores_its_periods_in_calendar_order() {
    // The same figures for a month, a quarter and a year: scores come first day first, then
    // shortest first (the derived order put the year before the quarter and the month).
    let (units, observations) = fixture();
    let mut more = observations.clone();
    for line in observations.lines().filter(|l| l.starts_with("H61,")) {
        for (period, seen) in [("2026-Q1", "2026-04-10"), ("2025-12", "2026-01-10")] {
            let cells: Vec<&str> = line.split(',').collect();
            more.push_str(&format!("H61,{},{period},{},{seen}\n", cells[1], cells[3]));
        }
    }
    let s = scores_of(&compiled(NATIONAL), &units, &more);
    let periods: Vec<String> = s
        .units
        .iter()
        .filter(|u| u.unit == "H61")
        .map(|u| u.period.to_string())
        .collect();
    assert_eq!(periods, ["2025-12", "2026-Q1", "2026"]);
}
