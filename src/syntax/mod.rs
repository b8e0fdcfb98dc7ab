//! The rule language: grammar → typed AST with spans → canonical printer.
//!
//! Goal rules (`online_rate > 80% by 2030-12-31`), indicator formulas and index metric scores
//! are written in it. This module knows nothing of plans or data: it turns text into trees and
//! trees back into text, reporting faults by [`Span`] of the text it was given.

pub mod ast;
mod parser;
mod printer;

pub use ast::{BinaryOp, CmpOp, Expr, ExprKind, Func, Rule, Span, UnaryOp};
pub use parser::{MAX_DEPTH, MAX_LEN, SyntaxError, parse_expr, parse_rule};
pub use printer::{print_expr, print_rule};

/// How a function is called, for help lines.
///
/// ```
/// assert_eq!(chitieu::syntax::signature("share"), Some("share(kind, condition)"));
/// ```
pub fn signature(function: &str) -> Option<&'static str> {
    Some(match Func::from_name(function)? {
        Func::Min => "min(a, b, …)",
        Func::Max => "max(a, b, …)",
        Func::Abs => "abs(x)",
        Func::Round => "round(x, places)",
        Func::If => "if(condition, then, else)",
        Func::Coalesce => "coalesce(a, b, …)",
        Func::Baseline => "baseline(indicator) or baseline(indicator, period)",
        Func::Value => "value(indicator, period)",
        Func::Previous => "previous(indicator)",
        Func::Change => "change(indicator)",
        Func::Improve => "improve(indicator)",
        Func::Count => "count(kind) or count(kind, condition)",
        Func::Share => "share(kind, condition)",
        Func::All => "all(kind, condition)",
        Func::Any => "any(kind, condition)",
        Func::Sum => "sum(kind, value)",
        Func::Avg => "avg(kind, value)",
        Func::Minimum => "minimum(kind, value)",
        Func::Maximum => "maximum(kind, value)",
    })
}
