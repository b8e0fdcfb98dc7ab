//! `chitieu check PATH…`

use super::{CheckFormat as Format, Out, Outcome, expand, parse_lang};
use crate::diag::{Diagnostic, Severity};
use crate::lang::Lang;
use crate::report::{Style, check_github, check_json, check_junit, check_sarif, render_diagnostic};
use std::path::PathBuf;

/// Arguments of `chitieu check`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Plan files or folders (searched recursively for *.yaml and *.yml).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Language of messages (default: each plan's `lang`).
    #[arg(long, value_parser = parse_lang)]
    lang: Option<Lang>,
    /// Skip named files without a top-level `chitieu:` key, as in folders (for pre-commit
    /// hooks, which name every staged YAML file).
    #[arg(long)]
    plans_only: bool,
}

pub(crate) fn run(args: &Args, out: &mut Out) -> Outcome {
    let files = expand(&args.paths, args.plans_only, args.lang.unwrap_or(Lang::En));
    let mut all: Vec<(Diagnostic, Lang)> = Vec::new();
    let mut summary_lang = args.lang;
    let workspace = crate::Workspace::new();
    for file in &files {
        let checked = workspace.check_file(file);
        let lang = args.lang.or(checked.lang).unwrap_or(Lang::En);
        out.lang = *summary_lang.get_or_insert(lang);
        all.extend(checked.diagnostics.into_iter().map(|d| (d, lang)));
    }
    let errors = all
        .iter()
        .filter(|(d, _)| d.severity == Severity::Error)
        .count();
    let warnings = all.len() - errors;
    let unreadable = all
        .iter()
        .any(|(d, _)| d.location.is_none() && d.code() == "io");
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    match args.format {
        Format::Json => {
            let lang = args.lang.unwrap_or(Lang::En);
            let diags: Vec<Diagnostic> = all.iter().map(|(d, _)| d.clone()).collect();
            let doc = check_json(&names, &diags, lang);
            out.write(&format!("{doc:#}\n"));
        }
        Format::Junit => {
            let lang = args.lang.unwrap_or(Lang::En);
            let diags: Vec<Diagnostic> = all.iter().map(|(d, _)| d.clone()).collect();
            out.write(&check_junit(&names, &diags, lang));
        }
        Format::Github => {
            for (d, lang) in &all {
                out.write(&check_github(std::slice::from_ref(d), *lang));
            }
        }
        Format::Sarif => {
            let lang = args.lang.unwrap_or(Lang::En);
            let diags: Vec<Diagnostic> = all.iter().map(|(d, _)| d.clone()).collect();
            out.write(&format!("{:#}\n", check_sarif(&names, &diags, lang)));
        }
        Format::Human => {
            let style = Style { color: out.color };
            for (d, lang) in &all {
                out.write(&render_diagnostic(d, *lang, style));
                out.write("\n");
            }
            let lang = summary_lang.unwrap_or(Lang::En);
            out.write(&summary(files.len(), errors, warnings, lang));
        }
    }
    if unreadable {
        Outcome::Failed
    } else if errors > 0 {
        Outcome::Findings
    } else {
        Outcome::Ok
    }
}

fn summary(files: usize, errors: usize, warnings: usize, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("đã kiểm tra {files} tệp: {errors} lỗi, {warnings} cảnh báo\n"),
        Lang::En => format!(
            "checked {files} file{}: {errors} error{}, {warnings} warning{}\n",
            if files == 1 { "" } else { "s" },
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" },
        ),
    }
}
