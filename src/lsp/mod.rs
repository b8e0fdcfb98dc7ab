//! `chitieu lsp`: a Language Server Protocol server, so that plan files are checked while they
//! are typed, in any editor.
//!
//! It is a thin front end over the [`Workspace`](crate::Workspace) facade: every open buffer
//! that is a plan file (a YAML file with a top-level `chitieu:` key) is checked as
//! `chitieu check` checks it, includes read from the open buffers first and then from the disk,
//! and the findings are published with the same codes and messages, in the plan's language,
//! located in UTF-16 as the protocol counts. A change to an included catalogue re-checks the
//! open plans that include it. Changes are debounced: when several are queued, only the latest
//! text of each document is checked.
//!
//! The loop is synchronous ([`lsp_server`], rust-analyzer's scaffold, no async runtime): a
//! request is answered from the documents as they stand after every queued change is checked.
//!
//! ```no_run
//! let (connection, threads) = lsp_server::Connection::stdio();
//! let shut_down = chitieu::lsp::serve(&connection)?;
//! drop(connection);
//! threads.join()?;
//! // The protocol's exit status: 1 when the client left without `shutdown`.
//! std::process::exit(if shut_down { 0 } else { 1 });
//! # Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
//! ```

mod convert;
mod documents;
mod features;

use documents::Documents;
use lsp_server::{Connection, Message, Notification, ProtocolError, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, Formatting, GotoDefinition, HoverRequest, References,
    Request as _,
};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, HoverProviderCapability, OneOf,
    PublishDiagnosticsParams, SaveOptions, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// What the server can do, as it tells the client.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["(".to_string()]),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

/// Runs the server over standard input and output until the client leaves. Returns whether
/// the client asked for `shutdown` first: the protocol's exit status is 0 if it did, 1 if not.
pub fn stdio() -> Result<bool, Box<dyn std::error::Error + Send + Sync>> {
    let (connection, threads) = Connection::stdio();
    let shut_down = serve(&connection)?;
    drop(connection);
    threads.join()?;
    Ok(shut_down)
}

/// Serves one client over a connection (standard input and output, or
/// [`Connection::memory`] in tests): the initialisation handshake, then requests and
/// notifications until `exit` or the end of the input. Returns whether `shutdown` came first.
/// After `shutdown`, requests are answered with `InvalidRequest` and notifications ignored, as
/// the protocol says; the end of the input then counts as `exit` (an editor quitting right
/// after `shutdown` closes the pipe without sending it).
pub fn serve(connection: &Connection) -> Result<bool, ProtocolError> {
    let capabilities = serde_json::to_value(capabilities()).unwrap_or_default();
    connection.initialize(capabilities)?;
    let mut server = Server {
        connection,
        documents: Documents::default(),
        pending: BTreeSet::new(),
    };
    let mut shut_down = false;
    loop {
        let message = if server.pending.is_empty() {
            match connection.receiver.recv() {
                Ok(m) => m,
                Err(_) => return Ok(shut_down),
            }
        } else {
            match connection.receiver.try_recv() {
                Ok(m) => m,
                // Nothing more queued: check what changed, once per document.
                Err(e) if e.is_empty() => {
                    server.flush();
                    continue;
                }
                Err(_) => return Ok(shut_down),
            }
        };
        match message {
            Message::Notification(n) if n.method == "exit" => return Ok(shut_down),
            Message::Request(request) if shut_down => server.send(Response::new_err(
                request.id,
                lsp_server::ErrorCode::InvalidRequest as i32,
                "the server is shutting down".to_owned(),
            )),
            Message::Request(request) if request.method == "shutdown" => {
                shut_down = true;
                server.pending.clear();
                server.send(Response::new_ok(request.id, ()));
            }
            Message::Request(request) => {
                server.flush();
                server.request(request);
            }
            Message::Notification(_) if shut_down => {}
            Message::Notification(n) => server.notification(n),
            Message::Response(_) => {}
        }
    }
}

struct Server<'c> {
    connection: &'c Connection,
    documents: Documents,
    /// Documents changed since they were last checked.
    pending: BTreeSet<PathBuf>,
}

impl Server<'_> {
    fn send(&self, message: impl Into<Message>) {
        // A client that has gone away ends the loop at the next receive.
        let _ = self.connection.sender.send(message.into());
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) =
                    n.extract::<lsp_types::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                {
                    let d = p.text_document;
                    if let Some(path) = self.documents.open(d.uri, d.version, d.text) {
                        self.pending.insert(path);
                    }
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) = n.extract::<lsp_types::DidChangeTextDocumentParams>(
                    DidChangeTextDocument::METHOD,
                ) && let Some(doc) = self.documents.get_mut(&p.text_document.uri)
                {
                    doc.change(p.text_document.version, p.content_changes);
                    self.pending.insert(doc.path.clone());
                }
            }
            DidSaveTextDocument::METHOD => {
                // Plans that include a file not open read it from the disk: a save may change it.
                if let Ok(p) =
                    n.extract::<lsp_types::DidSaveTextDocumentParams>(DidSaveTextDocument::METHOD)
                    && let Some(doc) = self.documents.get(&p.text_document.uri)
                {
                    self.pending.insert(doc.path.clone());
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) =
                    n.extract::<lsp_types::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                    && let Some(doc) = self.documents.close(&p.text_document.uri)
                {
                    self.publish(doc.uri, Vec::new(), None);
                    // Plans that included its buffer now read the file on disk.
                    for path in self.documents.readers_of(&doc.path) {
                        self.pending.insert(path);
                    }
                }
            }
            _ => {}
        }
    }

    /// Checks every changed document and every open plan that reads one of them, and
    /// publishes their diagnostics (an empty list clears the previous ones).
    fn flush(&mut self) {
        let changed = std::mem::take(&mut self.pending);
        let mut affected = BTreeSet::new();
        for path in &changed {
            affected.extend(self.documents.readers_of(path));
            affected.insert(path.clone());
        }
        for path in affected {
            self.documents.check(&path);
            let Some(doc) = self.documents.by_path(&path) else {
                continue;
            };
            let diagnostics = doc.analysis.as_ref().map_or_else(Vec::new, |a| {
                a.diagnostics
                    .iter()
                    .map(|d| convert::diagnostic(d, a.lang))
                    .collect()
            });
            self.publish(doc.uri.clone(), diagnostics, Some(doc.version));
        }
    }

    fn publish(
        &self,
        uri: lsp_types::Uri,
        diagnostics: Vec<lsp_types::Diagnostic>,
        version: Option<i32>,
    ) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new(
            PublishDiagnostics::METHOD.to_string(),
            params,
        ));
    }

    /// Answers a request from the documents as they stand; a request about a file that is not
    /// an open plan gets an empty answer.
    fn request(&mut self, request: Request) {
        let docs = &self.documents;
        let id = request.id.clone();
        let result = match request.method.as_str() {
            Completion::METHOD => request
                .extract::<lsp_types::CompletionParams>(Completion::METHOD)
                .map(|(_, p)| {
                    let at = p.text_document_position;
                    json(features::completion(
                        docs,
                        &at.text_document.uri,
                        at.position,
                    ))
                }),
            HoverRequest::METHOD => request
                .extract::<lsp_types::HoverParams>(HoverRequest::METHOD)
                .map(|(_, p)| {
                    let at = p.text_document_position_params;
                    json(features::hover(docs, &at.text_document.uri, at.position))
                }),
            GotoDefinition::METHOD => request
                .extract::<lsp_types::GotoDefinitionParams>(GotoDefinition::METHOD)
                .map(|(_, p)| {
                    let at = p.text_document_position_params;
                    json(features::definition(
                        docs,
                        &at.text_document.uri,
                        at.position,
                    ))
                }),
            References::METHOD => request
                .extract::<lsp_types::ReferenceParams>(References::METHOD)
                .map(|(_, p)| {
                    let at = p.text_document_position;
                    json(features::references(
                        docs,
                        &at.text_document.uri,
                        at.position,
                        p.context.include_declaration,
                    ))
                }),
            Formatting::METHOD => request
                .extract::<lsp_types::DocumentFormattingParams>(Formatting::METHOD)
                .map(|(_, p)| json(features::formatting(docs, &p.text_document.uri))),
            CodeActionRequest::METHOD => request
                .extract::<lsp_types::CodeActionParams>(CodeActionRequest::METHOD)
                .map(|(_, p)| json(features::code_actions(docs, &p.text_document.uri, p.range))),
            _ => {
                self.send(Response::new_err(
                    id,
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    format!("unknown method {}", request.method),
                ));
                return;
            }
        };
        let response = match result {
            Ok(value) => Response::new_ok(id, value),
            Err(e) => Response::new_err(
                id,
                lsp_server::ErrorCode::InvalidParams as i32,
                e.to_string(),
            ),
        };
        self.send(response);
    }
}

fn json(value: impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}
