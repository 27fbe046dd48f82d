//! The part of every catalogue detail page about dependencies: what the node needs and what
//! depends on it (transitively, with depth), its direct edges, the form to add one, and the map.
//! Contracts the reader may not open appear as "a supplier contract", without name or link.

use std::collections::HashMap;

use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::auth::contracts::ContractAccess;
use crate::db::catalogue::dependencies::{self, Dependency};
use crate::db::catalogue::entries::{self, Entry};
use crate::domain::catalogue::{
    COMPONENT_CLASSES, REDUNDANCIES, RELATIONS, SERVICE_TYPES, SITE_KINDS, dependency_allowed,
    label_of,
};
use crate::domain::graph::{NodeKind, Reached};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::choices::{self, OptionView};
use crate::web::dependency_map::{self, MapEdge, MapNode};
use crate::web::picker::Picker;

/// How many levels up and down the map shows unless the page asks for another number.
pub const DEFAULT_LEVELS: u32 = 2;
pub const MAX_LEVELS: u32 = 6;

pub struct RelatedRow {
    pub name: String,
    pub href: String,
    pub kind: &'static str,
    pub detail: String,
    pub depth: u32,
    pub archived: bool,
}

pub struct DirectEdge {
    pub id: Uuid,
    pub name: String,
    pub href: String,
    pub kind: &'static str,
    pub relation: String,
    pub redundancy: String,
    pub notes: String,
    /// Vouched for by a continuity manager (an owner's own edge is not, until confirmed).
    pub confirmed: bool,
}

pub struct GraphView {
    pub node_id: Uuid,
    pub needs: Vec<RelatedRow>,
    pub dependents: Vec<RelatedRow>,
    pub direct_needs: Vec<DirectEdge>,
    pub direct_dependents: Vec<DirectEdge>,
    pub map_svg: String,
    pub levels: u32,
    pub level_choices: Vec<u32>,
    /// Whether this user may add and remove this node's own dependencies.
    pub can_edit: bool,
    /// Finds what the node may come to depend on (only when `can_edit`).
    pub picker: Picker,
    /// The node's page at its add form, which the picker reloads with `pick=…` when
    /// JavaScript is off.
    pub find_href: String,
    /// Whether this user may confirm edges owners made (continuity managers).
    pub can_confirm: bool,
    pub relations: Vec<OptionView>,
    pub redundancies: Vec<OptionView>,
}

/// The sub-kind shown next to a node's kind: service type, component class or site kind.
pub fn detail_label(entry: &Entry) -> String {
    match entry.kind {
        NodeKind::Service => label_of(SERVICE_TYPES, &entry.subtype),
        NodeKind::Component => label_of(COMPONENT_CLASSES, &entry.subtype),
        NodeKind::Site => label_of(SITE_KINDS, &entry.subtype),
        _ => String::new(),
    }
}

/// `pick` is what the person searched for in the add-dependency picker, if anything.
pub async fn build(
    state: &AppState,
    node: &Entry,
    levels: u32,
    can_edit: bool,
    user: &CurrentUser,
    pick: &str,
) -> AppResult<GraphView> {
    let levels = levels.clamp(1, MAX_LEVELS);
    let graph = state.graph.get(state).await?;
    let needs = graph.needs(node.id);
    let dependents = graph.dependents(node.id);
    let (map_nodes, _) = graph.neighbourhood(node.id, levels, levels);

    let mut ids: Vec<Uuid> = needs
        .iter()
        .chain(&dependents)
        .map(|reached| reached.id)
        .collect();
    ids.extend(map_nodes.iter().map(|(id, _)| *id));
    ids.push(node.id);
    ids.sort_unstable();
    ids.dedup();
    let access = ContractAccess::of(&state.db, user).await?;
    let names: HashMap<Uuid, Entry> = entries::by_ids(&state.db, &ids)
        .await?
        .into_iter()
        .map(|mut entry| {
            access.conceal(&mut entry);
            (entry.id, entry)
        })
        .collect();
    let map_ids: Vec<Uuid> = map_nodes.iter().map(|(id, _)| *id).collect();
    let map_edges = dependencies::among(&state.db, &map_ids).await?;
    let direct = dependencies::touching(&state.db, node.id).await?;

    let kinds: Vec<NodeKind> = [NodeKind::Service, NodeKind::Component, NodeKind::Site]
        .into_iter()
        .filter(|kind| dependency_allowed(node.kind, *kind))
        .collect();
    let search = if can_edit { pick } else { "" };
    let picker = Picker::search(state, "to_id", &kinds, Some(node.id), search).await?;
    Ok(GraphView {
        node_id: node.id,
        needs: related(&needs, &names),
        dependents: related(&dependents, &names),
        direct_needs: direct_edges(
            direct.iter().filter(|edge| edge.from_id == node.id),
            |edge| edge.to_id,
            &names,
        ),
        direct_dependents: direct_edges(
            direct.iter().filter(|edge| edge.to_id == node.id),
            |edge| edge.from_id,
            &names,
        ),
        map_svg: map_picture(node.id, &map_nodes, &map_edges, &names),
        levels,
        level_choices: (1..=MAX_LEVELS).collect(),
        can_edit,
        picker,
        find_href: format!("{}#add-dependency", node.href()),
        can_confirm: user.role.manages_continuity(),
        relations: choices::from_choices(RELATIONS, "uses"),
        redundancies: choices::from_choices(REDUNDANCIES, "none"),
    })
}

fn related(reached: &[Reached], names: &HashMap<Uuid, Entry>) -> Vec<RelatedRow> {
    reached
        .iter()
        .filter_map(|reached| {
            let entry = names.get(&reached.id)?;
            Some(RelatedRow {
                name: entry.name.clone(),
                href: entry.link(),
                kind: entry.kind.label(),
                detail: detail_label(entry),
                depth: reached.depth,
                archived: entry.archived,
            })
        })
        .collect()
}

fn direct_edges<'a>(
    edges: impl Iterator<Item = &'a Dependency>,
    other_end: impl Fn(&Dependency) -> Uuid,
    names: &HashMap<Uuid, Entry>,
) -> Vec<DirectEdge> {
    let mut rows: Vec<DirectEdge> = edges
        .filter_map(|edge| {
            let other = names.get(&other_end(edge))?;
            Some(DirectEdge {
                id: edge.id,
                name: other.name.clone(),
                href: other.link(),
                kind: other.kind.label(),
                relation: label_of(RELATIONS, &edge.relation),
                redundancy: label_of(REDUNDANCIES, &edge.redundancy),
                // A hidden contract's edge notes may name it or its terms.
                notes: if other.concealed {
                    String::new()
                } else {
                    edge.notes.clone()
                },
                confirmed: edge.confirmed,
            })
        })
        .collect();
    rows.sort_by_key(|row| row.name.to_lowercase());
    rows
}

fn map_picture(
    centre: Uuid,
    nodes: &[(Uuid, i32)],
    edges: &[Dependency],
    names: &HashMap<Uuid, Entry>,
) -> String {
    let map_nodes: Vec<MapNode> = nodes
        .iter()
        .filter_map(|(id, layer)| {
            let entry = names.get(id)?;
            Some(map_node(entry, *layer, *id == centre))
        })
        .collect();
    let map_edges: Vec<MapEdge> = edges
        .iter()
        .map(|edge| MapEdge {
            from: edge.from_id.to_string(),
            to: edge.to_id.to_string(),
            redundant: edge.redundancy != "none",
        })
        .collect();
    dependency_map::render(&map_nodes, &map_edges)
}

/// A node as the map draws it, coloured by the tier its approved BIA gave it.
pub fn map_node(entry: &Entry, layer: i32, highlight: bool) -> MapNode {
    MapNode {
        id: entry.id.to_string(),
        label: entry.name.clone(),
        kind: entry.kind.as_str(),
        kind_label: match detail_label(entry) {
            detail if detail.is_empty() => entry.kind.label().to_string(),
            detail => detail,
        },
        tier: entry.tier.as_ref().map(|(_, name)| name.clone()),
        tier_rank: entry.tier.as_ref().map(|(rank, _)| *rank),
        href: entry.link(),
        layer,
        highlight,
    }
}
