//! Checking an index (docs/plan-format.md, `index`): its parts add up, its bands are ordered, its formulas give
//! points, and the names it uses exist.
//!
//! A metric maximum that disagrees with its group is reported where the mistake most likely is:
//! at the metric whose `max:` differs from the bound its own formula shows (`6 * r` or
//! `min(6, …)` is at most 6), else at the group's `max:`.

use super::{Checker, Kind, Place, Ty};
use crate::diag::{Common, Diagnostic, Thing, suggest};
use crate::plan::Kind as PlanKind;
use crate::plan::{Amount, Formula, Index, Unit};
use crate::source::Location;
use crate::syntax::{BinaryOp, Expr, ExprKind, Func};
use rust_decimal::Decimal;
use std::collections::HashMap;

impl Checker<'_> {
    /// Checks the plan's index and the indicators that stand for its total.
    pub(crate) fn index(&mut self) {
        let plan = self.plan;
        for ind in &plan.indicators {
            let Some(name) = &ind.index else { continue };
            match &plan.index {
                Some(x) if x.id.name == name.name => {}
                Some(x) => self.diags.push(Diagnostic::error(
                    Common::UnknownName {
                        thing: Thing::Index,
                        name: name.name.clone(),
                        suggestion: suggest(&name.name, [x.id.name.as_str()]),
                    },
                    name.location.clone(),
                )),
                None => self.diags.push(Diagnostic::error(
                    Kind::ScoreWithoutIndex {
                        indicator: ind.id.name.clone(),
                        index: name.name.clone(),
                    },
                    name.location.clone(),
                )),
            }
            if ind.unit != Unit::Points {
                self.diags.push(Diagnostic::error(
                    Kind::WrongUnit {
                        thing: Thing::Indicator,
                        name: ind.id.name.clone(),
                        expected: "points".into(),
                        found: ind.unit.name().into(),
                    },
                    name.location.clone(),
                ));
            }
            if let Some(f) = &ind.formula {
                self.diags.push(Diagnostic::error(
                    PlanKind::InvalidValue {
                        key: "formula".into(),
                        found: f.text.text.clone(),
                        expected: vec![format!("index: {}", name.name)],
                        suggestion: None,
                    },
                    f.text.node(),
                ));
            }
        }
        if let Some(x) = &plan.index {
            self.index_body(x);
        }
    }

    fn index_body(&mut self, x: &Index) {
        let mut ids: HashMap<(Thing, &str), Location> = HashMap::new();
        let mut group_sum = Decimal::ZERO;
        // Groups whose own parts already disagree with them: the total's mismatch is theirs.
        let mut blamed = false;
        // A maximum that is not a number was reported by the loader; its sums are not checked.
        let mut known = x.max.known;
        for g in &x.groups {
            self.unique_id(&mut ids, Thing::Group, &g.id.name, &g.id.location);
            group_sum += g.max.value;
            known &= g.max.known;
            if !g.metrics.is_empty() && g.score.is_some() {
                self.diags.push(Diagnostic::error(
                    Kind::GroupShape {
                        group: g.id.name.clone(),
                        both: true,
                    },
                    g.id.location.clone(),
                ));
            } else if g.metrics.is_empty() && g.score.is_none() && g.supplied.is_none() {
                self.diags.push(Diagnostic::error(
                    Kind::GroupShape {
                        group: g.id.name.clone(),
                        both: false,
                    },
                    g.id.location.clone(),
                ));
            }
            if let Some(s) = &g.supplied {
                match self.indicators.get(s.name.as_str()).copied() {
                    Some(i) => {
                        let unit = self.plan.indicators.get(i).map(|ind| ind.unit);
                        if let Some(u) = unit.filter(|u| !matches!(u, Unit::Points | Unit::Number))
                        {
                            self.diags.push(Diagnostic::error(
                                Kind::WrongUnit {
                                    thing: Thing::SuppliedScore,
                                    name: g.id.name.clone(),
                                    expected: "points".into(),
                                    found: u.name().into(),
                                },
                                s.location.clone(),
                            ));
                        }
                    }
                    // Reported when the plan was read.
                    None if self.unreadable(&s.name) => {}
                    None => {
                        let suggestion = suggest(&s.name, self.indicators.keys().copied());
                        self.diags.push(Diagnostic::error(
                            Common::UnknownName {
                                thing: Thing::Indicator,
                                name: s.name.clone(),
                                suggestion,
                            },
                            s.location.clone(),
                        ));
                    }
                }
            }
            if let Some(f) = &g.score {
                self.points(Thing::Group, &g.id.name, f);
                self.reach(&g.id.name, f, &g.max);
            }
            let mut sum = Decimal::ZERO;
            for m in &g.metrics {
                self.unique_id(&mut ids, Thing::Metric, &m.id.name, &m.id.location);
                self.points(Thing::Metric, &m.id.name, &m.score);
                self.reach(&m.id.name, &m.score, &m.max);
                sum += m.max.value;
            }
            let parts_known = g.max.known && g.metrics.iter().all(|m| m.max.known);
            if !g.metrics.is_empty() && parts_known && sum != g.max.value {
                blamed = true;
                // The metric whose maximum disagrees with its own formula, if exactly one does.
                let suspects: Vec<&Amount> = g
                    .metrics
                    .iter()
                    .filter(|m| evident_max(&m.score.expr).is_some_and(|b| b != m.max.value))
                    .map(|m| &m.max)
                    .collect();
                let at = match suspects.as_slice() {
                    [one] => one.location.clone(),
                    _ => g.max.location.clone(),
                };
                self.diags.push(Diagnostic::error(
                    Kind::MaxSumMismatch {
                        what: format!("`{}`", g.id.name),
                        max: g.max.value.normalize().to_string(),
                        sum: sum.normalize().to_string(),
                    },
                    at,
                ));
            }
        }
        if known && group_sum != x.max.value && !blamed {
            self.diags.push(Diagnostic::error(
                Kind::MaxSumMismatch {
                    what: format!("`{}`", x.id.name),
                    max: x.max.value.normalize().to_string(),
                    sum: group_sum.normalize().to_string(),
                },
                x.max.location.clone(),
            ));
        }
        let mut previous: Option<&crate::plan::Band> = None;
        for b in &x.bands {
            self.unique_id(&mut ids, Thing::Band, &b.id.name, &b.id.location);
            if !b.min.known {
                continue;
            }
            let out_of_range =
                (x.max.known && b.min.value > x.max.value) || b.min.value.is_sign_negative();
            match previous {
                Some(p) if b.min.value >= p.min.value => {
                    self.diags.push(Diagnostic::error(
                        Kind::BandOrder {
                            band: b.title.clone(),
                            min: b.min.value.normalize().to_string(),
                            previous: p.title.clone(),
                        },
                        b.min.location.clone(),
                    ));
                }
                _ if out_of_range => {
                    self.diags.push(Diagnostic::error(
                        PlanKind::InvalidValue {
                            key: "min".into(),
                            found: b.min.value.normalize().to_string(),
                            expected: vec![format!("0 .. {}", x.max.value.normalize())],
                            suggestion: None,
                        },
                        b.min.location.clone(),
                    ));
                }
                _ => {}
            }
            previous = Some(b);
        }
    }

    fn unique_id<'a>(
        &mut self,
        ids: &mut HashMap<(Thing, &'a str), Location>,
        thing: Thing,
        id: &'a str,
        at: &Location,
    ) {
        match ids.get(&(thing, id)) {
            Some(first) => self.diags.push(
                Diagnostic::error(
                    Common::DuplicateId {
                        thing,
                        id: id.into(),
                    },
                    at.clone(),
                )
                .with_related(first.clone()),
            ),
            None => {
                ids.insert((thing, id), at.clone());
            }
        }
    }

    /// Checks that a score formula gives points (or a plain number, which is read as points).
    /// Warns when a score formula can give more than its `max:` on its face (`6·A + min(2,
    /// 2.5·B) + 2.5·C` reaches 10.5 of 10): the score would be shown above its maximum.
    fn reach(&mut self, name: &str, f: &Formula, max: &Amount) {
        if !max.known {
            return;
        }
        if let Some(reach) = evident_max(&f.expr).filter(|r| *r > max.value) {
            self.diags.push(Diagnostic::warning(
                Kind::ScoreAboveMax {
                    name: name.into(),
                    reach: reach.normalize().to_string(),
                    max: max.value.normalize().to_string(),
                },
                f.text.locate(f.expr.span),
            ));
        }
    }

    fn points(&mut self, thing: Thing, name: &str, f: &Formula) {
        let ty = self.expr(&f.expr, &f.text, Place::Formula);
        let ok = matches!(
            ty,
            Ty::Unknown
                | Ty::Scalar
                | Ty::Unit {
                    unit: Unit::Points | Unit::Number,
                    ..
                }
        );
        if !ok {
            self.diags.push(Diagnostic::error(
                Kind::WrongUnit {
                    thing,
                    name: name.into(),
                    expected: "points".into(),
                    found: ty.name().into(),
                },
                f.text.locate(f.expr.span),
            ));
        }
    }
}

/// The maximum a score formula shows on its face: a constant, the constant of `c * x` (a
/// ratio times its weight), the cap of `min(c, …)`, or the sum of such terms.
fn evident_max(e: &Expr) -> Option<Decimal> {
    match &e.kind {
        ExprKind::Number { value } => Some(*value),
        ExprKind::Binary {
            op: BinaryOp::Add,
            left,
            right,
        } => evident_max(left)?.checked_add(evident_max(right)?),
        ExprKind::Binary {
            op: BinaryOp::Mul,
            left,
            right,
        } => match (&left.kind, &right.kind) {
            (ExprKind::Number { value }, _) => Some(*value),
            (_, ExprKind::Number { value }) => Some(*value),
            _ => evident_max(left),
        },
        ExprKind::Binary {
            op: BinaryOp::Div,
            left,
            ..
        } => evident_max(left),
        ExprKind::Call {
            func: Func::Min,
            args,
            ..
        } => args
            .iter()
            .filter_map(|a| match &a.kind {
                ExprKind::Number { value } => Some(*value),
                _ => None,
            })
            .min(),
        ExprKind::Call {
            func: Func::Coalesce | Func::Max,
            args,
            ..
        } => args.iter().filter_map(evident_max).max(),
        _ => None,
    }
}
