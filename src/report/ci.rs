//! CI formats: GitHub Actions workflow annotations and SARIF 2.1.0.

use super::eval::status_word;
use super::format_value;
use crate::diag::{Diagnostic, Severity};
use crate::eval::{Evaluation, Status};
use crate::lang::Lang;
use serde_json::{Value, json};
use std::fmt::Write as _;

/// Escapes an annotation's message (`%`, CR, LF), as the workflow-command syntax requires.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes an annotation property value (also `:` and `,`).
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One `::error …::message` line.
fn annotation(level: &str, props: &[(&str, String)], message: &str) -> String {
    let props: Vec<String> = props
        .iter()
        .map(|(k, v)| format!("{k}={}", property(v)))
        .collect();
    if props.is_empty() {
        format!("::{level}::{}\n", data(message))
    } else {
        format!("::{level} {}::{}\n", props.join(","), data(message))
    }
}

/// GitHub Actions annotations for `check`: an `::error` or `::warning` per diagnostic, with
/// its file, line and column.
///
/// ```
/// use chitieu::diag::{Common, Diagnostic, Thing};
/// use chitieu::source::{Location, SourceFile};
/// let file = SourceFile::new("plan.yaml", "rule: online_rat > 80%\n");
/// let d = Diagnostic::error(
///     Common::UnknownName { thing: Thing::Indicator, name: "online_rat".into(), suggestion: None },
///     Location::new(&file, 6, 16),
/// );
/// let out = chitieu::report::check_github(&[d], chitieu::lang::Lang::En);
/// assert!(out.starts_with("::error file=plan.yaml,line=1,col=7,endLine=1,endColumn=17,title=unknown-name::"));
/// ```
pub fn check_github(diagnostics: &[Diagnostic], lang: Lang) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = Vec::new();
        if let Some(file) = d.file() {
            props.push(("file", file.to_string()));
        }
        if let Some(loc) = &d.location {
            let (l, c) = loc.start_line_col();
            let (el, ec) = loc.end_line_col();
            props.push(("line", l.to_string()));
            props.push(("col", c.to_string()));
            props.push(("endLine", el.to_string()));
            props.push(("endColumn", ec.to_string()));
        }
        props.push(("title", d.code().to_string()));
        let mut message = d.message(lang);
        if let Some(help) = d.help(lang) {
            let _ = write!(message, "\n{}: {help}", lang.pick("gợi ý", "help"));
        }
        out.push_str(&annotation(level, &props, &message));
    }
    out
}

/// Where a goal is written: its id with the file, line and column of its rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoalSite {
    /// The goal's id.
    pub goal: String,
    /// The plan file.
    pub file: String,
    /// 1-based line of the rule.
    pub line: usize,
    /// 1-based column of the rule.
    pub col: usize,
}

/// GitHub Actions annotations for `eval`: an `::error` per result whose status is in
/// `failing`, a `::warning` for other not-met and off-track results, at the goal's rule.
pub fn eval_github(ev: &Evaluation, sites: &[GoalSite], failing: &[Status], lang: Lang) -> String {
    let mut out = String::new();
    for r in &ev.results {
        let level = if failing.contains(&r.status) {
            "error"
        } else if matches!(r.status, Status::NotMet | Status::OffTrack) {
            "warning"
        } else {
            continue;
        };
        let mut props = Vec::new();
        if let Some(site) = sites.iter().find(|s| s.goal == r.goal) {
            props.push(("file", site.file.clone()));
            props.push(("line", site.line.to_string()));
            props.push(("col", site.col.to_string()));
        }
        props.push(("title", format!("{} {}", r.goal, r.unit)));
        let value = |v: Option<rust_decimal::Decimal>| {
            v.map_or_else(|| "—".into(), |d| format_value(d, r.value_unit, lang))
        };
        let mut message = format!(
            "{} ({}): {} {} — {} {} / {} {}",
            r.unit_name,
            r.unit,
            r.goal,
            status_word(r.status, lang),
            lang.pick("thực tế", "actual"),
            value(r.actual),
            lang.pick("mục tiêu", "target"),
            super::display::target_text(r, lang),
        );
        if let Some(f) = &r.fault {
            let _ = write!(message, "\n{}", super::explain::fault_message(f, lang));
        }
        out.push_str(&annotation(level, &props, &message));
    }
    out
}

/// The SARIF 2.1.0 log of a `check` run: a rule per diagnostic code seen, a result per
/// diagnostic, regions in Unicode code points.
pub fn check_sarif(files: &[String], diagnostics: &[Diagnostic], lang: Lang) -> Value {
    let mut codes: Vec<&'static str> = diagnostics.iter().map(Diagnostic::code).collect();
    codes.sort_unstable();
    codes.dedup();
    let rules: Vec<Value> = codes
        .iter()
        .map(|code| {
            json!({
                "id": code,
                "name": code,
                "shortDescription": { "text": code },
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let mut result = json!({
                "ruleId": d.code(),
                "ruleIndex": codes.iter().position(|c| *c == d.code()).unwrap_or_default(),
                "level": match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                "message": { "text": match d.help(lang) {
                    Some(help) => format!("{}\n{}: {help}", d.message(lang), lang.pick("gợi ý", "help")),
                    None => d.message(lang),
                } },
            });
            if let Some(file) = d.file() {
                let mut physical = json!({ "artifactLocation": { "uri": uri(file) } });
                if let Some(loc) = &d.location {
                    let (l, c) = loc.start_line_col();
                    let (el, ec) = loc.end_line_col();
                    if let Some(obj) = physical.as_object_mut() {
                        obj.insert(
                            "region".into(),
                            json!({
                                "startLine": l, "startColumn": c, "endLine": el, "endColumn": ec.max(1),
                            }),
                        );
                    }
                }
                if let Some(obj) = result.as_object_mut() {
                    obj.insert(
                        "locations".into(),
                        json!([{ "physicalLocation": physical }]),
                    );
                }
            }
            result
        })
        .collect();
    let artifacts: Vec<Value> = files
        .iter()
        .map(|f| json!({ "location": { "uri": uri(f) } }))
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "chitieu",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            } },
            "language": lang.code(),
            "columnKind": "unicodeCodePoints",
            "artifacts": artifacts,
            "results": results,
        }],
    })
}

/// A file path as a relative URI reference: forward slashes, spaces and `%` escaped.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.replace('\\', "/").chars() {
        match c {
            '%' => out.push_str("%25"),
            ' ' => out.push_str("%20"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotation_escapes_data_and_properties() {
        assert_eq!(
            annotation("error", &[("file", "a,b:c.yaml".into())], "50% done\nnext"),
            "::error file=a%2Cb%3Ac.yaml::50%25 done%0Anext\n"
        );
        assert_eq!(annotation("warning", &[], "x"), "::warning::x\n");
    }

    #[test]
    fn uris_are_escaped() {
        assert_eq!(uri("plans/a b#1.yaml"), "plans/a%20b%231.yaml");
    }
}
