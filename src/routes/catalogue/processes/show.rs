//! `GET /processes/{id}`: a business process and the services it uses.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};

use super::super::graph_view::{self, GraphQuery, GraphView};
use super::super::lifecycle::{LifecycleView, may_change};
use super::super::parse_id;
use crate::auth::CurrentUser;
use crate::db::catalogue::entries;
use crate::db::catalogue::processes::{self, Process};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::input::Query;
use crate::web::page::{Area, PageContext};

#[derive(Template, WebTemplate)]
#[template(path = "catalogue/processes/show.html")]
pub struct ProcessPage {
    ctx: PageContext,
    process: Process,
    graph: GraphView,
    lifecycle: LifecycleView,
    can_edit: bool,
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<GraphQuery>,
) -> AppResult<ProcessPage> {
    let id = parse_id(&id)?;
    let mut conn = state.db.acquire().await?;
    let process = processes::find(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let entry = entries::find(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let can_edit = may_change(&user, &entry);
    let dependency_graph = state.graph.get(&state).await?;
    let graph =
        graph_view::build(&state, &dependency_graph, &entry, can_edit, &user, &query).await?;
    Ok(ProcessPage {
        ctx: PageContext::new(&user, Area::Catalogue, process.name.clone())
            .crumb("Business processes", "/processes")
            .here(process.name.clone()),
        lifecycle: LifecycleView::new(&entry, user.role.manages_continuity()),
        process,
        graph,
        can_edit,
    })
}
