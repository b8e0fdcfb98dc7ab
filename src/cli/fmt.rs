//! `chitieu fmt [--check|--write] PATH…`: rule expressions in canonical form.

use super::{Out, Outcome, expand, parse_lang};
use crate::diag::Severity;
use crate::lang::Lang;
use crate::report::{Style, render_diagnostic};
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `chitieu fmt`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Plan files or folders (searched recursively for *.yaml and *.yml).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Change nothing; exit 1 and print a diff when a file is not in canonical form.
    #[arg(long, conflicts_with = "write")]
    check: bool,
    /// Rewrite the files in place (through a temporary file, then a rename).
    #[arg(long)]
    write: bool,
    /// Language of messages (default: each plan's `lang`).
    #[arg(long, value_parser = parse_lang)]
    lang: Option<Lang>,
    /// Skip named files without a top-level `chitieu:` key, as in folders (for pre-commit
    /// hooks, which name every staged YAML file).
    #[arg(long)]
    plans_only: bool,
}

fn diff(path: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

pub(crate) fn run(args: &Args, out: &mut Out) -> Outcome {
    let mut outcome = Outcome::Ok;
    let mut changed = 0;
    let mut summary_lang = args.lang;
    let files = expand(&args.paths, args.plans_only, args.lang.unwrap_or(Lang::En));
    for file in &files {
        let (plan, diags) = crate::plan::load_partial(file);
        let lang = args
            .lang
            .or_else(|| plan.as_ref().map(|p| p.lang))
            .unwrap_or(Lang::En);
        out.lang = *summary_lang.get_or_insert(lang);
        let Some((plan, root)) = plan.and_then(|p| {
            let root = p.files.first().cloned();
            root.map(|r| (p, r))
        }) else {
            for d in diags.iter().filter(|d| d.severity == Severity::Error) {
                super::error_line(&render_diagnostic(d, lang, Style::default()));
            }
            outcome = Outcome::Failed;
            continue;
        };
        // Rules that do not parse cannot be formatted: say so, and format the rest.
        let errors: Vec<_> = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        for d in &errors {
            super::error_line(&render_diagnostic(d, lang, Style::default()));
        }
        if !errors.is_empty() && outcome == Outcome::Ok {
            outcome = Outcome::Findings;
        }
        let name = file.display().to_string();
        let after = match crate::plan::format_file(&plan, &root) {
            Ok(Some(after)) => after,
            Ok(None) => continue,
            Err(crate::plan::MeaningChanged) => {
                super::error_line(&format!(
                    "{name}: {}",
                    lang.pick(
                        "không định dạng được: văn bản mới sẽ được đọc thành một kế hoạch khác; tệp được giữ nguyên",
                        "cannot format: the new text would read as a different plan; the file is left unchanged",
                    )
                ));
                outcome = Outcome::Failed;
                continue;
            }
        };
        changed += 1;
        let before = root.text();
        if args.write {
            if let Err(e) = super::write_atomic(file, |w| w.write_all(after.as_bytes())) {
                super::error_line(&format!(
                    "{}: {name}: {}",
                    lang.pick("không ghi được tệp", "cannot write"),
                    crate::lang::io_reason(&e.to_string(), lang)
                ));
                outcome = Outcome::Failed;
            }
        } else {
            out.write(&diff(&name, before, &after));
            if args.check && outcome == Outcome::Ok {
                outcome = Outcome::Findings;
            }
        }
    }
    if args.write || args.check {
        let files = files.len();
        super::error_line(&match (summary_lang.unwrap_or(Lang::En), args.write) {
            (Lang::Vi, true) => format!("đã định dạng lại {changed}/{files} tệp"),
            (Lang::Vi, false) => format!("{changed}/{files} tệp cần định dạng lại"),
            (Lang::En, true) => format!("reformatted {changed} of {files} files"),
            (Lang::En, false) => format!("{changed} of {files} files would be reformatted"),
        });
    }
    outcome
}
