//! Renderers: results and diagnostics as text for people, and as documents for machines.

mod diagnostics;
mod eval;
mod history;

pub use diagnostics::{Style, check_json, check_junit, diagnostic_json, render_diagnostic};
pub use eval::{
    EVAL_SCHEMA, eval_human, eval_json, eval_junit, eval_markdown, explain_human, status_mark,
    status_word,
};
pub use history::{HISTORY_SCHEMA, HistoryHuman, HistoryJson};
