//! Answers to the editor's requests: completion, hover, definition, references, formatting,
//! code actions. Each reads the plan as the facade loaded it and renders; none decides
//! anything about the plan itself.

use super::convert::{self, range, range_in, uri_of};
use super::documents::{Document, Documents};
use crate::lang::Lang;
use crate::plan::{Better, Expression, Indicator, Plan};
use crate::syntax::Func;
use crate::syntax::ast::Word;
use crate::syntax::functions::Role;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CompletionItem, CompletionItemKind,
    CompletionTextEdit, Documentation, Hover, HoverContents, Location, MarkupContent, MarkupKind,
    Position, TextEdit, WorkspaceEdit,
};
use std::collections::HashMap;
use std::path::Path;

/// The rule-language text at byte `offset` of a document, with the offset inside its value.
fn expression_at<'p>(
    plan: &'p Plan,
    doc: &Document,
    offset: usize,
) -> Option<(Expression<'p>, usize)> {
    plan.expressions().find_map(|e| {
        let node = e.text.node();
        let here = crate::files::normalise(Path::new(node.file.path())) == doc.path
            && node.file.text() == doc.text
            && node.start <= offset
            && offset <= node.end;
        Some((e, e.text.value_offset(offset).filter(|_| here)?))
    })
}

/// The name or function under the cursor in a rule, and where it is written.
fn word_at<'p>(
    plan: &'p Plan,
    doc: &Document,
    offset: usize,
) -> Option<(Word<'p>, crate::source::Location)> {
    let (e, at) = expression_at(plan, doc, offset)?;
    let (word, span) = e.expr.word_at(at)?;
    Some((word, e.text.locate(span)))
}

/// The indicator declared at byte `offset` (on its id), or named there in a rule.
fn indicator_at<'p>(plan: &'p Plan, doc: &Document, offset: usize) -> Option<&'p Indicator> {
    if let Some((Word::Name(name), _)) = word_at(plan, doc, offset) {
        return plan.indicators.iter().find(|i| i.id.name == name);
    }
    plan.indicators.iter().find(|i| {
        let at = &i.id.location;
        crate::files::normalise(Path::new(at.file.path())) == doc.path
            && at.start <= offset
            && offset <= at.end
    })
}

/// Whether the cursor is in a rule-language value that did not read (a rule being typed is
/// often not a rule yet): after `rule:`, `formula:` or `score:` on its line, or in an item of a
/// `milestones:` list.
fn in_rule_line(text: &str, offset: usize) -> bool {
    let before = text.get(..offset).unwrap_or_default();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.get(start..).unwrap_or_default();
    if ["rule:", "formula:", "score:"]
        .iter()
        .any(|k| line.contains(&format!("{k} ")))
    {
        return true;
    }
    let item = line.trim_start();
    if !item.starts_with("- ") {
        return false;
    }
    let indent = line.len() - item.len();
    let above = before.get(..start).unwrap_or_default();
    above
        .lines()
        .rev()
        .find(|l| {
            let c = l.trim_start();
            let i = l.len() - c.len();
            // Items may stand at their key's own indentation (`milestones:` then `- …` below it).
            !c.is_empty()
                && !c.starts_with('#')
                && (i < indent || i == indent && !c.starts_with('-'))
        })
        .is_some_and(|l| {
            l.trim_start()
                .trim_start_matches("- ")
                .starts_with("milestones:")
        })
}

fn markdown(value: String) -> Documentation {
    Documentation::MarkupContent(MarkupContent {
        kind: MarkupKind::Markdown,
        value,
    })
}

/// The hover text of an indicator: its name, unit, formula, better direction, where declared.
fn indicator_text(i: &Indicator, lang: Lang) -> String {
    let mut out = format!("**{}** — {}\n\n", i.id.name, i.name);
    let better = match i.better {
        Better::Higher => lang.pick("cao hơn", "higher"),
        Better::Lower => lang.pick("thấp hơn", "lower"),
    };
    out.push_str(&format!(
        "{}: `{}` · {}: {}\n",
        lang.pick("đơn vị", "unit"),
        i.unit.name(),
        lang.pick("tốt hơn khi", "better"),
        better
    ));
    if let Some(f) = &i.formula {
        out.push_str(&format!(
            "\n{}: `{}`\n",
            lang.pick("công thức", "formula"),
            f.text.text
        ));
    }
    let (line, _) = i.id.location.start_line_col();
    let file = Path::new(i.id.location.file.path())
        .file_name()
        .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
    out.push_str(&format!(
        "\n{} {file}:{line}",
        lang.pick("khai báo ở", "declared in")
    ));
    out
}

fn function_text(f: Func, lang: Lang) -> String {
    let spec = f.spec();
    format!(
        "```\n{}\n```\n{}",
        spec.signature,
        lang.pick(spec.doc_vi, spec.doc_en)
    )
}

/// Completion: indicators and functions inside a rule (unit kinds where an aggregate takes
/// one), the plan format's keys elsewhere.
pub(super) fn completion(
    docs: &Documents,
    uri: &lsp_types::Uri,
    at: Position,
) -> Vec<CompletionItem> {
    let Some((doc, offset)) = docs.offset(uri, at) else {
        return Vec::new();
    };
    if !doc.is_plan() {
        return Vec::new();
    }
    let text = doc.text.as_str();
    let before = text.get(..offset).unwrap_or_default();
    let word_start = before
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    let prefix = before.get(word_start..).unwrap_or_default();
    let file = doc.source();
    let replace = range_in(&file, word_start, offset);
    let item = |label: String, kind, detail: Option<String>, doc: Option<String>| CompletionItem {
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
            replace,
            label.clone(),
        ))),
        label,
        kind: Some(kind),
        detail,
        documentation: doc.map(markdown),
        ..CompletionItem::default()
    };
    let in_rule = doc
        .plan()
        .is_some_and(|p| expression_at(p, doc, offset).is_some())
        || in_rule_line(text, offset);
    if !in_rule {
        return crate::plan::keys_at(text, offset)
            .into_iter()
            .filter(|k| k.name.starts_with(prefix))
            .map(|k| item(k.name, CompletionItemKind::PROPERTY, None, k.doc))
            .collect();
    }
    let Some(plan) = doc.plan() else {
        return Vec::new();
    };
    let lang = plan.lang;
    // `share(com`: the first argument of an aggregate is a unit kind.
    let call = before.get(..word_start).unwrap_or_default().trim_end();
    let kind_place = call.strip_suffix('(').is_some_and(|c| {
        let name_start = c
            .rfind(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
            .map_or(0, |i| i + 1);
        c.get(name_start..)
            .and_then(Func::from_name)
            .is_some_and(|f| matches!(f.spec().role, Role::Aggregate(_)))
    });
    if kind_place {
        return plan
            .kinds
            .iter()
            .filter(|k| k.name.starts_with(prefix))
            .map(|k| {
                item(
                    k.name.clone(),
                    CompletionItemKind::ENUM_MEMBER,
                    Some(lang.pick("cấp đơn vị", "unit kind").to_string()),
                    None,
                )
            })
            .collect();
    }
    let indicators = plan
        .indicators
        .iter()
        .filter(|i| i.id.name.starts_with(prefix))
        .map(|i| {
            item(
                i.id.name.clone(),
                CompletionItemKind::VARIABLE,
                Some(format!("{} ({})", i.name, i.unit.name())),
                Some(indicator_text(i, lang)),
            )
        });
    let functions = Func::ALL
        .iter()
        .filter(|f| f.name().starts_with(prefix))
        .map(|&f| {
            item(
                f.name().to_string(),
                CompletionItemKind::FUNCTION,
                Some(f.spec().signature.to_string()),
                Some(lang.pick(f.spec().doc_vi, f.spec().doc_en).to_string()),
            )
        });
    indicators.chain(functions).collect()
}

/// Hover: an indicator (in a rule or at its declaration), a function, a unit kind, a goal id.
pub(super) fn hover(docs: &Documents, uri: &lsp_types::Uri, at: Position) -> Option<Hover> {
    let (doc, offset) = docs.offset(uri, at)?;
    let plan = doc.analysis.as_ref()?.plan.as_ref()?;
    let lang = plan.lang;
    let answer = |text: String, at: &crate::source::Location| Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: Some(range(at)),
    };
    if let Some((word, at)) = word_at(plan, doc, offset) {
        let text = match word {
            Word::Function(f) => function_text(f, lang),
            Word::Name(name) => match plan.indicators.iter().find(|i| i.id.name == name) {
                Some(i) => indicator_text(i, lang),
                None if plan.kinds.iter().any(|k| k.name == name) => {
                    format!("**{name}** — {}", lang.pick("cấp đơn vị", "unit kind"))
                }
                None => return None,
            },
        };
        return Some(answer(text, &at));
    }
    if let Some(i) = indicator_at(plan, doc, offset) {
        return Some(answer(indicator_text(i, lang), &i.id.location));
    }
    let goal = plan.goals.iter().find(|g| {
        let at = &g.id.location;
        crate::files::normalise(Path::new(at.file.path())) == doc.path
            && at.start <= offset
            && offset <= at.end
    })?;
    let mut text = format!("**{}** — {}", goal.id.name, goal.title);
    if let Some(q) = &goal.quote {
        text.push_str(&format!("\n\n> {q}"));
    }
    Some(answer(text, &goal.id.location))
}

/// Where the indicator under the cursor is declared (in an included catalogue, perhaps).
pub(super) fn definition(docs: &Documents, uri: &lsp_types::Uri, at: Position) -> Option<Location> {
    let (doc, offset) = docs.offset(uri, at)?;
    let plan = doc.analysis.as_ref()?.plan.as_ref()?;
    let (Word::Name(name), _) = word_at(plan, doc, offset)? else {
        return None;
    };
    let i = plan.indicators.iter().find(|i| i.id.name == name)?;
    let at = &i.id.location;
    Some(Location::new(uri_of(Path::new(at.file.path()))?, range(at)))
}

/// Every use of the indicator under the cursor in the open plans and the files they include,
/// and its declaration when asked.
pub(super) fn references(
    docs: &Documents,
    uri: &lsp_types::Uri,
    at: Position,
    declaration: bool,
) -> Vec<Location> {
    let Some((doc, offset)) = docs.offset(uri, at) else {
        return Vec::new();
    };
    let Some(i) = doc
        .analysis
        .as_ref()
        .and_then(|a| a.plan.as_ref())
        .and_then(|p| indicator_at(p, doc, offset))
    else {
        return Vec::new();
    };
    let name = i.id.name.as_str();
    let mut found: Vec<crate::source::Location> = Vec::new();
    if declaration {
        found.push(i.id.location.clone());
    }
    for plan in docs
        .iter()
        .filter_map(|d| d.analysis.as_ref()?.plan.as_ref())
    {
        for e in plan.expressions() {
            for (n, span) in e.expr.names() {
                if n == name {
                    found.push(e.text.locate(span));
                }
            }
        }
    }
    let mut out: Vec<Location> = Vec::new();
    for at in found {
        let Some(uri) = uri_of(Path::new(at.file.path())) else {
            continue;
        };
        let l = Location::new(uri, range(&at));
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out
}

/// The edits that make every rule of the document canonical, as `chitieu fmt` writes them:
/// rule text only, every other byte kept; none when a rewrite would change the plan's meaning.
pub(super) fn formatting(docs: &Documents, uri: &lsp_types::Uri) -> Vec<TextEdit> {
    let Some(doc) = docs.get(uri) else {
        return Vec::new();
    };
    let Some(plan) = doc.analysis.as_ref().and_then(|a| a.plan.as_ref()) else {
        return Vec::new();
    };
    let Some(root) = plan.files.first().filter(|f| f.text() == doc.text) else {
        return Vec::new();
    };
    match crate::plan::format_file(plan, root) {
        Ok(Some(_)) => crate::plan::rule_rewrites(plan, root)
            .into_iter()
            .map(|r| TextEdit::new(range_in(root, r.start, r.end), r.after))
            .collect(),
        Ok(None) | Err(crate::plan::MeaningChanged) => Vec::new(),
    }
}

/// Quick fixes for the findings in a range: a did-you-mean name put in place, and a rule that
/// YAML misreads put in quotes.
pub(super) fn code_actions(
    docs: &Documents,
    uri: &lsp_types::Uri,
    within: lsp_types::Range,
) -> Vec<CodeActionOrCommand> {
    let Some(doc) = docs.get(uri) else {
        return Vec::new();
    };
    let Some(analysis) = doc.analysis.as_ref() else {
        return Vec::new();
    };
    let lang = analysis.lang;
    // By lines: an editor asks at its cursor, which need not touch a zero-width finding.
    let overlaps =
        |r: &lsp_types::Range| r.start.line <= within.end.line && within.start.line <= r.end.line;
    let mut out = Vec::new();
    let fix = |title: String, edit: TextEdit, d: lsp_types::Diagnostic| {
        CodeActionOrCommand::CodeAction(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![d]),
            edit: Some(WorkspaceEdit {
                changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                ..WorkspaceEdit::default()
            }),
            is_preferred: Some(true),
            ..CodeAction::default()
        })
    };
    for d in &analysis.diagnostics {
        let Some(at) = &d.location else {
            continue;
        };
        let shown = convert::diagnostic(d, lang);
        if !overlaps(&shown.range) {
            continue;
        }
        if let Some(s) = d.suggestion() {
            let title = match lang {
                Lang::Vi => format!("Thay bằng `{s}`"),
                Lang::En => format!("Replace with `{s}`"),
            };
            out.push(fix(title, TextEdit::new(range(at), s.to_string()), shown));
            continue;
        }
        if d.code() != "yaml" {
            continue;
        }
        let (line, _) = at.start_line_col();
        let (start, _) = at.file.line_span(at.start, at.start);
        let text = at.file.line_text(line);
        let milestone = in_rule_line(at.file.text(), start + text.len());
        if let Some((r, quoted)) = crate::plan::misread_rule(text, milestone) {
            let edit = TextEdit::new(range_in(&at.file, start + r.start, start + r.end), quoted);
            let title = lang.pick("Đặt quy tắc trong dấu nháy", "Put the rule in quotes");
            out.push(fix(title.to_string(), edit, shown));
        }
    }
    out
}
