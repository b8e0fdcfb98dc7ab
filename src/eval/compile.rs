//! Compiling a checked plan: names resolved to indices, literals converted, rules flattened into
//! one arena of nodes, so evaluation does no string look-up and no allocation.

use crate::check::CheckedPlan;
use crate::period::Period;
use crate::plan::{Better, OnZero, ScalarText, Unit};
use crate::syntax::functions::{Aggregate, Fold, Role, Scalar, Time};
use crate::syntax::{BinaryOp, CmpOp, Expr, ExprKind, Func, Span, UnaryOp};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Index of a node in [`Compiled::nodes`].
pub(crate) type N = u32;

/// A compiled expression node.
#[derive(Clone, Debug)]
pub(crate) enum Node {
    Num(Decimal),
    Bool(bool),
    /// An indicator's value; `round` is its precision when read for a comparison.
    Ind {
        ind: u32,
        round: Option<u32>,
    },
    /// An assigned target's value (`assigned: true`): the unit's own target for the period
    /// containing `date` (the rule's deadline; `None`: the evaluation date); `round` is its
    /// precision when read for a comparison, as for a measured indicator.
    Assigned {
        ind: u32,
        date: Option<NaiveDate>,
        round: Option<u32>,
    },
    Neg(N),
    Not(N),
    Arith(BinaryOp, N, N),
    And(N, N),
    Or(N, N),
    /// A (chained) comparison: operands and operators in `links[start..start+len]`.
    Cmp {
        first: N,
        start: u32,
        len: u32,
    },
    /// A fold over the numbers `args[start..start+len]` (`min`, `max`, `abs`).
    Fold {
        fold: Fold,
        start: u32,
        len: u32,
    },
    /// The first value present among `args[start..start+len]`.
    Coalesce {
        start: u32,
        len: u32,
    },
    /// A number and a count of decimal places (`round`).
    Places(fn(Decimal, u32) -> Decimal, N, u32),
    If(N, N, N),
    /// `baseline(x[, P])`, `value(x, P)`: `x` in period P alone.
    At(N, Period),
    /// `previous(x)`: x in the period before its current one.
    Previous(u32),
    /// `change(x)` = x − x in the baseline period.
    Change(N, Period),
    /// `improve(x)`: x better than in the baseline period.
    Improve(u32, Period),
    /// An aggregate over units of a kind below the evaluated one.
    Agg {
        func: Func,
        agg: &'static Aggregate,
        kind: u32,
        arg: Option<N>,
    },
}

/// Where a node's text is, for explanations and error messages.
#[derive(Clone, Debug)]
pub(crate) struct Origin {
    /// Index into [`Compiled::texts`].
    pub text: u32,
    pub span: Span,
}

/// An indicator, compiled.
#[derive(Clone, Debug)]
pub(crate) struct Ind {
    pub unit: Unit,
    pub better: Better,
    pub formula: Option<N>,
    pub on_zero: OnZero,
    pub precision: Option<u32>,
    /// Whether its values are assigned targets (`assigned: true`).
    pub assigned: bool,
    /// The base (measured) indicators the formula reads, transitively.
    pub inputs: Vec<u32>,
    /// Whether the formula's value for a period is a function of its inputs' values of that
    /// period alone (no time function, aggregate or assigned target, transitively): once
    /// those are [settled](crate::data::Dataset::settled_from), so is the formula's value.
    pub settles: bool,
}

/// The measure and target of a single comparison rule `M op G`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Measure {
    /// The measured side, not rounded.
    pub m: N,
    /// The target side.
    pub g: N,
    /// The operator, read as `M op G`.
    pub op: CmpOp,
    /// Whether G is fixed: constants, baselines, values of named periods.
    pub target_fixed: bool,
    /// Whether M depends on current values.
    pub measure_moves: bool,
    /// Whether the rule is `improve(x)`: a direction without a target value.
    pub improve: bool,
}

/// A milestone, compiled.
#[derive(Clone, Debug)]
pub(crate) struct Milestone {
    pub rule: N,
    pub deadline: NaiveDate,
    pub measure: Option<Measure>,
    /// Index into [`Compiled::texts`] of its rule text.
    pub text: u32,
}

/// A goal, compiled.
#[derive(Clone, Debug)]
pub(crate) struct Goal {
    pub rule: N,
    pub deadline: Option<NaiveDate>,
    /// Bit i set: applies to unit kind i. `None`: every unit.
    pub kinds: Option<u64>,
    pub measure: Option<Measure>,
    pub milestones: Vec<Milestone>,
}

/// A checked plan, compiled for evaluation.
#[derive(Clone, Debug)]
pub struct Compiled {
    pub(crate) plan: CheckedPlan,
    pub(crate) nodes: Vec<Node>,
    pub(crate) origins: Vec<Origin>,
    pub(crate) links: Vec<(CmpOp, N)>,
    pub(crate) args: Vec<N>,
    pub(crate) indicators: Vec<Ind>,
    pub(crate) goals: Vec<Goal>,
    /// Rule and formula texts, for explanations.
    pub(crate) texts: Vec<String>,
    /// The unit of each node's value, for display.
    pub(crate) units: Vec<Option<Unit>>,
    pub(crate) baseline: Option<Period>,
    /// The plan's index, compiled.
    pub(crate) index: Option<CIndex>,
}

/// An index's formulas, compiled (see [`crate::score`]).
#[derive(Clone, Debug, Default)]
pub(crate) struct CIndex {
    /// The groups, in plan order.
    pub groups: Vec<CGroup>,
    /// The indicator that carries the total (`index:` on an indicator).
    pub total: Option<u32>,
    /// Every base indicator any formula or supplied score reads.
    pub inputs: Vec<u32>,
}

/// A group's formulas.
#[derive(Clone, Debug, Default)]
pub(crate) struct CGroup {
    /// Its metrics' score formulas.
    pub metrics: Vec<N>,
    /// Its single formula.
    pub score: Option<N>,
    /// The indicator of its supplied score.
    pub supplied: Option<u32>,
}

impl Compiled {
    /// Compiles a checked plan.
    pub fn new(plan: CheckedPlan) -> Compiled {
        let source = plan.plan().clone();
        let mut c = Compiler {
            checker: crate::check::Checker::new(&source),
            scalar: None,
            out: Compiled {
                baseline: plan.baseline,
                plan: plan.clone(),
                nodes: Vec::new(),
                origins: Vec::new(),
                links: Vec::new(),
                args: Vec::new(),
                indicators: Vec::new(),
                goals: Vec::new(),
                texts: Vec::new(),
                units: Vec::new(),
                index: None,
            },
            names: plan
                .indicators
                .iter()
                .enumerate()
                .map(|(i, ind)| (ind.id.name.clone(), index(i)))
                .collect(),
            kinds: plan
                .kinds
                .iter()
                .enumerate()
                .map(|(i, k)| (k.name.clone(), index(i)))
                .collect(),
            text: 0,
            deadline: None,
        };
        for ind in &plan.indicators {
            let formula = ind.formula.as_ref().map(|f| c.root(&f.text, &f.expr));
            c.out.indicators.push(Ind {
                unit: ind.unit,
                better: ind.better,
                formula,
                on_zero: ind.on_zero,
                precision: ind.precision,
                assigned: ind.assigned,
                inputs: Vec::new(),
                settles: false,
            });
        }
        for i in 0..c.out.indicators.len() {
            let mut inputs = Vec::new();
            c.base_inputs(index(i), &mut inputs, 0);
            inputs.sort_unstable();
            inputs.dedup();
            let settles = c.settles(index(i), 0);
            if let Some(ind) = c.out.indicators.get_mut(i) {
                ind.inputs = inputs;
                ind.settles = settles;
            }
        }
        for goal in &plan.goals {
            c.deadline = goal.rule.rule.deadline.map(|d| d.0);
            let rule = c.root(&goal.rule.text, &goal.rule.rule.expr);
            let measure = c.measure(rule);
            let milestones = goal
                .milestones
                .iter()
                .filter_map(|m| {
                    c.deadline = m.rule.deadline.map(|d| d.0);
                    let rule = c.root(&m.text, &m.rule.expr);
                    let text = c.text;
                    let (deadline, _) = m.rule.deadline?;
                    Some(Milestone {
                        rule,
                        deadline,
                        measure: c.measure(rule),
                        text,
                    })
                })
                .collect();
            let kinds = goal.applies_to.as_ref().map(|list| {
                list.iter()
                    .filter_map(|k| c.kinds.get(&k.name))
                    .fold(0u64, |mask, &k| mask | (1u64 << (k % 64)))
            });
            c.out.goals.push(Goal {
                rule,
                deadline: goal.rule.rule.deadline.map(|d| d.0),
                kinds,
                measure,
                milestones,
            });
        }
        c.deadline = None;
        if let Some(x) = &plan.index {
            let mut index = CIndex {
                total: plan
                    .indicators
                    .iter()
                    .position(|i| i.index.as_ref().is_some_and(|n| n.name == x.id.name))
                    .map(index),
                ..CIndex::default()
            };
            let mut inputs = Vec::new();
            for g in &x.groups {
                let metrics: Vec<N> = g
                    .metrics
                    .iter()
                    .map(|m| c.root(&m.score.text, &m.score.expr))
                    .collect();
                let score = g.score.as_ref().map(|f| c.root(&f.text, &f.expr));
                let supplied = g
                    .supplied
                    .as_ref()
                    .and_then(|s| c.names.get(&s.name).copied());
                for &n in metrics.iter().chain(score.iter()) {
                    c.node_inputs(n, &mut inputs);
                }
                if let Some(s) = supplied {
                    c.base_inputs(s, &mut inputs, 0);
                }
                index.groups.push(CGroup {
                    metrics,
                    score,
                    supplied,
                });
            }
            inputs.sort_unstable();
            inputs.dedup();
            index.inputs = inputs;
            c.out.index = Some(index);
        }
        c.out
    }

    /// The unit of a node's value.
    pub(crate) fn unit_of(&self, n: N) -> Option<Unit> {
        self.units.get(n as usize).copied().flatten()
    }

    pub(crate) fn node(&self, n: N) -> &Node {
        // Nodes are created before any reference to them; an out-of-range index cannot occur.
        self.nodes.get(n as usize).unwrap_or(&Node::Bool(false))
    }

    /// The source text of a node.
    pub(crate) fn source(&self, n: N) -> &str {
        self.origins
            .get(n as usize)
            .and_then(|o| {
                self.texts
                    .get(o.text as usize)
                    .and_then(|t| t.get(o.span.start..o.span.end))
            })
            .unwrap_or("")
    }

    /// Where a node's text is, in its rule or formula text.
    pub(crate) fn span(&self, n: N) -> Span {
        self.origins
            .get(n as usize)
            .map(|o| o.span)
            .unwrap_or_default()
    }

    pub(crate) fn links(&self, start: u32, len: u32) -> &[(CmpOp, N)] {
        self.links
            .get(start as usize..(start + len) as usize)
            .unwrap_or_default()
    }

    pub(crate) fn args(&self, start: u32, len: u32) -> &[N] {
        self.args
            .get(start as usize..(start + len) as usize)
            .unwrap_or_default()
    }

    pub(crate) fn indicator(&self, i: u32) -> Option<&Ind> {
        self.indicators.get(i as usize)
    }

    /// The plan.
    pub fn plan(&self) -> &CheckedPlan {
        &self.plan
    }
}

fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

struct Compiler<'p> {
    checker: crate::check::Checker<'p>,
    scalar: Option<ScalarText>,
    out: Compiled,
    names: HashMap<String, u32>,
    kinds: HashMap<String, u32>,
    /// The text being compiled.
    text: u32,
    /// The deadline of the rule being compiled, which picks the period of assigned targets.
    deadline: Option<NaiveDate>,
}

impl Compiler<'_> {
    fn root(&mut self, text: &ScalarText, e: &Expr) -> N {
        self.scalar = Some(text.clone());
        self.out.texts.push(text.text.clone());
        self.text = index(self.out.texts.len() - 1);
        self.expr(e, None)
    }

    fn push(&mut self, node: Node, span: Span, unit: Option<Unit>) -> N {
        self.out.nodes.push(node);
        self.out.units.push(unit);
        self.out.origins.push(Origin {
            text: self.text,
            span,
        });
        index(self.out.nodes.len() - 1)
    }

    fn period_arg(&self, e: Option<&Expr>) -> Option<Period> {
        match e.map(|e| &e.kind) {
            None => self.out.baseline,
            Some(ExprKind::Period { value }) => Some(*value),
            Some(ExprKind::Number { value }) => {
                i32::try_from(value.mantissa()).ok().map(Period::Year)
            }
            _ => None,
        }
    }

    fn ind_of(&self, e: &Expr) -> Option<u32> {
        match &e.kind {
            ExprKind::Name { name } => self.names.get(name).copied(),
            _ => None,
        }
    }

    /// Compiles an expression; `cmp` is true for a comparison operand (indicators read with
    /// their precision).
    fn expr(&mut self, e: &Expr, cmp: Option<()>) -> N {
        let node = match &e.kind {
            ExprKind::Number { value } => Node::Num(*value),
            ExprKind::Percent { value } => {
                Node::Num(crate::quantity::nearest_fraction(*value).normalize())
            }
            ExprKind::Date { value } => Node::Num(crate::data::date_value(*value)),
            ExprKind::Period { value } => Node::Num(Decimal::from(value.year())),
            ExprKind::Bool { value } => Node::Bool(*value),
            // Only measures over records parse text and `null` (`crate::records` compiles
            // them to SQL): in a rule they would be a value missing, as no data is.
            ExprKind::Text { .. } | ExprKind::Null => Node::Coalesce { start: 0, len: 0 },
            ExprKind::Name { name } => {
                let ind = self.names.get(name).copied().unwrap_or(u32::MAX);
                let info = self.out.indicators.get(ind as usize);
                let round = cmp.and(info.and_then(|i| i.precision));
                if info.is_some_and(|i| i.assigned) {
                    Node::Assigned {
                        ind,
                        date: self.deadline,
                        round,
                    }
                } else {
                    Node::Ind { ind, round }
                }
            }
            ExprKind::Unary { op, operand } => {
                let x = self.expr(operand, None);
                match op {
                    UnaryOp::Neg => Node::Neg(x),
                    UnaryOp::Not => Node::Not(x),
                }
            }
            ExprKind::Binary { op, left, right } => {
                let l = self.expr(left, None);
                let r = self.expr(right, None);
                match op {
                    BinaryOp::And => Node::And(l, r),
                    BinaryOp::Or => Node::Or(l, r),
                    _ => Node::Arith(*op, l, r),
                }
            }
            ExprKind::Compare { first, rest } => {
                let first = self.expr(first, Some(()));
                let operands: Vec<(CmpOp, N)> = rest
                    .iter()
                    .map(|(op, _, e)| (*op, self.expr(e, Some(()))))
                    .collect();
                let start = index(self.out.links.len());
                let len = index(operands.len());
                self.out.links.extend(operands);
                Node::Cmp { first, start, len }
            }
            ExprKind::Call { func, args, .. } => self.call(*func, args),
        };
        let unit = match &self.scalar {
            Some(text) => self.checker.expr(e, text, crate::check::Place::Rule).unit(),
            None => None,
        };
        self.push(node, e.span, unit)
    }

    /// Compiles a call into the node of its function's role (see [`crate::syntax::functions`]).
    fn call(&mut self, func: Func, args: &[Expr]) -> Node {
        let arg = |c: &mut Self, i: usize| args.get(i).map(|a| c.expr(a, None));
        let zero = Node::Num(Decimal::ZERO);
        let list = |c: &mut Self| {
            let compiled: Vec<N> = args.iter().map(|a| c.expr(a, None)).collect();
            let start = index(c.out.args.len());
            let len = index(compiled.len());
            c.out.args.extend(compiled);
            (start, len)
        };
        match &func.spec().role {
            Role::Scalar(Scalar::Fold(fold)) => {
                let (start, len) = list(self);
                Node::Fold {
                    fold: *fold,
                    start,
                    len,
                }
            }
            Role::Scalar(Scalar::Coalesce) => {
                let (start, len) = list(self);
                Node::Coalesce { start, len }
            }
            Role::Scalar(Scalar::Places(f)) => {
                let places = match args.get(1).map(|a| &a.kind) {
                    Some(ExprKind::Number { value }) => {
                        u32::try_from(value.mantissa()).unwrap_or(0)
                    }
                    _ => 0,
                };
                arg(self, 0).map_or(zero, |x| Node::Places(*f, x, places))
            }
            Role::Scalar(Scalar::If) => match (arg(self, 0), arg(self, 1), arg(self, 2)) {
                (Some(c), Some(a), Some(b)) => Node::If(c, a, b),
                _ => zero,
            },
            Role::Time(Time::At) => match (arg(self, 0), self.period_arg(args.get(1))) {
                (Some(x), Some(p)) => Node::At(x, p),
                _ => zero,
            },
            Role::Time(Time::Previous) => self
                .ind_of(args.first().unwrap_or(&empty()))
                .map_or(zero, Node::Previous),
            Role::Time(Time::Change) => match (arg(self, 0), self.out.baseline) {
                (Some(x), Some(p)) => Node::Change(x, p),
                _ => zero,
            },
            Role::Direction => match (
                self.ind_of(args.first().unwrap_or(&empty())),
                self.out.baseline,
            ) {
                (Some(i), Some(p)) => Node::Improve(i, p),
                _ => zero,
            },
            Role::Aggregate(agg) => {
                let kind = match args.first().map(|a| &a.kind) {
                    Some(ExprKind::Name { name }) => {
                        self.kinds.get(name).copied().unwrap_or(u32::MAX)
                    }
                    _ => u32::MAX,
                };
                let arg = arg(self, 1);
                Node::Agg {
                    func,
                    agg,
                    kind,
                    arg,
                }
            }
        }
    }

    /// Collects the measured indicators a formula reads, following derived ones.
    /// The base indicators an expression reads.
    fn node_inputs(&self, root: N, out: &mut Vec<u32>) {
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            match self.out.nodes.get(n as usize) {
                Some(Node::Ind { ind, .. }) => self.base_inputs(*ind, out, 0),
                Some(node) => stack.extend(children(node, &self.out)),
                None => {}
            }
        }
    }

    fn base_inputs(&self, i: u32, out: &mut Vec<u32>, depth: usize) {
        let Some(ind) = self.out.indicators.get(i as usize) else {
            return;
        };
        let Some(f) = ind.formula else {
            out.push(i);
            return;
        };
        if depth > self.out.indicators.len() {
            return;
        }
        let mut stack = vec![f];
        while let Some(n) = stack.pop() {
            match self.out.nodes.get(n as usize) {
                Some(Node::Ind { ind, .. }) => self.base_inputs(*ind, out, depth + 1),
                Some(node) => stack.extend(children(node, &self.out)),
                None => {}
            }
        }
    }

    /// Whether indicator `i`, read for one period, depends on its inputs' values of that period
    /// alone (see [`Ind::settles`]); a measured indicator does.
    fn settles(&self, i: u32, depth: usize) -> bool {
        let Some(ind) = self.out.indicators.get(i as usize) else {
            return false;
        };
        let Some(f) = ind.formula else {
            return true;
        };
        if depth > self.out.indicators.len() {
            return false;
        }
        let mut stack = vec![f];
        while let Some(n) = stack.pop() {
            match self.out.nodes.get(n as usize) {
                Some(Node::Ind { ind, .. }) => {
                    if !self.settles(*ind, depth + 1) {
                        return false;
                    }
                }
                Some(
                    node @ (Node::Num(_)
                    | Node::Bool(_)
                    | Node::Neg(_)
                    | Node::Not(_)
                    | Node::Arith(..)
                    | Node::And(..)
                    | Node::Or(..)
                    | Node::Cmp { .. }
                    | Node::Fold { .. }
                    | Node::Coalesce { .. }
                    | Node::Places(..)
                    | Node::If(..)),
                ) => stack.extend(children(node, &self.out)),
                _ => return false,
            }
        }
        true
    }

    /// The measure of a rule that is one comparison `M op G` (or `G op M`): the side that
    /// moves with current values is the measure, the other the target.
    fn measure(&mut self, rule: N) -> Option<Measure> {
        if let Some(&Node::Improve(ind, period)) = self.out.nodes.get(rule as usize) {
            return Some(self.improvement(rule, ind, period));
        }
        let Some(Node::Cmp {
            first,
            start,
            len: 1,
        }) = self.out.nodes.get(rule as usize)
        else {
            return None;
        };
        let first = *first;
        let &(op, second) = self.out.links.get(*start as usize)?;
        let (m, g, op) = if !self.moves(first) && self.moves(second) {
            (second, first, op.flip())
        } else {
            (first, second, op)
        };
        Some(Measure {
            m: self.unrounded(m),
            g: self.unrounded(g),
            op,
            target_fixed: !self.moves(g),
            measure_moves: self.moves(m),
            improve: false,
        })
    }

    /// `improve(x)` measured as `x > baseline(x)` (or `<` when lower is better): the current
    /// value against the baseline's.
    fn improvement(&mut self, rule: N, ind: u32, period: Period) -> Measure {
        let span = self
            .out
            .origins
            .get(rule as usize)
            .map(|o| o.span)
            .unwrap_or_default();
        let info = self.out.indicators.get(ind as usize);
        let unit = info.map(|i| i.unit);
        let higher = info.is_none_or(|i| i.better == Better::Higher);
        let m = self.push(Node::Ind { ind, round: None }, span, unit);
        let g = self.push(Node::At(m, period), span, unit);
        Measure {
            m,
            g,
            op: if higher { CmpOp::Gt } else { CmpOp::Lt },
            target_fixed: true,
            measure_moves: true,
            improve: true,
        }
    }

    /// Comparison operands read indicators (measured or assigned) with their precision; a
    /// measure and its target report the exact value, so they get their own node that reads
    /// the indicator without rounding.
    fn unrounded(&mut self, n: N) -> N {
        let node = match self.out.nodes.get(n as usize) {
            Some(&Node::Ind {
                ind,
                round: Some(_),
            }) => Node::Ind { ind, round: None },
            Some(&Node::Assigned {
                ind,
                date,
                round: Some(_),
            }) => Node::Assigned {
                ind,
                date,
                round: None,
            },
            _ => return n,
        };
        let span = self
            .out
            .origins
            .get(n as usize)
            .map(|o| o.span)
            .unwrap_or_default();
        let text = self.text;
        self.text = self.out.origins.get(n as usize).map_or(text, |o| o.text);
        let unit = self.out.units.get(n as usize).copied().flatten();
        let node = self.push(node, span, unit);
        self.text = text;
        node
    }

    /// Whether a node's value depends on current values (not only constants and fixed periods).
    fn moves(&self, n: N) -> bool {
        match self.out.nodes.get(n as usize) {
            // An assigned target is fixed: the unit's own value for the rule's deadline.
            None | Some(Node::Num(_) | Node::Bool(_) | Node::At(..) | Node::Assigned { .. }) => {
                false
            }
            Some(
                Node::Ind { .. }
                | Node::Previous(_)
                | Node::Change(..)
                | Node::Improve(..)
                | Node::Agg { .. },
            ) => true,
            Some(node) => children(node, &self.out).into_iter().any(|c| self.moves(c)),
        }
    }
}

fn empty() -> Expr {
    Expr::new(ExprKind::Bool { value: false }, Span::default())
}

/// The direct children of a node.
pub(crate) fn children(node: &Node, c: &Compiled) -> Vec<N> {
    match node {
        Node::Num(_)
        | Node::Bool(_)
        | Node::Ind { .. }
        | Node::Assigned { .. }
        | Node::Previous(_)
        | Node::Improve(..) => Vec::new(),
        Node::Neg(x)
        | Node::Not(x)
        | Node::Places(_, x, _)
        | Node::At(x, _)
        | Node::Change(x, _) => {
            vec![*x]
        }
        Node::Arith(_, a, b) | Node::And(a, b) | Node::Or(a, b) => vec![*a, *b],
        Node::If(a, b, d) => vec![*a, *b, *d],
        Node::Cmp { first, start, len } => std::iter::once(*first)
            .chain(c.links(*start, *len).iter().map(|l| l.1))
            .collect(),
        Node::Fold { start, len, .. } | Node::Coalesce { start, len } => {
            c.args(*start, *len).to_vec()
        }
        Node::Agg { arg, .. } => arg.iter().copied().collect(),
    }
}
