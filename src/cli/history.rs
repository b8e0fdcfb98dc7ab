//! `chitieu eval … --history FROM..TO`: the status of every (unit, goal) at the end of every
//! month of the range. JSON is written to standard output block by block as it is computed;
//! the human table is printed at the end.

use super::project::{EvalArgs, fail, open};
use super::{Format, Out, Outcome};
use crate::period::Period;
use crate::report::{
    Buffered, HistoryHuman, HistoryJson, HistoryRollup, Output, history_html_pages,
    history_rollup_human,
};

#[cfg(feature = "xlsx")]
use crate::report::history_xlsx;

#[cfg(feature = "xlsx")]
fn is_xlsx(f: Format) -> bool {
    f == Format::Xlsx
}

#[cfg(not(feature = "xlsx"))]
fn is_xlsx(_: Format) -> bool {
    false
}

pub(super) fn run(args: &EvalArgs, (from, to): (Period, Period), out: &mut Out) -> Outcome {
    if !matches!(args.format, Format::Human | Format::Json | Format::Html) && !is_xlsx(args.format)
    {
        super::error_line(
            "error: --history writes `human`, `json`, `html` or `xlsx`, not the other formats",
        );
        return Outcome::Failed;
    }
    let project = match open(&args.inputs) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let lang = project.lang();
    let query = crate::Query::new(from.end())
        .units(args.unit_ids.iter().cloned())
        .goals(args.goal_ids.iter().cloned());
    let history = match project.history(&query, from, to) {
        Ok(h) => h,
        Err(e) => return fail(&e),
    };
    // `--fail-on` looks at the last month of the range: where the plan stands at its end.
    let mut tripped = false;
    let last = history.dates().len().saturating_sub(1);
    let mut gate = |block: &[crate::eval::UnitHistory]| {
        tripped |= block.iter().flat_map(|h| &h.series).any(|s| {
            s.steps
                .get(last)
                .is_some_and(|step| args.fail_on.contains(&step.status))
        });
    };
    let written = match args.format {
        Format::Json => {
            let mut stream = |w: &mut (dyn Output + Send)| {
                // Formatted straight into the output's buffers.
                let mut doc =
                    HistoryJson::begin(w, project.compiled(), project.units(), history.dates())?;
                history.run(|block| {
                    gate(block);
                    doc.block(block)
                })?;
                doc.finish().map(|_| ())
            };
            // Streamed as it is computed, to the `-o` file (renamed into place at the end) or
            // to standard output.
            match out.output.take() {
                Some(path) => match super::file::stage(&path, |w| stream(w)) {
                    // The writes of the last chunks, the file's fsync and its rename wait on the
                    // device (5-35 ms, and 40-50 ms more replacing a national history): the
                    // data is freed meanwhile (unmapping the 130 MB of a national workload's
                    // observations takes 15-30 ms), by a thread that allocates nothing first:
                    // a thread's first allocation makes its own heap, whose unmapping of what it
                    // does not need would wait for that of the data.
                    Ok(staged) => {
                        drop(history);
                        std::thread::scope(|s| {
                            s.spawn(move || drop(project));
                            staged.commit()
                        })
                    }
                    Err(e) => Err(e),
                },
                None => stream(&mut Buffered::new(std::io::stdout())),
            }
        }
        #[cfg(feature = "xlsx")]
        Format::Xlsx => {
            let mut all = Vec::new();
            let _ = history.run(|block| -> Result<(), ()> {
                gate(block);
                all.extend_from_slice(block);
                Ok(())
            });
            let plan = project.compiled().plan();
            match history_xlsx(plan, project.units(), history.dates(), &all, project.lang()) {
                Ok(bytes) => out.write_bytes(&bytes),
                Err(e) => {
                    super::error_line(&format!("error: {e}"));
                    return Outcome::Failed;
                }
            }
            Ok(())
        }
        Format::Html => {
            let mut rollup =
                HistoryRollup::new(project.compiled(), history.goals(), history.dates());
            let _ = history.run(|block| -> Result<(), ()> {
                gate(block);
                rollup.block(project.units(), block);
                Ok(())
            });
            let plan = project.compiled().plan().plan();
            let title = format!("{} — {}", plan.id, plan.title);
            match out.output.clone().filter(|p| super::site::is_folder(p)) {
                Some(dir) => {
                    let pages = history_html_pages(&title, &rollup, false, project.lang());
                    if let Outcome::Failed = super::site::write_site(&dir, &pages, out) {
                        return Outcome::Failed;
                    }
                }
                None if rollup.series > super::site::MAX_PAGE_RESULTS => {
                    let target = out.output.take();
                    return super::site::refuse_page(
                        rollup.series,
                        target.as_deref(),
                        project.lang(),
                    );
                }
                None => {
                    let pages = history_html_pages(&title, &rollup, true, project.lang());
                    if let Some(page) = pages.first() {
                        out.write(&page.html);
                    }
                }
            }
            Ok(())
        }
        _ => {
            let mut table = HistoryHuman::new(
                project.compiled(),
                project.units(),
                history.goals(),
                history.dates(),
            );
            let mut rollup =
                HistoryRollup::new(project.compiled(), history.goals(), history.dates());
            let _ = history.run(|block| -> Result<(), ()> {
                gate(block);
                table.block(block);
                rollup.block(project.units(), block);
                Ok(())
            });
            // A large history leads with its roll-up; its rows only with `--all` (or `--unit`).
            if rollup.is_large() && args.unit_ids.is_empty() {
                out.write(&history_rollup_human(
                    project.compiled(),
                    &rollup,
                    project.lang(),
                ));
                if args.all {
                    out.write("\n");
                    out.write(&table.render(project.lang()));
                }
            } else {
                out.write(&table.render(project.lang()));
            }
            Ok(())
        }
    };
    if let Err(e) = written {
        // A closed pipe (`… | head`) is not worth reporting.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            super::write_failed(&e, lang);
            return Outcome::Failed;
        }
    }
    if tripped {
        Outcome::Findings
    } else {
        Outcome::Ok
    }
}
