//! Canonical rule text in plan files: `chitieu fmt`.
//!
//! Only rule-language scalars change (goal rules, milestones, indicator formulas, index score
//! formulas), each replaced by the canonical printer's text in place, byte range for byte range.
//! Comments,
//! key order, indentation and every other byte stay; a scalar keeps its quoting style unless
//! the new text needs quotes. Block scalars and quoted scalars with escapes are left alone.
//! Every rewrite is read back before it is used: a text that would mean a different plan is
//! never written.

use super::{Plan, ScalarText};
use crate::source::SourceFile;
use crate::syntax::{print_expr, print_rule};

/// One rewritten scalar: where it was, and its old and new text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rewrite {
    /// First byte of the scalar node in the file.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// The node's text before (quotes included).
    pub before: String,
    /// The node's text after.
    pub after: String,
}

/// Whether `text` can be written as a plain YAML scalar in block context, one line, reading
/// back as itself.
fn plain_ok(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    !text.contains('\n')
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.ends_with(':')
        && !"-?:,[]{}#&*!|>'\"%@`".contains(first)
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.contains('\t')
        && !matches!(
            text,
            "true" | "false" | "null" | "~" | "True" | "False" | "Null" | "TRUE" | "FALSE"
        )
}

fn double_quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The keys whose values are rule-language text.
const RULE_KEYS: [&str; 3] = ["rule", "formula", "score"];

/// A rule written as a plain YAML scalar on one line of a plan file that YAML does not read
/// as that text (`rule: x: 80%` is a mapping, text after ` #` a comment): the byte range of the
/// value in the line, and the value double-quoted, which reads back as written. `None` for a
/// line that is not `rule:`/`formula:`/`score:` (or a `milestones:` item, `- text`) with such a
/// value.
///
/// ```
/// let line = "    rule: online_rate: 80% by 2030-12-31";
/// let (range, quoted) = chitieu::plan::misread_rule(line, false).unwrap();
/// assert_eq!(&line[range], "online_rate: 80% by 2030-12-31");
/// assert_eq!(quoted, "\"online_rate: 80% by 2030-12-31\"");
/// assert_eq!(chitieu::plan::misread_rule("    rule: x > 80%", false), None);
/// assert!(chitieu::plan::misread_rule("  - x: 1", true).is_some());
/// ```
pub fn misread_rule(line: &str, milestone: bool) -> Option<(std::ops::Range<usize>, String)> {
    let content = line.trim_start_matches(' ');
    let item = content.strip_prefix("- ");
    let after_dash = item.unwrap_or(content);
    let value_at = match after_dash.split_once(": ") {
        Some((key, _)) if RULE_KEYS.contains(&key.trim()) => {
            let key_end = line.len() - after_dash.len() + key.len() + 2;
            let rest = line.get(key_end..)?;
            key_end + (rest.len() - rest.trim_start().len())
        }
        _ if milestone && item.is_some() => line.len() - after_dash.len(),
        _ => return None,
    };
    let value = line.get(value_at..)?.trim_end();
    let first = value.chars().next()?;
    if "\"'|>[{".contains(first) || plain_ok(value) {
        return None;
    }
    Some((value_at..value_at + value.len(), double_quoted(value)))
}

/// The node text for `canonical` in the style of `raw`, or `None` when the scalar is left alone.
fn requote(raw: &str, value: &str, canonical: &str) -> Option<String> {
    match raw.chars().next()? {
        '|' | '>' => None,
        '"' => {
            // Only when the raw text is the value between quotes: no escapes to keep.
            let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
            (inner == value).then(|| double_quoted(canonical))
        }
        '\'' => {
            let inner = raw.strip_prefix('\'')?.strip_suffix('\'')?;
            if inner != value {
                None
            } else if canonical.contains('\'') {
                Some(double_quoted(canonical))
            } else {
                Some(format!("'{canonical}'"))
            }
        }
        _ => Some(if plain_ok(canonical) {
            canonical.to_string()
        } else {
            double_quoted(canonical)
        }),
    }
}

fn rewrite(file: &SourceFile, scalar: &ScalarText, canonical: String) -> Option<Rewrite> {
    let node = scalar.node();
    if node.file.path() != file.path() || node.file.text() != file.text() {
        return None;
    }
    if canonical == scalar.text {
        return None;
    }
    let raw = file.text().get(node.start..node.end)?;
    let after = requote(raw, &scalar.text, &canonical)?;
    (after != raw).then(|| Rewrite {
        start: node.start,
        end: node.end,
        before: raw.to_string(),
        after,
    })
}

/// The rewrites that make every rule-language scalar of `file` (the first file of `plan`, or
/// one it includes) canonical, in file order.
pub fn rule_rewrites(plan: &Plan, file: &SourceFile) -> Vec<Rewrite> {
    let mut out = Vec::new();
    for goal in &plan.goals {
        out.extend(rewrite(file, &goal.rule.text, print_rule(&goal.rule.rule)));
        for m in &goal.milestones {
            out.extend(rewrite(file, &m.text, print_rule(&m.rule)));
        }
    }
    for ind in &plan.indicators {
        if let Some(f) = &ind.formula {
            out.extend(rewrite(file, &f.text, print_expr(&f.expr)));
        }
    }
    for group in plan.index.iter().flat_map(|i| &i.groups) {
        let formulas = group
            .score
            .iter()
            .chain(group.metrics.iter().map(|m| &m.score));
        for f in formulas {
            out.extend(rewrite(file, &f.text, print_expr(&f.expr)));
        }
    }
    out.sort_by_key(|r| r.start);
    // Overlapping ranges cannot happen for distinct nodes; drop any to be safe.
    let mut last_end = 0;
    out.retain(|r| {
        let keep = r.start >= last_end;
        if keep {
            last_end = r.end;
        }
        keep
    });
    out
}

/// `text` with `rewrites` (sorted, disjoint) applied.
pub fn apply(text: &str, rewrites: &[Rewrite]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in rewrites {
        out.push_str(text.get(at..r.start).unwrap_or_default());
        out.push_str(&r.after);
        at = r.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

/// The rewritten text of a plan file would read back as a different plan: `fmt` leaves the file
/// alone. This is a fault of the formatter, never of the file; it exists so that a file is
/// never damaged by a rewrite that went wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the formatted text would read back as a different plan")]
pub struct MeaningChanged;

/// A plan as data, with every rule-language scalar replaced by its canonical text: two plans
/// with equal meanings differ only in how their rules are spaced, quoted or spelled.
fn meaning(plan: &Plan) -> Option<serde_json::Value> {
    let mut plan = plan.clone();
    for goal in &mut plan.goals {
        goal.rule.text.text = print_rule(&goal.rule.rule);
        for m in &mut goal.milestones {
            m.text.text = print_rule(&m.rule);
        }
    }
    for f in plan
        .indicators
        .iter_mut()
        .filter_map(|i| i.formula.as_mut())
    {
        f.text.text = print_expr(&f.expr);
    }
    for group in plan.index.iter_mut().flat_map(|i| &mut i.groups) {
        let formulas = group
            .score
            .iter_mut()
            .chain(group.metrics.iter_mut().map(|m| &mut m.score));
        for f in formulas {
            f.text.text = print_expr(&f.expr);
        }
    }
    serde_json::to_value(&plan).ok()
}

/// The canonical text of `file` (the first file of `plan`), or `None` when it already is.
/// The new text is read back (includes resolved from the file's folder) and must give the same
/// plan with every rewritten rule in canonical form; otherwise nothing is rewritten.
pub fn format_file(plan: &Plan, file: &SourceFile) -> Result<Option<String>, MeaningChanged> {
    let rewrites = rule_rewrites(plan, file);
    if rewrites.is_empty() {
        return Ok(None);
    }
    let after = apply(file.text(), &rewrites);
    let (again, _) = super::load_str(file.path(), &after);
    let again = again.ok_or(MeaningChanged)?;
    let same = meaning(plan).is_some_and(|m| meaning(&again).as_ref() == Some(&m));
    // Every rewritten scalar now holds its canonical text: a second run changes nothing.
    let settled = again
        .files
        .first()
        .is_some_and(|f| rule_rewrites(&again, f).is_empty());
    if same && settled {
        Ok(Some(after))
    } else {
        Err(MeaningChanged)
    }
}

/// The canonical form of a plan file's text, loaded from `name` (includes are resolved
/// relative to it); `None` when it does not load, or when the rewrite would not read back as
/// the same plan ([`MeaningChanged`]). The text is returned unchanged when there is nothing to
/// rewrite.
///
/// ```
/// let text = "chitieu: 1  # v1\nplan: { id: P, title: T, period: 2026 .. 2030 }\n\
///             indicators:\n  x: { name: X, unit: percent, formula: 'y/z' }\n  \
///             y: { name: Y, unit: count }\n  z: { name: Z, unit: count }\n\
///             goals:\n  - { id: g, title: G, rule: \"x≥80%  by 2030-12-31\" }  # keep\n";
/// let out = chitieu::plan::format_str("inline.yaml", text).unwrap();
/// assert!(out.contains("formula: 'y / z'"));
/// assert!(out.contains("rule: \"x >= 80% by 2030-12-31\" }  # keep"));
/// assert_eq!(chitieu::plan::format_str("inline.yaml", &out).unwrap(), out);
/// ```
pub fn format_str(name: &str, text: &str) -> Option<String> {
    let (plan, _) = super::load_str(name, text);
    let plan = plan?;
    let file = plan.files.first()?;
    match format_file(&plan, file) {
        Ok(after) => Some(after.unwrap_or_else(|| text.to_string())),
        Err(MeaningChanged) => None,
    }
}
