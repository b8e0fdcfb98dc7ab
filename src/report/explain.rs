//! Explanation steps in words: each step the evaluator recorded becomes one line.
//!
//! ```text
//! online_rate = online_dossiers / total_dossiers = 3,410 / 3,806 = 89.60% (2025-Q3)
//! 89.60% > 80.00%  ✓
//! ```

use super::format_value;
use crate::eval::{ExplainStep, Fault, FaultAt, Quantity, StepValue};
use crate::lang::Lang;

/// The lines of an explanation, one per step.
pub fn explanation_lines(steps: &[ExplainStep], lang: Lang) -> Vec<String> {
    steps.iter().map(|s| step_line(s, lang)).collect()
}

/// One step in words.
pub fn step_line(step: &ExplainStep, lang: Lang) -> String {
    match step {
        ExplainStep::Read {
            indicator,
            value,
            period,
        } => format!("{indicator} = {}{}", quantity(value, lang), note(*period)),
        ExplainStep::Computed {
            indicator,
            formula,
            inputs,
            value,
            period,
        } => {
            let shown = quantity(value, lang);
            let Some(p) = period else {
                return format!("{indicator} = {formula} = {shown}");
            };
            // The formula again, each input's name replaced by its value in that period.
            let mut filled = String::new();
            let mut at = 0;
            for input in inputs {
                filled.push_str(formula.get(at..input.start).unwrap_or(""));
                filled.push_str(&quantity(&input.value, lang));
                at = input.end;
            }
            filled.push_str(formula.get(at..).unwrap_or(""));
            format!("{indicator} = {formula} = {filled} = {shown} ({p})")
        }
        ExplainStep::AtPeriod {
            expr,
            value,
            period,
        } => format!("{expr} = {} ({period})", quantity(value, lang)),
        ExplainStep::Assigned {
            indicator,
            unit_name,
            value,
            period: Some(p),
            ..
        } => {
            let shown = quantity(value, lang);
            match lang {
                Lang::Vi => format!("{indicator} = {shown} (chỉ tiêu giao cho {unit_name} kỳ {p})"),
                Lang::En => {
                    format!("{indicator} = {shown} (target assigned to {unit_name} for {p})")
                }
            }
        }
        ExplainStep::Assigned {
            indicator,
            unit_name,
            period: None,
            date,
            ..
        } => {
            let date = super::format_date(*date, lang);
            match lang {
                Lang::Vi => format!(
                    "{indicator}: chưa giao chỉ tiêu cho {unit_name} (kỳ chứa ngày {date} hoặc kỳ trước đó)"
                ),
                Lang::En => format!(
                    "{indicator}: no target assigned to {unit_name} (for the period containing {date} or an earlier one)"
                ),
            }
        }
        ExplainStep::Aggregate {
            expr,
            kind,
            value,
            counted,
            total,
            holds,
            ..
        } => {
            let meets = match holds {
                Some(h) => format!("{h} {}; ", lang.pick("đạt", "hold")),
                None => String::new(),
            };
            let kind = super::kind_word(kind, lang);
            let coverage = match lang {
                Lang::Vi => format!("{counted}/{total} đơn vị {kind} có số liệu"),
                Lang::En => format!("{counted} of {total} {kind} units have data"),
            };
            format!("{expr} = {} ({meets}{coverage})", quantity(value, lang))
        }
        ExplainStep::Comparison {
            operands,
            ops,
            outcome,
        } => {
            let mut parts = Vec::with_capacity(operands.len() + ops.len());
            let mut operands = operands.iter();
            if let Some(first) = operands.next() {
                parts.push(quantity(first, lang));
            }
            for (op, operand) in ops.iter().zip(operands) {
                parts.push(op.symbol().to_string());
                parts.push(quantity(operand, lang));
            }
            format!("{}  {}", parts.join(" "), mark(outcome))
        }
        ExplainStep::Condition { expr, outcome } => {
            format!("{expr}: {}  {}", value(outcome, None, lang), mark(outcome))
        }
    }
}

/// An evaluation fault in words, naming the sub-expression.
pub fn fault_message(f: &FaultAt, lang: Lang) -> String {
    let text = &f.expr;
    match (f.fault, lang) {
        (Fault::Overflow, Lang::Vi) => format!("tràn số khi tính `{text}`"),
        (Fault::Overflow, Lang::En) => format!("overflow in `{text}`"),
        (Fault::DivisionByZero, Lang::Vi) => format!("chia cho 0 khi tính `{text}`"),
        (Fault::DivisionByZero, Lang::En) => format!("division by zero in `{text}`"),
    }
}

fn note(p: Option<crate::period::Period>) -> String {
    p.map(|p| format!(" ({p})")).unwrap_or_default()
}

fn mark(outcome: &StepValue) -> &'static str {
    match outcome {
        StepValue::Bool { value: true } => "✓",
        StepValue::Bool { value: false } => "✗",
        StepValue::Missing => "?",
        StepValue::Error(_) => "!",
        StepValue::Number { .. } => "",
    }
}

fn quantity(q: &Quantity, lang: Lang) -> String {
    value(&q.value, q.unit, lang)
}

fn value(v: &StepValue, unit: Option<crate::plan::Unit>, lang: Lang) -> String {
    match v {
        StepValue::Number { value } => format_value(*value, unit, lang),
        StepValue::Bool { value } => lang
            .pick(
                if *value { "đúng" } else { "sai" },
                if *value { "true" } else { "false" },
            )
            .into(),
        StepValue::Missing => lang.pick("không có số liệu", "no data").into(),
        StepValue::Error(f) => fault_message(f, lang),
    }
}
