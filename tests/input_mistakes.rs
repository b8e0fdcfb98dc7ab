//! Input mistakes that used to pass silently or be reported badly (issue 11): each is now a
//! located error or a clear message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::main_args;
use std::path::PathBuf;
use std::process::{Command, Output};

fn chitieu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args(args)
        .output()
        .unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

const PLAN: &str = "chitieu: 1
plan: { id: P, title: T, period: 2026 .. 2030 }
indicators:
  dossiers: { name: Hồ sơ, unit: count }
  budget: { name: Kinh phí, unit: vnd }
goals:
  - { id: g.a, title: A, rule: dossiers >= 1000 by 2030-12-31 }
  - { id: g.b, title: B, rule: budget >= 1000 by 2030-12-31 }
";

const UNITS: &str = "id,name,kind,parent\nH61,Vĩnh Long,province,\n";

/// A folder with `files` written in it.
fn folder(test: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chitieu-mistakes-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    dir
}

fn eval_in(dir: &std::path::Path, extra: &[&str]) -> Output {
    let p = |n: &str| dir.join(n).to_str().unwrap().to_string();
    let (plan, data, units) = (p("plan.yaml"), p("data.csv"), p("units.csv"));
    let mut args = vec![
        "eval",
        &plan,
        "--data",
        &data,
        "--units",
        &units,
        "--as-of",
        "2026-10-31",
        "--lang",
        "en",
    ];
    args.extend_from_slice(extra);
    chitieu(&args)
}

#[test]
fn vietnamese_thousands_in_a_count_are_an_error_with_the_locale_hint() {
    let data =
        "unit,indicator,period,value\nH61,dossiers,2026-Q2,1.675\nH61,budget,2026-Q2,2.000\n";
    let dir = folder(
        "thousands",
        &[
            ("plan.yaml", PLAN),
            ("units.csv", UNITS),
            ("data.csv", data),
        ],
    );
    let out = eval_in(&dir, &[]);
    let (_, err) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("error[fractional-count]: `dossiers` is measured in `count` (whole numbers), but `1.675` has a fraction"), "{err}");
    assert!(err.contains("data.csv:2:22"), "{err}");
    assert!(err.contains("use `--locale vi`"), "{err}");
    // `2.000` is 2 in the default locale: a whole number, read as written.
    assert!(!err.contains("`2.000`"), "{err}");
    // In the Vietnamese locale both are thousands.
    let out = eval_in(&dir, &["--locale", "vi", "--format", "json"]);
    let (json, err) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(json.contains("\"1675\""), "{json}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_fraction_without_thousands_shape_says_counts_are_whole() {
    let data = "unit,indicator,period,value\nH61,dossiers,2026-Q2,12.5\n";
    let dir = folder(
        "fraction",
        &[
            ("plan.yaml", PLAN),
            ("units.csv", UNITS),
            ("data.csv", data),
        ],
    );
    let (_, err) = text(&eval_in(&dir, &[]));
    assert!(
        err.contains("counts and VND amounts are whole numbers"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_locale_vi_hint_is_not_given_to_who_already_set_it() {
    let data = "unit,indicator,period,value\nH61,dossiers,2026-Q2,93.3.1\n";
    let dir = folder(
        "hint",
        &[
            ("plan.yaml", PLAN),
            ("units.csv", UNITS),
            ("data.csv", data),
        ],
    );
    let (_, err) = text(&eval_in(&dir, &["--locale", "vi"]));
    assert!(err.contains("malformed-number"), "{err}");
    assert!(!err.contains("use `--locale vi`"), "{err}");
    assert!(err.contains("use `--locale default`"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn semicolon_and_tab_separated_files_are_read() {
    for (name, data) in [
        (
            "semicolon",
            "unit;indicator;period;value\nH61;dossiers;2026-Q2;1200\nH61;budget;2026-Q2;900\n",
        ),
        (
            "tab",
            "unit\tindicator\tperiod\tvalue\nH61\tdossiers\t2026-Q2\t1200\nH61\tbudget\t2026-Q2\t900\n",
        ),
    ] {
        let dir = folder(
            name,
            &[
                ("plan.yaml", PLAN),
                ("units.csv", UNITS),
                ("data.csv", data),
            ],
        );
        let out = eval_in(&dir, &["--format", "json"]);
        let (json, err) = text(&out);
        assert_eq!(out.status.code(), Some(0), "{name}: {err}");
        assert!(
            json.contains("\"actual\": \"1200\"") && json.contains("\"actual\": \"900\""),
            "{name}: {json}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
    // A cell of a semicolon file is located in its own column.
    let data = "unit;indicator;period;value\nH61;dossiers;2026-Q2;abc\n";
    let dir = folder(
        "semicolon-error",
        &[
            ("plan.yaml", PLAN),
            ("units.csv", UNITS),
            ("data.csv", data),
        ],
    );
    let (_, err) = text(&eval_in(&dir, &[]));
    assert!(err.contains("data.csv:2:22"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn eval_without_a_registry_on_a_plan_that_names_kinds_is_exit_2() {
    let out = chitieu(&[
        "eval",
        "plans/vinh-long/22-kh-ubnd-2026-2030.yaml",
        "--data",
        "examples/data/observations.csv",
        "--as-of",
        "2026-10-31",
        "--lang",
        "en",
    ]);
    let (stdout, err) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(stdout, "");
    assert!(err.contains("error[unit-registry-needed]"), "{err}");
    assert!(
        err.contains("but no unit registry says which kind each unit is"),
        "{err}"
    );
    assert!(err.contains("--units FILE"), "{err}");
    // A plan that names no kind is judged on the units the data names.
    let data = "unit,indicator,period,value\nH61,dossiers,2026-Q2,1200\n";
    let dir = folder("no-registry", &[("plan.yaml", PLAN), ("data.csv", data)]);
    let plan = dir.join("plan.yaml");
    let data = dir.join("data.csv");
    let out = chitieu(&[
        "eval",
        plan.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--as-of",
        "2026-10-31",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out).1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_goal_id_in_the_wrong_case_suggests_the_right_one() {
    let out = chitieu(&main_args("eval", &["--goal", "II.2.H", "--lang", "en"]));
    let (_, err) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("did you mean `II.2.h`?"), "{err}");
}

#[test]
fn an_unknown_unit_kind_lists_the_kinds() {
    let units = "id,name,kind,parent\nH61,Vĩnh Long,provnce,\nX1,Xã,zone,H61\n";
    let data = "unit,indicator,period,value\n";
    let dir = folder(
        "kinds",
        &[
            ("plan.yaml", PLAN),
            ("units.csv", units),
            ("data.csv", data),
        ],
    );
    let (_, err) = text(&eval_in(&dir, &[]));
    assert!(
        err.contains("did you mean `province`? (the unit kinds: province, department, commune)"),
        "{err}"
    );
    assert!(
        err.contains("= help: the unit kinds: province, department, commune"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn explain_refuses_the_report_formats() {
    for format in ["markdown", "junit", "html", "github"] {
        let out = chitieu(&main_args(
            "explain",
            &["--unit", "H61", "--goal", "II.2.h", "--format", format],
        ));
        let (stdout, err) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{format}: {err}");
        assert_eq!(stdout, "");
        assert!(
            err.contains("explain writes `human` or `json`"),
            "{format}: {err}"
        );
    }
    let out = chitieu(&main_args(
        "explain",
        &["--unit", "H61", "--goal", "II.2.h", "--format", "json"],
    ));
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn check_of_a_folder_skips_yaml_files_that_are_not_plans() {
    let data = "- { unit: H61, indicator: dossiers, period: 2026, value: 3 }\n";
    let dir = folder(
        "check-dir",
        &[
            ("plan.yaml", PLAN),
            ("data.yaml", data),
            ("ci.yml", "on: push\n"),
        ],
    );
    let out = chitieu(&["check", dir.to_str().unwrap(), "--lang", "en"]);
    let (stdout, err) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{err}");
    assert!(stdout.contains("checked 1 file: 0 errors"), "{stdout}");
    assert!(
        err.contains("note: skipped")
            && err.contains("data.yaml: no `chitieu:` key, not a plan file"),
        "{err}"
    );
    assert!(err.contains("ci.yml"), "{err}");
    // Named on the command line, a data file is still read as a plan.
    let out = chitieu(&["check", dir.join("data.yaml").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn data_from_before_the_plan_and_a_date_outside_it_are_said() {
    // Vĩnh Phúc ward's own example: a real figure of 2025-Q3.
    let out = chitieu(&[
        "explain",
        "plans/vinh-long/22-kh-ubnd-2026-2030.yaml",
        "--data",
        "examples/vinh-phuc/observations.csv",
        "--units",
        "examples/vinh-phuc/units.csv",
        "--as-of",
        "2026-10-31",
        "--unit",
        "PT.VINHPHUC",
        "--goal",
        "II.2.h",
        "--lang",
        "en",
    ]);
    let (shown, _) = text(&out);
    assert!(
        shown.contains(
            "⚠ judged on data of 2025-Q3, before the plan's period (which starts 2026-01-01)"
        ),
        "{shown}"
    );
    let out = chitieu(&[
        "eval",
        "plans/vinh-long/22-kh-ubnd-2026-2030.yaml",
        "--data",
        "examples/vinh-phuc/observations.csv",
        "--units",
        "examples/vinh-phuc/units.csv",
        "--as-of",
        "2025-12-31",
        "--lang",
        "en",
    ]);
    let (shown, _) = text(&out);
    assert!(
        shown.contains("⚠ 2025-12-31 is outside the plan's period (2026-01-01 – 2030-12-31)"),
        "{shown}"
    );
    assert!(
        shown.contains("      ⚠ judged on data of 2025-Q3"),
        "{shown}"
    );
}
