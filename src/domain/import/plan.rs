//! Planning an import: for each row, create, update, leave unchanged or refuse (with the reason),
//! against a snapshot of what exists. Dependency rows that would close a cycle are refused, with
//! the cycle named.

use std::collections::{BTreeMap, HashMap, HashSet};

use uuid::Uuid;

use super::contracts::{self, ContractRecord, StoredContract, stored_fields};
use super::risks::{self, RiskRecord, RiskSnapshot};
use super::{ImportKind, Table};
use crate::domain::catalogue::{
    COMPONENT_CLASSES, Choice, ENVIRONMENTS, LIFECYCLES, REDUNDANCIES, RELATIONS, SERVICE_TYPES,
    SITE_KINDS, dependency_allowed, dependency_refusal,
};
use crate::domain::graph::{DependencyGraph, NodeKind};
use crate::domain::text::make_visible;

const MAX_TEXT: usize = 200;
const MAX_DESCRIPTION: usize = 5000;

/// A node that exists, as the import compares it.
#[derive(Debug, Clone)]
pub struct ExistingNode {
    pub id: Uuid,
    pub kind: NodeKind,
    pub name: String,
    /// Field name → current value, in the same terms as [`Record::fields`].
    pub fields: BTreeMap<&'static str, String>,
}

/// What exists when the import is planned.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// External id → the nodes carrying it (more than one only across kinds).
    pub by_external_id: HashMap<String, Vec<ExistingNode>>,
    /// (kind, lower-case name) → id, for name clashes with other rows.
    pub names: HashMap<(NodeKind, String), Uuid>,
    /// Id → name, for naming cycles.
    pub names_by_id: HashMap<Uuid, String>,
    /// Lower-case email → user id.
    pub users: HashMap<String, Uuid>,
    /// Every node and its kind.
    pub nodes: Vec<(Uuid, NodeKind)>,
    /// (from, to) → relation, redundancy, notes.
    pub edges: HashMap<(Uuid, Uuid), [String; 3]>,
    /// Lower-case supplier name → id.
    pub suppliers: HashMap<String, Uuid>,
    /// Lower-case contract reference → the contract.
    pub contracts: HashMap<String, StoredContract>,
    /// Risks, threats, measures and the method's scales, for risk register files.
    pub risks: RiskSnapshot,
}

/// A row as it would be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Site {
        external_id: String,
        name: String,
        kind: String,
        location: String,
        description: String,
    },
    Service {
        external_id: String,
        name: String,
        service_type: String,
        lifecycle: String,
        owner_id: Option<Uuid>,
        sla_reference: String,
        support_hours: String,
        description: String,
    },
    Component {
        external_id: String,
        name: String,
        class: String,
        environment: String,
        site_id: Option<Uuid>,
        description: String,
    },
    Dependency {
        from: Uuid,
        to: Uuid,
        relation: String,
        redundancy: String,
        notes: String,
    },
    Contract(Box<ContractRecord>),
    Risk(Box<RiskRecord>),
}

impl Record {
    /// The fields compared with what exists (ids as text).
    pub fn fields(&self) -> BTreeMap<&'static str, String> {
        let id = |value: &Option<Uuid>| value.map(|id| id.to_string()).unwrap_or_default();
        let pairs: Vec<(&'static str, String)> = match self {
            Record::Site {
                name,
                kind,
                location,
                description,
                ..
            } => vec![
                ("name", name.clone()),
                ("kind", kind.clone()),
                ("location", location.clone()),
                ("description", description.clone()),
            ],
            Record::Service {
                name,
                service_type,
                lifecycle,
                owner_id,
                sla_reference,
                support_hours,
                description,
                ..
            } => vec![
                ("name", name.clone()),
                ("type", service_type.clone()),
                ("lifecycle", lifecycle.clone()),
                ("owner", id(owner_id)),
                ("sla_reference", sla_reference.clone()),
                ("support_hours", support_hours.clone()),
                ("description", description.clone()),
            ],
            Record::Component {
                name,
                class,
                environment,
                site_id,
                description,
                ..
            } => vec![
                ("name", name.clone()),
                ("class", class.clone()),
                ("environment", environment.clone()),
                ("site", id(site_id)),
                ("description", description.clone()),
            ],
            Record::Dependency {
                relation,
                redundancy,
                notes,
                ..
            } => vec![
                ("relation", relation.clone()),
                ("redundancy", redundancy.clone()),
                ("notes", notes.clone()),
            ],
            Record::Contract(record) => return record.fields(),
            Record::Risk(record) => return record.fields(),
        };
        pairs.into_iter().collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Create,
    /// The names of the fields that change.
    Update(Vec<&'static str>),
    Unchanged,
    Refuse(String),
}

#[derive(Debug, Clone)]
pub struct PlannedRow {
    pub line: usize,
    /// What the row is about, e.g. "SVC-PAY Payments" or "SVC-PAY → CI-DB".
    pub label: String,
    pub action: Action,
    pub record: Option<Record>,
    /// The node (or, for dependencies, nothing) the row updates.
    pub existing: Option<Uuid>,
}

impl PlannedRow {
    fn refused(line: usize, label: String, reason: impl Into<String>) -> Self {
        Self {
            line,
            label,
            action: Action::Refuse(reason.into()),
            record: None,
            existing: None,
        }
    }
}

/// A stored value from a cell holding the value or its label, in any case.
fn choice(choices: &[Choice], cell: &str, default: Option<&'static str>) -> Option<String> {
    if cell.is_empty() {
        return default.map(str::to_string);
    }
    let wanted = cell.to_lowercase().replace([' ', '-', '–'], "_");
    choices
        .iter()
        .find(|choice| {
            choice.value == wanted
                || choice.label.to_lowercase().replace([' ', '-', '–'], "_") == wanted
        })
        .map(|choice| choice.value.to_string())
}

fn allowed(choices: &[Choice]) -> String {
    choices
        .iter()
        .map(|choice| choice.value)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Plans every row of a file.
pub fn plan(kind: ImportKind, table: &Table, snapshot: &Snapshot) -> Vec<PlannedRow> {
    let mut planner = Planner {
        snapshot,
        seen_keys: HashMap::new(),
        seen_names: HashMap::new(),
    };
    let mut rows: Vec<PlannedRow> = table
        .rows
        .iter()
        .map(|(line, row)| planner.row(kind, table, *line, row))
        .collect();
    if kind == ImportKind::Dependencies {
        refuse_cycles(&mut rows, snapshot);
    }
    rows
}

struct Planner<'a> {
    snapshot: &'a Snapshot,
    /// Key (external id or pair) → first line, to catch duplicates within the file.
    seen_keys: HashMap<String, usize>,
    seen_names: HashMap<String, usize>,
}

impl Planner<'_> {
    fn row(&mut self, kind: ImportKind, table: &Table, line: usize, row: &[String]) -> PlannedRow {
        if let Some(reason) = table.unreadable(row) {
            let label = row
                .iter()
                .map(|cell| cell.trim())
                .filter(|cell| !cell.is_empty())
                .take(2)
                .collect::<Vec<_>>()
                .join(" ");
            return PlannedRow::refused(line, make_visible(&label, false), reason);
        }
        let cell = |column: &str| table.cell(row, column).to_string();
        if kind == ImportKind::Contracts {
            return self.contract(line, &cell);
        }
        if kind == ImportKind::Risks {
            return self.risk(line, &cell);
        }
        if kind == ImportKind::Dependencies {
            return self.dependency(
                line,
                &cell("from_external_id"),
                &cell("to_external_id"),
                &cell("relation"),
                &cell("redundancy"),
                &cell("notes"),
            );
        }
        let external_id = cell("external_id");
        let name = cell("name");
        let label = format!("{external_id} {name}").trim().to_string();
        if external_id.is_empty() {
            return PlannedRow::refused(line, label, "The external id is empty.");
        }
        if name.is_empty() {
            return PlannedRow::refused(line, label, "The name is empty.");
        }
        if external_id.chars().count() > MAX_TEXT || name.chars().count() > MAX_TEXT {
            return PlannedRow::refused(
                line,
                label,
                "The external id and the name must each stay under 200 characters.",
            );
        }
        if cell("description").chars().count() > MAX_DESCRIPTION {
            return PlannedRow::refused(
                line,
                label,
                "The description is longer than 5000 characters.",
            );
        }
        if let Some(first) = self.seen_keys.insert(external_id.clone(), line) {
            return PlannedRow::refused(
                line,
                label,
                format!("External id {external_id} already appears on line {first}."),
            );
        }
        if let Some(first) = self.seen_names.insert(name.to_lowercase(), line) {
            return PlannedRow::refused(
                line,
                label,
                format!("The name {name} already appears on line {first}."),
            );
        }
        let node_kind = match kind {
            ImportKind::Sites => NodeKind::Site,
            ImportKind::Services => NodeKind::Service,
            _ => NodeKind::Component,
        };
        let record = match self.record(kind, &external_id, &name, &cell) {
            Ok(record) => record,
            Err(reason) => return PlannedRow::refused(line, label, reason),
        };
        let existing = self
            .snapshot
            .by_external_id
            .get(&external_id)
            .and_then(|nodes| nodes.iter().find(|node| node.kind == node_kind));
        if let Some(other) = self.snapshot.names.get(&(node_kind, name.to_lowercase()))
            && existing.is_none_or(|existing| existing.id != *other)
        {
            return PlannedRow::refused(
                line,
                label,
                format!(
                    "Another {} is already named {name}.",
                    node_kind.label().to_lowercase()
                ),
            );
        }
        let action = match existing {
            None => Action::Create,
            Some(existing) => changes(&existing.fields, &record.fields()),
        };
        PlannedRow {
            line,
            label,
            action,
            existing: existing.map(|node| node.id),
            record: Some(record),
        }
    }

    fn record(
        &self,
        kind: ImportKind,
        external_id: &str,
        name: &str,
        cell: &dyn Fn(&str) -> String,
    ) -> Result<Record, String> {
        let text = |column: &str| -> Result<String, String> {
            let value = cell(column);
            if value.chars().count() > MAX_TEXT && column != "description" {
                return Err(format!("{column} is longer than 200 characters."));
            }
            Ok(value)
        };
        match kind {
            ImportKind::Sites => Ok(Record::Site {
                external_id: external_id.into(),
                name: name.into(),
                kind: choice(SITE_KINDS, &cell("kind"), None).ok_or_else(|| {
                    format!(
                        "Kind “{}” is not one of {}.",
                        cell("kind"),
                        allowed(SITE_KINDS)
                    )
                })?,
                location: text("location")?,
                description: cell("description"),
            }),
            ImportKind::Services => {
                let email = cell("owner_email").to_lowercase();
                let owner_id = if email.is_empty() {
                    None
                } else {
                    Some(
                        *self
                            .snapshot
                            .users
                            .get(&email)
                            .ok_or_else(|| format!("No user has the email {email}."))?,
                    )
                };
                Ok(Record::Service {
                    external_id: external_id.into(),
                    name: name.into(),
                    service_type: choice(SERVICE_TYPES, &cell("type"), None).ok_or_else(|| {
                        format!(
                            "Type “{}” is not one of {}.",
                            cell("type"),
                            allowed(SERVICE_TYPES)
                        )
                    })?,
                    lifecycle: choice(LIFECYCLES, &cell("lifecycle"), Some("live")).ok_or_else(
                        || {
                            format!(
                                "Lifecycle “{}” is not one of {}.",
                                cell("lifecycle"),
                                allowed(LIFECYCLES)
                            )
                        },
                    )?,
                    owner_id,
                    sla_reference: text("sla_reference")?,
                    support_hours: text("support_hours")?,
                    description: cell("description"),
                })
            }
            _ => {
                let site_ref = cell("site_external_id");
                let site_id = if site_ref.is_empty() {
                    None
                } else {
                    Some(
                        self.resolve(&site_ref, &[NodeKind::Site])
                            .map_err(|_| format!("No site has the external id {site_ref}."))?,
                    )
                };
                Ok(Record::Component {
                    external_id: external_id.into(),
                    name: name.into(),
                    class: choice(COMPONENT_CLASSES, &cell("class"), None).ok_or_else(|| {
                        format!(
                            "Class “{}” is not one of {}.",
                            cell("class"),
                            allowed(COMPONENT_CLASSES)
                        )
                    })?,
                    environment: choice(ENVIRONMENTS, &cell("environment"), Some("production"))
                        .ok_or_else(|| {
                            format!(
                                "Environment “{}” is not one of {}.",
                                cell("environment"),
                                allowed(ENVIRONMENTS)
                            )
                        })?,
                    site_id,
                    description: cell("description"),
                })
            }
        }
    }

    /// The one node of these kinds with this external id.
    fn resolve(&self, external_id: &str, kinds: &[NodeKind]) -> Result<Uuid, String> {
        let candidates: Vec<&ExistingNode> = self
            .snapshot
            .by_external_id
            .get(external_id)
            .map(|nodes| {
                nodes
                    .iter()
                    .filter(|node| kinds.contains(&node.kind))
                    .collect()
            })
            .unwrap_or_default();
        match candidates.as_slice() {
            [] => Err(format!(
                "Nothing in the catalogue has the external id {external_id}."
            )),
            [one] => Ok(one.id),
            _ => Err(format!(
                "External id {external_id} belongs to more than one kind of entry; it cannot be told apart."
            )),
        }
    }

    fn contract(&mut self, line: usize, cell: &dyn Fn(&str) -> String) -> PlannedRow {
        let reference = cell("reference");
        let label = format!("{reference} {}", cell("supplier"))
            .trim()
            .to_string();
        if reference.is_empty() {
            return PlannedRow::refused(line, label, "The reference is empty.");
        }
        if reference.chars().count() > 100 {
            return PlannedRow::refused(
                line,
                label,
                "The reference is longer than 100 characters.",
            );
        }
        if let Some(first) = self
            .seen_keys
            .insert(format!("contract:{}", reference.to_lowercase()), line)
        {
            return PlannedRow::refused(
                line,
                label,
                format!("Reference {reference} already appears on line {first}."),
            );
        }
        let record = match contracts::record(cell, self.snapshot, &|external_id, kinds| {
            self.resolve(external_id, kinds)
        }) {
            Ok(record) => record,
            Err(reason) => return PlannedRow::refused(line, label, reason),
        };
        let existing = contracts::existing(self.snapshot, &reference);
        let action = match existing {
            None => Action::Create,
            Some(stored) => changes(&stored_fields(stored, &record), &record.fields()),
        };
        PlannedRow {
            line,
            label,
            action,
            existing: existing.map(|stored| stored.id),
            record: Some(Record::Contract(Box::new(record))),
        }
    }

    fn risk(&mut self, line: usize, cell: &dyn Fn(&str) -> String) -> PlannedRow {
        let external_id = cell("external_id");
        let label = format!("{external_id} {}", cell("title"))
            .trim()
            .to_string();
        if external_id.is_empty() {
            return PlannedRow::refused(line, label, "The external id is empty.");
        }
        if external_id.chars().count() > MAX_TEXT {
            return PlannedRow::refused(
                line,
                label,
                "The external id is longer than 200 characters.",
            );
        }
        if let Some(first) = self
            .seen_keys
            .insert(format!("risk:{}", external_id.to_lowercase()), line)
        {
            return PlannedRow::refused(
                line,
                label,
                format!("External id {external_id} already appears on line {first}."),
            );
        }
        let mut record = match risks::record(cell, self.snapshot, &|external_id, kinds| {
            self.resolve(external_id, kinds)
        }) {
            Ok(record) => record,
            Err(reason) => return PlannedRow::refused(line, label, reason),
        };
        let existing = risks::existing(self.snapshot, &external_id);
        if let Some(stored) = existing {
            record.scope.extend(stored.kept_scope.iter().copied());
            record.scope.sort_unstable();
            record.scope.dedup();
        }
        if existing.is_some_and(|stored| stored.archived) {
            return PlannedRow::refused(
                line,
                label,
                format!("The risk with external id {external_id} is archived: restore it first."),
            );
        }
        let action = match existing {
            None => Action::Create,
            Some(stored) => changes(&risks::stored_fields(stored, &record), &record.fields()),
        };
        PlannedRow {
            line,
            label,
            action,
            existing: existing.map(|stored| stored.id),
            record: Some(Record::Risk(Box::new(record))),
        }
    }

    fn dependency(
        &mut self,
        line: usize,
        from: &str,
        to: &str,
        relation: &str,
        redundancy: &str,
        notes: &str,
    ) -> PlannedRow {
        let label = format!("{from} → {to}");
        if from.is_empty() || to.is_empty() {
            return PlannedRow::refused(
                line,
                label,
                "Both from_external_id and to_external_id are needed.",
            );
        }
        let kinds = [
            NodeKind::Process,
            NodeKind::Service,
            NodeKind::Component,
            NodeKind::Site,
        ];
        let (from_id, to_id) = match (self.resolve(from, &kinds), self.resolve(to, &kinds)) {
            (Ok(from_id), Ok(to_id)) => (from_id, to_id),
            (Err(reason), _) | (_, Err(reason)) => return PlannedRow::refused(line, label, reason),
        };
        let kind_of = |id: Uuid| {
            self.snapshot
                .nodes
                .iter()
                .find(|(node, _)| *node == id)
                .map(|(_, kind)| *kind)
        };
        if let (Some(from_kind), Some(to_kind)) = (kind_of(from_id), kind_of(to_id))
            && !dependency_allowed(from_kind, to_kind)
        {
            return PlannedRow::refused(line, label, dependency_refusal(from_kind, to_kind));
        }
        let Some(relation) = choice(RELATIONS, relation, Some("uses")) else {
            return PlannedRow::refused(
                line,
                label,
                format!(
                    "Relation “{relation}” is not one of {}.",
                    allowed(RELATIONS)
                ),
            );
        };
        let Some(redundancy) = choice(REDUNDANCIES, redundancy, Some("none")) else {
            return PlannedRow::refused(
                line,
                label,
                format!(
                    "Redundancy “{redundancy}” is not one of {}.",
                    allowed(REDUNDANCIES)
                ),
            );
        };
        if let Some(first) = self.seen_keys.insert(format!("{from_id}>{to_id}"), line) {
            return PlannedRow::refused(
                line,
                label,
                format!("The same dependency already appears on line {first}."),
            );
        }
        let record = Record::Dependency {
            from: from_id,
            to: to_id,
            relation,
            redundancy,
            notes: notes.to_string(),
        };
        let action = match self.snapshot.edges.get(&(from_id, to_id)) {
            None => Action::Create,
            Some([relation, redundancy, notes]) => {
                let current: BTreeMap<&'static str, String> = [
                    ("relation", relation.clone()),
                    ("redundancy", redundancy.clone()),
                    ("notes", notes.clone()),
                ]
                .into_iter()
                .collect();
                changes(&current, &record.fields())
            }
        };
        PlannedRow {
            line,
            label,
            action,
            record: Some(record),
            existing: None,
        }
    }
}

fn changes(
    current: &BTreeMap<&'static str, String>,
    wanted: &BTreeMap<&'static str, String>,
) -> Action {
    let changed: Vec<&'static str> = wanted
        .iter()
        .filter(|(field, value)| {
            current.get(*field).map(String::as_str).unwrap_or("") != value.as_str()
        })
        .map(|(field, _)| *field)
        .collect();
    if changed.is_empty() {
        Action::Unchanged
    } else {
        Action::Update(changed)
    }
}

/// Refuses new dependency rows, one at a time, until the graph with the rest has no cycle.
fn refuse_cycles(rows: &mut [PlannedRow], snapshot: &Snapshot) {
    loop {
        let mut edges: Vec<(Uuid, Uuid)> = snapshot.edges.keys().copied().collect();
        let mut new_edges: HashMap<(Uuid, Uuid), usize> = HashMap::new();
        for (index, row) in rows.iter().enumerate() {
            if let (Action::Create, Some(Record::Dependency { from, to, .. })) =
                (&row.action, &row.record)
            {
                edges.push((*from, *to));
                new_edges.insert((*from, *to), index);
            }
        }
        let graph = DependencyGraph::new(snapshot.nodes.clone(), edges);
        let Some(cycle) = graph.find_cycle() else {
            return;
        };
        let cycle_edges: HashSet<(Uuid, Uuid)> =
            cycle.windows(2).map(|pair| (pair[0], pair[1])).collect();
        let Some(index) = rows
            .iter()
            .enumerate()
            .rev()
            .find(|(index, _)| {
                new_edges
                    .iter()
                    .any(|(edge, row)| row == index && cycle_edges.contains(edge))
            })
            .map(|(index, _)| index)
        else {
            // The cycle is made of existing edges only; nothing in this file can fix it.
            return;
        };
        let path: Vec<String> = cycle
            .iter()
            .map(|id| {
                snapshot
                    .names_by_id
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| id.to_string())
            })
            .collect();
        rows[index].action =
            Action::Refuse(format!("It would close a cycle: {}.", path.join(" → ")));
        rows[index].record = None;
    }
}

#[cfg(test)]
mod tests;
