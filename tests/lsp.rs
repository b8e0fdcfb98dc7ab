//! `chitieu lsp` in process, over `Connection::memory()`: one request and its exact expected
//! answer per feature, on the real Plan 22 and its catalogue where it matters.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::Duration;

const PLAN: &str = "plans/vinh-long/22-kh-ubnd-2026-2030.yaml";
const CATALOGUE: &str = "plans/catalogue/cchc-indicators.yaml";

/// A client speaking to a server running on a thread.
struct Client {
    conn: Connection,
    server: Option<JoinHandle<Result<bool, lsp_server::ProtocolError>>>,
    next: i32,
    /// Notifications received, in order.
    notes: Vec<Notification>,
}

impl Client {
    fn start() -> Client {
        let (server, client) = Connection::memory();
        let handle = std::thread::spawn(move || chitieu::lsp::serve(&server));
        let mut c = Client {
            conn: client,
            server: Some(handle),
            next: 0,
            notes: Vec::new(),
        };
        let caps = c.request("initialize", json!({ "capabilities": {} }));
        assert_eq!(caps["capabilities"]["hoverProvider"], json!(true));
        c.notify("initialized", json!({}));
        c
    }

    fn notify(&self, method: &str, params: Value) {
        self.conn
            .sender
            .send(Notification::new(method.into(), params).into())
            .unwrap();
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = RequestId::from(self.next);
        self.conn
            .sender
            .send(Request::new(id.clone(), method.into(), params).into())
            .unwrap();
        loop {
            match self
                .conn
                .receiver
                .recv_timeout(Duration::from_secs(60))
                .expect("the server answers")
            {
                Message::Response(Response {
                    id: got,
                    response_result,
                }) if got == id => {
                    return response_result.unwrap_or_else(|e| panic!("{method}: {e:?}"));
                }
                Message::Notification(n) => self.notes.push(n),
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    /// Waits until every message sent so far is handled (a request is answered only after
    /// every queued change is checked and published).
    fn sync(&mut self) {
        self.request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": "file:///nowhere.yaml" }, "position": { "line": 0, "character": 0 } }),
        );
    }

    /// The diagnostics last published for a document.
    fn diagnostics(&mut self, uri: &str) -> Value {
        self.sync();
        self.notes
            .iter()
            .rev()
            .find(|n| n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri)
            .map(|n| n.params["diagnostics"].clone())
            .unwrap_or_else(|| panic!("no diagnostics for {uri}"))
    }

    fn open(&self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": text } }),
        );
    }

    fn change(&self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }

    fn at(&mut self, method: &str, uri: &str, (line, character): (usize, usize)) -> Value {
        let mut params = json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } });
        if method == "textDocument/references" {
            params["context"] = json!({ "includeDeclaration": true });
        }
        self.request(method, params)
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let result = self
            .server
            .take()
            .unwrap()
            .join()
            .expect("the server did not panic");
        assert!(matches!(result, Ok(true)), "{result:?}");
    }
}

fn abs(path: &str) -> PathBuf {
    std::path::absolute(path).unwrap()
}

fn uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_str().unwrap().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The 0-based line and UTF-16 column where `needle` starts in `text` (its `nth` occurrence).
fn pos(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in text"));
    let before = &text[..at];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].encode_utf16().count())
}

fn range(line: usize, start: usize, end: usize) -> Value {
    json!({ "start": { "line": line, "character": start }, "end": { "line": line, "character": end } })
}

fn plan_text() -> String {
    std::fs::read_to_string(PLAN).unwrap()
}

#[test]
fn a_misspelt_indicator_in_plan_22_is_reported_on_its_range_then_cleared() {
    let mut c = Client::start();
    let plan = uri(&abs(PLAN));
    let good = plan_text();
    let bad = good.replacen(
        "rule: online_rate > 80% by 2030-12-31",
        "rule: online_rat > 80% by 2030-12-31",
        1,
    );
    c.open(&plan, &bad);
    let (line, col) = pos(&bad, "online_rat > 80%");
    assert_eq!(
        c.diagnostics(&plan),
        json!([{
            "range": range(line, col, col + 10),
            "severity": 1,
            "code": "unknown-name",
            "source": "chitieu",
            "message": "không có chỉ số `online_rat`\ngợi ý: có phải ý bạn là `online_rate`?",
            "data": { "suggestion": "online_rate" },
        }])
    );
    c.change(&plan, 2, &good);
    assert_eq!(c.diagnostics(&plan), json!([]));
    c.stop();
}

#[test]
fn an_emoji_or_decomposed_vietnamese_before_the_error_does_not_shift_its_range() {
    let mut c = Client::start();
    let path = abs("tests/fixtures/lsp-emoji.yaml");
    let uri = uri(&path);
    // `🎯` is two UTF-16 units, `ả` written decomposed (a + U+0309) two characters.
    let text = "chitieu: 1\nplan: { id: P, title: T, period: 2026-01-01 .. 2030-12-31 }\n\
        indicators:\n  online_rate: { name: X, unit: percent }\n\
        goals:\n  - { id: g, title: \"🎯 Ca\u{309}i cách\", rule: online_rat > 80% by 2030-12-31 }\n";
    c.open(&uri, text);
    let d = c.diagnostics(&uri);
    assert_eq!(d[0]["range"], range(5, 42, 52));
    assert_eq!(d.as_array().unwrap().len(), 1);
    c.stop();
}

#[test]
fn a_change_to_an_open_catalogue_rechecks_the_plans_that_include_it() {
    let mut c = Client::start();
    let plan = uri(&abs(PLAN));
    let catalogue = uri(&abs(CATALOGUE));
    c.open(&plan, &plan_text());
    let text = std::fs::read_to_string(CATALOGUE).unwrap();
    c.open(&catalogue, &text);
    assert_eq!(c.diagnostics(&plan), json!([]));
    c.change(
        &catalogue,
        2,
        &text.replacen("  online_rate:", "  online_ratio:", 1),
    );
    let d = c.diagnostics(&plan);
    let (line, col) = pos(&plan_text(), "online_rate > 80%");
    assert_eq!(d[0]["range"], range(line, col, col + 11));
    assert_eq!(d[0]["data"], json!({ "suggestion": "online_ratio" }));
    // Closed, the catalogue is read from the disk again.
    c.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": catalogue } }),
    );
    assert_eq!(c.diagnostics(&plan), json!([]));
    c.stop();
}

#[test]
fn a_file_without_a_chitieu_key_gets_nothing() {
    let mut c = Client::start();
    let uri = uri(&abs("tests/fixtures/lsp-workflow.yaml"));
    c.open(&uri, "jobs:\n  rule: online_rat > 1\n");
    assert_eq!(c.diagnostics(&uri), json!([]));
    assert_eq!(c.at("textDocument/completion", &uri, (1, 10)), json!([]));
    assert_eq!(c.at("textDocument/hover", &uri, (1, 10)), Value::Null);
    c.stop();
}

/// Plan 22 with a goal rule being typed: `rule: onl` on the line of goal II.2.h.
fn typing(c: &mut Client, typed: &str) -> (String, String) {
    let plan = uri(&abs(PLAN));
    let text = plan_text().replacen(
        "rule: online_rate > 80% by 2030-12-31",
        &format!("rule: {typed}"),
        1,
    );
    c.open(&plan, &text);
    c.sync();
    (plan, text)
}

#[test]
fn completion_offers_indicators_with_their_name_and_unit_and_functions() {
    let mut c = Client::start();
    let (plan, text) = typing(&mut c, "onl");
    let (line, col) = pos(&text, "rule: onl\n");
    let items = c.at("textDocument/completion", &plan, (line, col + 9));
    let online = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "online_rate")
        .expect("online_rate is offered");
    assert_eq!(
        online["detail"],
        "Tỷ lệ hồ sơ TTHC xử lý trực tuyến (percent)"
    );
    assert_eq!(online["kind"], 6);
    assert_eq!(
        online["textEdit"],
        json!({ "range": range(line, col + 6, col + 9), "newText": "online_rate" })
    );
    assert!(
        items
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["label"].as_str().unwrap().starts_with("onl"))
    );
    c.stop();
}

#[test]
fn completion_offers_unit_kinds_in_an_aggregate_and_keys_outside_rules() {
    let mut c = Client::start();
    let (plan, text) = typing(&mut c, "share(");
    let (line, col) = pos(&text, "rule: share(\n");
    let items = c.at("textDocument/completion", &plan, (line, col + 12));
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["province", "department", "commune"]);
    let items = c.at("textDocument/completion", &plan, (line, col + 11));
    assert!(
        items
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["label"] == "share" && i["detail"] == "share(kind, condition)")
    );
    // Under a goal, outside its rule: the keys of a goal.
    let (line, _) = pos(&text, "    quote: \"có trên 80%");
    let items = c.at("textDocument/completion", &plan, (line, 4));
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"milestones") && labels.contains(&"applies_to"),
        "{labels:?}"
    );
    assert!(!labels.contains(&"formula"));
    c.stop();
}

#[test]
fn hover_names_an_indicator_s_formula_a_function_s_signature_and_a_goal_s_quote() {
    let mut c = Client::start();
    let plan = uri(&abs(PLAN));
    let text = plan_text();
    c.open(&plan, &text);
    let (line, col) = pos(&text, "online_rate > 80%");
    let hover = c.at("textDocument/hover", &plan, (line, col + 3));
    let (decl, _) = pos(
        &std::fs::read_to_string(CATALOGUE).unwrap(),
        "  online_rate:",
    );
    assert_eq!(
        hover,
        json!({
            "contents": { "kind": "markdown", "value": format!(
                "**online_rate** — Tỷ lệ hồ sơ TTHC xử lý trực tuyến\n\n\
                 đơn vị: `percent` · tốt hơn khi: cao hơn\n\n\
                 công thức: `online_dossiers / total_dossiers`\n\n\
                 khai báo ở cchc-indicators.yaml:{}", decl + 1) },
            "range": range(line, col, col + 11),
        })
    );
    let (line, col) = pos(&text, "baseline(satisfaction_rate)");
    let hover = c.at("textDocument/hover", &plan, (line, col + 1));
    assert_eq!(
        hover["contents"]["value"],
        "```\nbaseline(indicator) or baseline(indicator, period)\n```\ngiá trị của x trong kỳ gốc của kế hoạch (hoặc trong kỳ đã cho)"
    );
    let (line, col) = pos(&text, "id: II.2.h\n");
    let (line, col) = (line, col + 4);
    let hover = c.at("textDocument/hover", &plan, (line, col + 2));
    assert_eq!(
        hover["contents"]["value"],
        "**II.2.h** — Trên 80% hồ sơ TTHC được xử lý trực tuyến\n\n> có trên 80% hồ sơ TTHC xử lý trực tuyến"
    );
    assert_eq!(hover["range"], range(line, col, col + 6));
    c.stop();
}

#[test]
fn definition_of_an_indicator_is_in_the_catalogue_file() {
    let mut c = Client::start();
    let plan = uri(&abs(PLAN));
    let text = plan_text();
    c.open(&plan, &text);
    let (line, col) = pos(&text, "online_rate > 80%");
    let def = c.at("textDocument/definition", &plan, (line, col));
    let (decl, dcol) = pos(
        &std::fs::read_to_string(CATALOGUE).unwrap(),
        "online_rate:\n",
    );
    assert_eq!(
        def,
        json!({ "uri": uri(&abs(CATALOGUE)), "range": range(decl, dcol, dcol + 11) })
    );
    c.stop();
}

#[test]
fn references_of_an_indicator_are_its_declaration_and_every_use() {
    let mut c = Client::start();
    let plan = uri(&abs(PLAN));
    let text = plan_text();
    c.open(&plan, &text);
    let (line, col) = pos(&text, "online_rate > 80%");
    let refs = c.at("textDocument/references", &plan, (line, col));
    let catalogue = std::fs::read_to_string(CATALOGUE).unwrap();
    let (decl, dcol) = pos(&catalogue, "online_rate:\n");
    assert_eq!(
        refs,
        json!([
            { "uri": uri(&abs(CATALOGUE)), "range": range(decl, dcol, dcol + 11) },
            { "uri": plan, "range": range(line, col, col + 11) },
        ])
    );
    c.stop();
}

#[test]
fn formatting_makes_a_rule_canonical_touching_rule_text_only() {
    let mut c = Client::start();
    let plan = uri(&abs(PLAN));
    let text = plan_text().replacen(
        "rule: online_rate > 80% by 2030-12-31",
        "rule: online_rate>80%   by 2030-12-31",
        1,
    );
    c.open(&plan, &text);
    let (line, col) = pos(&text, "online_rate>80%");
    let edits = c.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": plan }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(
        edits,
        json!([{ "range": range(line, col, col + 31), "newText": "online_rate > 80% by 2030-12-31" }])
    );
    c.stop();
}

#[test]
fn code_actions_put_the_suggested_name_in_place_and_quote_a_misread_rule() {
    let mut c = Client::start();
    let plan = uri(&abs(PLAN));
    let text = plan_text().replacen(
        "rule: online_rate > 80% by 2030-12-31",
        "rule: online_rat > 80% by 2030-12-31",
        1,
    );
    c.open(&plan, &text);
    let (line, col) = pos(&text, "online_rat >");
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": plan }, "range": range(line, col, col),
                "context": { "diagnostics": [] } }),
    );
    assert_eq!(actions[0]["title"], "Thay bằng `online_rate`");
    assert_eq!(
        actions[0]["edit"],
        json!({ "changes": { plan.clone(): [{ "range": range(line, col, col + 10), "newText": "online_rate" }] } })
    );
    let text = plan_text().replacen(
        "rule: online_rate > 80% by 2030-12-31",
        "rule: online_rate: 80% by 2030-12-31",
        1,
    );
    c.change(&plan, 2, &text);
    c.sync();
    let (line, col) = pos(&text, "online_rate: 80%");
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": plan }, "range": range(line, col, col),
                "context": { "diagnostics": [] } }),
    );
    assert_eq!(actions[0]["title"], "Đặt quy tắc trong dấu nháy");
    assert_eq!(
        actions[0]["edit"],
        json!({ "changes": { plan.clone(): [{ "range": range(line, col, col + 30), "newText": "\"online_rate: 80% by 2030-12-31\"" }] } })
    );
    c.stop();
}

/// Every YAML file of the repository, whole and cut at many places.
fn corpus() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml")
                && let Ok(text) = std::fs::read_to_string(&p)
            {
                out.push((p, text));
            }
        }
    }
    let mut out = Vec::new();
    for dir in ["plans", "tests/fixtures", "examples"] {
        walk(Path::new(dir), &mut out);
    }
    out.sort();
    out
}

#[test]
fn a_broken_buffer_never_crashes_the_server() {
    let mut c = Client::start();
    let files = corpus();
    assert!(files.len() > 20);
    for (path, text) in &files {
        let uri = uri(&abs(path.to_str().unwrap()));
        c.open(&uri, text);
        let mut version = 1;
        let cuts: Vec<usize> = (0..24)
            .map(|i| text.len() * i / 24)
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        for cut in cuts {
            version += 1;
            let part = &text[..cut];
            c.change(&uri, version, part);
            let end = part.lines().count().saturating_sub(1);
            let col = part.lines().last().map_or(0, |l| l.encode_utf16().count());
            for method in [
                "textDocument/completion",
                "textDocument/hover",
                "textDocument/definition",
                "textDocument/references",
            ] {
                c.at(method, &uri, (end, col));
                c.at(method, &uri, (end / 2, 7));
            }
            c.request(
                "textDocument/formatting",
                json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
            );
            c.request(
                "textDocument/codeAction",
                json!({ "textDocument": { "uri": uri },
                        "range": { "start": { "line": 0, "character": 0 }, "end": { "line": end, "character": col } },
                        "context": { "diagnostics": [] } }),
            );
        }
        c.notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": uri } }),
        );
    }
    c.stop();
}

#[test]
fn changes_in_a_burst_end_with_the_diagnostics_of_the_last_text() {
    let mut c = Client::start();
    let plan = uri(&abs(PLAN));
    let good = plan_text();
    c.open(&plan, &good);
    for (version, name) in [(2, "o"), (3, "on"), (4, "onl"), (5, "online_rat")] {
        let text = good.replacen("rule: online_rate > 80%", &format!("rule: {name} > 80%"), 1);
        c.change(&plan, version, &text);
    }
    c.sync();
    let last = c
        .notes
        .iter()
        .rev()
        .find(|n| n.method == "textDocument/publishDiagnostics")
        .unwrap();
    assert_eq!(last.params["version"], 5);
    assert_eq!(
        last.params["diagnostics"][0]["data"],
        json!({ "suggestion": "online_rate" })
    );
    c.stop();
}

#[test]
fn the_binary_speaks_json_rpc_over_stdio() {
    use std::io::BufReader;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let mut output = BufReader::new(child.stdout.take().unwrap());
    let mut send = |m: Message| m.write(&mut input).unwrap();
    let mut next = || Message::read(&mut output).unwrap().expect("a message");
    send(
        Request::new(
            RequestId::from(1),
            "initialize".into(),
            json!({ "capabilities": {} }),
        )
        .into(),
    );
    assert!(matches!(next(), Message::Response(r) if r.id == RequestId::from(1)));
    send(Notification::new("initialized".into(), json!({})).into());
    let plan = uri(&abs(PLAN));
    let text = plan_text().replacen("rule: online_rate > 80%", "rule: online_rat > 80%", 1);
    send(
        Notification::new(
            "textDocument/didOpen".into(),
            json!({ "textDocument": { "uri": plan, "languageId": "yaml", "version": 1, "text": text } }),
        )
        .into(),
    );
    let Message::Notification(n) = next() else {
        panic!("diagnostics first")
    };
    assert_eq!(n.method, "textDocument/publishDiagnostics");
    let (line, col) = pos(&text, "online_rat > 80%");
    assert_eq!(
        n.params["diagnostics"][0]["range"],
        range(line, col, col + 10)
    );
    assert_eq!(n.params["diagnostics"][0]["code"], "unknown-name");
    send(
        Request::new(
            RequestId::from(2),
            "textDocument/definition".into(),
            json!({ "textDocument": { "uri": plan }, "position": { "line": line, "character": col + 30 } }),
        )
        .into(),
    );
    assert!(
        matches!(next(), Message::Response(r) if r.response_result.as_ref().ok() == Some(&Value::Null))
    );
    send(Request::new(RequestId::from(3), "shutdown".into(), Value::Null).into());
    assert!(matches!(next(), Message::Response(r) if r.id == RequestId::from(3)));
    send(Notification::new("exit".into(), Value::Null).into());
    drop(input);
    assert!(child.wait().unwrap().success());
}

/// Starts `chitieu lsp` and initialises it; returns the child, its input and a reader.
fn spawn_initialised() -> (
    std::process::Child,
    std::process::ChildStdin,
    std::io::BufReader<std::process::ChildStdout>,
) {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let mut output = std::io::BufReader::new(child.stdout.take().unwrap());
    Message::from(Request::new(
        RequestId::from(1),
        "initialize".into(),
        json!({ "capabilities": {} }),
    ))
    .write(&mut input)
    .unwrap();
    assert!(
        matches!(Message::read(&mut output).unwrap(), Some(Message::Response(r)) if r.id == RequestId::from(1))
    );
    Message::from(Notification::new("initialized".into(), json!({})))
        .write(&mut input)
        .unwrap();
    (child, input, output)
}

#[test]
fn after_shutdown_requests_are_refused_and_the_end_of_input_is_a_clean_exit() {
    let (mut child, mut input, mut output) = spawn_initialised();
    let mut send = |m: Message| m.write(&mut input).unwrap();
    send(Request::new(RequestId::from(2), "shutdown".into(), Value::Null).into());
    let Some(Message::Response(r)) = Message::read(&mut output).unwrap() else {
        panic!("the shutdown answer")
    };
    assert_eq!(r.id, RequestId::from(2));
    assert!(r.response_result.is_ok(), "{r:?}");
    send(
        Request::new(
            RequestId::from(3),
            "textDocument/hover".into(),
            json!({ "textDocument": { "uri": "file:///x.yaml" }, "position": { "line": 0, "character": 0 } }),
        )
        .into(),
    );
    let Some(Message::Response(r)) = Message::read(&mut output).unwrap() else {
        panic!("an answer to the request after shutdown")
    };
    assert_eq!(r.id, RequestId::from(3));
    assert_eq!(
        r.response_result.err().map(|e| e.code),
        Some(lsp_server::ErrorCode::InvalidRequest as i32)
    );
    // An editor quitting right after `shutdown` closes the pipe without `exit`.
    drop(input);
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn exit_without_shutdown_ends_with_status_1() {
    let (mut child, mut input, _output) = spawn_initialised();
    Message::from(Notification::new("exit".into(), Value::Null))
        .write(&mut input)
        .unwrap();
    drop(input);
    assert_eq!(child.wait().unwrap().code(), Some(1));
}
