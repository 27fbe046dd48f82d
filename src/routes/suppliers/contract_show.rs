//! `GET /contracts/{id}`: a contract's terms, the services relying on it (through the graph) with
//! their objectives, its gaps with the figures, its documents and its history.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use serde::Deserialize;
use uuid::Uuid;

use super::assess::{assess, visible_contracts};
use crate::auth::CurrentUser;
use crate::db::suppliers::contracts::{self, Contract, ServiceObjectives};
use crate::db::suppliers::documents::{self, DocumentInfo};
use crate::domain::catalogue::label_of;
use crate::domain::graph::NodeKind;
use crate::domain::supplier::renewal::days_until;
use crate::domain::supplier::{REGIONAL_PRIORITIES, SUPPORT_HOURS};
use crate::error::{AppError, AppResult};
use crate::routes::bia::minutes;
use crate::routes::catalogue::parse_id;
use crate::state::AppState;
use crate::web::input::Query;
use crate::web::page::{Area, PageContext, format_in_zone};
use crate::web::picker::Picker;

pub struct DependentView {
    pub id: Uuid,
    pub name: String,
    pub tier: String,
    pub rto: String,
    pub rpo: String,
}

impl DependentView {
    pub fn new(service: &ServiceObjectives) -> Self {
        Self {
            id: service.id,
            name: service.name.clone(),
            tier: service
                .tier_name
                .clone()
                .unwrap_or_else(|| "No BIA yet".into()),
            rto: minutes(service.rto_minutes),
            rpo: minutes(service.rpo_minutes),
        }
    }
}

pub struct DocumentView {
    pub id: Uuid,
    pub file_name: String,
    pub size: String,
    pub sha256: String,
    pub added: String,
}

impl DocumentView {
    fn new(document: DocumentInfo, zone: &jiff::tz::TimeZone) -> Self {
        let kilobytes = (i64::from(document.size_bytes) + 1023) / 1024;
        Self {
            id: document.id,
            file_name: document.file_name,
            size: format!("{kilobytes} KB"),
            sha256: document.sha256,
            added: format!(
                "{}{}",
                format_in_zone(document.uploaded_at, zone, "%Y-%m-%d"),
                document
                    .uploaded_by
                    .map(|who| format!(" by {who}"))
                    .unwrap_or_default()
            ),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "suppliers/contract.html")]
pub struct ContractPage {
    ctx: PageContext,
    contract: Contract,
    /// The supplier's continuity evidence in words, with its badge class.
    evidence: (String, &'static str),
    support: String,
    support_kind: String,
    worst_wait: String,
    priority: String,
    notice_date: String,
    notice_in: Option<i64>,
    recovery: String,
    rpo: String,
    response: String,
    onsite: String,
    gaps: Vec<String>,
    required: crate::routes::posture::view::RequiredView,
    dependents: Vec<DependentView>,
    documents: Vec<DocumentView>,
    history: Vec<(String, String, String)>,
    /// Finds the services and components to link (continuity managers only).
    picker: Picker,
    can_edit: bool,
}

#[derive(Deserialize)]
pub struct ShowQuery {
    /// What was searched for in the link picker (without JavaScript).
    #[serde(default)]
    pick: String,
}

impl ContractPage {
    /// The page at its link form, reloaded with `pick=…` when JavaScript is off.
    fn find_href(&self) -> String {
        format!("/contracts/{}#link", self.contract.id)
    }
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<ShowQuery>,
) -> AppResult<ContractPage> {
    let id = parse_id(&id)?;
    if let Some(visible) = visible_contracts(&state, &user).await?
        && !visible.contains(&id)
    {
        return Err(AppError::Forbidden);
    }
    let contract = contracts::find(&mut *state.db.acquire().await?, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let assessed = assess(&state, vec![contract])
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let contract = assessed.contract;
    let today = time::OffsetDateTime::now_utc().date();
    let dates = contract.dates();
    let can_edit = user.role.manages_continuity();
    let access = crate::auth::contracts::ContractAccess::of(&state, &user).await?;
    let required = crate::routes::posture::view::required_of(&state, &access, id).await?;
    Ok(ContractPage {
        required,
        ctx: PageContext::new(&user, Area::Suppliers, contract.label())
            .crumb("Suppliers", "/suppliers")
            .crumb(
                contract.supplier_name.clone(),
                format!("/suppliers/{}", contract.supplier_id),
            )
            .here(contract.reference.clone()),
        support: contract.support().describe(),
        support_kind: label_of(SUPPORT_HOURS, &contract.support_hours),
        worst_wait: contract.support().worst_wait().map_or_else(
            || "support never opens".into(),
            crate::domain::bia::method::duration_label,
        ),
        priority: label_of(REGIONAL_PRIORITIES, &contract.regional_priority),
        notice_date: dates
            .notice_date()
            .map(|date| date.to_string())
            .unwrap_or_else(|| "—".into()),
        notice_in: dates.notice_date().map(|date| days_until(today, date)),
        recovery: minutes(contract.guaranteed_recovery_minutes),
        rpo: minutes(contract.guaranteed_rpo_minutes),
        response: minutes(contract.response_minutes),
        onsite: minutes(contract.onsite_minutes),
        gaps: assessed.gaps.iter().map(|gap| gap.message()).collect(),
        dependents: assessed.dependents.iter().map(DependentView::new).collect(),
        documents: documents::list(&state.db, contract.id)
            .await?
            .into_iter()
            .map(|document| DocumentView::new(document, &user.time_zone))
            .collect(),
        evidence: super::evidence(&contract, time::OffsetDateTime::now_utc().date()),
        history: contracts::history(&state.db, contract.id)
            .await?
            .into_iter()
            .map(|(at, who, what)| {
                (
                    format_in_zone(at, &user.time_zone, "%Y-%m-%d %H:%M"),
                    who,
                    what,
                )
            })
            .collect(),
        picker: Picker::search(
            &state,
            "from_id",
            &[NodeKind::Service, NodeKind::Component],
            None,
            if can_edit { &query.pick } else { "" },
        )
        .await?,
        can_edit,
        contract,
    })
}
