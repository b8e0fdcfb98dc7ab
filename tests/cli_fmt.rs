//! `chitieu fmt`: canonical rule text, every other byte kept.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn chitieu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args(args)
        .output()
        .unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
    out.sort();
}

fn is_rule_line(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("rule:") || t.starts_with("formula:") || t.starts_with("- ") && t.contains(" by ")
}

/// Spacing and operator spellings the parser accepts but the printer does not write.
fn mangle(line: &str) -> String {
    let (key, value) = line.split_once(": ").unwrap_or((line, ""));
    if value.is_empty() {
        // A milestone list item: `- rule text`.
        return line.replace(" >= ", "≥").replace(" by ", "  by  ");
    }
    let value = value
        .replace(" >= ", "≥")
        .replace(" <= ", " ≤ ")
        .replace(" / ", "/")
        .replace(" * ", "  *  ")
        .replace(" by ", "   by ");
    format!("{key}: {value}")
}

#[test]
fn write_then_check_on_a_copy_of_plans_touches_rule_text_only() {
    let dir = std::env::temp_dir().join(format!("chitieu-fmt-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let copy = dir.join("plans");
    copy_dir(Path::new("plans"), &copy);

    // The shipped plans are canonical already.
    let out = chitieu(&["fmt", "--check", copy.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(out.stdout.is_empty());

    // Make every rule and formula non-canonical.
    let mut all = Vec::new();
    files(&copy, &mut all);
    let mut mangled_lines = 0;
    for f in &all {
        let text = std::fs::read_to_string(f).unwrap();
        let new: Vec<String> = text
            .split_inclusive('\n')
            .map(|l| {
                if is_rule_line(l) {
                    let m = mangle(l);
                    if m != l {
                        mangled_lines += 1;
                    }
                    m
                } else {
                    l.to_string()
                }
            })
            .collect();
        std::fs::write(f, new.concat()).unwrap();
    }
    assert!(mangled_lines > 20, "only {mangled_lines} lines mangled");

    // --check: exit 1 and a unified diff of rule lines only.
    let out = chitieu(&["fmt", "--check", copy.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(diff.contains("--- a/") && diff.contains("+++ b/") && diff.contains("@@"));
    let changed: Vec<&str> = diff
        .lines()
        .filter(|l| {
            (l.starts_with('-') && !l.starts_with("---"))
                || (l.starts_with('+') && !l.starts_with("+++"))
        })
        .collect();
    assert_eq!(changed.len(), 2 * mangled_lines, "{diff}");
    for l in &changed {
        assert!(is_rule_line(&l[1..]), "not a rule line: {l}");
    }

    // --write, then --check passes, and the files are byte for byte the shipped ones.
    let out = chitieu(&["fmt", "--write", copy.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = chitieu(&["fmt", "--check", copy.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    for f in &all {
        let shipped = Path::new("plans").join(f.strip_prefix(&copy).unwrap());
        assert_eq!(
            std::fs::read_to_string(f).unwrap(),
            std::fs::read_to_string(&shipped).unwrap(),
            "{}",
            f.display()
        );
    }
    // No temporary file is left behind.
    let mut after = Vec::new();
    files(&copy, &mut after);
    assert_eq!(after, all);
    let _ = std::fs::remove_dir_all(&dir);
}

const HEAD: &str = "chitieu: 1\nplan: { id: P, title: T, period: 2026 .. 2030 }\nindicators:\n  \
                    y: { name: Y, unit: count }\n  z: { name: Z, unit: count }\n";

#[test]
fn quoting_style_and_comments_are_kept() {
    let text = format!(
        "{HEAD}  x:\n    name: X   # the share\n    unit: percent\n    formula: 'y/z'  # quoted\n\
         goals:\n  - id: a\n    title: A\n    rule: \"x≥80%   by 2030-12-31\"\n    milestones:\n      - x>=50% by 2028-12-31 # mid\n\
         \x20 - id: b\n    title: B\n    rule: x >= 90% by 2030-12-31\n"
    );
    let out = chitieu::plan::format_str("inline.yaml", &text).unwrap();
    assert_eq!(
        out,
        text.replace("'y/z'", "'y / z'")
            .replace("\"x≥80%   by 2030-12-31\"", "\"x >= 80% by 2030-12-31\"")
            .replace("- x>=50% by", "- x >= 50% by")
    );
}

#[test]
fn check_and_plain_mode_on_one_file() {
    let dir = std::env::temp_dir().join(format!("chitieu-fmt1-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("p.yaml");
    let text = format!("{HEAD}goals:\n  - {{ id: a, title: A, rule: y>z }}\n");
    std::fs::write(&file, &text).unwrap();
    let path = file.to_str().unwrap();
    // Without a flag: the diff, the file untouched, exit 0.
    let out = chitieu(&["fmt", path]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("+  - { id: a, title: A, rule: y > z }"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    assert_eq!(chitieu(&["fmt", "--check", path]).status.code(), Some(1));
    assert_eq!(chitieu(&["fmt", "--write", path]).status.code(), Some(0));
    assert_eq!(chitieu(&["fmt", "--check", path]).status.code(), Some(0));
    // A rule that does not parse: reported, the other rules still formatted, exit 1.
    std::fs::write(
        &file,
        format!("{HEAD}goals:\n  - {{ id: a, title: A, rule: y>z }}\n  - {{ id: b, title: B, rule: y >> z }}\n"),
    )
    .unwrap();
    let out = chitieu(&["fmt", "--write", path]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("p.yaml:8:"));
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("rule: y > z }")
    );
    // A file that does not load: exit 2.
    std::fs::write(&file, "chitieu: [").unwrap();
    assert_eq!(chitieu(&["fmt", "--check", path]).status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

fn spaced(rule: &str, gaps: &[usize]) -> String {
    // Re-space a canonical rule: each single space becomes 1–3 spaces, chosen by `gaps`.
    let mut out = String::new();
    for (i, part) in rule.split(' ').enumerate() {
        if i > 0 {
            out.push_str(&" ".repeat(gaps.get(i % gaps.len().max(1)).copied().unwrap_or(1)));
        }
        out.push_str(part);
    }
    out
}

proptest! {
    #[test]
    fn fmt_is_idempotent_and_touches_only_the_rule(
        rule in prop::sample::select(vec![
            "y > z by 2030-12-31",
            "y / z >= 80% by 2030-12-31",
            "(y + z) * 2 <= 1000",
            "y >= 1 and z < 3 or y = 2",
            "share(commune, y >= 3) = 100% by 2029-12-31",
        ]),
        gaps in prop::collection::vec(1usize..4, 1..6),
        quote in 0usize..3,
        comment in any::<bool>(),
    ) {
        let messy = spaced(rule, &gaps);
        let scalar = match quote {
            0 => messy.clone(),
            1 => format!("'{messy}'"),
            _ => format!("\"{messy}\""),
        };
        let tail = if comment { "  # note: keep me" } else { "" };
        let text = format!("{HEAD}goals:\n  - id: a\n    title: A\n    rule: {scalar}{tail}\n");
        let once = chitieu::plan::format_str("p.yaml", &text).unwrap();
        let twice = chitieu::plan::format_str("p.yaml", &once).unwrap();
        prop_assert_eq!(&once, &twice);
        let (a, b): (Vec<&str>, Vec<&str>) = (text.lines().collect(), once.lines().collect());
        prop_assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            if x != y {
                prop_assert!(x.trim_start().starts_with("rule:"));
                prop_assert!(y.ends_with(tail));
            }
        }
        let expected = match quote {
            0 => rule.to_string(),
            1 => format!("'{rule}'"),
            _ => format!("\"{rule}\""),
        };
        let expected_line = format!("    rule: {expected}{tail}");
        prop_assert!(once.contains(&expected_line), "{}", once);
    }
}

/// A rule in each YAML scalar style, as the `rule:` value of a goal at four spaces of
/// indentation (block content at six).
fn styled(rule: &str, style: usize) -> String {
    let lines = |rule: &str| {
        rule.split("  ")
            .map(|l| format!("      {}", l.trim()))
            .collect::<Vec<_>>()
            .join("\n")
    };
    match style {
        0 => rule.to_string(),
        1 => format!("'{rule}'"),
        2 => format!("\"{rule}\""),
        3 => format!("|\n{}", lines(rule)),
        4 => format!("|-  # literal, stripped\n{}", lines(rule)),
        5 => format!("|+\n{}\n", lines(rule)),
        6 => format!(">\n{}", lines(rule)),
        7 => format!(">-\n{}", lines(rule)),
        _ => format!(">2+\n{}", lines(rule)),
    }
}

/// The rules of a loaded plan in canonical form, with the goal ids.
fn rules(text: &str) -> Vec<(String, String)> {
    let (plan, diags) = chitieu::plan::load_str("p.yaml", text);
    assert!(
        diags
            .iter()
            .all(|d| d.severity != chitieu::diag::Severity::Error),
        "{diags:?}\n{text}"
    );
    plan.unwrap()
        .goals
        .iter()
        .map(|g| (g.id.name.clone(), chitieu::syntax::print_rule(&g.rule.rule)))
        .collect()
}

#[test]
fn block_scalars_are_left_byte_identical() {
    // `fmt --write` glued the next key onto the rule of a block scalar: the YAML reader's span
    // of a block scalar starts after its `|`/`>` header, so the header was kept and the new
    // text replaced the content and the next line's indentation.
    let goals: String = (3..9)
        .map(|style| {
            format!(
                "  - id: g{style}\n    title: G\n    rule: {}\n    quote: q\n",
                styled("y>z  by 2030-12-31", style)
            )
        })
        .collect();
    let text = format!("{HEAD}goals:\n{goals}");
    assert_eq!(
        chitieu::plan::format_str("p.yaml", &text).as_deref(),
        Some(text.as_str())
    );
    let dir = std::env::temp_dir().join(format!("chitieu-fmt-block-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("p.yaml");
    std::fs::write(&file, &text).unwrap();
    let out = chitieu(&["fmt", "--write", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    assert_eq!(
        chitieu(&["check", file.to_str().unwrap()]).status.code(),
        Some(0)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

proptest! {
    #[test]
    fn fmt_output_rechecks_to_the_same_plan_in_every_scalar_style(
        rules_in in prop::collection::vec(
            (
                prop::sample::select(vec![
                    "y>z  by 2030-12-31",
                    "y / z>=80%  by 2030-12-31",
                    "(y+z)*2 <= 1000",
                    "y>=1 and z<3  or y = 2",
                    "share(commune, y>=3) =100%  by 2029-12-31",
                    "not (y ≥ 1)  and z ≠ 2",
                    "max(y, z,1_675) < 1000",
                    "-y<0  or z = 2026",
                ]),
                0usize..9,
            ),
            1..5,
        ),
    ) {
        let goals: String = rules_in
            .iter()
            .enumerate()
            .map(|(i, (rule, style))| {
                format!("  - id: g{i}\n    title: G\n    rule: {}\n    quote: q  # keep\n", styled(rule, *style))
            })
            .collect();
        let text = format!("{HEAD}goals:\n{goals}");
        let (plan, _) = chitieu::plan::load_str("p.yaml", &text);
        prop_assert!(plan.is_some_and(|p| p.goals.len() == rules_in.len()), "{}", text);
        let once = chitieu::plan::format_str("p.yaml", &text);
        prop_assert!(once.is_some(), "{}", text);
        let once = once.unwrap();
        prop_assert_eq!(rules(&once), rules(&text));
        prop_assert_eq!(chitieu::plan::format_str("p.yaml", &once), Some(once.clone()));
    }
}

#[test]
fn plans_only_formats_named_plans_and_leaves_other_yaml_alone() {
    let dir = std::env::temp_dir().join(format!("chitieu-fmt-plans-only-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fixtures = Path::new("tests/fixtures/pre-commit");
    for f in ["bad-fmt.yaml", "not-a-plan.yaml"] {
        std::fs::copy(fixtures.join(f), dir.join(f)).unwrap();
    }
    let plan = dir.join("bad-fmt.yaml");
    let other = dir.join("not-a-plan.yaml");
    let (plan_s, other_s) = (plan.to_str().unwrap(), other.to_str().unwrap());
    // Without the flag the workflow file is read as a plan and does not load.
    assert_eq!(
        chitieu(&["fmt", "--check", plan_s, other_s]).status.code(),
        Some(2)
    );
    let out = chitieu(&["fmt", "--write", "--plans-only", plan_s, other_s]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&plan).unwrap(),
        std::fs::read_to_string(fixtures.join("good.yaml")).unwrap()
    );
    assert_eq!(
        std::fs::read_to_string(&other).unwrap(),
        std::fs::read_to_string(fixtures.join("not-a-plan.yaml")).unwrap()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
