//! Renderers: results and diagnostics as text for people, and as documents for machines.

mod diagnostics;

pub use diagnostics::{Style, check_json, diagnostic_json, render_diagnostic};
