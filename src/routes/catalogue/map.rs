//! `GET /map`: the whole estate as one dependency picture, or what depends on one site.

use std::collections::{HashMap, HashSet};

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use serde::Deserialize;
use uuid::Uuid;

use super::graph_view::map_node;
use crate::auth::CurrentUser;
use crate::db::catalogue::{dependencies, entries, sites};
use crate::error::AppResult;
use crate::routes::Routes;
use crate::state::AppState;
use crate::web::choices::{self, OptionView};
use crate::web::dependency_map::{self, MapEdge};
use crate::web::page::{Area, PageContext};

pub fn routes() -> Routes {
    Routes::new().get("/map", page)
}

#[derive(Deserialize, Default)]
pub struct MapQuery {
    #[serde(default)]
    site: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "catalogue/map.html")]
pub struct MapPage {
    ctx: PageContext,
    sites: Vec<OptionView>,
    svg: String,
    node_count: usize,
    site_name: Option<String>,
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

    let active: HashMap<Uuid, entries::Entry> = entries::all_active(&state.db)
        .await?
        .into_iter()
        .map(|entry| (entry.id, entry))
        .collect();
    // With a site chosen: the site and everything that depends on it, i.e. what a loss of the site touches.
    let shown: HashSet<Uuid> = match chosen_site {
        Some(site) => std::iter::once(site)
            .chain(graph.dependents(site).into_iter().map(|reached| reached.id))
            .collect(),
        None => active.keys().copied().collect(),
    };
    let layers = graph.layers();
    let deepest = layers.iter().map(|(_, layer)| *layer).max().unwrap_or(0) as i32;
    let nodes: Vec<_> = layers
        .iter()
        .filter(|(id, _)| shown.contains(id))
        .filter_map(|(id, layer)| {
            active
                .get(id)
                .map(|entry| map_node(entry, deepest - *layer as i32, Some(*id) == chosen_site))
        })
        .collect();
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
        svg: dependency_map::render(&nodes, &edges),
        node_count: nodes.len(),
        site_name: chosen_site
            .and_then(|id| active.get(&id))
            .map(|entry| entry.name.clone()),
    })
}
