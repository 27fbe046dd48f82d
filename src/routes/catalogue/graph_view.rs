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
/// Rows of each related list on a page (a site with 1 500 components stays a small page).
pub const RELATED_PER_PAGE: usize = 50;
/// Nodes the neighbourhood map draws at most: the nearest levels first.
pub const MAP_MAX_NODES: usize = 150;

/// What a detail page's dependency part was asked for: `?levels=`, `?pick=` (the picker's
/// search without JavaScript) and the page of each transitive list.
#[derive(Debug, Default, serde::Deserialize)]
pub struct GraphQuery {
    pub levels: Option<u32>,
    #[serde(default)]
    pub pick: String,
    pub needs_page: Option<usize>,
    pub dependents_page: Option<usize>,
    pub direct_needs_page: Option<usize>,
    pub direct_dependents_page: Option<usize>,
}

/// One page of a related list, with where the other pages are.
pub struct Paged<T> {
    pub rows: Vec<T>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
}

impl<T> Paged<T> {
    /// The page asked for (clamped to those that exist) of all the rows.
    fn of(all: Vec<T>, page: Option<usize>) -> Self {
        let total = all.len();
        let pages = total.div_ceil(RELATED_PER_PAGE).max(1);
        let page = page.unwrap_or(1).clamp(1, pages);
        Self {
            rows: all
                .into_iter()
                .skip((page - 1) * RELATED_PER_PAGE)
                .take(RELATED_PER_PAGE)
                .collect(),
            total,
            page,
            pages,
        }
    }

    /// The same page with its rows turned into others.
    fn map<U>(self, turn: impl FnOnce(Vec<T>) -> Vec<U>) -> Paged<U> {
        Paged {
            rows: turn(self.rows),
            total: self.total,
            page: self.page,
            pages: self.pages,
        }
    }
}

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
    /// The node's own page, for the lists' page links.
    pub href: String,
    pub needs: Paged<RelatedRow>,
    pub dependents: Paged<RelatedRow>,
    /// Direct edges each way, those waiting for confirmation first, then by name.
    pub direct_needs: Paged<DirectEdge>,
    pub direct_dependents: Paged<DirectEdge>,
    pub map_svg: String,
    /// How many nodes the neighbourhood has when the map draws only the nearest of them.
    pub map_nodes_total: Option<usize>,
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

impl GraphView {
    /// How many nodes the map draws at most (for the sentence saying it draws the nearest).
    pub fn map_svg_limit(&self) -> usize {
        MAP_MAX_NODES
    }

    /// This page with `list` (`needs`, `dependents`, `direct_needs`, `direct_dependents`) at
    /// `page` and every other list where it is, ending at the list's own heading.
    pub fn page_href(&self, list: &str, page: usize) -> String {
        let at = |name: &str, current: usize| if name == list { page } else { current };
        format!(
            "{}?levels={}&needs_page={}&dependents_page={}&direct_needs_page={}&direct_dependents_page={}#{list}",
            self.href,
            self.levels,
            at("needs", self.needs.page),
            at("dependents", self.dependents.page),
            at("direct_needs", self.direct_needs.page),
            at("direct_dependents", self.direct_dependents.page),
        )
    }
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

/// Everything on the page is bounded: each list shows a page, the direct edges their first
/// rows, the map its nearest nodes; names are loaded only for what is shown.
pub async fn build(
    state: &AppState,
    graph: &crate::domain::graph::DependencyGraph,
    node: &Entry,
    can_edit: bool,
    user: &CurrentUser,
    query: &GraphQuery,
) -> AppResult<GraphView> {
    let levels = query.levels.unwrap_or(DEFAULT_LEVELS).clamp(1, MAX_LEVELS);
    let needs = Paged::of(graph.needs(node.id), query.needs_page);
    let dependents = Paged::of(graph.dependents(node.id), query.dependents_page);
    let (mut map_nodes, _) = graph.neighbourhood(node.id, levels, levels);
    let map_nodes_total = (map_nodes.len() > MAP_MAX_NODES).then_some(map_nodes.len());
    if map_nodes_total.is_some() {
        map_nodes.sort_by_key(|(id, layer)| (*id != node.id, layer.abs()));
        map_nodes.truncate(MAP_MAX_NODES);
    }
    let direct = dependencies::touching(&state.db, node.id).await?;
    let direct_needs: Vec<&Dependency> = direct.iter().filter(|e| e.from_id == node.id).collect();
    let direct_dependents: Vec<&Dependency> =
        direct.iter().filter(|e| e.to_id == node.id).collect();

    let mut ids: Vec<Uuid> = needs
        .rows
        .iter()
        .chain(&dependents.rows)
        .map(|reached| reached.id)
        .collect();
    ids.extend(map_nodes.iter().map(|(id, _)| *id));
    // Direct edges are sorted by name before a page is cut, so all their names are loaded
    // (one query; a node's own edges, not the estate).
    ids.extend(direct_needs.iter().map(|e| e.to_id));
    ids.extend(direct_dependents.iter().map(|e| e.from_id));
    ids.push(node.id);
    ids.sort_unstable();
    ids.dedup();
    let access = ContractAccess::of(state, user).await?;
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

    let kinds: Vec<NodeKind> = [NodeKind::Service, NodeKind::Component, NodeKind::Site]
        .into_iter()
        .filter(|kind| dependency_allowed(node.kind, *kind))
        .collect();
    let search = if can_edit { query.pick.as_str() } else { "" };
    let picker = Picker::search(state, "to_id", &kinds, Some(node.id), search).await?;
    Ok(GraphView {
        node_id: node.id,
        href: node.href(),
        needs: needs.map(|rows| related(&rows, &names)),
        dependents: dependents.map(|rows| related(&rows, &names)),
        direct_needs: Paged::of(
            direct_edges(direct_needs.into_iter(), |edge| edge.to_id, &names),
            query.direct_needs_page,
        ),
        direct_dependents: Paged::of(
            direct_edges(direct_dependents.into_iter(), |edge| edge.from_id, &names),
            query.direct_dependents_page,
        ),
        map_svg: map_picture(node.id, &map_nodes, &map_edges, &names),
        map_nodes_total,
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
    // Edges waiting for a manager's confirmation first: they are what a manager comes to act on.
    rows.sort_by_key(|row| (row.confirmed, row.name.to_lowercase()));
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
