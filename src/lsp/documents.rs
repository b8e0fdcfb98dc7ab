//! The open documents, and what checking each one gave.

use super::convert;
use crate::diag::Diagnostic;
use crate::files::{FileSystem, InMemory, Overlay, normalise};
use crate::lang::Lang;
use crate::plan::Plan;
use crate::source::SourceFile;
use crate::workspace::Workspace;
use lsp_types::{Position, TextDocumentContentChangeEvent, Uri};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A buffer the editor has open.
#[derive(Debug)]
pub(crate) struct Document {
    pub(crate) uri: Uri,
    /// Its path, normalised: the key of the overlay over the disk.
    pub(crate) path: PathBuf,
    pub(crate) version: i32,
    pub(crate) text: String,
    /// What checking its current text gave; `None` until checked, and for files that are not
    /// plans.
    pub(crate) analysis: Option<Analysis>,
    /// The last plan that could be read from it, for completion while the buffer does not read
    /// (a quote not yet closed).
    pub(crate) last_plan: Option<Plan>,
    /// The files its last check read (includes), normalised: a change to one re-checks it.
    pub(crate) reads: Vec<PathBuf>,
}

/// What checking a document's text gave.
#[derive(Debug)]
pub(crate) struct Analysis {
    /// The text checked, as the plan's locations see it.
    pub(crate) file: Arc<SourceFile>,
    /// The language of messages: the plan's.
    pub(crate) lang: Lang,
    /// The findings in this file.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// What could be read of the plan.
    pub(crate) plan: Option<Plan>,
}

impl Document {
    /// Whether the text is a plan file (it has a `chitieu:` key): other YAML gets nothing.
    pub(crate) fn is_plan(&self) -> bool {
        crate::plan::is_plan_text(&self.text)
    }

    /// The plan to complete and hover from: the current one, or the last that could be read.
    pub(crate) fn plan(&self) -> Option<&Plan> {
        self.analysis
            .as_ref()
            .and_then(|a| a.plan.as_ref())
            .or(self.last_plan.as_ref())
    }

    /// The current text as a source file (positions are converted against it).
    pub(crate) fn source(&self) -> Arc<SourceFile> {
        match &self.analysis {
            Some(a) if a.file.text() == self.text => Arc::clone(&a.file),
            _ => SourceFile::new(self.path.display().to_string(), self.text.clone()),
        }
    }

    /// Applies the editor's changes, in order: a range replaced, or the whole text.
    pub(crate) fn change(&mut self, version: i32, changes: Vec<TextDocumentContentChangeEvent>) {
        for change in changes {
            match change.range {
                None => self.text = change.text,
                Some(range) => {
                    let file = SourceFile::new("", std::mem::take(&mut self.text));
                    let (start, end) = (
                        convert::offset(&file, range.start),
                        convert::offset(&file, range.end),
                    );
                    let (start, end) = (start.min(end), end.max(start));
                    let old = file.text();
                    let mut text = String::with_capacity(old.len() + change.text.len());
                    text.push_str(old.get(..start).unwrap_or(old));
                    text.push_str(&change.text);
                    text.push_str(old.get(end..).unwrap_or_default());
                    self.text = text;
                }
            }
        }
        self.version = version;
    }
}

/// The open documents, by normalised path.
#[derive(Debug, Default)]
pub(crate) struct Documents {
    docs: BTreeMap<PathBuf, Document>,
}

impl Documents {
    pub(crate) fn open(&mut self, uri: Uri, version: i32, text: String) -> Option<PathBuf> {
        let path = convert::path_of(&uri)?;
        self.docs.insert(
            path.clone(),
            Document {
                uri,
                path: path.clone(),
                version,
                text,
                analysis: None,
                last_plan: None,
                reads: Vec::new(),
            },
        );
        Some(path)
    }

    pub(crate) fn close(&mut self, uri: &Uri) -> Option<Document> {
        self.docs.remove(&convert::path_of(uri)?)
    }

    pub(crate) fn get(&self, uri: &Uri) -> Option<&Document> {
        self.docs.get(&convert::path_of(uri)?)
    }

    pub(crate) fn get_mut(&mut self, uri: &Uri) -> Option<&mut Document> {
        self.docs.get_mut(&convert::path_of(uri)?)
    }

    pub(crate) fn by_path(&self, path: &Path) -> Option<&Document> {
        self.docs.get(path)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Document> {
        self.docs.values()
    }

    /// The open documents that read `path` when last checked (it itself included).
    pub(crate) fn readers_of(&self, path: &Path) -> Vec<PathBuf> {
        self.docs
            .values()
            .filter(|d| d.path == path || d.reads.iter().any(|r| r == path))
            .map(|d| d.path.clone())
            .collect()
    }

    /// The files as the pipeline reads them: the open buffers over the disk.
    fn files(&self) -> Overlay<FileSystem> {
        let mut top = InMemory::new();
        for d in self.docs.values() {
            top.insert(&d.path, d.text.as_bytes());
        }
        Overlay::new(top, FileSystem)
    }

    /// Checks the open document at `path` through the facade, includes read from the open
    /// buffers first, then the disk. A file that is not a plan is not checked.
    pub(crate) fn check(&mut self, path: &Path) {
        let files = self.files();
        let Some(doc) = self.docs.get_mut(path) else {
            return;
        };
        if !doc.is_plan() {
            doc.analysis = None;
            return;
        }
        let checked = Workspace::with_files(files).check_file(path);
        let shown = path.display().to_string();
        let mine = |file: Option<&str>| file.is_none_or(|f| normalise(Path::new(f)) == path);
        let diagnostics = checked
            .diagnostics
            .into_iter()
            .filter(|d| mine(d.file()))
            .collect();
        let plan = checked.plan;
        if let Some(p) = &plan {
            doc.reads = p
                .files
                .iter()
                .map(|f| normalise(Path::new(f.path())))
                .collect();
        }
        let file = plan
            .as_ref()
            .and_then(|p| p.files.first().cloned())
            .filter(|f| f.text() == doc.text)
            .unwrap_or_else(|| SourceFile::new(shown, doc.text.clone()));
        // Kept without a copy: the previous plan moves aside only while the text does not read.
        let previous = doc.analysis.take().and_then(|a| a.plan);
        if plan.is_some() {
            doc.last_plan = None;
        } else if previous.is_some() {
            doc.last_plan = previous;
        }
        // A buffer that does not read keeps the language its plan had.
        let lang = checked
            .lang
            .or(doc.last_plan.as_ref().map(|p| p.lang))
            .unwrap_or(Lang::En);
        doc.analysis = Some(Analysis {
            file,
            lang,
            diagnostics,
            plan,
        });
    }

    /// The position of a protocol position in a document, as a byte offset of its text.
    pub(crate) fn offset(&self, uri: &Uri, at: Position) -> Option<(&Document, usize)> {
        let doc = self.get(uri)?;
        let file = doc.source();
        Some((doc, convert::offset(&file, at)))
    }
}
