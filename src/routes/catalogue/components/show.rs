//! `GET /components/{id}`: a component, what it needs and what needs it, and its map.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};

use super::super::graph_view::{self, GraphQuery, GraphView};
use super::super::lifecycle::{LifecycleView, may_change};
use super::super::parse_id;
use crate::auth::CurrentUser;
use crate::db::catalogue::components::{self, Component};
use crate::db::catalogue::entries;
use crate::domain::catalogue::{COMPONENT_CLASSES, ENVIRONMENTS, label_of};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::input::Query;
use crate::web::page::{Area, PageContext};

#[derive(Template, WebTemplate)]
#[template(path = "catalogue/components/show.html")]
pub struct ComponentPage {
    ctx: PageContext,
    component: Component,
    class_label: String,
    environment_label: String,
    graph: GraphView,
    lifecycle: LifecycleView,
    can_edit: bool,
    required: crate::routes::posture::view::RequiredView,
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<GraphQuery>,
) -> AppResult<ComponentPage> {
    let id = parse_id(&id)?;
    let mut conn = state.db.acquire().await?;
    let component = components::find(&mut conn, id)
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
    let access = crate::auth::contracts::ContractAccess::of(&state, &user).await?;
    let required = crate::routes::posture::view::required_of(&state, &access, id).await?;
    Ok(ComponentPage {
        required,
        ctx: PageContext::new(&user, Area::Catalogue, component.name.clone())
            .crumb("Components", "/components")
            .here(component.name.clone()),
        class_label: label_of(COMPONENT_CLASSES, &component.class),
        environment_label: label_of(ENVIRONMENTS, &component.environment),
        lifecycle: LifecycleView::new(&entry, user.role.manages_continuity()),
        component,
        graph,
        can_edit,
    })
}
