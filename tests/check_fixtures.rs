//! Bad plan files: one fixture per diagnostic kind, each rendered and snapshotted, several with
//! their exact line, column and underlined text asserted.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chitieu::diag::{Diagnostic, Severity};
use chitieu::lang::Lang;
use chitieu::report::{Style, render_diagnostic};
use std::path::{Path, PathBuf};

const DIR: &str = "tests/fixtures/check";

fn diagnose(path: &Path) -> Vec<Diagnostic> {
    let (plan, mut diags) = chitieu::plan::load_partial(path);
    if let Some(plan) = &plan {
        diags.extend(chitieu::check::check(plan));
    }
    diags
}

fn render(diags: &[Diagnostic], lang: Lang) -> String {
    diags
        .iter()
        .map(|d| render_diagnostic(d, lang, Style::default()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn fixtures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(DIR)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

/// The code each fixture must produce, where it is not the fixture's own name.
fn expected_code(stem: &str) -> &str {
    match stem {
        "unknown-kind" | "unknown-function" => "unknown-name",
        "alias-bomb" => "yaml",
        "index-wrong-unit" => "wrong-unit",
        "index-unknown-name" => "unknown-name",
        "independent-faults" => "unknown-key",
        other => other,
    }
}

#[test]
fn every_fixture_reports_its_diagnostic_and_renders_stably() {
    let files = fixtures();
    assert!(files.len() >= 15, "only {} fixtures", files.len());
    for path in files {
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let diags = diagnose(&path);
        let code = expected_code(&stem);
        assert!(
            diags.iter().any(|d| d.code() == code),
            "{stem}: expected a `{code}` diagnostic, got {diags:#?}"
        );
        assert!(
            diags.iter().all(|d| d.location.is_some()),
            "{stem}: every diagnostic is located: {diags:#?}"
        );
        insta::assert_snapshot!(format!("check_{stem}"), render(&diags, Lang::En));
    }
}

#[test]
fn diagnostics_render_in_vietnamese_too() {
    let diags = diagnose(Path::new("tests/fixtures/check/unknown-name.yaml"));
    insta::assert_snapshot!("check_unknown-name_vi", render(&diags, Lang::Vi));
}

/// The one error of a fixture: its line, column and underlined text.
fn located(stem: &str) -> (Diagnostic, usize, usize, String) {
    let diags: Vec<Diagnostic> = diagnose(&Path::new(DIR).join(format!("{stem}.yaml")))
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(diags.len(), 1, "{stem}: {diags:#?}");
    let d = diags.into_iter().next().unwrap();
    let loc = d.location.clone().unwrap();
    let (line, col) = loc.start_line_col();
    let text = loc.text().to_string();
    (d, line, col, text)
}

#[test]
fn unknown_indicator_is_underlined_with_a_suggestion() {
    let (d, line, col, text) = located("unknown-name");
    assert_eq!((line, col, text.as_str()), (19, 11, "online_rat"));
    assert_eq!(d.message(Lang::En), "unknown indicator `online_rat`");
    assert_eq!(d.help(Lang::En).unwrap(), "did you mean `online_rate`?");
}

#[test]
fn faults_inside_quoted_rules_point_into_the_quotes() {
    // rule: "online_rate >> 80%"
    let (_, line, col, text) = located("syntax");
    assert_eq!((line, col, text.as_str()), (19, 25, ">"));
    let (_, line, col, text) = located("nesting-too-deep");
    assert_eq!(
        (line, col, text.as_str()),
        (19, 12 + chitieu::syntax::MAX_DEPTH, "(")
    );
}

#[test]
fn dates_keys_and_duplicates_are_located() {
    let (_, line, col, text) = located("invalid-date");
    assert_eq!((line, col, text.as_str()), (19, 32, "2026-02-30"));
    let (d, line, col, text) = located("unknown-key");
    assert_eq!((line, col, text.as_str()), (19, 5, "rul"));
    assert_eq!(d.help(Lang::En).unwrap(), "did you mean `rule`?");
    let (d, line, _, text) = located("duplicate-id");
    assert_eq!((line, text.as_str()), (20, "\"g1\""));
    assert_eq!(d.related.unwrap().start_line_col(), (17, 9));
    let (_, line, col, text) = located("unit-mismatch");
    assert_eq!(
        (line, col, text.as_str()),
        (19, 11, "score_766 >= online_rate")
    );
}

#[test]
fn one_run_reports_independent_faults_of_three_goals() {
    // An unknown key in g1 used to stop the reading and hide g2's and g3's faults.
    let diags = diagnose(Path::new("tests/fixtures/check/independent-faults.yaml"));
    let found: Vec<(&str, usize, usize, String)> = diags
        .iter()
        .map(|d| {
            let loc = d.location.as_ref().unwrap();
            let (line, col) = loc.start_line_col();
            (d.code(), line, col, loc.text().to_string())
        })
        .collect();
    assert_eq!(
        found,
        [
            ("unknown-key", 19, 5, "aplies_to".to_string()),
            ("unknown-name", 23, 11, "online_rat".to_string()),
            (
                "unit-mismatch",
                26,
                11,
                "score_766 >= online_rate".to_string()
            ),
        ]
    );
    assert_eq!(
        diags[0].help(Lang::En).unwrap(),
        "did you mean `applies_to`?"
    );
    assert_eq!(
        diags[0].help(Lang::Vi).unwrap(),
        "có phải ý bạn là `applies_to`?"
    );
    assert_eq!(
        diags[1].help(Lang::En).unwrap(),
        "did you mean `online_rate`?"
    );
}

#[test]
fn index_faults_are_located_on_their_line() {
    // M2's formula caps it at 20, its `max:` says 15: the metric is the culprit.
    let (d, line, col, text) = located("max-sum-mismatch");
    assert_eq!((line, col, text.as_str()), (24, 16, "15"));
    assert_eq!(
        d.message(Lang::En),
        "the maxima of `G1`'s parts add up to 55, not 60"
    );
    let (_, line, _, text) = located("band-order");
    assert_eq!((line, text.as_str()), (22, "80"));
    let (_, line, _, text) = located("group-shape");
    assert_eq!((line, text.as_str()), (18, "G2"));
    let (d, line, _, text) = located("score-without-index");
    assert_eq!((line, text.as_str()), (8, "\"766-dvcqg-2026\""));
    assert!(d.message(Lang::Vi).contains("không có bộ chỉ số này"));
    let (_, line, _, text) = located("index-wrong-unit");
    assert_eq!((line, text.as_str()), (20, "a_rate"));
}

#[test]
fn index_names_get_suggestions() {
    let diags = diagnose(Path::new("tests/fixtures/check/index-unknown-name.yaml"));
    let helps: Vec<String> = diags.iter().filter_map(|d| d.help(Lang::En)).collect();
    assert!(
        helps.contains(&"did you mean `a_score`?".to_string()),
        "{helps:?}"
    );
    assert!(
        helps.contains(&"did you mean `a_rate`?".to_string()),
        "{helps:?}"
    );
}

#[test]
fn a_metric_maximum_edited_in_the_national_plan_is_an_error_on_its_line() {
    let text = std::fs::read_to_string("plans/national/766-dvcqg-2026.yaml").unwrap();
    // PUBLISH_ON_TIME: `max: 6` → `max: 5`.
    let at = text.find("id: PUBLISH_ON_TIME").unwrap();
    let max = at + text[at..].find("max: 6").unwrap();
    let edited = format!("{}max: 5{}", &text[..max], &text[max + 6..]);
    let line = text[..max].matches('\n').count() + 1;
    let dir = std::env::temp_dir().join(format!("chitieu-edit-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("national")).unwrap();
    std::fs::create_dir_all(dir.join("catalogue")).unwrap();
    std::fs::copy(
        "plans/catalogue/766-indicators.yaml",
        dir.join("catalogue/766-indicators.yaml"),
    )
    .unwrap();
    let path = dir.join("national/766.yaml");
    std::fs::write(&path, edited).unwrap();
    let errors: Vec<Diagnostic> = diagnose(&path)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].code(), "max-sum-mismatch");
    let loc = errors[0].location.clone().unwrap();
    assert_eq!(loc.start_line_col().0, line);
    assert_eq!(loc.text(), "5");
}

#[test]
fn empty_and_non_utf8_files_are_located() {
    let (_, line, col, _) = located("empty-file");
    assert_eq!((line, col), (1, 1));
    let (_, line, col, _) = located("not-utf8");
    assert_eq!((line, col), (4, 12));
}

#[test]
fn include_cycles_are_reported() {
    let diags = diagnose(Path::new("tests/fixtures/check/include-cycle/a.yaml"));
    let cycle = diags.iter().find(|d| d.code() == "include-cycle").unwrap();
    assert_eq!(
        cycle.message(Lang::En),
        "files include each other in a circle: a.yaml → b.yaml → a.yaml"
    );
    let (line, col) = cycle.location.as_ref().unwrap().start_line_col();
    assert_eq!((line, col), (2, 11));
}

#[test]
fn alias_expansion_has_a_budget() {
    // 60,000 aliases of one scalar: far more than any plan, refused by the reader's budget.
    let mut text = String::from(
        "chitieu: 1\nplan:\n  id: P\n  title: T\n  period: 2026 .. 2030\n  sources: [&a x",
    );
    for _ in 0..60_000 {
        text.push_str(", *a");
    }
    text.push_str("]\n");
    let (_, diags) = chitieu::plan::load_str("bomb.yaml", &text);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].code(), "yaml-budget");
}

#[test]
fn the_clean_fixture_plan_has_no_findings() {
    let text = std::fs::read_to_string("tests/fixtures/check/unknown-name.yaml")
        .unwrap()
        .replace("online_rat ", "online_rate ");
    let (plan, diags) = chitieu::plan::load_str("clean.yaml", &text);
    assert!(diags.is_empty(), "{diags:#?}");
    assert!(chitieu::check::check(&plan.unwrap()).is_empty());
}

#[test]
fn derived_indicators_nest_to_a_limit() {
    let mut text = String::from(
        "chitieu: 1\nplan: { id: P, title: T, period: 2026 .. 2030 }\nindicators:\n  x0: { name: X, unit: count }\n",
    );
    let n = chitieu::check::MAX_FORMULA_DEPTH + 2;
    for i in 1..=n {
        text.push_str(&format!(
            "  x{i}: {{ name: X, unit: count, formula: x{} + 1 }}\n",
            i - 1
        ));
    }
    let (plan, diags) = chitieu::plan::load_str("chain.yaml", &text);
    assert!(diags.is_empty(), "{diags:#?}");
    let found = chitieu::check::check(&plan.unwrap());
    let deep: Vec<_> = found
        .iter()
        .filter(|d| d.code() == "nesting-too-deep")
        .collect();
    // x17 and x18 are 17 and 18 levels deep.
    assert_eq!(deep.len(), 2, "{found:#?}");
    assert_eq!(deep[0].location.as_ref().unwrap().text(), "x16 + 1");
}

#[test]
fn an_empty_applies_to_is_an_error() {
    let text = "chitieu: 1\nplan: { id: P, title: T, period: 2026 .. 2030 }\n\
                indicators:\n  x: { name: X, unit: count }\n\
                goals:\n  - { id: g, title: G, applies_to: [], rule: x > 1 }\n";
    let (plan, _) = chitieu::plan::load_str("empty-kinds.yaml", text);
    let found = chitieu::check::check(&plan.unwrap());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code(), "invalid-value");
}

#[test]
fn a_faulty_indicator_is_reported_once_not_again_where_it_is_used() {
    // `unt:` is reported; the goal reading `b` would add an unknown name `b` if the blanked
    // entry were forgotten, and `c`'s missing `unit` is a second, independent fault.
    let text = "chitieu: 1\nplan: { id: P, title: T, period: 2026 .. 2030 }\n\
                indicators:\n  a: { name: A, unit: count }\n  b:\n    name: B\n    unt: count\n\
                \x20 c: { name: C }\n\
                goals:\n  - { id: g, title: G, rule: b + c > a }\n  - { id: h, title: H, rule: x > 1 }\n";
    let (plan, mut diags) = chitieu::plan::load_str("blanked.yaml", text);
    diags.extend(chitieu::check::check(&plan.unwrap()));
    let found: Vec<(&str, (usize, usize))> = diags
        .iter()
        .map(|d| (d.code(), d.location.as_ref().unwrap().start_line_col()))
        .collect();
    assert_eq!(
        found,
        [
            ("unknown-key", (7, 5)),
            ("missing-key", (8, 8)),
            ("unknown-name", (11, 30)),
        ],
        "{diags:#?}"
    );
}

#[test]
fn an_index_group_supplied_by_a_faulty_indicator_adds_no_second_error() {
    let text = std::fs::read_to_string("tests/fixtures/check/index-unknown-name.yaml")
        .unwrap()
        .replace("supplied: a_scor", "supplied: a_score")
        .replace("a_rat }", "a_rate }")
        .replace("unit: points }", "unit: points, betterr: higher }");
    let (plan, mut diags) = chitieu::plan::load_str("supplied.yaml", &text);
    diags.extend(chitieu::check::check(&plan.unwrap()));
    let codes: Vec<&str> = diags.iter().map(|d| d.code()).collect();
    assert_eq!(codes, ["unknown-key"], "{diags:#?}");
}

#[test]
fn faults_of_every_shape_in_entries_are_all_reported() {
    // A duplicate key, a missing key in a flow mapping, a list for a value, a duplicate key in a
    // goal written at the first column, then an unknown name; `g4` uses the faulty `y` and adds
    // nothing.
    let text = std::fs::read_to_string("tests/fixtures/check/unknown-key.yaml").unwrap();
    let header: String = text.lines().take(7).map(|l| format!("{l}\n")).collect();
    let text = format!(
        "{header}indicators:\n  x: {{ name: X, unit: count }}\n  y:\n    name: Y\n    unit: count\n    unit: percent\n\
         goals:\n- {{ id: g1, title: G }}\n- id: g2\n  title: G2\n  rule: [x, 1]\n\
         - id: g3\n  title: G3\n  rule: x > 1\n  rule: x > 2\n- id: g4\n  title: G4\n  rule: y > 1\n\
         - id: g5\n  title: G5\n  rule: z > 1\n"
    );
    let (plan, mut diags) = chitieu::plan::load_str("shapes.yaml", &text);
    diags.extend(chitieu::check::check(&plan.unwrap()));
    let found: Vec<(&str, usize)> = diags
        .iter()
        .map(|d| (d.code(), d.location.as_ref().unwrap().start_line_col().0))
        .collect();
    assert_eq!(
        found,
        [
            ("yaml", 13),
            ("missing-key", 15),
            ("yaml", 18),
            ("yaml", 22),
            ("unknown-name", 28)
        ],
        "{diags:#?}"
    );
}

#[test]
fn faults_read_back_as_their_stage_kind() {
    use chitieu::diag::{Common, Thing};
    // A language server's quick fix reads the suggestion as data, whatever the stage.
    let (d, ..) = located("unknown-name");
    assert!(matches!(
        d.kind::<Common>(),
        Some(Common::UnknownName { thing: Thing::Indicator, name, .. }) if name == "online_rat"
    ));
    assert_eq!(d.suggestion(), Some("online_rate"));
    assert!(d.kind::<chitieu::check::Kind>().is_none());

    let (d, ..) = located("unknown-key");
    assert!(matches!(
        d.kind::<chitieu::plan::Kind>(),
        Some(chitieu::plan::Kind::UnknownKey { key, .. }) if key == "rul"
    ));
    assert_eq!(d.suggestion(), Some("rule"));

    let (d, ..) = located("unknown-function");
    assert!(matches!(
        d.kind::<chitieu::syntax::Kind>(),
        Some(chitieu::syntax::Kind::UnknownFunction { .. })
    ));
    assert_eq!((d.code(), d.suggestion()), ("unknown-name", Some("share")));

    let (d, ..) = located("unit-mismatch");
    assert!(matches!(
        d.kind::<chitieu::check::Kind>(),
        Some(chitieu::check::Kind::UnitMismatch { op, .. }) if op == ">="
    ));
    assert_eq!(d.suggestion(), None);
}
