//! `chitieu lsp`: the time from a change to Plan 22's buffer to its diagnostics, its catalogue
//! read through the overlay (the language server in process, over `Connection::memory()`).

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use criterion::{Criterion, criterion_group, criterion_main};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::json;
use std::time::Duration;

const PLAN: &str = "plans/vinh-long/22-kh-ubnd-2026-2030.yaml";

fn send(conn: &Connection, message: impl Into<Message>) {
    conn.sender.send(message.into()).unwrap();
}

/// Waits for the diagnostics of a given version of the document.
fn diagnostics(conn: &Connection, version: i32) -> usize {
    loop {
        if let Message::Notification(n) = conn.receiver.recv().unwrap()
            && n.method == "textDocument/publishDiagnostics"
            && n.params["version"] == version
        {
            return n.params["diagnostics"].as_array().map_or(0, Vec::len);
        }
    }
}

fn lsp(c: &mut Criterion) {
    let (server, client) = Connection::memory();
    let thread = std::thread::spawn(move || chitieu::lsp::serve(&server));
    send(
        &client,
        Request::new(
            RequestId::from(1),
            "initialize".into(),
            json!({ "capabilities": {} }),
        ),
    );
    client.receiver.recv().unwrap();
    send(&client, Notification::new("initialized".into(), json!({})));
    let path = std::path::absolute(PLAN).unwrap();
    let uri = format!("file://{}", path.display());
    let good = std::fs::read_to_string(PLAN).unwrap();
    let bad = good.replacen("rule: online_rate > 80%", "rule: online_rat > 80%", 1);
    send(
        &client,
        Notification::new(
            "textDocument/didOpen".into(),
            json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": good } }),
        ),
    );
    assert_eq!(diagnostics(&client, 1), 0);
    let mut version = 1;
    let mut group = c.benchmark_group("lsp");
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("plan_22_diagnostics_after_a_change", |b| {
        b.iter(|| {
            version += 1;
            let text = if version % 2 == 0 { &bad } else { &good };
            send(
                &client,
                Notification::new(
                    "textDocument/didChange".into(),
                    json!({ "textDocument": { "uri": uri, "version": version },
                            "contentChanges": [{ "text": text }] }),
                ),
            );
            assert_eq!(diagnostics(&client, version), usize::from(version % 2 == 0));
        })
    });
    group.finish();
    send(
        &client,
        Request::new(RequestId::from(2), "shutdown".into(), json!(null)),
    );
    send(&client, Notification::new("exit".into(), json!(null)));
    thread.join().unwrap().unwrap();
}

criterion_group!(benches, lsp);
criterion_main!(benches);
