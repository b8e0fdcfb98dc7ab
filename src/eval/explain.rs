//! Explanations: the sub-expressions of a rule with the values they had, in words.
//!
//! ```text
//! online_rate = online_dossiers / total_dossiers = 3,410 / 3,806 = 89.60% (2025-Q3)
//! 89.60% > 80.00% ✓
//! ```

use super::compile::{N, Node};
use super::display::format_value;
use super::engine::{Engine, NoTrace, Trace, Val, When};
use crate::data::UnitId;
use crate::lang::Lang;
use crate::period::Period;
use crate::plan::Unit;
use chrono::NaiveDate;

#[derive(Clone, Copy)]
enum Event {
    Ind(u32, Val, Option<Period>),
    Agg(Val, u32, u32, u32),
    At(Val, Period),
}

#[derive(Default)]
struct Recorder {
    events: Vec<(N, Event)>,
}

impl Trace for Recorder {
    fn ind(&mut self, node: N, ind: u32, value: Val, period: Option<Period>) {
        self.events.push((node, Event::Ind(ind, value, period)));
    }
    fn agg(&mut self, node: N, value: Val, counted: u32, total: u32, hits: u32) {
        self.events
            .push((node, Event::Agg(value, counted, total, hits)));
    }
    fn records_agg(&self) -> bool {
        true
    }
    fn records_ind(&self) -> bool {
        true
    }
    fn at(&mut self, node: N, value: Val, period: Period) {
        self.events.push((node, Event::At(value, period)));
    }
}

impl Engine<'_> {
    /// Formats a value of node `n`.
    pub(crate) fn show(&self, v: Val, unit: Option<Unit>, lang: Lang) -> String {
        match v {
            Val::Num(d) => format_value(d, unit, lang),
            Val::Bool(b) => lang
                .pick(
                    if b { "đúng" } else { "sai" },
                    if b { "true" } else { "false" },
                )
                .into(),
            Val::Missing => lang.pick("không có số liệu", "no data").into(),
            Val::Error(fault, node) => self.fault_message(fault, node, lang),
        }
    }

    /// The message of an evaluation error, naming the sub-expression.
    pub(crate) fn fault_message(&self, fault: super::Fault, node: N, lang: Lang) -> String {
        let text = self.c.source(node);
        match (fault, lang) {
            (super::Fault::Overflow, Lang::Vi) => format!("tràn số khi tính `{text}`"),
            (super::Fault::Overflow, Lang::En) => format!("overflow in `{text}`"),
            (super::Fault::DivisionByZero, Lang::Vi) => format!("chia cho 0 khi tính `{text}`"),
            (super::Fault::DivisionByZero, Lang::En) => format!("division by zero in `{text}`"),
        }
    }

    fn period_note(p: Option<Period>) -> String {
        p.map(|p| format!(" ({p})")).unwrap_or_default()
    }

    /// Explains rule `rule` for unit `u` at `t`: one line per indicator, aggregate and fixed-period
    /// value it read, then the comparison with its outcome.
    pub(crate) fn explain(&self, rule: N, u: UnitId, t: NaiveDate, lang: Lang) -> Vec<String> {
        let (mut lines, holds) = self.trace(rule, u, When::Now(t), t, lang);
        lines.push(self.verdict(rule, holds, u, t, lang));
        lines
    }

    /// The values expression `n` read for unit `u` (`when`, with `t` the date data is known
    /// by): one line per indicator, aggregate and fixed-period value, and its own value.
    pub(crate) fn trace(
        &self,
        n: N,
        u: UnitId,
        when: When,
        t: NaiveDate,
        lang: Lang,
    ) -> (Vec<String>, Val) {
        let mut rec = Recorder::default();
        let holds = self.eval(n, u, when, &mut rec);
        let mut lines: Vec<String> = Vec::new();
        let mut seen: Vec<N> = Vec::new();
        for (node, event) in rec.events {
            if seen.contains(&node) {
                continue;
            }
            seen.push(node);
            let line = match event {
                Event::Ind(i, v, period) => self.indicator_line(i, v, period, u, t, lang),
                Event::At(v, p) => format!(
                    "{} = {} ({p})",
                    self.c.source(node),
                    self.show(v, self.c.unit_of(node), lang)
                ),
                Event::Agg(v, counted, total, hits) => {
                    let kind = match self.c.node(node) {
                        Node::Agg { kind, .. } => self
                            .c
                            .plan
                            .kinds
                            .get(*kind as usize)
                            .map_or("", |k| k.name.as_str()),
                        _ => "",
                    };
                    let value = self.show(v, self.c.unit_of(node), lang);
                    let coverage = match lang {
                        Lang::Vi => format!("{counted}/{total} đơn vị `{kind}` có số liệu"),
                        Lang::En => format!("{counted} of {total} `{kind}` units have data"),
                    };
                    let meets = match (self.c.node(node), lang) {
                        (
                            Node::Agg {
                                arg: Some(_), agg, ..
                            },
                            Lang::Vi,
                        ) if !matches!(
                            agg,
                            super::compile::Agg::Sum
                                | super::compile::Agg::Avg
                                | super::compile::Agg::Minimum
                                | super::compile::Agg::Maximum
                        ) =>
                        {
                            format!("{hits} đạt; ")
                        }
                        (
                            Node::Agg {
                                arg: Some(_), agg, ..
                            },
                            Lang::En,
                        ) if !matches!(
                            agg,
                            super::compile::Agg::Sum
                                | super::compile::Agg::Avg
                                | super::compile::Agg::Minimum
                                | super::compile::Agg::Maximum
                        ) =>
                        {
                            format!("{hits} hold; ")
                        }
                        _ => String::new(),
                    };
                    format!("{} = {value} ({meets}{coverage})", self.c.source(node))
                }
            };
            lines.push(line);
        }
        (lines, holds)
    }

    fn indicator_line(
        &self,
        i: u32,
        v: Val,
        period: Option<Period>,
        u: UnitId,
        t: NaiveDate,
        lang: Lang,
    ) -> String {
        let Some(ind) = self.c.plan.indicators.get(i as usize) else {
            return String::new();
        };
        let id = &ind.id.name;
        let unit = Some(ind.unit);
        let shown = self.show(v, unit, lang);
        let Some(formula) = &ind.formula else {
            return format!("{id} = {shown}{}", Self::period_note(period));
        };
        let Some(p) = period else {
            return format!("{id} = {} = {shown}", formula.text.text);
        };
        // The formula again, each indicator replaced by its value in that period.
        let mut filled = String::new();
        let text = formula.text.text.as_str();
        let mut rest = text;
        while let Some(start) = rest.find(|c: char| c.is_ascii_alphabetic() || c == '_') {
            let (before, word_on) = rest.split_at(start);
            filled.push_str(before);
            let len = word_on
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(word_on.len());
            let (word, after) = word_on.split_at(len);
            match self.c.index_of(word) {
                Some(j) if !after.trim_start().starts_with('(') => {
                    let value = self.ind(j, u, When::In(p, t)).0;
                    let input_unit = self.c.plan.indicators.get(j as usize).map(|x| x.unit);
                    filled.push_str(&self.show(value, input_unit, lang));
                }
                _ => filled.push_str(word),
            }
            rest = after;
        }
        filled.push_str(rest);
        format!("{id} = {text} = {filled} = {shown} ({p})")
    }

    fn verdict(&self, rule: N, holds: Val, u: UnitId, t: NaiveDate, lang: Lang) -> String {
        let mark = match holds {
            Val::Bool(true) => "✓",
            Val::Bool(false) => "✗",
            Val::Missing => "?",
            Val::Error(..) => "!",
            Val::Num(_) => "",
        };
        match self.c.node(rule) {
            Node::Cmp { first, start, len } => {
                let mut parts = vec![self.operand(*first, u, t, lang)];
                for &(op, operand) in self.c.links(*start, *len) {
                    parts.push(op.symbol().to_string());
                    parts.push(self.operand(operand, u, t, lang));
                }
                format!("{}  {mark}", parts.join(" "))
            }
            _ => format!(
                "{}: {}  {mark}",
                self.c.source(rule),
                self.show(holds, None, lang)
            ),
        }
    }

    fn operand(&self, n: N, u: UnitId, t: NaiveDate, lang: Lang) -> String {
        let v = self.eval(n, u, When::Now(t), &mut NoTrace);
        self.show(v, self.c.unit_of(n), lang)
    }
}
