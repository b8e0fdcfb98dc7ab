//! Administrative units: the tree of provinces, departments and communes that goals are
//! evaluated for, from the plan's inline `units:` and a registry file.

use super::Format;
use super::Kind;
use super::table::{self, Input, MAX_ERRORS, Table};
use super::yaml::{self, ListKey, Text};
use crate::diag::{Common, Diagnostic, Thing, suggest};
use crate::files::{FileSystem, Files, read_with};
use crate::plan::Plan;
use crate::source::{Location, MAX_FILE_BYTES, SourceFile};
use csv::ByteRecord;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

#[cfg(feature = "xlsx")]
#[path = "units_sheet.rs"]
mod units_sheet;

/// A unit's dense index in its [`Units`]: units are numbered in registry order from 0, so
/// evaluation keeps per-unit values in plain vectors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnitId(u32);

impl UnitId {
    /// The index, from 0 up to the number of units.
    pub fn index(self) -> usize {
        // u32 always fits a usize on the platforms Rust supports for this crate.
        usize::try_from(self.0).unwrap_or(usize::MAX)
    }

    pub(super) fn from_u32(index: u32) -> UnitId {
        UnitId(index)
    }

    fn at(index: usize) -> Option<UnitId> {
        u32::try_from(index).ok().map(UnitId)
    }
}

/// One administrative unit.
#[derive(Clone, Debug)]
pub struct UnitInfo {
    /// Its id (`H61`).
    pub id: String,
    /// Its name (`UBND tỉnh Vĩnh Long`); may be empty.
    pub name: String,
    /// Its kind, as an index into the plan's `kinds` (`None` for a unit known only from data).
    pub kind: Option<usize>,
    /// The unit above it.
    pub parent: Option<UnitId>,
    /// Where its id is written (`None` for a unit known only from data).
    pub location: Option<Location>,
}

/// The units of an evaluation, with their tree.
///
/// Units are kept in registry order: the plan's inline units first, then the registry file's.
/// When neither declares any unit, the set is *open*: each unit id met in the observations is
/// added, with no kind and no parent (goals whose `applies_to` names kinds do not apply to them;
/// aggregates over kinds find nothing below them).
///
/// ```
/// use chitieu::data::{Format, load_units_str};
/// let (plan, _) = chitieu::plan::load_str("p.yaml", "chitieu: 1\nplan: { id: P, title: T, period: 2026 .. 2030 }\n");
/// let plan = plan.unwrap();
/// let csv = "id,name,kind,parent\nH61,Vĩnh Long,province,\nS01,Sở Nội vụ,department,H61\nX01,Xã A,commune,H61\n";
/// let units = load_units_str("units.csv", csv, Format::Csv, &plan).unwrap();
/// let h61 = units.get("H61").unwrap();
/// let department = plan.kinds.iter().position(|k| k.name == "department").unwrap();
/// let below: Vec<&str> = units.descendants_of_kind(h61, department).iter().map(|&u| units.id(u)).collect();
/// assert_eq!(below, ["S01"]);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Units {
    units: Vec<UnitInfo>,
    index: HashMap<String, UnitId>,
    /// `children[child_offsets[u]..child_offsets[u + 1]]` are `u`'s children.
    child_offsets: Vec<u32>,
    children: Vec<UnitId>,
    /// Each unit's position in the tree order (depth first, children in registry order), and
    /// one past the last position of its subtree: the units below `u` are exactly those whose
    /// position lies in `order[u].0 + 1..order[u].1`.
    order: Vec<(u32, u32)>,
    /// `by_kind[kind_offsets[k]..kind_offsets[k + 1]]`: the units of kind `k`, in tree order.
    /// The units of a kind below a unit are a contiguous run of it (found by binary search), so
    /// the index is linear in the number of units, whatever the depth of the tree.
    kind_offsets: Vec<u32>,
    by_kind: Vec<UnitId>,
    open: bool,
}

impl Units {
    /// The number of units.
    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// Whether there are no units.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// Whether units are added as observations name them (no unit was declared).
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// The unit with this id.
    pub fn get(&self, id: &str) -> Option<UnitId> {
        self.index.get(id).copied()
    }

    /// A unit's details.
    pub fn info(&self, unit: UnitId) -> Option<&UnitInfo> {
        self.units.get(unit.index())
    }

    /// A unit's id (empty for an id not of this set).
    pub fn id(&self, unit: UnitId) -> &str {
        self.info(unit).map_or("", |u| u.id.as_str())
    }

    /// A unit's kind, as an index into the plan's `kinds`.
    pub fn kind(&self, unit: UnitId) -> Option<usize> {
        self.info(unit).and_then(|u| u.kind)
    }

    /// The unit above it.
    pub fn parent(&self, unit: UnitId) -> Option<UnitId> {
        self.info(unit).and_then(|u| u.parent)
    }

    /// The units directly below it, in registry order.
    pub fn children(&self, unit: UnitId) -> &[UnitId] {
        csr(&self.child_offsets, &self.children, unit.index())
    }

    /// The units of kind `kind` (an index into the plan's `kinds`) below `unit` at any depth,
    /// in tree order (depth first, each unit's children in registry order; for a registry that
    /// lists each unit after its parent and siblings together, that is registry order): what
    /// `share(department, …)` evaluated for a province ranges over.
    pub fn descendants_of_kind(&self, unit: UnitId, kind: usize) -> &[UnitId] {
        let Some(&(at, end)) = self.order.get(unit.index()) else {
            return &[];
        };
        let of_kind = csr(&self.kind_offsets, &self.by_kind, kind);
        let position = |u: &UnitId| self.order.get(u.index()).map_or(0, |o| o.0);
        let first = of_kind.partition_point(|u| position(u) <= at);
        let last = of_kind.partition_point(|u| position(u) < end);
        of_kind.get(first..last.max(first)).unwrap_or(&[])
    }

    /// Every unit in registry order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (UnitId, &UnitInfo)> + '_ {
        self.units
            .iter()
            .enumerate()
            .map(|(i, u)| (UnitId(u32::try_from(i).unwrap_or(u32::MAX)), u))
    }

    /// Adds a unit met in data to an open set; `None` when the set is closed.
    pub(super) fn add_from_data(&mut self, id: &str) -> Option<UnitId> {
        if !self.open {
            return None;
        }
        if let Some(&u) = self.index.get(id) {
            return Some(u);
        }
        let u = UnitId::at(self.units.len())?;
        self.units.push(UnitInfo {
            id: id.to_string(),
            name: String::new(),
            kind: None,
            parent: None,
            location: None,
        });
        self.index.insert(id.to_string(), u);
        Some(u)
    }
}

fn csr<'a>(offsets: &[u32], items: &'a [UnitId], slot: usize) -> &'a [UnitId] {
    let (Some(&a), Some(&b)) = (offsets.get(slot), offsets.get(slot.wrapping_add(1))) else {
        return &[];
    };
    items
        .get(usize::try_from(a).unwrap_or(0)..usize::try_from(b).unwrap_or(0))
        .unwrap_or(&[])
}

/// Builds the units of a plan: its inline `units:` and, when given, a registry file (CSV
/// `id,name,kind,parent`, or YAML/JSON: a list of `{id, name, kind, parent}` or `units: [...]`).
///
/// Every fault is reported: duplicate ids, unknown kinds and parents (with did-you-mean hints),
/// and parents that form a circle.
pub fn load_units(path: Option<&Path>, plan: &Plan) -> Result<Units, Vec<Diagnostic>> {
    load_units_with(&FileSystem, path, plan)
}

/// Like [`load_units`], reading the registry through a resolver (memory, open buffers).
pub fn load_units_with(
    files: &dyn Files,
    path: Option<&Path>,
    plan: &Plan,
) -> Result<Units, Vec<Diagnostic>> {
    if let Some(path) = path
        && let Ok(format) = Format::of_path(path)
        && format.is_sheet()
    {
        let shown = path.display().to_string();
        return match crate::files::read_bytes(files, path, MAX_FILE_BYTES) {
            Ok(bytes) => load_units_bytes(&shown, &bytes, format, plan),
            Err(d) => Err(vec![d]),
        };
    }
    let mut decls = inline(plan);
    let mut diags = Vec::new();
    if let Some(path) = path {
        match Format::of_path(path).and_then(|format| {
            let file = read_with(files, path, MAX_FILE_BYTES)?;
            Ok((format, file))
        }) {
            Ok((format, file)) => read_registry(&file, format, &mut decls, &mut diags),
            Err(d) => diags.push(d),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    build(decls, plan)
}

/// Like [`load_units`], with the registry given as text; `name` is shown in diagnostics.
pub fn load_units_str(
    name: &str,
    text: &str,
    format: Format,
    plan: &Plan,
) -> Result<Units, Vec<Diagnostic>> {
    let mut decls = inline(plan);
    let mut diags = Vec::new();
    let file = SourceFile::new(name, text.strip_prefix('\u{feff}').unwrap_or(text));
    read_registry(&file, format, &mut decls, &mut diags);
    if !diags.is_empty() {
        return Err(diags);
    }
    build(decls, plan)
}

/// Like [`load_units`], with the registry given as the bytes of a file (a spreadsheet, or
/// UTF-8 text); `name` is shown in diagnostics.
pub fn load_units_bytes(
    name: &str,
    bytes: &[u8],
    format: Format,
    plan: &Plan,
) -> Result<Units, Vec<Diagnostic>> {
    if !format.is_sheet() {
        let file = crate::files::source_from_bytes(name.to_string(), bytes.to_vec())
            .map_err(|d| vec![d])?;
        return load_units_str(name, file.text(), format, plan);
    }
    #[cfg(not(feature = "xlsx"))]
    return Err(vec![Diagnostic::in_file(
        Kind::Workbook {
            reason: "this build reads no spreadsheets (feature `xlsx` is off)".into(),
        },
        name,
    )]);
    #[cfg(feature = "xlsx")]
    {
        let mut decls = inline(plan);
        let mut diags = Vec::new();
        units_sheet::read_registry_sheet(name, bytes, format, &mut decls, &mut diags);
        if !diags.is_empty() {
            return Err(diags);
        }
        build(decls, plan)
    }
}

/// A unit as declared, before names are resolved.
struct Decl {
    id: String,
    id_at: Location,
    name: String,
    kind: String,
    kind_at: Location,
    parent: Option<(String, Location)>,
}

fn inline(plan: &Plan) -> Vec<Decl> {
    plan.units
        .iter()
        .map(|u| Decl {
            id: u.id.name.clone(),
            id_at: u.id.location.clone(),
            name: u.name.clone(),
            kind: u.kind.name.clone(),
            kind_at: u.kind.location.clone(),
            parent: u
                .parent
                .as_ref()
                .map(|p| (p.name.clone(), p.location.clone())),
        })
        .collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnit {
    id: Text,
    name: Option<Text>,
    kind: Text,
    parent: Option<Text>,
}

impl ListKey for RawUnit {
    const KEY: &'static str = "units";
}

fn read_registry(
    file: &Arc<SourceFile>,
    format: Format,
    decls: &mut Vec<Decl>,
    diags: &mut Vec<Diagnostic>,
) {
    match format {
        Format::Csv => read_registry_csv(file, decls, diags),
        // Spreadsheets are bytes, read by `load_units_bytes`.
        Format::Xlsx | Format::Xls | Format::Ods => {}
        Format::Yaml | Format::Json => match yaml::read_list::<RawUnit>(file) {
            Ok(list) => {
                for item in list {
                    let u = item.value;
                    let id_at = yaml::location(file, &u.id);
                    let kind_at = yaml::location(file, &u.kind);
                    for (text, at, column) in [
                        (&u.id.value, &id_at, "id"),
                        (&u.kind.value, &kind_at, "kind"),
                    ] {
                        if text.trim().is_empty() {
                            diags.push(Diagnostic::error(
                                Kind::EmptyCell {
                                    column: column.into(),
                                },
                                at.clone(),
                            ));
                        }
                    }
                    decls.push(Decl {
                        id: u.id.value.trim().to_string(),
                        id_at,
                        name: u.name.map(|n| n.value).unwrap_or_default(),
                        kind: u.kind.value.trim().to_string(),
                        kind_at,
                        parent: u
                            .parent
                            .filter(|p| !p.value.trim().is_empty())
                            .map(|p| (p.value.trim().to_string(), yaml::location(file, &p))),
                    });
                }
            }
            Err(d) => diags.push(d),
        },
    }
}

fn read_registry_csv(file: &Arc<SourceFile>, decls: &mut Vec<Decl>, diags: &mut Vec<Diagnostic>) {
    const COLUMNS: [(&str, bool); 4] = [
        ("id", true),
        ("name", true),
        ("kind", true),
        ("parent", false),
    ];
    let text = file.text();
    let mut input = Input::new(file.path(), text, Some(Arc::clone(file)));
    let mut table = Table::new(text);
    let delimiter = table.delimiter;
    let mut record = ByteRecord::new();
    let mut columns = None;
    let mut width = 0;
    loop {
        let row = match table.next(&mut record) {
            Ok(Some(row)) => row,
            Ok(None) => break,
            Err(e) => {
                input.csv_error(&table, &e);
                break;
            }
        };
        let Some(cols) = &columns else {
            width = record.len();
            match table::header(&mut input, &record, row, &COLUMNS) {
                Some(c) => columns = Some(c),
                None => break,
            }
            continue;
        };
        if record.len() != width {
            let at = table::row_span(text, row.start);
            if !input.error(
                Kind::CellCount {
                    found: record.len(),
                    expected: width,
                },
                at,
            ) {
                break;
            }
            continue;
        }
        let mut get = |k: usize, column: &str, required: bool| -> Option<(String, Location)> {
            let i = cols.get(k).copied().flatten()?;
            let at = table::cell(text, row.start, i, delimiter);
            let value = table::cell_str(&record, i);
            match value {
                None => {
                    input.error(Common::NotUtf8, at);
                    None
                }
                Some("") if required => {
                    input.error(
                        Kind::EmptyCell {
                            column: column.into(),
                        },
                        at,
                    );
                    None
                }
                Some("") => None,
                Some(v) => Some((v.to_string(), input.at(at))),
            }
        };
        let id = get(0, "id", true);
        let name = get(1, "name", false);
        let kind = get(2, "kind", true);
        let parent = get(3, "parent", false);
        if let (Some((id, id_at)), Some((kind, kind_at))) = (id, kind) {
            decls.push(Decl {
                id,
                id_at,
                name: name.map(|n| n.0).unwrap_or_default(),
                kind,
                kind_at,
                parent,
            });
        }
        if input.diags.len() >= table::MAX_ERRORS {
            break;
        }
    }
    if columns.is_none() && input.diags.is_empty() {
        // No header at all: an empty file.
        input.error(
            Kind::MissingColumn {
                column: "id".into(),
            },
            (0, 0),
        );
    }
    diags.append(&mut input.diags);
}

/// Why a plan cannot be evaluated on an open set of units (no unit declared anywhere): its
/// first goal that names unit kinds (`applies_to`) or aggregates over them (`share(commune, …)`).
/// Without kinds, such a goal would be judged for every unit as if it were of every kind.
fn registry_needed(plan: &Plan) -> Option<Diagnostic> {
    use crate::syntax::functions::Role;
    use crate::syntax::{Expr, ExprKind};
    fn aggregates(e: &Expr) -> bool {
        matches!(&e.kind, ExprKind::Call { func, .. } if matches!(func.spec().role, Role::Aggregate(_)))
            || e.children().into_iter().any(aggregates)
    }
    plan.goals.iter().find_map(|g| {
        let needs = || Kind::UnitRegistryNeeded {
            goal: g.id.name.clone(),
        };
        if let Some(kind) = g.applies_to.iter().flatten().next() {
            return Some(Diagnostic::error(needs(), kind.location.clone()));
        }
        std::iter::once(&g.rule)
            .chain(&g.milestones)
            .find(|r| aggregates(&r.rule.expr))
            .map(|r| Diagnostic::error(needs(), r.text.node()))
    })
}

fn build(decls: Vec<Decl>, plan: &Plan) -> Result<Units, Vec<Diagnostic>> {
    if decls.is_empty()
        && let Some(d) = registry_needed(plan)
    {
        return Err(vec![d]);
    }
    let mut diags = Vec::new();
    let mut units: Vec<UnitInfo> = Vec::with_capacity(decls.len());
    let mut index: HashMap<String, UnitId> = HashMap::with_capacity(decls.len());
    let mut kept: Vec<&Decl> = Vec::with_capacity(decls.len());
    for d in &decls {
        if let Some(first) = index.get(&d.id).and_then(|&u| units.get(u.index())) {
            let related = first.location.clone();
            let diag = Diagnostic::error(
                Common::DuplicateId {
                    thing: Thing::Unit,
                    id: d.id.clone(),
                },
                d.id_at.clone(),
            );
            diags.push(match related {
                Some(r) => diag.with_related(r),
                None => diag,
            });
            continue;
        }
        let kind = plan.kinds.iter().position(|k| k.name == d.kind);
        if kind.is_none() {
            diags.push(Diagnostic::error(
                Common::UnknownKind {
                    name: d.kind.clone(),
                    suggestion: suggest(&d.kind, plan.kinds.iter().map(|k| k.name.as_str())),
                    known: plan.kinds.iter().map(|k| k.name.clone()).collect(),
                },
                d.kind_at.clone(),
            ));
        }
        let Some(id) = UnitId::at(units.len()) else {
            break;
        };
        index.insert(d.id.clone(), id);
        units.push(UnitInfo {
            id: d.id.clone(),
            name: d.name.clone(),
            kind,
            parent: None,
            location: Some(d.id_at.clone()),
        });
        kept.push(d);
    }
    // A missing parent is usually a whole registry's mistake (a renamed province): each
    // distinct name is searched for a suggestion once, and, as in a data file, the errors stop
    // after MAX_ERRORS.
    let mut suggestions: HashMap<&str, Option<String>> = HashMap::new();
    for (u, d) in units.iter_mut().zip(&kept) {
        if let Some((parent, at)) = &d.parent {
            match index.get(parent) {
                Some(&p) => u.parent = Some(p),
                None => {
                    if diags.len() > MAX_ERRORS {
                        break;
                    }
                    let suggestion = suggestions
                        .entry(parent.as_str())
                        .or_insert_with(|| suggest(parent, index.keys().map(String::as_str)))
                        .clone();
                    diags.push(Diagnostic::error(
                        Common::UnknownName {
                            thing: Thing::Unit,
                            name: parent.clone(),
                            suggestion,
                        },
                        at.clone(),
                    ));
                }
            }
        }
    }
    if diags.len() <= MAX_ERRORS {
        cycles(&units, &kept, &mut diags);
    }
    if diags.len() > MAX_ERRORS {
        diags.truncate(MAX_ERRORS);
        let file = decls.last().map_or("units", |d| d.id_at.file.path());
        diags.push(Diagnostic::in_file(
            Kind::TooManyErrors { limit: MAX_ERRORS },
            file,
        ));
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let open = units.is_empty();
    let kinds = plan.kinds.len();
    let (child_offsets, children) = group(
        units.len(),
        units
            .iter()
            .enumerate()
            .filter_map(|(i, u)| Some((u.parent?.index(), UnitId::at(i)?))),
    );
    let order = tree_order(&units, &child_offsets, &children);
    let mut in_order: Vec<UnitId> = (0..units.len()).filter_map(UnitId::at).collect();
    in_order.sort_by_key(|u| order.get(u.index()).map_or(0, |o| o.0));
    let (kind_offsets, by_kind) = group(
        kinds,
        in_order
            .iter()
            .filter_map(|&u| Some((units.get(u.index())?.kind?, u))),
    );
    Ok(Units {
        units,
        index,
        child_offsets,
        children,
        order,
        kind_offsets,
        by_kind,
        open,
    })
}

/// Each unit's position in the tree order and the end of its subtree's positions (see
/// [`Units::descendants_of_kind`]). Depth first without recursion: a chain of parents may be
/// as deep as the registry is long. The tree has no circles (checked before).
fn tree_order(units: &[UnitInfo], child_offsets: &[u32], children: &[UnitId]) -> Vec<(u32, u32)> {
    let mut order = vec![(0u32, 0u32); units.len()];
    let mut next = 0u32;
    // (unit, whether its children were pushed): a unit is numbered when first met and its
    // subtree closed when met again, after all of its children.
    let mut stack: Vec<(UnitId, bool)> = units
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, u)| u.parent.is_none())
        .filter_map(|(i, _)| Some((UnitId::at(i)?, false)))
        .collect();
    while let Some((u, expanded)) = stack.pop() {
        let Some(slot) = order.get_mut(u.index()) else {
            continue;
        };
        if expanded {
            slot.1 = next;
            continue;
        }
        slot.0 = next;
        next += 1;
        stack.push((u, true));
        let below = csr(child_offsets, children, u.index());
        stack.extend(below.iter().rev().map(|&c| (c, false)));
    }
    order
}

/// Groups `(slot, item)` pairs into offsets and items (CSR), keeping the items' order.
fn group(
    slots: usize,
    pairs: impl Iterator<Item = (usize, UnitId)> + Clone,
) -> (Vec<u32>, Vec<UnitId>) {
    let mut offsets = vec![0u32; slots + 1];
    for (slot, _) in pairs.clone() {
        if let Some(c) = offsets.get_mut(slot + 1) {
            *c += 1;
        }
    }
    for i in 1..offsets.len() {
        let prev = offsets.get(i - 1).copied().unwrap_or(0);
        if let Some(c) = offsets.get_mut(i) {
            *c += prev;
        }
    }
    let mut next: Vec<u32> = offsets.clone();
    let mut items = vec![UnitId(0); offsets.last().map_or(0, |&n| n as usize)];
    for (slot, item) in pairs {
        if let Some(at) = next.get_mut(slot) {
            if let Some(cell) = items.get_mut(*at as usize) {
                *cell = item;
            }
            *at += 1;
        }
    }
    (offsets, items)
}

/// Reports each circle of parents once, at the parent cell of its first unit in registry order.
fn cycles(units: &[UnitInfo], decls: &[&Decl], diags: &mut Vec<Diagnostic>) {
    // 0: not seen, 1: on the current path, 2: done.
    let mut state = vec![0u8; units.len()];
    let mut path = Vec::new();
    for start in 0..units.len() {
        path.clear();
        let mut at = Some(start);
        while let Some(u) = at {
            match state.get(u).copied() {
                Some(0) => {
                    if let Some(s) = state.get_mut(u) {
                        *s = 1;
                    }
                    path.push(u);
                    at = units.get(u).and_then(|x| x.parent).map(UnitId::index);
                }
                Some(1) => {
                    let from = path.iter().position(|&p| p == u).unwrap_or(0);
                    let circle = path.get(from..).unwrap_or_default();
                    let first = circle.iter().copied().min().unwrap_or(u);
                    let pos = circle.iter().position(|&p| p == first).unwrap_or(0);
                    let mut chain: Vec<String> = circle
                        .iter()
                        .cycle()
                        .skip(pos)
                        .take(circle.len())
                        .filter_map(|&p| units.get(p).map(|x| x.id.clone()))
                        .collect();
                    if let Some(head) = chain.first().cloned() {
                        chain.push(head);
                    }
                    let at = decls
                        .get(first)
                        .and_then(|d| d.parent.as_ref().map(|p| p.1.clone()));
                    if let Some(at) = at {
                        diags.push(Diagnostic::error(Kind::UnitCycle { chain }, at));
                    }
                    break;
                }
                _ => break,
            }
        }
        for &p in &path {
            if let Some(s) = state.get_mut(p) {
                *s = 2;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    pub(crate) fn plan(extra: &str) -> Plan {
        let text = format!(
            "chitieu: 1\nplan: {{ id: P, title: T, period: 2026 .. 2030, baseline: 2025 }}\n{extra}"
        );
        let (plan, diags) = crate::plan::load_str("plan.yaml", &text);
        assert!(diags.is_empty(), "{diags:?}");
        plan.unwrap()
    }

    const TREE: &str = "id,name,kind,parent\r\n\
        H61,UBND tỉnh Vĩnh Long,province,\r\n\
        S01,Sở Nội vụ,department,H61\r\n\
        X01,Phường 1,commune,H61\r\n\
        S02,\"Sở Tài chính, Vĩnh Long\",department,H61\r\n\
        T01,Tổ 1,commune,X01\r\n\
        H20,UBND tỉnh Đồng Tháp,province,\r\n\
        S20,Sở Nội vụ,department,H20\r\n";

    /// The units of `kind` below `unit`, found by walking up from every unit.
    fn below_by_walking(units: &Units, unit: UnitId, kind: usize) -> Vec<UnitId> {
        let mut found: Vec<UnitId> = units
            .iter()
            .filter(|(_, u)| u.kind == Some(kind))
            .filter(|&(u, _)| {
                std::iter::successors(units.parent(u), |&p| units.parent(p)).any(|a| a == unit)
            })
            .map(|(u, _)| u)
            .collect();
        found.sort();
        found
    }

    proptest::proptest! {
        #[test]
        fn descendants_of_kind_are_the_units_below_of_that_kind(
            parents in proptest::collection::vec((0usize..40, 0usize..3), 1..40),
        ) {
            // Unit i hangs below an earlier unit (or none): any forest, in any registry order
            // once the ids are shuffled by their parent choice.
            let mut csv = String::from("id,name,kind,parent\n");
            let kinds = ["province", "department", "commune"];
            for (i, (p, k)) in parents.iter().enumerate() {
                let parent = if *p < i && p % 5 != 0 { format!("U{p}") } else { String::new() };
                csv.push_str(&format!("U{i},U,{},{parent}\n", kinds[*k]));
            }
            let plan = plan("");
            let units = load_units_str("units.csv", &csv, Format::Csv, &plan).unwrap();
            for (u, _) in units.iter() {
                for kind in 0..3 {
                    let mut got = units.descendants_of_kind(u, kind).to_vec();
                    got.sort();
                    proptest::prop_assert_eq!(got, below_by_walking(&units, u, kind));
                }
            }
        }
    }

    #[test]
    fn a_forty_thousand_deep_chain_loads_with_a_linear_index() {
        // Every ancestor pair was stored: 40,000 deep is 800 million pairs (3.2 GB).
        let mut csv = String::from("id,name,kind,parent\nU0,U,province,\n");
        for i in 1..40_000 {
            csv.push_str(&format!("U{i},U,commune,U{}\n", i - 1));
        }
        let plan = plan("");
        let units = load_units_str("units.csv", &csv, Format::Csv, &plan).unwrap();
        let commune = plan.kinds.iter().position(|k| k.name == "commune").unwrap();
        let top = units.get("U0").unwrap();
        assert_eq!(units.descendants_of_kind(top, commune).len(), 39_999);
        let mid = units.get("U20000").unwrap();
        let below = units.descendants_of_kind(mid, commune);
        assert_eq!(below.len(), 19_999);
        assert_eq!(units.id(below[0]), "U20001");
        assert_eq!(units.id(below[19_998]), "U39999");
        assert!(units.order.len() + units.by_kind.len() < 80_001);
    }

    #[test]
    fn thousands_of_missing_parents_stop_at_the_error_limit() {
        // Each of 4,000 was reported, each with a did-you-mean over every id.
        let mut csv = String::from("id,name,kind,parent\n");
        for i in 0..4_000 {
            csv.push_str(&format!("U{i:05},U,commune,GONE{i:05}\n"));
        }
        let plan = plan("");
        let diags = load_units_str("units.csv", &csv, Format::Csv, &plan).unwrap_err();
        assert_eq!(diags.len(), MAX_ERRORS + 1);
        assert!(
            diags[..MAX_ERRORS]
                .iter()
                .all(|d| d.code() == "unknown-name")
        );
        assert_eq!(diags[MAX_ERRORS].code(), "too-many-errors");
        assert_eq!(diags[MAX_ERRORS].file(), Some("units.csv"));
        // The same missing name is searched once and suggested each time.
        let mut csv = String::from("id,name,kind,parent\nH61,P,province,\n");
        for i in 0..3 {
            csv.push_str(&format!("X{i},X,commune,H62\n"));
        }
        let diags = load_units_str("units.csv", &csv, Format::Csv, &plan).unwrap_err();
        assert_eq!(diags.len(), 3);
        assert!(
            diags
                .iter()
                .all(|d| d.help(Lang::En).as_deref() == Some("did you mean `H61`?"))
        );
    }

    #[test]
    fn a_registry_forms_a_tree_with_descendants_by_kind() {
        let plan = plan("");
        let units = load_units_str("units.csv", TREE, Format::Csv, &plan).unwrap();
        assert_eq!(units.len(), 7);
        assert!(!units.is_open());
        let kind = |name: &str| plan.kinds.iter().position(|k| k.name == name).unwrap();
        let h61 = units.get("H61").unwrap();
        let ids = |list: &[UnitId]| {
            list.iter()
                .map(|&u| units.id(u).to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(units.children(h61)), ["S01", "X01", "S02"]);
        assert_eq!(
            ids(units.descendants_of_kind(h61, kind("department"))),
            ["S01", "S02"]
        );
        // Communes at any depth: T01 sits below X01.
        assert_eq!(
            ids(units.descendants_of_kind(h61, kind("commune"))),
            ["X01", "T01"]
        );
        assert!(units.descendants_of_kind(h61, kind("province")).is_empty());
        assert!(units.descendants_of_kind(h61, 99).is_empty());
        let s02 = units.get("S02").unwrap();
        assert_eq!(units.info(s02).unwrap().name, "Sở Tài chính, Vĩnh Long");
        assert_eq!(units.parent(s02), Some(h61));
        assert_eq!(units.kind(s02), Some(kind("department")));
        let order: Vec<&str> = units.iter().map(|(_, u)| u.id.as_str()).collect();
        assert_eq!(order, ["H61", "S01", "X01", "S02", "T01", "H20", "S20"]);
    }

    #[test]
    fn inline_units_come_first_and_registry_units_may_hang_below_them() {
        let plan = plan("units:\n  - { id: H61, name: Vĩnh Long, kind: province }\n");
        let csv = "id,name,kind,parent\nS01,Sở Nội vụ,department,H61\n";
        let units = load_units_str("u.csv", csv, Format::Csv, &plan).unwrap();
        let h61 = units.get("H61").unwrap();
        assert_eq!(h61.index(), 0);
        assert_eq!(units.children(h61).len(), 1);
    }

    #[test]
    fn yaml_and_json_registries_read_like_csv() {
        let plan = plan("");
        let yaml = "units:\n  - { id: H61, name: Vĩnh Long, kind: province }\n  - id: S01\n    name: Sở\n    kind: department\n    parent: H61\n";
        let units = load_units_str("u.yaml", yaml, Format::Yaml, &plan).unwrap();
        assert_eq!(units.children(units.get("H61").unwrap()).len(), 1);
        let json = r#"[{"id": "H61", "name": "Vĩnh Long", "kind": "province", "parent": null}]"#;
        let units = load_units_str("u.json", json, Format::Json, &plan).unwrap();
        assert_eq!(units.len(), 1);
    }

    #[test]
    fn unknown_kinds_and_parents_are_named_with_a_suggestion_at_their_cell() {
        let plan = plan("");
        let csv = "id,name,kind,parent\nH61,VL,provinse,\nS01,Sở,department,H6\n";
        let diags = load_units_str("u.csv", csv, Format::Csv, &plan).unwrap_err();
        assert_eq!(diags.len(), 2);
        assert_eq!(diags[0].message(Lang::En), "unknown unit kind `provinse`");
        assert_eq!(
            diags[0].help(Lang::En).as_deref(),
            Some("did you mean `province`? (the unit kinds: province, department, commune)")
        );
        let loc = diags[0].location.as_ref().unwrap();
        assert_eq!((loc.start_line_col(), loc.text()), ((2, 8), "provinse"));
        assert_eq!(diags[1].message(Lang::En), "unknown unit `H6`");
        assert_eq!(
            diags[1].help(Lang::En).as_deref(),
            Some("did you mean `H61`?")
        );
        let loc = diags[1].location.as_ref().unwrap();
        assert_eq!((loc.start_line_col(), loc.text()), ((3, 19), "H6"));
    }

    #[test]
    fn duplicate_ids_point_at_the_first_definition() {
        let plan = plan("");
        let csv = "id,name,kind,parent\nH61,A,province,\nH61,B,province,\n";
        let diags = load_units_str("u.csv", csv, Format::Csv, &plan).unwrap_err();
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code(), "duplicate-id");
        assert_eq!(diags[0].location.as_ref().unwrap().start_line_col(), (3, 1));
        assert_eq!(diags[0].related.as_ref().unwrap().start_line_col(), (2, 1));
    }

    #[test]
    fn parent_circles_are_reported_once() {
        let plan = plan("");
        let csv = "id,name,kind,parent\nA,a,province,C\nB,b,department,A\nC,c,commune,B\nD,d,commune,D\nE,e,commune,A\n";
        let diags = load_units_str("u.csv", csv, Format::Csv, &plan).unwrap_err();
        let chains: Vec<String> = diags.iter().map(|d| d.message(Lang::En)).collect();
        assert_eq!(
            chains,
            [
                "unit parents form a circle: A → C → B → A",
                "unit parents form a circle: D → D"
            ]
        );
        assert_eq!(diags[0].location.as_ref().unwrap().text(), "C");
    }

    #[test]
    fn registry_headers_are_checked() {
        let plan = plan("");
        let diags = load_units_str(
            "u.csv",
            "id,nme,kind\nH61,VL,province\n",
            Format::Csv,
            &plan,
        )
        .unwrap_err();
        let messages: Vec<String> = diags.iter().map(|d| d.message(Lang::En)).collect();
        assert_eq!(messages, ["unknown column `nme`", "missing column `name`"]);
        assert_eq!(
            diags[0].help(Lang::En).as_deref(),
            Some("did you mean `name`?")
        );
        let diags = load_units_str("u.csv", "", Format::Csv, &plan).unwrap_err();
        assert_eq!(diags[0].code(), "missing-column");
    }

    #[test]
    fn no_declared_units_makes_an_open_set() {
        let plan = plan("");
        let mut units = load_units(None, &plan).unwrap();
        assert!(units.is_open() && units.is_empty());
        let a = units.add_from_data("X").unwrap();
        assert_eq!(units.add_from_data("X"), Some(a));
        assert_eq!(units.kind(a), None);
    }
}
