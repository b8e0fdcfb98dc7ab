//! `chitieu template PLAN --units FILE --period P… -o FILE.xlsx`: a data-entry workbook for a
//! plan's measured indicators, one row per applicable unit and period, that `eval --data`
//! reads back with no editing.

use super::project::fail;
use super::{Out, Outcome, parse_lang};
use crate::lang::Lang;
use crate::period::Period;
use crate::plan::Plan;
use crate::syntax::{Expr, ExprKind};
use std::collections::HashSet;
use std::path::PathBuf;

/// Arguments of `chitieu template`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// The plan file.
    plan: PathBuf,
    /// The unit registry (CSV, YAML or a spreadsheet: id, name, kind, parent).
    #[arg(long = "units")]
    registry: Option<PathBuf>,
    /// The periods to ask data for (`2026`, `2026-Q3`, `2026-07`, …).
    #[arg(long = "period", required = true, num_args = 1.., value_parser = parse_period)]
    periods: Vec<Period>,
    /// Language of messages (default: the plan's `lang`).
    #[arg(long, value_parser = parse_lang)]
    lang: Option<Lang>,
}

fn parse_period(s: &str) -> Result<Period, String> {
    s.parse()
        .map_err(|_| format!("`{s}` is not a period (2026, 2026-H1, 2026-Q3, 2026-07)"))
}

pub(crate) fn run(args: &Args, out: &mut Out) -> Outcome {
    let mut inputs = crate::Inputs::new(&args.plan);
    inputs.units = args.registry.clone();
    inputs.lang = args.lang;
    // A project without data: the plan, checked, and its units.
    let project = match crate::Workspace::new().open(&inputs) {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    out.lang = project.lang();
    let units = project.units();
    let plan = project.compiled().plan();
    let kinds = applicable_kinds(plan);
    let rows: Vec<(&str, &str)> = units
        .iter()
        .filter(|(_, u)| match (&kinds, u.kind) {
            (None, _) => true,
            (Some(k), Some(kind)) => k.contains(&kind),
            (Some(_), None) => false,
        })
        .map(|(_, u)| (u.id.as_str(), u.name.as_str()))
        .collect();
    match crate::report::template_xlsx(plan, &measured_inputs(plan), &rows, &args.periods) {
        Ok(bytes) => {
            out.write_bytes(&bytes);
            Outcome::Ok
        }
        Err(e) => {
            super::error_line(&format!("error: {e}"));
            Outcome::Failed
        }
    }
}

/// The unit kinds some goal applies to (as indices into the plan's kinds); `None` when a goal
/// applies to every unit.
fn applicable_kinds(plan: &Plan) -> Option<HashSet<usize>> {
    let mut kinds = HashSet::new();
    for g in &plan.goals {
        let names = g.applies_to.as_ref()?;
        for n in names {
            if let Some(k) = plan.kinds.iter().position(|k| k.name == n.name) {
                kinds.insert(k);
            }
        }
    }
    Some(kinds)
}

/// Marks the indicator `name` as read; a derived one's formula is read in turn.
fn visit<'p>(plan: &'p Plan, seen: &mut HashSet<usize>, name: &str, pending: &mut Vec<&'p Expr>) {
    if let Some(i) = plan.indicators.iter().position(|ind| ind.id.name == name)
        && seen.insert(i)
        && let Some(f) = plan.indicators.get(i).and_then(|ind| ind.formula.as_ref())
    {
        pending.push(&f.expr);
    }
}

/// The measured (not derived) indicators the plan's goals, milestones and index read, through
/// the formulas of derived indicators, in plan order.
fn measured_inputs(plan: &Plan) -> Vec<usize> {
    let mut pending: Vec<&Expr> = Vec::new();
    for g in &plan.goals {
        pending.push(&g.rule.rule.expr);
        pending.extend(g.milestones.iter().map(|m| &m.rule.expr));
    }
    let mut supplied = Vec::new();
    if let Some(index) = &plan.index {
        for group in &index.groups {
            pending.extend(group.metrics.iter().map(|m| &m.score.expr));
            pending.extend(group.score.iter().map(|s| &s.expr));
            supplied.extend(group.supplied.iter().map(|s| s.name.as_str()));
        }
    }
    let mut seen: HashSet<usize> = HashSet::new();
    for name in supplied {
        visit(plan, &mut seen, name, &mut pending);
    }
    while let Some(e) = pending.pop() {
        if let ExprKind::Name { name } = &e.kind {
            visit(plan, &mut seen, name, &mut pending);
        }
        pending.extend(e.children());
    }
    let mut measured: Vec<usize> = seen
        .into_iter()
        .filter(|&i| {
            plan.indicators
                .get(i)
                .is_some_and(|ind| ind.formula.is_none() && ind.index.is_none())
        })
        .collect();
    measured.sort_unstable();
    measured
}
