//! `GET /map`: the whole estate as one dependency picture, or what depends on one site, or one
//! tier and what it needs. A view of more than `MAX_DRAWN` nodes is not drawn unless asked: the
//! page says how to narrow it (a site, a tier, or finding an entry to open its neighbourhood).
//! Supplier contracts the reader may not open are drawn without their names.

use std::collections::{HashMap, HashSet};

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use serde::Deserialize;
use uuid::Uuid;

use super::graph_view::map_node;
use crate::auth::CurrentUser;
use crate::auth::contracts::ContractAccess;
use crate::db::catalogue::{dependencies, entries, sites};
use crate::domain::bia::method::Method;
use crate::domain::graph::{DependencyGraph, NodeKind};
use crate::error::AppResult;
use crate::routes::Routes;
use crate::state::AppState;
use crate::web::choices::{self, OptionView};
use crate::web::dependency_map::{self, MapEdge};
use crate::web::input::Query;
use crate::web::page::{Area, PageContext};

pub fn routes() -> Routes {
    Routes::new().get("/map", page)
}

#[derive(Deserialize, Default)]
pub struct MapQuery {
    #[serde(default)]
    site: String,
    #[serde(default)]
    tier: String,
    /// "1": draw the view even when it holds more than [`MAX_DRAWN`] nodes.
    #[serde(default)]
    all: String,
    /// A service, component or site to find, to open its own neighbourhood map.
    #[serde(default)]
    find: String,
}

/// The most nodes a map draws unless asked: beyond it a picture is unreadable and costly (the
/// whole of a 10 000-service estate is 40 000 boxes and tens of megabytes of SVG).
pub const MAX_DRAWN: usize = 400;

/// An entry found by the map's search, leading to its page and neighbourhood map.
pub struct Found {
    pub name: String,
    pub kind: &'static str,
    pub href: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "catalogue/map.html")]
pub struct MapPage {
    ctx: PageContext,
    sites: Vec<OptionView>,
    tiers: Vec<OptionView>,
    svg: String,
    node_count: usize,
    /// The view holds more than [`MAX_DRAWN`] nodes and was not drawn.
    too_many: bool,
    /// The address that draws this view anyway.
    draw_anyway: String,
    find: String,
    found: Vec<Found>,
    site_name: Option<String>,
    tier_name: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<MapQuery>,
) -> AppResult<MapPage> {
    let graph = state.graph.get(&state).await?;
    let site_rows = sites::options(&state.db).await?;
    let chosen_site = query
        .site
        .parse::<Uuid>()
        .ok()
        .filter(|id| site_rows.iter().any(|(site, _)| site == id));

    // Contracts the reader may not open are drawn, but without name or link.
    let access = ContractAccess::of(&state, &user).await?;
    let active: HashMap<Uuid, entries::Entry> = entries::all_active(&state.db)
        .await?
        .into_iter()
        .map(|mut entry| {
            access.conceal(&mut entry);
            (entry.id, entry)
        })
        .collect();
    let tier_rows: Vec<(u8, String)> = Method::default_method()
        .tiers
        .iter()
        .map(|tier| (tier.rank, tier.name.clone()))
        .collect();
    let chosen_tier = query
        .tier
        .parse::<u8>()
        .ok()
        .and_then(|rank| tier_rows.iter().find(|(known, _)| *known == rank).cloned());
    // A site: it and everything that depends on it, i.e. what its loss touches. A tier: the
    // services of that tier and everything they need.
    let shown: HashSet<Uuid> = match (chosen_site, &chosen_tier) {
        (Some(site), _) => std::iter::once(site)
            .chain(graph.dependents(site).into_iter().map(|reached| reached.id))
            .collect(),
        (None, Some((rank, _))) => active
            .values()
            .filter(|entry| entry.tier.as_ref().is_some_and(|(tier, _)| tier == rank))
            .flat_map(|entry| {
                std::iter::once(entry.id)
                    .chain(graph.needs(entry.id).into_iter().map(|reached| reached.id))
            })
            .collect(),
        (None, None) => active.keys().copied().collect(),
    };
    let too_many = shown.len() > MAX_DRAWN && query.all != "1";
    let found = if query.find.trim().is_empty() {
        Vec::new()
    } else {
        entries::search(
            &state.db,
            &["service", "component", "site", "process"],
            query.find.trim(),
            &[],
            None,
            crate::web::picker::MATCHES,
        )
        .await?
        .into_iter()
        .map(|entry| Found {
            href: format!("{}#dependencies", entry.href()),
            kind: entry.kind.label(),
            name: entry.name,
        })
        .collect()
    };
    let columns = if too_many {
        HashMap::new()
    } else {
        estate_columns(&graph)
    };
    let mut nodes: Vec<_> = columns
        .iter()
        .filter(|(id, _)| shown.contains(id))
        .filter_map(|(id, column)| {
            active
                .get(id)
                .map(|entry| map_node(entry, *column, Some(*id) == chosen_site))
        })
        .collect();
    // A stable order in, a stable picture out.
    nodes.sort_by(|a, b| a.layer.cmp(&b.layer).then_with(|| a.label.cmp(&b.label)));
    let ids: Vec<Uuid> = nodes
        .iter()
        .filter_map(|node| node.id.parse().ok())
        .collect();
    let edges: Vec<MapEdge> = dependencies::among(&state.db, &ids)
        .await?
        .into_iter()
        .map(|edge| MapEdge {
            from: edge.from_id.to_string(),
            to: edge.to_id.to_string(),
            redundant: edge.redundancy != "none",
        })
        .collect();
    Ok(MapPage {
        ctx: PageContext::new(&user, Area::Map, "Dependency map").here("Dependency map"),
        sites: choices::from_rows(&site_rows, &query.site),
        tiers: tier_rows
            .iter()
            .map(|(rank, name)| OptionView {
                value: rank.to_string(),
                label: name.clone(),
                help: "",
                selected: chosen_tier
                    .as_ref()
                    .is_some_and(|(chosen, _)| chosen == rank),
            })
            .collect(),
        tier_name: chosen_tier.as_ref().map(|(_, name)| name.clone()),
        svg: if too_many {
            String::new()
        } else {
            dependency_map::render(&nodes, &edges)
        },
        node_count: if too_many { shown.len() } else { nodes.len() },
        too_many,
        draw_anyway: format!(
            "/map?site={}&tier={}&all=1",
            crate::web::url_encode(&query.site),
            crate::web::url_encode(&query.tier)
        ),
        find: query.find.clone(),
        found,
        site_name: chosen_site
            .and_then(|id| active.get(&id))
            .map(|entry| entry.name.clone()),
    })
}

/// Columns for the whole estate, left to right: processes, then services, then components, then
/// sites; within services and within components, each node sits right of those of its kind that
/// need it (the longest chain from the top of its kind).
pub fn estate_columns(graph: &DependencyGraph) -> HashMap<Uuid, i32> {
    let order = match graph.topological_order() {
        Ok(order) => order,
        // A cycle cannot be stored, but the picture must not fail if one ever were.
        Err(_) => graph.layers().into_iter().map(|(id, _)| id).collect(),
    };
    let mut needs_of: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (from, to) in graph.edges() {
        needs_of.entry(from).or_default().push(to);
    }
    // Dependents come last in `order`; walking it backwards sees every node before what it needs.
    let mut depth_in_kind: HashMap<Uuid, i32> = HashMap::new();
    for id in order.iter().rev() {
        let depth = *depth_in_kind.entry(*id).or_insert(0);
        for needed in needs_of.get(id).into_iter().flatten() {
            if graph.kind(*needed) == graph.kind(*id) {
                let slot = depth_in_kind.entry(*needed).or_insert(0);
                *slot = (*slot).max(depth + 1);
            }
        }
    }
    let deepest = |kind: NodeKind| {
        depth_in_kind
            .iter()
            .filter(|(id, _)| graph.kind(**id) == Some(kind))
            .map(|(_, depth)| *depth)
            .max()
            .unwrap_or(0)
    };
    let services_start = 1;
    let components_start = services_start + deepest(NodeKind::Service) + 1;
    let sites_start = components_start + deepest(NodeKind::Component) + 1;
    depth_in_kind
        .iter()
        .map(|(id, depth)| {
            let start = match graph.kind(*id) {
                Some(NodeKind::Process) => 0,
                Some(NodeKind::Service) => services_start,
                Some(NodeKind::Component) | Some(NodeKind::Contract) => components_start,
                _ => sites_start,
            };
            (*id, start + depth)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_estate_reads_left_to_right_by_kind_then_by_chain() {
        let [process, shop, payments, app, db, site] = [(); 6].map(|()| Uuid::new_v4());
        let graph = DependencyGraph::new(
            vec![
                (process, NodeKind::Process),
                (shop, NodeKind::Service),
                (payments, NodeKind::Service),
                (app, NodeKind::Component),
                (db, NodeKind::Component),
                (site, NodeKind::Site),
            ],
            vec![
                (process, shop),
                (shop, payments),
                (shop, app),
                (app, db),
                (db, site),
                (payments, db),
            ],
        );
        let columns = estate_columns(&graph);
        assert_eq!(columns[&process], 0);
        assert_eq!(columns[&shop], 1);
        assert_eq!(columns[&payments], 2);
        assert_eq!(columns[&app], 3);
        assert_eq!(columns[&db], 4);
        assert_eq!(columns[&site], 5);
    }
}
