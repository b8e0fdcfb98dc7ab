//! Reading plan files: YAML with positions, `include:` resolution, value validation, rule parsing.

use super::Kind;
use super::raw::{self, Text};
use super::recover;
use super::{
    Amount, Band, Better, Formula, Goal, Grain, Index, IndexGroup, Indicator, Metric, MissingUnits,
    Named, OnZero, Plan, PlanPeriod, Progress, Ranking, RecordSource, RuleText, ScalarText, Unit,
    UnitDef,
};
use crate::diag::{Common, Diagnostic, Severity, Thing, suggest};
use crate::files::{FileSystem, Files, read_with};
use crate::lang::Lang;
use crate::period::{Period, parse_date};
use crate::source::{Location, SourceFile};
use crate::syntax::Kind as SyntaxKind;
use crate::syntax::{SyntaxError, parse_expr, parse_rule};
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Plan files larger than this are refused (the largest real plan is a few kilobytes).
pub const MAX_PLAN_BYTES: u64 = 16 << 20;

/// The unit kinds a plan has when it declares none.
const DEFAULT_KINDS: [&str; 3] = ["province", "department", "commune"];

/// Reads a plan file and the files it includes.
///
/// Returns the plan, or every diagnostic found when any of them is an error.
///
/// ```
/// let plan = chitieu::plan::load("plans/vinh-long/22-kh-ubnd-2026-2030.yaml").unwrap();
/// assert_eq!(plan.id, "22/KH-UBND");
/// ```
pub fn load(path: impl AsRef<Path>) -> Result<Plan, Vec<Diagnostic>> {
    finish(load_partial(path))
}

/// Reads a plan file, returning what could be read beside every diagnostic.
///
/// The plan is `None` when the file could not be read at all (broken YAML); otherwise it holds
/// every well-formed part, so later checks still run on them. A file without a `plan:` header
/// (a shared catalogue) comes back as a [`Plan::fragment`](super::Plan::fragment).
pub fn load_partial(path: impl AsRef<Path>) -> (Option<Plan>, Vec<Diagnostic>) {
    load_with(&FileSystem, path)
}

/// Reads a plan file and its includes through a resolver (the disk, memory, open buffers),
/// returning what could be read beside every diagnostic, as [`load_partial`] does.
///
/// ```
/// use chitieu::files::InMemory;
/// let mut files = InMemory::new();
/// files.insert("cat/ind.yaml", "chitieu: 1\nindicators:\n  x: { name: X, unit: percent }\n");
/// files.insert("plans/p.yaml", "chitieu: 1\ninclude: [../cat/ind.yaml]\n\
///     plan: { id: P, title: T, period: 2026 .. 2030 }\n\
///     goals:\n  - { id: g, title: G, rule: x > 80% by 2030-12-31 }\n");
/// let (plan, diags) = chitieu::plan::load_with(&files, "plans/p.yaml");
/// assert!(diags.is_empty(), "{diags:?}");
/// assert_eq!(plan.unwrap().indicators[0].id.name, "x");
/// ```
pub fn load_with(files: &dyn Files, path: impl AsRef<Path>) -> (Option<Plan>, Vec<Diagnostic>) {
    let path = path.as_ref();
    let mut loader = Loader::new(files);
    match read_with(files, path, MAX_PLAN_BYTES) {
        Ok(file) => {
            let canonical = files.canonical(path).ok();
            loader.visit(file, canonical, path.parent().map(Path::to_path_buf));
        }
        Err(d) => loader.diags.push(d),
    }
    loader.assemble()
}

/// Reads a plan from text; `name` is shown in diagnostics and includes resolve beside it.
///
/// ```
/// let text = "chitieu: 1\nplan: { id: P, title: T, period: 2026 .. 2030 }\n\
///             indicators:\n  x: { name: X, unit: percent }\n\
///             goals:\n  - { id: g, title: G, rule: x > 80% by 2030-12-31 }\n";
/// let (plan, diags) = chitieu::plan::load_str("inline.yaml", text);
/// assert!(diags.is_empty());
/// assert_eq!(plan.unwrap().goals[0].rule.text.text, "x > 80% by 2030-12-31");
/// ```
pub fn load_str(name: &str, text: &str) -> (Option<Plan>, Vec<Diagnostic>) {
    let mut loader = Loader::new(&FileSystem);
    let file = SourceFile::new(name, text);
    loader.visit(file, None, Path::new(name).parent().map(Path::to_path_buf));
    loader.assemble()
}

fn finish((plan, mut diags): (Option<Plan>, Vec<Diagnostic>)) -> Result<Plan, Vec<Diagnostic>> {
    if let Some(p) = plan.as_ref().filter(|p| p.fragment) {
        diags.push(Diagnostic::error(
            Kind::MissingKey { key: "plan".into() },
            Location::new(&p.location.file, 0, 0),
        ));
    }
    match plan {
        Some(plan) if plan.fragment => Err(diags),
        Some(plan) if !diags.iter().any(|d| d.severity == Severity::Error) => Ok(plan),
        _ => Err(diags),
    }
}

struct Loader<'f> {
    files: &'f dyn Files,
    diags: Vec<Diagnostic>,
    /// Files being read, outermost first, to find include circles.
    stack: Vec<PathBuf>,
    seen: HashSet<PathBuf>,
    /// Parsed files, each after the files it includes; the plan file is last.
    parts: Vec<(Arc<SourceFile>, raw::File)>,
    /// Ids of indicators whose entries could not be read (reported, then left out).
    unreadable: Vec<String>,
}

/// The location of a spanned YAML node, or the file's start when the reader lost it.
pub(crate) fn node_location<T>(file: &Arc<SourceFile>, s: &serde_saphyr::Spanned<T>) -> Location {
    let span = s.referenced.span();
    match (s.referenced.line(), span.byte_offset(), span.byte_len()) {
        (1.., Some(start), Some(len)) => {
            let start = usize::try_from(start).unwrap_or(0);
            let len = usize::try_from(len).unwrap_or(0);
            Location::new(file, start, start + len)
        }
        _ => Location::new(file, 0, 0),
    }
}

fn named(file: &Arc<SourceFile>, t: &Text) -> Named {
    Named {
        name: t.value.clone(),
        location: node_location(file, t),
    }
}

fn scalar(file: &Arc<SourceFile>, t: &Text) -> ScalarText {
    let loc = node_location(file, t);
    let start = super::scalar::node_start(file.text(), loc.start);
    ScalarText::new(file, t.value.clone(), start, loc.end)
}

fn is_blank(text: &str) -> bool {
    text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---" || l == "..."
    })
}

pub(super) fn yaml_options() -> serde_saphyr::options::Options {
    let mut options = serde_saphyr::options::Options::default();
    options.with_snippet = false;
    options
}

/// Turns a YAML reader error into a diagnostic with chitieu's own message.
pub(crate) fn yaml_error(file: &Arc<SourceFile>, e: &serde_saphyr::Error) -> Diagnostic {
    let text = e.to_string();
    let msg = match text.rfind(" at line ") {
        Some(i) => text.get(..i).unwrap_or(&text),
        None => &text,
    };
    let location = match e.location() {
        Some(l) if l.line() > 0 => {
            let span = l.span();
            let start = span
                .byte_offset()
                .and_then(|o| usize::try_from(o).ok())
                .unwrap_or_else(|| offset_of(file, l.line(), l.column()));
            let len = span
                .byte_len()
                .and_then(|o| usize::try_from(o).ok())
                .unwrap_or(0);
            Location::new(file, start, start + len)
        }
        _ => Location::new(file, 0, 0),
    };
    let kind = if let Some(rest) = msg.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or("").to_string();
        let expected: Vec<String> = rest
            .split_once("expected ")
            .map(|(_, list)| {
                list.trim_start_matches("one of ")
                    .split(", ")
                    .flat_map(|s| s.split(" or "))
                    .map(|s| s.trim().trim_matches('`').to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let suggestion = suggest(&key, expected.iter().map(String::as_str));
        Kind::UnknownKey {
            key,
            expected,
            suggestion,
        }
    } else if let Some(rest) = msg.strip_prefix("missing field `") {
        Kind::MissingKey {
            key: rest.split('`').next().unwrap_or("").to_string(),
        }
    } else if let Some(rest) = msg.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(", set ").next().unwrap_or(rest);
        Kind::Yaml {
            reason: format!("duplicate key `{key}`"),
        }
    } else if msg == "expected string scalar" {
        Kind::Yaml {
            reason: "expected a single value here, found a list or a mapping".into(),
        }
    } else if msg.starts_with("multiple YAML documents") {
        Kind::Yaml {
            reason: "more than one YAML document (`---`) in the file".into(),
        }
    } else if msg.contains("budget") || msg.contains("alias") || msg.contains("limit") {
        Kind::YamlBudget {
            reason: msg.to_string(),
        }
    } else {
        Kind::Yaml {
            reason: msg.to_string(),
        }
    };
    Diagnostic::error(kind, location)
}

fn offset_of(file: &SourceFile, line: u64, column: u64) -> usize {
    let mut offset = 0;
    for (i, l) in file.text().split_inclusive('\n').enumerate() {
        if (i as u64) + 1 == line {
            let col = usize::try_from(column.saturating_sub(1)).unwrap_or(0);
            return offset + l.char_indices().nth(col).map_or(l.len(), |(b, _)| b);
        }
        offset += l.len();
    }
    offset
}

/// Reads a YAML number written as text (`100`, `0.9`, `1_000`).
pub(crate) fn yaml_decimal(file: &Arc<SourceFile>, t: &Text) -> Result<Decimal, Diagnostic> {
    let plain: String = t.value.trim().chars().filter(|&c| c != '_').collect();
    let well_formed = !plain.is_empty()
        && plain
            .strip_prefix('-')
            .unwrap_or(&plain)
            .split_once('.')
            .map_or_else(
                || {
                    plain
                        .trim_start_matches('-')
                        .bytes()
                        .all(|b| b.is_ascii_digit())
                },
                |(a, b)| {
                    !a.is_empty()
                        && !b.is_empty()
                        && a.bytes().all(|c| c.is_ascii_digit())
                        && b.bytes().all(|c| c.is_ascii_digit())
                },
            );
    if !well_formed {
        return Err(Diagnostic::error(
            Common::MalformedNumber {
                text: t.value.clone(),
                locale: "default".into(),
            },
            node_location(file, t),
        ));
    }
    Decimal::from_str_exact(&plain).map_err(|_| {
        Diagnostic::error(
            SyntaxKind::NumberTooLarge {
                text: t.value.clone(),
            },
            node_location(file, t),
        )
    })
}

fn invalid_value(file: &Arc<SourceFile>, key: &str, t: &Text, allowed: &[&str]) -> Diagnostic {
    Diagnostic::error(
        Kind::InvalidValue {
            key: key.into(),
            found: t.value.clone(),
            expected: allowed.iter().map(|s| s.to_string()).collect(),
            suggestion: suggest(&t.value, allowed.iter().copied()),
        },
        node_location(file, t),
    )
}

fn syntax_diag(text: &ScalarText, e: SyntaxError) -> Diagnostic {
    Diagnostic::error(e.kind, text.locate(e.span))
}

impl<'f> Loader<'f> {
    fn new(files: &'f dyn Files) -> Loader<'f> {
        Loader {
            files,
            diags: Vec::new(),
            stack: Vec::new(),
            seen: HashSet::new(),
            parts: Vec::new(),
            unreadable: Vec::new(),
        }
    }

    fn visit(&mut self, file: Arc<SourceFile>, canonical: Option<PathBuf>, dir: Option<PathBuf>) {
        if is_blank(file.text()) {
            self.diags.push(Diagnostic::error(
                Kind::EmptyFile,
                Location::new(&file, 0, 0),
            ));
            return;
        }
        let read = recover::read(&file);
        self.diags.extend(read.diags);
        self.unreadable.extend(read.unreadable);
        let Some(raw) = read.raw else {
            return;
        };
        if let Some(c) = &canonical {
            self.stack.push(c.clone());
            self.seen.insert(c.clone());
        }
        for inc in &raw.include {
            let target = match &dir {
                Some(d) => d.join(&inc.value),
                None => PathBuf::from(&inc.value),
            };
            let at = node_location(&file, inc);
            let real = match self.files.canonical(&target) {
                Ok(real) => real,
                Err(e) => {
                    self.diags.push(Diagnostic::error(
                        Common::Io {
                            reason: format!("{}: {e}", target.display()),
                        },
                        at,
                    ));
                    continue;
                }
            };
            if let Some(pos) = self.stack.iter().position(|p| *p == real) {
                let chain = self
                    .stack
                    .get(pos..)
                    .unwrap_or_default()
                    .iter()
                    .chain(std::iter::once(&real))
                    .map(|p| file_name(p))
                    .collect();
                self.diags
                    .push(Diagnostic::error(Kind::IncludeCycle { chain }, at));
                continue;
            }
            if self.seen.contains(&real) {
                continue;
            }
            match read_with(self.files, &target, MAX_PLAN_BYTES) {
                Ok(included) => {
                    let dir = target.parent().map(Path::to_path_buf);
                    self.visit(included, Some(real), dir);
                }
                Err(mut d) => {
                    if d.location.is_none() {
                        d.location = Some(at);
                    }
                    self.diags.push(d);
                }
            }
        }
        if canonical.is_some() {
            self.stack.pop();
        }
        self.parts.push((file, raw));
    }

    fn assemble(mut self) -> (Option<Plan>, Vec<Diagnostic>) {
        let parts = std::mem::take(&mut self.parts);
        let Some((root_file, root)) = parts.last() else {
            return (None, self.diags);
        };
        let mut plan = match &root.plan {
            Some(header) => self.header(root_file, header),
            None => fragment(root_file),
        };
        let mut ids: HashMap<(Thing, String), Location> = HashMap::new();
        let mut declared_kinds = false;
        for (file, part) in &parts {
            plan.files.push(Arc::clone(file));
            if part.chitieu.value.trim() != "1" {
                self.diags.push(Diagnostic::error(
                    Kind::FormatVersion {
                        found: part.chitieu.value.clone(),
                    },
                    node_location(file, &part.chitieu),
                ));
            }
            if let Some(kinds) = &part.kinds {
                declared_kinds = true;
                for k in kinds {
                    let k = named(file, k);
                    if plan.kinds.iter().all(|known| known.name != k.name) {
                        plan.kinds.push(k);
                    }
                }
            }
            for u in &part.units {
                let id = named(file, &u.id);
                if self.unique(&mut ids, Thing::Unit, &id) {
                    plan.units.push(UnitDef {
                        id,
                        name: u.name.value.clone(),
                        kind: named(file, &u.kind),
                        parent: u.parent.as_ref().map(|p| named(file, p)),
                    });
                }
            }
            for (key, ind) in &part.indicators.0 {
                let id = named(file, key);
                if let Some(indicator) = self.indicator(file, id.clone(), ind)
                    && self.unique(&mut ids, Thing::Indicator, &id)
                {
                    plan.indicators.push(indicator);
                }
            }
            for (key, source) in &part.records.0 {
                let id = named(file, key);
                let period = match &source.period {
                    None => Some(Grain::Month),
                    Some(p) => {
                        let grain = Grain::ALL.into_iter().find(|g| g.name() == p.value.trim());
                        if grain.is_none() {
                            self.diags.push(invalid_value(
                                file,
                                "period",
                                p,
                                &["month", "quarter", "year"],
                            ));
                        }
                        grain
                    }
                };
                if let Some(period) = period
                    && self.unique(&mut ids, Thing::RecordSource, &id)
                {
                    plan.records.push(RecordSource {
                        id,
                        unit: named(file, &source.unit),
                        date: named(file, &source.date),
                        period,
                    });
                }
            }
            if let Some(x) = &part.index {
                let index = self.index(file, x);
                match &plan.index {
                    Some(first) => self.diags.push(
                        Diagnostic::error(
                            Common::DuplicateId {
                                thing: Thing::Index,
                                id: index.id.name.clone(),
                            },
                            index.id.location.clone(),
                        )
                        .with_related(first.id.location.clone()),
                    ),
                    None => plan.index = Some(index),
                }
            }
            for g in &part.goals {
                let id = named(file, &g.id);
                if let Some(goal) = self.goal(file, id.clone(), g)
                    && self.unique(&mut ids, Thing::Goal, &id)
                {
                    plan.goals.push(goal);
                }
            }
        }
        if !declared_kinds {
            plan.kinds = DEFAULT_KINDS
                .iter()
                .map(|k| Named {
                    name: (*k).to_string(),
                    location: plan.location.clone(),
                })
                .collect();
        }
        // Files are read includes-first; the plan file leads the list.
        plan.files.rotate_right(1);
        plan.unreadable = std::mem::take(&mut self.unreadable);
        (Some(plan), self.diags)
    }

    /// Records an id, reporting it when it was seen before; true when it is new.
    fn unique(
        &mut self,
        ids: &mut HashMap<(Thing, String), Location>,
        thing: Thing,
        id: &Named,
    ) -> bool {
        match ids.get(&(thing, id.name.clone())) {
            Some(first) => {
                self.diags.push(
                    Diagnostic::error(
                        Common::DuplicateId {
                            thing,
                            id: id.name.clone(),
                        },
                        id.location.clone(),
                    )
                    .with_related(first.clone()),
                );
                false
            }
            None => {
                ids.insert((thing, id.name.clone()), id.location.clone());
                true
            }
        }
    }

    fn header(&mut self, file: &Arc<SourceFile>, h: &raw::Header) -> Plan {
        let location = node_location(file, &h.id);
        let period = match parse_plan_period(&h.period.value) {
            Some(p) => p,
            None => {
                self.diags.push(Diagnostic::error(
                    Kind::InvalidPlanPeriod {
                        text: h.period.value.clone(),
                    },
                    node_location(file, &h.period),
                ));
                PlanPeriod {
                    start: chrono::NaiveDate::MIN,
                    end: chrono::NaiveDate::MAX,
                }
            }
        };
        let baseline = h
            .baseline
            .as_ref()
            .and_then(|b| match b.value.parse::<Period>() {
                Ok(p) => Some(p),
                Err(_) => {
                    self.diags.push(Diagnostic::error(
                        SyntaxKind::InvalidPeriod {
                            text: b.value.clone(),
                        },
                        node_location(file, b),
                    ));
                    None
                }
            });
        // Without `lang:`, English: a plan written in Vietnamese says so (every shipped plan does).
        let lang = match &h.lang {
            None => Lang::En,
            Some(l) => match l.value.parse::<Lang>() {
                Ok(lang) => lang,
                Err(_) => {
                    self.diags
                        .push(invalid_value(file, "lang", l, &["vi", "en"]));
                    Lang::Vi
                }
            },
        };
        Plan {
            id: h.id.value.clone(),
            title: h.title.value.clone(),
            issuer: h.issuer.as_ref().map(|i| i.value.clone()),
            period,
            baseline,
            lang,
            sources: h.sources.iter().map(|s| s.value.clone()).collect(),
            kinds: Vec::new(),
            units: Vec::new(),
            indicators: Vec::new(),
            records: Vec::new(),
            goals: Vec::new(),
            index: None,
            fragment: false,
            files: Vec::new(),
            unreadable: Vec::new(),
            location,
        }
    }

    fn indicator(
        &mut self,
        file: &Arc<SourceFile>,
        id: Named,
        ind: &raw::Indicator,
    ) -> Option<Indicator> {
        let names: Vec<&str> = Unit::ALL.iter().map(|u| u.name()).collect();
        let unit = match Unit::from_name(&ind.unit.value) {
            Some(u) => u,
            None => {
                self.diags
                    .push(invalid_value(file, "unit", &ind.unit, &names));
                Unit::Number
            }
        };
        let better = match ind.better.as_ref().map(|b| b.value.as_str()) {
            None | Some("higher") => Better::Higher,
            Some("lower") => Better::Lower,
            Some(_) => {
                if let Some(b) = &ind.better {
                    self.diags
                        .push(invalid_value(file, "better", b, &["higher", "lower"]));
                }
                Better::Higher
            }
        };
        let on_zero = match &ind.on_zero {
            None => OnZero::NoData,
            Some(t) => match t.value.as_str() {
                "no_data" => OnZero::NoData,
                "zero" => OnZero::Zero,
                "error" => OnZero::Error,
                _ if t
                    .value
                    .starts_with(|c: char| c.is_ascii_digit() || c == '-') =>
                {
                    match yaml_decimal(file, t) {
                        Ok(v) => OnZero::Value(v),
                        Err(d) => {
                            self.diags.push(d);
                            OnZero::NoData
                        }
                    }
                }
                _ => {
                    self.diags.push(invalid_value(
                        file,
                        "on_zero",
                        t,
                        &["no_data", "zero", "error", "<number>"],
                    ));
                    OnZero::NoData
                }
            },
        };
        let precision = ind
            .precision
            .as_ref()
            .and_then(|p| match p.value.trim().parse::<u32>() {
                Ok(n) if n <= 28 => Some(n),
                _ => {
                    self.diags.push(Diagnostic::error(
                        Kind::InvalidValue {
                            key: "precision".into(),
                            found: p.value.clone(),
                            expected: vec!["0".into(), "1".into(), "…".into(), "28".into()],
                            suggestion: None,
                        },
                        node_location(file, p),
                    ));
                    None
                }
            });
        let formula = ind.formula.as_ref().and_then(|f| {
            let text = scalar(file, f);
            match parse_expr(&text.text) {
                Ok(expr) => Some(Formula { text, expr }),
                Err(e) => {
                    self.diags.push(syntax_diag(&text, e));
                    None
                }
            }
        });
        let measure = ind.measure.as_ref().and_then(|m| {
            let text = scalar(file, m);
            match crate::syntax::parse_measure(&text.text) {
                Ok(expr) => Some(Formula { text, expr }),
                Err(e) => {
                    self.diags.push(syntax_diag(&text, e));
                    None
                }
            }
        });
        Some(Indicator {
            id,
            name: ind.name.value.clone(),
            unit,
            better,
            formula,
            measure,
            on_zero,
            precision,
            note: ind.note.as_ref().map(|n| n.value.clone()),
            source: ind.source.as_ref().map(|n| n.value.clone()),
            index: ind.index.as_ref().map(|n| named(file, n)),
            assigned: ind.assigned.as_ref().is_some_and(|a| a.value),
        })
    }

    fn formula(&mut self, file: &Arc<SourceFile>, t: &Text) -> Option<Formula> {
        let text = scalar(file, t);
        match parse_expr(&text.text) {
            Ok(expr) => Some(Formula { text, expr }),
            Err(e) => {
                self.diags.push(syntax_diag(&text, e));
                None
            }
        }
    }

    fn amount(&mut self, file: &Arc<SourceFile>, t: &Text) -> Amount {
        let location = node_location(file, t);
        match yaml_decimal(file, t) {
            Ok(value) => Amount {
                value,
                location,
                known: true,
            },
            Err(d) => {
                self.diags.push(d);
                Amount {
                    value: Decimal::ZERO,
                    location,
                    known: false,
                }
            }
        }
    }

    fn index(&mut self, file: &Arc<SourceFile>, x: &raw::Index) -> Index {
        let places = match &x.rounding {
            None => 2,
            Some(r) => match r.places.value.trim().parse::<u32>() {
                Ok(n) if n <= 28 => n,
                _ => {
                    self.diags.push(Diagnostic::error(
                        Kind::InvalidValue {
                            key: "places".into(),
                            found: r.places.value.clone(),
                            expected: vec!["0".into(), "1".into(), "…".into(), "28".into()],
                            suggestion: None,
                        },
                        node_location(file, &r.places),
                    ));
                    2
                }
            },
        };
        let ranking = match x.ranking.as_ref().map(|r| r.value.as_str()) {
            None | Some("descending") => Ranking::Descending,
            Some("none") => Ranking::None,
            Some(_) => {
                if let Some(r) = &x.ranking {
                    self.diags
                        .push(invalid_value(file, "ranking", r, &["descending", "none"]));
                }
                Ranking::Descending
            }
        };
        let mut groups = Vec::new();
        for g in &x.groups {
            let mut metrics = Vec::new();
            for m in &g.metrics {
                let max = self.amount(file, &m.max);
                if let Some(score) = self.formula(file, &m.score) {
                    metrics.push(Metric {
                        id: named(file, &m.id),
                        title: m.title.value.clone(),
                        max,
                        score,
                        note: m.note.as_ref().map(|n| n.value.clone()),
                    });
                }
            }
            let max = self.amount(file, &g.max);
            let score = g.score.as_ref().and_then(|s| self.formula(file, s));
            groups.push(IndexGroup {
                id: named(file, &g.id),
                title: g.title.value.clone(),
                max,
                metrics,
                score,
                supplied: g.supplied.as_ref().map(|s| named(file, s)),
                note: g.note.as_ref().map(|n| n.value.clone()),
            });
        }
        let bands = x
            .bands
            .iter()
            .map(|b| Band {
                id: named(file, &b.id),
                title: b.title.value.clone(),
                min: self.amount(file, &b.min),
            })
            .collect();
        Index {
            id: named(file, &x.id),
            title: x.title.value.clone(),
            max: self.amount(file, &x.max),
            places,
            groups,
            bands,
            ranking,
            note: x.note.as_ref().map(|n| n.value.clone()),
            source: x.source.as_ref().map(|n| n.value.clone()),
        }
    }

    fn rule(&mut self, file: &Arc<SourceFile>, t: &Text) -> Option<RuleText> {
        let text = scalar(file, t);
        match parse_rule(&text.text) {
            Ok(rule) => Some(RuleText { text, rule }),
            Err(e) => {
                self.diags.push(syntax_diag(&text, e));
                None
            }
        }
    }

    fn goal(&mut self, file: &Arc<SourceFile>, id: Named, g: &raw::Goal) -> Option<Goal> {
        let rule = self.rule(file, &g.rule);
        let milestones: Vec<Option<RuleText>> =
            g.milestones.iter().map(|m| self.rule(file, m)).collect();
        let progress = g.progress.as_ref().and_then(|p| {
            let at = node_location(file, p);
            let (method, limit) = (p.value.method.as_str(), p.value.limit.as_deref());
            if method != "sdg" {
                self.diags.push(Diagnostic::error(
                    Kind::InvalidValue {
                        key: "progress".into(),
                        found: method.into(),
                        expected: vec!["sdg".into()],
                        suggestion: suggest(method, ["sdg"]),
                    },
                    at,
                ));
                return None;
            }
            let limit = match limit {
                None => None,
                Some(l) => match Decimal::from_str_exact(l.trim()) {
                    Ok(v) => Some(v),
                    Err(_) => {
                        self.diags.push(Diagnostic::error(
                            Common::MalformedNumber {
                                text: l.into(),
                                locale: "default".into(),
                            },
                            at,
                        ));
                        return None;
                    }
                },
            };
            Some(Progress::Sdg { limit })
        });
        let missing_units = match g.missing_units.as_ref() {
            None => MissingUnits::Skip,
            Some(m) => match m.value.trim() {
                "skip" => MissingUnits::Skip,
                "not_met" => MissingUnits::NotMet,
                other => {
                    self.diags.push(Diagnostic::error(
                        Kind::InvalidValue {
                            key: "missing_units".into(),
                            found: other.into(),
                            expected: vec!["skip".into(), "not_met".into()],
                            suggestion: suggest(other, ["skip", "not_met"]),
                        },
                        node_location(file, m),
                    ));
                    return None;
                }
            },
        };
        let rule = rule?;
        let milestones = milestones.into_iter().collect::<Option<Vec<_>>>()?;
        Some(Goal {
            id,
            title: g.title.value.clone(),
            quote: g.quote.as_ref().map(|q| q.value.clone()),
            note: g.note.as_ref().map(|q| q.value.clone()),
            applies_to: g
                .applies_to
                .as_ref()
                .map(|list| list.iter().map(|k| named(file, k)).collect()),
            rule,
            milestones,
            progress,
            aspirational: g.aspirational.as_ref().is_some_and(|a| a.value),
            missing_units,
        })
    }
}

/// The plan of a file without a `plan:` header: checkable, not evaluable.
fn fragment(file: &Arc<SourceFile>) -> Plan {
    Plan {
        id: file.path().to_string(),
        title: String::new(),
        issuer: None,
        period: PlanPeriod {
            start: chrono::NaiveDate::MIN,
            end: chrono::NaiveDate::MAX,
        },
        baseline: None,
        lang: Lang::Vi,
        sources: Vec::new(),
        kinds: Vec::new(),
        units: Vec::new(),
        indicators: Vec::new(),
        records: Vec::new(),
        goals: Vec::new(),
        index: None,
        fragment: true,
        files: Vec::new(),
        unreadable: Vec::new(),
        location: Location::new(file, 0, 0),
    }
}

fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Reads `2026-01-01 .. 2030-12-31` (dates or periods on either side, or one period).
fn parse_plan_period(text: &str) -> Option<PlanPeriod> {
    let side = |s: &str, start: bool| {
        let s = s.trim();
        parse_date(s).ok().or_else(|| {
            s.parse::<Period>()
                .ok()
                .map(|p| if start { p.start() } else { p.end() })
        })
    };
    let (a, b) = match text.split_once("..") {
        Some((a, b)) => (side(a, true)?, side(b, false)?),
        None => (side(text, true)?, side(text, false)?),
    };
    (a <= b).then_some(PlanPeriod { start: a, end: b })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_periods() {
        let p = parse_plan_period("2026-01-01 .. 2030-12-31").unwrap();
        assert_eq!(
            (p.start.to_string(), p.end.to_string()),
            ("2026-01-01".into(), "2030-12-31".into())
        );
        let p = parse_plan_period("2026..2030").unwrap();
        assert_eq!(p.end.to_string(), "2030-12-31");
        assert!(parse_plan_period("2030 .. 2026").is_none());
        assert!(parse_plan_period("2026-02-30 .. 2030-12-31").is_none());
    }
}
