//! Rule text → AST: the pest grammar (`grammar/rule.pest`) and one Pratt parser.

use super::Kind;
use super::ast::{BinaryOp, CmpOp, Expr, ExprKind, Func, Rule, Span, UnaryOp};
use crate::diag::suggest;
use crate::period::{Period, PeriodError, parse_date};
use pest::Parser as _;
use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};
use rust_decimal::Decimal;
use std::str::FromStr;
use std::sync::LazyLock;

mod grammar {
    #![allow(missing_docs)]
    #[derive(pest_derive::Parser)]
    #[grammar = "../grammar/rule.pest"]
    pub struct Grammar;
}
use grammar::{Grammar, Rule as G};

/// How deeply expressions may nest (parentheses, operators, calls). Deeper text is an error, so
/// no stage that walks the tree can run out of stack.
pub const MAX_DEPTH: usize = 64;

/// Rule text longer than this is refused before parsing.
pub const MAX_LEN: usize = 16 * 1024;

/// A fault in rule text, located by a span of that text.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    /// What is wrong.
    pub kind: Kind,
    /// Where, in the rule's text.
    pub span: Span,
}

impl SyntaxError {
    fn new(kind: Kind, span: Span) -> SyntaxError {
        SyntaxError { kind, span }
    }
}

static PRATT: LazyLock<PrattParser<G>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(G::or, Assoc::Left))
        .op(Op::infix(G::and, Assoc::Left))
        .op(Op::prefix(G::not))
        .op(Op::infix(G::ge, Assoc::Left)
            | Op::infix(G::gt, Assoc::Left)
            | Op::infix(G::le, Assoc::Left)
            | Op::infix(G::lt, Assoc::Left)
            | Op::infix(G::eq, Assoc::Left)
            | Op::infix(G::ne, Assoc::Left))
        .op(Op::infix(G::add, Assoc::Left) | Op::infix(G::sub, Assoc::Left))
        .op(Op::infix(G::mul, Assoc::Left) | Op::infix(G::div, Assoc::Left))
        .op(Op::prefix(G::neg))
});

/// Parses a goal rule: a condition, optionally followed by `by DATE`.
///
/// ```
/// use chitieu::syntax::parse_rule;
/// let rule = parse_rule("online_rate > 80% by 2030-12-31").unwrap();
/// assert_eq!(rule.deadline.unwrap().0.to_string(), "2030-12-31");
/// ```
pub fn parse_rule(text: &str) -> Result<super::ast::Rule, SyntaxError> {
    guard(text)?;
    let mut pairs = Grammar::parse(G::rule_text, text).map_err(|e| syntax_error(text, &e))?;
    let top = pairs
        .next()
        .ok_or_else(|| SyntaxError::new(empty(), Span::new(0, text.len())))?;
    let mut expr = None;
    let mut deadline = None;
    for pair in top.into_inner() {
        match pair.as_rule() {
            G::expr => expr = Some(build_expr(pair)?.0),
            G::deadline => {
                if let Some(date) = pair.into_inner().find(|p| p.as_rule() == G::date) {
                    deadline = Some((date_value(&date)?, span_of(&date)));
                }
            }
            _ => {}
        }
    }
    let expr = expr.ok_or_else(|| SyntaxError::new(empty(), Span::new(0, text.len())))?;
    Ok(Rule { expr, deadline })
}

/// Parses an expression without deadline: an indicator formula or an index metric's score.
///
/// ```
/// use chitieu::syntax::parse_expr;
/// let e = parse_expr("min(6, 6 * a / b / 0.9)").unwrap();
/// assert_eq!(chitieu::syntax::print_expr(&e), "min(6, 6 * a / b / 0.9)");
/// ```
pub fn parse_expr(text: &str) -> Result<Expr, SyntaxError> {
    guard(text)?;
    let mut pairs = Grammar::parse(G::expr_text, text).map_err(|e| syntax_error(text, &e))?;
    let top = pairs
        .next()
        .ok_or_else(|| SyntaxError::new(empty(), Span::new(0, text.len())))?;
    let pair = top
        .into_inner()
        .find(|p| p.as_rule() == G::expr)
        .ok_or_else(|| SyntaxError::new(empty(), Span::new(0, text.len())))?;
    Ok(build_expr(pair)?.0)
}

/// Parses a measure over records: an expression whose operands may also be text literals
/// (`'online'`) and `null` (see [`crate::records`]).
///
/// ```
/// use chitieu::syntax::{parse_measure, print_expr};
/// let e = parse_measure("count(dossiers, channel = 'online' and finished_at != null)").unwrap();
/// assert_eq!(print_expr(&e), "count(dossiers, channel = 'online' and finished_at != null)");
/// assert!(chitieu::syntax::parse_expr("channel = 'online'").is_err());
/// ```
pub fn parse_measure(text: &str) -> Result<Expr, SyntaxError> {
    guard(text)?;
    let mut pairs = Grammar::parse(G::measure_text, text).map_err(|e| syntax_error(text, &e))?;
    let top = pairs
        .next()
        .ok_or_else(|| SyntaxError::new(empty(), Span::new(0, text.len())))?;
    let pair = top
        .into_inner()
        .find(|p| p.as_rule() == G::m_expr)
        .ok_or_else(|| SyntaxError::new(empty(), Span::new(0, text.len())))?;
    Ok(build_expr(pair)?.0)
}

fn empty() -> Kind {
    Kind::Syntax {
        expected: vec!["an expression".into()],
        found: "end of text".into(),
    }
}

/// Refuses text too long or nested too deeply for the recursive grammar, before pest sees it.
fn guard(text: &str) -> Result<(), SyntaxError> {
    // Depth counts open parentheses plus prefix operators applied to the operand being read.
    let bytes = text.as_bytes();
    let mut stack: Vec<usize> = Vec::new();
    let mut base = 0usize;
    let mut depth = 0usize;
    let mut expect_operand = true;
    // Whether the last token was a prefix operator: the parentheses the canonical printer puts
    // around its operand (`-(not x)`) add no level, so that printed text reads back.
    let mut after_prefix = false;
    let mut i = 0;
    while let Some(&c) = bytes.get(i) {
        let start = i;
        i += 1;
        let prefix = after_prefix;
        after_prefix = false;
        match c {
            b'(' => {
                stack.push(base);
                if !prefix {
                    depth += 1;
                }
                base = depth;
                expect_operand = true;
            }
            b')' => {
                base = stack.pop().unwrap_or(0);
                depth = base;
                expect_operand = false;
            }
            b'-' if expect_operand => {
                depth += 1;
                after_prefix = true;
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'0'..=b'9' => {
                while bytes
                    .get(i)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.')
                {
                    i += 1;
                }
                let word = text.get(start..i).unwrap_or("");
                if word == "not" && expect_operand {
                    depth += 1;
                    after_prefix = true;
                } else if matches!(word, "and" | "or" | "not" | "by") {
                    expect_operand = true;
                } else {
                    depth = base;
                    expect_operand = false;
                }
            }
            b' ' | b'\t' | b'\r' | b'\n' => after_prefix = prefix,
            b'%' => {}
            b'\'' => {
                // A text literal (in measures): what it holds is not an operator.
                while let Some(&b) = bytes.get(i) {
                    i += 1;
                    if b == b'\'' {
                        break;
                    }
                }
                depth = base;
                expect_operand = false;
            }
            _ => expect_operand = true,
        }
        if depth > MAX_DEPTH {
            return Err(SyntaxError::new(
                Kind::NestingTooDeep { limit: MAX_DEPTH },
                Span::new(start, i),
            ));
        }
    }
    if text.len() > MAX_LEN {
        return Err(SyntaxError::new(
            Kind::RuleTooLong {
                len: text.len(),
                limit: MAX_LEN,
            },
            Span::new(0, text.len()),
        ));
    }
    Ok(())
}

fn span_of(pair: &Pair<'_, G>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}

type Built = Result<(Expr, usize), SyntaxError>;

fn too_deep(depth: usize, span: Span) -> Result<(), SyntaxError> {
    if depth > MAX_DEPTH {
        Err(SyntaxError::new(
            Kind::NestingTooDeep { limit: MAX_DEPTH },
            span,
        ))
    } else {
        Ok(())
    }
}

fn build_expr(pair: Pair<'_, G>) -> Built {
    PRATT
        .map_primary(build_primary)
        .map_prefix(|op, operand| {
            let (operand, depth) = operand?;
            let span = span_of(&op).to(operand.span);
            too_deep(depth + 1, span)?;
            let op = if op.as_rule() == G::not {
                UnaryOp::Not
            } else {
                UnaryOp::Neg
            };
            let kind = ExprKind::Unary {
                op,
                operand: Box::new(operand),
            };
            Ok((Expr::new(kind, span), depth + 1))
        })
        .map_infix(|left, op, right| {
            let (left, ld) = left?;
            let (right, rd) = right?;
            let span = left.span.to(right.span);
            let depth = ld.max(rd) + 1;
            too_deep(depth, span)?;
            let binary = |bop| ExprKind::Binary {
                op: bop,
                left: Box::new(left.clone()),
                right: Box::new(right.clone()),
            };
            let cmp = match op.as_rule() {
                G::or => return Ok((Expr::new(binary(BinaryOp::Or), span), depth)),
                G::and => return Ok((Expr::new(binary(BinaryOp::And), span), depth)),
                G::add => return Ok((Expr::new(binary(BinaryOp::Add), span), depth)),
                G::sub => return Ok((Expr::new(binary(BinaryOp::Sub), span), depth)),
                G::mul => return Ok((Expr::new(binary(BinaryOp::Mul), span), depth)),
                G::div => return Ok((Expr::new(binary(BinaryOp::Div), span), depth)),
                G::ge => CmpOp::Ge,
                G::gt => CmpOp::Gt,
                G::le => CmpOp::Le,
                G::lt => CmpOp::Lt,
                G::eq => CmpOp::Eq,
                _ => CmpOp::Ne,
            };
            let op_span = span_of(&op);
            // `a < b < c` extends the chain; `(a < b) < c` compares a parenthesised condition,
            // told apart by the span, which includes the parentheses.
            match left.kind {
                ExprKind::Compare { first, mut rest } if left.span.start == first.span.start => {
                    rest.push((cmp, op_span, right));
                    Ok((Expr::new(ExprKind::Compare { first, rest }, span), depth))
                }
                _ => Ok((
                    Expr::new(
                        ExprKind::Compare {
                            first: Box::new(left),
                            rest: vec![(cmp, op_span, right)],
                        },
                        span,
                    ),
                    depth,
                )),
            }
        })
        .parse(pair.into_inner())
}

fn build_primary(pair: Pair<'_, G>) -> Built {
    let span = span_of(&pair);
    let text = pair.as_str();
    let leaf = |kind| Ok((Expr::new(kind, span), 1));
    match pair.as_rule() {
        G::paren | G::m_paren => {
            let inner = pair
                .into_inner()
                .next()
                .ok_or_else(|| SyntaxError::new(empty(), span))?;
            // Parentheses add no node: the depth is the tree's, so that the canonical text
            // (which adds the parentheses precedence needs) reads back at the same depth.
            // Their nesting in the text is bounded by `guard`.
            let (mut expr, depth) = build_expr(inner)?;
            expr.span = span;
            Ok((expr, depth))
        }
        G::call | G::m_call => {
            let mut inner = pair.into_inner();
            let name = inner
                .next()
                .ok_or_else(|| SyntaxError::new(empty(), span))?;
            let name_span = span_of(&name);
            let func = Func::from_name(name.as_str()).ok_or_else(|| {
                SyntaxError::new(
                    Kind::UnknownFunction {
                        name: name.as_str().to_string(),
                        suggestion: suggest(name.as_str(), Func::ALL.iter().map(|f| f.name())),
                    },
                    name_span,
                )
            })?;
            let mut args = Vec::new();
            let mut depth = 0;
            for arg in inner {
                let (e, d) = build_expr(arg)?;
                depth = depth.max(d);
                args.push(e);
            }
            too_deep(depth + 1, span)?;
            let kind = ExprKind::Call {
                func,
                name_span,
                args,
            };
            Ok((Expr::new(kind, span), depth + 1))
        }
        G::number => leaf(ExprKind::Number {
            value: decimal(text, span)?,
        }),
        G::percent => {
            let digits = text.trim_end_matches('%');
            leaf(ExprKind::Percent {
                value: decimal(digits, Span::new(span.start, span.end - 1))?,
            })
        }
        G::date => leaf(ExprKind::Date {
            value: date_value(&pair)?,
        }),
        G::period => match Period::from_str(text) {
            Ok(value) => leaf(ExprKind::Period { value }),
            Err(_) => Err(SyntaxError::new(
                Kind::InvalidPeriod { text: text.into() },
                span,
            )),
        },
        G::text => {
            let quoted = text.get(1..text.len().saturating_sub(1)).unwrap_or("");
            leaf(ExprKind::Text {
                value: quoted.replace("''", "'"),
            })
        }
        G::null => leaf(ExprKind::Null),
        G::boolean => leaf(ExprKind::Bool {
            value: text == "true",
        }),
        _ => leaf(ExprKind::Name { name: text.into() }),
    }
}

fn decimal(text: &str, span: Span) -> Result<Decimal, SyntaxError> {
    let plain: String = text.chars().filter(|&c| c != '_').collect();
    Decimal::from_str_exact(&plain).map_err(|_| {
        SyntaxError::new(
            Kind::NumberTooLarge {
                text: text.to_string(),
            },
            span,
        )
    })
}

fn date_value(pair: &Pair<'_, G>) -> Result<chrono::NaiveDate, SyntaxError> {
    parse_date(pair.as_str()).map_err(|e| {
        let text = pair.as_str().to_string();
        let kind = match e {
            PeriodError::Malformed | PeriodError::OutOfRange => Kind::InvalidDate { text },
        };
        SyntaxError::new(kind, span_of(pair))
    })
}

/// The human name of a grammar rule, as error messages say it. Exhaustive: a new grammar rule
/// does not compile until it has a name.
fn rule_name(rule: G) -> &'static str {
    match rule {
        G::EOI => "end of rule",
        G::rule_text | G::expr_text | G::expr | G::measure_text | G::m_expr => "an expression",
        G::deadline | G::kw_by => "`by DATE`",
        G::paren | G::m_paren => "`(`",
        G::call | G::m_call | G::func_name => "a function call",
        G::text => "a text in quotes ('online')",
        G::null => "`null`",
        G::name => "an indicator name",
        G::keyword => "a keyword",
        G::boolean => "`true` or `false`",
        G::date => "a date (2030-12-31)",
        G::period => "a period (2026-Q3)",
        G::percent => "a percentage (80%)",
        G::number => "a number",
        G::or | G::and => "`and` or `or`",
        G::not => "`not`",
        G::ge | G::le | G::ne | G::eq | G::gt | G::lt => "a comparison (>= > <= < = !=)",
        G::add | G::sub | G::mul | G::div => "an operator (+ - * /)",
        G::WHITESPACE => "a space",
        G::prefix | G::neg => "`-`",
        G::infix => "an operator",
        G::primary | G::m_primary => "a value",
        G::ident | G::ident_char => "a name",
        G::digits => "a digit",
    }
}

fn syntax_error(text: &str, e: &pest::error::Error<G>) -> SyntaxError {
    use pest::error::{ErrorVariant, InputLocation};
    let pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let mut expected: Vec<String> = Vec::new();
    if let ErrorVariant::ParsingError { positives, .. } = &e.variant {
        for r in positives {
            let name = rule_name(*r).to_string();
            if !expected.contains(&name) {
                expected.push(name);
            }
        }
    }
    // A closing parenthesis or an argument separator is what the grammar's literal strings
    // expect; pest reports only rules, so say them when the text ends inside a group.
    if expected.is_empty() {
        expected.push("an expression".into());
    }
    let rest = text.get(pos..).unwrap_or("");
    let token: String = match rest.chars().next() {
        None => String::new(),
        Some(c) if c.is_alphanumeric() || c == '_' => rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.' || *c == '%')
            .collect(),
        Some(c) => c.to_string(),
    };
    let found = if token.is_empty() {
        "end of rule".to_string()
    } else {
        format!("`{token}`")
    };
    let end = pos + token.len();
    SyntaxError::new(Kind::Syntax { expected, found }, Span::new(pos, end))
}
