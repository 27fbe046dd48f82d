//! `GET /sites/{id}`: a site, the components hosted there, and what depends on it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};

use super::super::graph_view::{self, GraphQuery, GraphView};
use super::super::lifecycle::LifecycleView;
use super::super::parse_id;
use crate::auth::CurrentUser;
use crate::db::catalogue::entries;
use crate::db::catalogue::sites::{self, Site};
use crate::domain::catalogue::{SITE_KINDS, label_of};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::input::Query;
use crate::web::page::{Area, PageContext};

#[derive(Template, WebTemplate)]
#[template(path = "catalogue/sites/show.html")]
pub struct SitePage {
    ctx: PageContext,
    site: Site,
    kind_label: String,
    graph: GraphView,
    lifecycle: LifecycleView,
    can_edit: bool,
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<GraphQuery>,
) -> AppResult<SitePage> {
    let id = parse_id(&id)?;
    let mut conn = state.db.acquire().await?;
    let site = sites::find(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let entry = entries::find(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let can_edit = user.role.manages_continuity();
    let dependency_graph = state.graph.get(&state).await?;
    let graph =
        graph_view::build(&state, &dependency_graph, &entry, can_edit, &user, &query).await?;
    Ok(SitePage {
        ctx: PageContext::new(&user, Area::Catalogue, site.name.clone())
            .crumb("Sites", "/sites")
            .here(site.name.clone()),
        kind_label: label_of(SITE_KINDS, &site.kind),
        lifecycle: LifecycleView::new(&entry, user.role.manages_continuity()),
        site,
        graph,
        can_edit,
    })
}
