//! `GET /services/{id}`: a service, what it needs and what needs it, and its dependency map.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};

use super::super::graph_view::{self, GraphQuery, GraphView};
use super::super::lifecycle::{LifecycleView, may_change};
use super::super::parse_id;
use crate::auth::CurrentUser;
use crate::auth::contracts::ContractAccess;
use crate::db::catalogue::entries;
use crate::db::catalogue::services::{self, Service};
use crate::domain::catalogue::{LIFECYCLES, SERVICE_TYPES, label_of};
use crate::error::{AppError, AppResult};
use crate::routes::bia::minutes;
use crate::state::AppState;
use crate::web::input::Query;
use crate::web::page::{Area, PageContext};

#[derive(Template, WebTemplate)]
#[template(path = "catalogue/services/show.html")]
pub struct ServicePage {
    ctx: PageContext,
    service: Service,
    type_label: String,
    lifecycle_label: String,
    graph: GraphView,
    lifecycle: LifecycleView,
    can_edit: bool,
    bia_rto: String,
    bia_rpo: String,
    bia_mtpd: String,
    /// Plans covering the service: (id, title, what is in force).
    plans: Vec<(uuid::Uuid, String, String)>,
    suppliers: Vec<crate::routes::suppliers::ServiceSupplier>,
    /// The risks the service is exposed to (on itself or on what it needs), highest first.
    risks: Vec<crate::routes::risks::ServiceExposure>,
    highest_risk: Option<crate::routes::risks::LevelView>,
    /// The latest test that measured the service's recovery.
    measured: Option<crate::routes::exercises::evidence::Evidence>,
    /// Required against achievable, and the recovery strategy.
    posture: Option<crate::routes::posture::view::ServiceCard>,
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<GraphQuery>,
) -> AppResult<ServicePage> {
    let id = parse_id(&id)?;
    let mut conn = state.db.acquire().await?;
    let service = services::find(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let entry = entries::find(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let plans = crate::db::plans::records::covering(&state.db, id)
        .await?
        .into_iter()
        .map(|plan| {
            let state = match plan.current_number {
                Some(number) => format!(
                    "v{number} in force, recovers in {}",
                    minutes(plan.estimated_recovery_minutes)
                ),
                None => "not approved yet".to_owned(),
            };
            (plan.id, plan.title, state)
        })
        .collect();
    let can_edit = may_change(&user, &entry);
    // One graph for every part of the page (one revision check, not one per part).
    let dependency_graph = state.graph.get(&state).await?;
    let graph =
        graph_view::build(&state, &dependency_graph, &entry, can_edit, &user, &query).await?;
    let access = ContractAccess::of(&state, &user).await?;
    let (risks, highest_risk) =
        crate::routes::risks::exposure_for_service(&state, &dependency_graph, id, &access).await?;
    let measured = crate::routes::exercises::evidence::of_service(&state, id).await?;
    let posture =
        crate::routes::posture::view::service_card(&state, &user, &access, id, service.owner_id)
            .await?;
    Ok(ServicePage {
        posture,
        measured,
        risks,
        highest_risk,
        ctx: PageContext::new(&user, Area::Catalogue, service.name.clone())
            .crumb("IT services", "/services")
            .here(service.name.clone()),
        type_label: label_of(SERVICE_TYPES, &service.service_type),
        lifecycle_label: label_of(LIFECYCLES, &service.lifecycle),
        lifecycle: LifecycleView::new(&entry, user.role.manages_continuity()),
        bia_rto: minutes(service.bia.as_ref().and_then(|bia| bia.rto_minutes)),
        bia_rpo: minutes(service.bia.as_ref().and_then(|bia| bia.rpo_minutes)),
        bia_mtpd: minutes(service.bia.as_ref().and_then(|bia| bia.mtpd_minutes)),
        plans,
        // Owners read the suppliers of their own services only.
        suppliers: if user.role == crate::domain::role::Role::ServiceOwner
            && service.owner_id != Some(user.id)
        {
            Vec::new()
        } else {
            crate::routes::suppliers::suppliers_of_service(&state, &dependency_graph, id, &access)
                .await?
        },
        service,
        graph,
        can_edit,
    })
}
