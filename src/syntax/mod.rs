//! The rule language: grammar → typed AST with spans → canonical printer.
//!
//! Goal rules (`online_rate > 80% by 2030-12-31`), indicator formulas and index metric scores
//! are written in it. This module knows nothing of plans or data: it turns text into trees and
//! trees back into text, reporting faults by [`Span`] of the text it was given.

pub mod ast;
pub mod functions;
mod kind;
mod parser;
mod printer;

pub use ast::{BinaryOp, CmpOp, Expr, ExprKind, Func, Rule, Span, UnaryOp};
pub use kind::Kind;
pub use parser::{MAX_DEPTH, MAX_LEN, SyntaxError, parse_expr, parse_measure, parse_rule};
pub use printer::{print_expr, print_rule};

/// How a function is called, for help lines.
///
/// ```
/// assert_eq!(chitieu::syntax::signature("share"), Some("share(kind, condition)"));
/// ```
pub fn signature(function: &str) -> Option<&'static str> {
    Some(Func::from_name(function)?.spec().signature)
}
