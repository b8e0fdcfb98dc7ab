//! Renderers: results and diagnostics as text for people, and as documents for machines.

mod ci;
mod diagnostics;
mod display;
mod eval;
mod explain;
mod history;
mod history_html;
mod history_rollup;
mod html;
mod html_site;
mod rollup;
mod rollup_text;
mod scores;
#[cfg(feature = "xlsx")]
mod xlsx;

pub use ci::{GoalSite, check_github, check_sarif, eval_github};
pub use diagnostics::{Style, check_json, check_junit, diagnostic_json, render_diagnostic};
pub use display::{
    format_date, format_decimal, format_target, format_value, kind_word, sdg_word, target_text,
};
pub use eval::{
    EVAL_SCHEMA, eval_human, eval_json, eval_junit, eval_junit_scores, eval_markdown,
    explain_human, result_json, status_mark, status_word,
};
pub use explain::{explanation_lines, fault_message, step_line};
pub use history::{Buffered, HISTORY_SCHEMA, HistoryHuman, HistoryJson, Output};
pub use history_html::history_html_pages;
pub use history_rollup::{HistoryRollup, HistoryTop, UnitSeries, history_rollup_human};
pub use html::{CHARTS_PER_GOAL, escape as html_escape, eval_html, index_table};
pub use html_site::{Page, SITE_ATTENTION_LIMIT, SITE_SCORE_ROWS, eval_html_site, unit_page_name};
pub use rollup::{
    ATTENTION_LIMIT, Cell, Counts, GoalRollup, LARGE_RESULTS, Rollup, ScoreRollup, TopRow,
    relative_gap,
};
pub use rollup_text::{rollup_human, rollup_markdown};
pub use scores::{
    score_explanation_human, score_explanation_json, scores_human, scores_json, scores_junit,
    scores_markdown,
};
#[cfg(feature = "xlsx")]
pub use xlsx::{eval_xlsx, history_xlsx, template_xlsx};

/// Escapes text for XML content and attribute values (JUnit).
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
