//! AST → canonical rule text: single spaces around operators, ASCII comparison signs, no
//! underscores in numbers, and only the parentheses that precedence needs.
//! Printing then parsing gives back the same tree (a proptest checks it).

use super::ast::{BinaryOp, Expr, ExprKind, Rule, UnaryOp};
use std::fmt::Write as _;

/// The canonical text of a goal rule.
///
/// ```
/// use chitieu::syntax::{parse_rule, print_rule};
/// let rule = parse_rule("online_rate≥80%  by 2030-12-31").unwrap_or_else(|e| panic!("{e:?}"));
/// assert_eq!(print_rule(&rule), "online_rate >= 80% by 2030-12-31");
/// ```
pub fn print_rule(rule: &Rule) -> String {
    let mut out = print_expr(&rule.expr);
    if let Some((date, _)) = rule.deadline {
        let _ = write!(out, " by {date}");
    }
    out
}

/// The canonical text of an expression.
pub fn print_expr(expr: &Expr) -> String {
    let mut out = String::new();
    write_expr(expr, &mut out);
    out
}

/// Binding strength, loosest first; a child printed where a stronger one is needed gets
/// parentheses.
fn precedence(expr: &Expr) -> u8 {
    match &expr.kind {
        ExprKind::Binary { op, .. } => match op {
            BinaryOp::Or => 1,
            BinaryOp::And => 2,
            BinaryOp::Add | BinaryOp::Sub => 5,
            BinaryOp::Mul | BinaryOp::Div => 6,
        },
        ExprKind::Unary {
            op: UnaryOp::Not, ..
        } => 3,
        ExprKind::Compare { .. } => 4,
        ExprKind::Unary {
            op: UnaryOp::Neg, ..
        } => 7,
        _ => 8,
    }
}

fn write_child(expr: &Expr, min: u8, out: &mut String) {
    if precedence(expr) < min {
        out.push('(');
        write_expr(expr, out);
        out.push(')');
    } else {
        write_expr(expr, out);
    }
}

fn write_expr(expr: &Expr, out: &mut String) {
    match &expr.kind {
        ExprKind::Number { value } => {
            let _ = write!(out, "{value}");
        }
        ExprKind::Percent { value } => {
            let _ = write!(out, "{value}%");
        }
        ExprKind::Date { value } => {
            let _ = write!(out, "{value}");
        }
        ExprKind::Period { value } => {
            let _ = write!(out, "{value}");
        }
        ExprKind::Bool { value } => {
            let _ = write!(out, "{value}");
        }
        ExprKind::Name { name } => out.push_str(name),
        ExprKind::Text { value } => {
            out.push('\'');
            out.push_str(&value.replace('\'', "''"));
            out.push('\'');
        }
        ExprKind::Null => out.push_str("null"),
        ExprKind::Unary { op, operand } => match op {
            UnaryOp::Neg => {
                out.push('-');
                write_child(operand, 7, out);
            }
            UnaryOp::Not => {
                out.push_str("not ");
                write_child(operand, 3, out);
            }
        },
        ExprKind::Binary { op, left, right } => {
            let p = precedence(expr);
            write_child(left, p, out);
            let _ = write!(out, " {} ", op.symbol());
            write_child(right, p + 1, out);
        }
        ExprKind::Compare { first, rest } => {
            write_child(first, 5, out);
            for (op, _, operand) in rest {
                let _ = write!(out, " {} ", op.symbol());
                write_child(operand, 5, out);
            }
        }
        ExprKind::Call { func, args, .. } => {
            out.push_str(func.name());
            out.push('(');
            for (i, arg) in args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_expr(arg, out);
            }
            out.push(')');
        }
    }
}
