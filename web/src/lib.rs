//! chitieu in the browser: the library's facade ([`chitieu::Workspace`]) over files held in
//! memory, for the one-file workbench (`scripts/build-workbench.sh`).
//!
//! The page hands every file the user opens to [`Workbench::put`]; `include:` lines, data and
//! unit registries resolve among those files and nothing else (no network, no disk). Requests
//! and answers are JSON text, the same documents the command line writes: `chitieu.check/v1`,
//! `chitieu.eval/v1`, `chitieu.history/v1`. Every answer is an envelope, `{"ok": …}` or
//! `{"error": {"stage", "message", "report"}}` where `report` is the `chitieu.check/v1`
//! document of the diagnostics that stopped the pipeline; the page's JavaScript (`web/www/`)
//! unwraps it, and throws on an error.
//!
//! There is no clock in `wasm32-unknown-unknown`: evaluation dates always come from the page.

use chitieu::files::{FileError, Files, InMemory};
use chitieu::lang::Lang;
use chitieu::period::{Period, parse_date};
use chitieu::report::{HistoryJson, Style, check_json, diagnostic_json};
use chitieu::{Inputs, Project, Query, Workspace};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use wasm_bindgen::prelude::*;

/// The files the user opened, shared with the workspaces opened over them: a workspace takes
/// its resolver by value, and cloning an `Arc` does not copy the files.
#[derive(Clone, Debug, Default)]
struct Shared(Arc<InMemory>);

impl Files for Shared {
    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, FileError> {
        self.0.read(path, limit)
    }

    fn canonical(&self, path: &Path) -> Result<PathBuf, FileError> {
        self.0.canonical(path)
    }
}

/// What `evaluate`, `html` and `history` are asked: the project's files, a date or a range of
/// months, a language.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Request {
    /// The plan file.
    plan: String,
    /// Observation files.
    #[serde(default)]
    data: Vec<String>,
    /// The unit registry.
    #[serde(default)]
    units: Option<String>,
    /// `vi` or `en` (default: the plan's `lang`).
    #[serde(default)]
    lang: Option<String>,
    /// The evaluation date, `YYYY-MM-DD` (evaluate, html).
    #[serde(default, skip_serializing)]
    as_of: Option<String>,
    /// The first month of a history, `YYYY-MM` (a year stands for its first month).
    #[serde(default, skip_serializing)]
    from: Option<String>,
    /// The last month of a history.
    #[serde(default, skip_serializing)]
    to: Option<String>,
}

/// What `check` is asked: files to check, and the language of messages.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckRequest {
    files: Vec<String>,
    #[serde(default)]
    lang: Option<String>,
    /// Also give each diagnostic's suggestion and its UTF-16 range (the editor's underline and
    /// quick fix); off, the document is exactly the command line's `chitieu.check/v1`.
    #[serde(default)]
    editor: bool,
}

/// An error answer that is not about the plan: a malformed request, a date out of range.
fn query_error(message: impl Into<String>) -> Value {
    json!({"error": {"stage": "query", "message": message.into(), "report": Value::Null}})
}

fn ok(text: &str) -> String {
    format!("{{\"ok\":{text}}}")
}

fn parse_lang(text: Option<&str>) -> Result<Option<Lang>, Value> {
    text.map(|t| {
        t.parse::<Lang>()
            .map_err(|_| query_error(format!("unknown language `{t}` (vi or en)")))
    })
    .transpose()
}

/// The library in a browser tab: files in memory and the last project opened over them.
#[wasm_bindgen]
#[derive(Debug, Default)]
pub struct Workbench {
    files: Shared,
    /// The last project opened, by its request (plan, data, units, language): the month slider
    /// evaluates it again and again without reading the files again. Any file change drops it.
    project: Option<(String, Project)>,
}

#[wasm_bindgen]
impl Workbench {
    /// No files yet.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Workbench {
        Workbench::default()
    }

    /// Adds or replaces a file (a plan, a catalogue, data, a unit registry), by path: plans
    /// include each other by paths relative to themselves, as on disk.
    pub fn put(&mut self, path: &str, bytes: &[u8]) {
        Arc::make_mut(&mut self.files.0).insert(path, bytes);
        self.project = None;
    }

    /// Removes a file; whether it was there.
    pub fn remove(&mut self, path: &str) -> bool {
        self.project = None;
        Arc::make_mut(&mut self.files.0).remove(path)
    }

    /// Removes every file.
    pub fn clear(&mut self) {
        self.files = Shared::default();
        self.project = None;
    }

    /// The paths of the files held, normalised, in order, as a JSON array.
    pub fn paths(&self) -> String {
        let paths: Vec<String> = self
            .files
            .0
            .paths()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        json!(paths).to_string()
    }

    /// Checks plan files, as `chitieu check FILE… --format json` does: the
    /// `chitieu.check/v1` document. The request is `{"files": […], "lang": "vi"|"en"}`.
    pub fn check(&self, request: &str) -> String {
        let answer = serde_json::from_str::<CheckRequest>(request)
            .map_err(|e| query_error(e.to_string()))
            .and_then(|req| self.check_files(&req));
        match answer {
            Ok(doc) => ok(&doc.to_string()),
            Err(e) => e.to_string(),
        }
    }

    /// Evaluates a project as of a date, as `chitieu eval … --format json` does: the
    /// `chitieu.eval/v1` document.
    pub fn evaluate(&mut self, request: &str) -> String {
        self.answer(request, |project, req| {
            let report = project
                .evaluate(as_of(req)?)
                .map_err(|e| pipeline_error(&e, &req.plan))?;
            Ok(report.to_json().to_string())
        })
    }

    /// The report of `chitieu eval … --format html` (a whole page), as a JSON string.
    pub fn html(&mut self, request: &str) -> String {
        self.answer(request, |project, req| {
            let report = project
                .evaluate(as_of(req)?)
                .map_err(|e| pipeline_error(&e, &req.plan))?;
            Ok(Value::String(project.html(&report)).to_string())
        })
    }

    /// The evaluation as an Excel workbook (results, index scores, the plan), as
    /// `chitieu eval … --format xlsx -o FILE` writes it; the error is an error answer.
    pub fn xlsx(&mut self, request: &str) -> Result<Vec<u8>, String> {
        let mut book = Vec::new();
        let answer = self.answer(request, |project, req| {
            let report = project
                .evaluate(as_of(req)?)
                .map_err(|e| pipeline_error(&e, &req.plan))?;
            book = chitieu::report::eval_xlsx(
                project.plan().plan(),
                &report.evaluation,
                report.scores.as_ref(),
                report.lang,
            )
            .map_err(query_error)?;
            Ok("null".into())
        });
        if answer.starts_with("{\"ok\"") {
            Ok(book)
        } else {
            Err(answer)
        }
    }

    /// The status of every (unit, goal) at every month-end from `from` to `to`, as
    /// `chitieu eval … --history FROM..TO --format json` writes it: the `chitieu.history/v1`
    /// document.
    pub fn history(&mut self, request: &str) -> String {
        self.answer(request, |project, req| {
            let month = |m: &Option<String>, which: &str| {
                m.as_deref()
                    .ok_or_else(|| query_error(format!("`{which}` is missing (YYYY-MM)")))?
                    .parse::<Period>()
                    .map_err(|e| query_error(format!("`{which}`: {e}")))
            };
            // As the command line reads a range: a year, half or quarter as FROM starts at its
            // first month.
            let from = Period::month_of(month(&req.from, "from")?.start());
            let to = month(&req.to, "to")?;
            if to.end() < from.end() {
                return Err(query_error("the range ends before it starts"));
            }
            let history = project
                .history(&Query::new(to.end()), from, to)
                .map_err(|e| pipeline_error(&e, &req.plan))?;
            let write = || -> std::io::Result<Vec<u8>> {
                let mut doc = HistoryJson::begin(
                    Vec::new(),
                    project.compiled(),
                    project.units(),
                    history.dates(),
                )?;
                history.run(|block| doc.block(block))?;
                doc.finish()
            };
            let bytes = write().map_err(|e| query_error(e.to_string()))?;
            Ok(String::from_utf8_lossy(&bytes).into_owned())
        })
    }

    /// The names a plan file declares, with what the editor shows on hover and offers to
    /// complete: indicators (name, unit, formula, note), goals (title, rule), units, and where
    /// each is declared. Read even from a plan with errors, as far as it could be read.
    pub fn symbols(&self, path: &str) -> String {
        let (plan, _) = chitieu::plan::load_with(&self.files, path);
        let Some(plan) = plan else {
            return ok("{\"indicators\":[],\"goals\":[],\"units\":[]}");
        };
        let at = |loc: &chitieu::source::Location| {
            let (line, column) = loc.start_line_col();
            json!({"file": loc.file.path(), "line": line, "column": column})
        };
        let indicators: Vec<Value> = plan
            .indicators
            .iter()
            .map(|i| {
                json!({
                    "id": i.id.name,
                    "name": i.name,
                    "unit": i.unit.to_string(),
                    "formula": i.formula.as_ref().map(|f| f.text.text.clone()),
                    "note": i.note,
                    "at": at(&i.id.location),
                })
            })
            .collect();
        let goals: Vec<Value> = plan
            .goals
            .iter()
            .map(|g| {
                json!({
                    "id": g.id.name,
                    "title": g.title,
                    "rule": g.rule.text.text,
                    "at": at(&g.id.location),
                })
            })
            .collect();
        let units: Vec<Value> = plan
            .units
            .iter()
            .map(|u| json!({"id": u.id.name, "name": u.name, "kind": u.kind.name}))
            .collect();
        ok(
            &json!({"plan": plan.id, "lang": plan.lang.code(), "fragment": plan.fragment,
                   "period": {"start": plan.period.start.to_string(),
                              "end": plan.period.end.to_string()},
                   "indicators": indicators, "goals": goals, "units": units})
            .to_string(),
        )
    }
}

impl Workbench {
    fn check_files(&self, req: &CheckRequest) -> Result<Value, Value> {
        let lang = parse_lang(req.lang.as_deref())?;
        let workspace = Workspace::with_files(self.files.clone());
        let mut all = Vec::new();
        for file in &req.files {
            all.extend(workspace.check_file(file).diagnostics);
        }
        // The command line's JSON is in the language asked for, English otherwise.
        let lang = lang.unwrap_or(Lang::En);
        let mut doc = check_json(&req.files, &all, lang);
        if req.editor
            && let Some(list) = doc.get_mut("diagnostics").and_then(Value::as_array_mut)
        {
            list.clear();
            list.extend(all.iter().map(|d| {
                let mut v = diagnostic_json(d, lang);
                if let Some(obj) = v.as_object_mut() {
                    obj.insert("suggestion".into(), json!(d.suggestion()));
                    let range = d.location.as_ref().map(|l| {
                        let (a, b) = l.utf16_range();
                        json!({"from": [a.line, a.character], "to": [b.line, b.character]})
                    });
                    obj.insert("range".into(), json!(range));
                }
                v
            }));
        }
        Ok(doc)
    }

    /// Opens the request's project (or reuses the last one) and runs `f` on it.
    fn answer(
        &mut self,
        request: &str,
        f: impl FnOnce(&Project, &Request) -> Result<String, Value>,
    ) -> String {
        let run = || -> Result<String, Value> {
            let req: Request =
                serde_json::from_str(request).map_err(|e| query_error(e.to_string()))?;
            let project = self.project(&req)?;
            f(project, &req)
        };
        match run() {
            Ok(text) => ok(&text),
            Err(e) => e.to_string(),
        }
    }

    fn project(&mut self, req: &Request) -> Result<&Project, Value> {
        let key = serde_json::to_string(req).map_err(|e| query_error(e.to_string()))?;
        if self.project.as_ref().is_none_or(|(k, _)| *k != key) {
            let mut inputs = Inputs::new(&req.plan);
            inputs.data = req.data.iter().map(PathBuf::from).collect();
            inputs.units = req.units.as_ref().map(PathBuf::from);
            inputs.lang = parse_lang(req.lang.as_deref())?;
            let project = Workspace::with_files(self.files.clone())
                .open(&inputs)
                .map_err(|e| pipeline_error(&e, &req.plan))?;
            self.project = Some((key, project));
        }
        self.project
            .as_ref()
            .map(|(_, p)| p)
            .ok_or_else(|| query_error("no project"))
    }
}

fn as_of(req: &Request) -> Result<NaiveDate, Value> {
    let text = req
        .as_of
        .as_deref()
        .ok_or_else(|| query_error("`as_of` is missing (YYYY-MM-DD)"))?;
    parse_date(text).map_err(|e| query_error(format!("`as_of`: {e}")))
}

/// The error answer of a pipeline that stopped: the stage, the diagnostics as the command line
/// prints them, and as a `chitieu.check/v1` document.
fn pipeline_error(e: &chitieu::Error, plan: &str) -> Value {
    json!({"error": {
        "stage": e.stage(),
        "message": e.render(e.lang(), Style::default()),
        "report": check_json(&[plan.to_string()], e.diagnostics(), e.lang()),
    }})
}
