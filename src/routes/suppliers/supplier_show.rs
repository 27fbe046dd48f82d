//! `GET /suppliers/{id}`: what a continuity manager takes into a supplier meeting — every
//! contract with its terms and dates, the services relying on them with their tiers, the gaps
//! with their figures, the status of the supplier's continuity evidence, and the history.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use uuid::Uuid;

use super::assess::{assess, visible_contracts};
use super::contract_show::DependentView;
use crate::auth::CurrentUser;
use crate::db::suppliers::contracts;
use crate::db::suppliers::suppliers_table::{self as supplier_rows, Supplier};
use crate::domain::catalogue::label_of;
use crate::domain::supplier::CATEGORIES;
use crate::error::{AppError, AppResult};
use crate::routes::bia::minutes;
use crate::routes::catalogue::parse_id;
use crate::state::AppState;
use crate::web::page::{Area, PageContext, format_in_zone};

pub struct ContractLine {
    pub id: Uuid,
    pub reference: String,
    pub title: String,
    pub ends: String,
    pub notice: String,
    pub support: String,
    pub recovery: String,
    pub rpo: String,
    pub evidence: String,
    pub evidence_class: &'static str,
    pub gaps: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "suppliers/supplier.html")]
pub struct SupplierPage {
    ctx: PageContext,
    supplier: Supplier,
    category: String,
    contracts: Vec<ContractLine>,
    services: Vec<DependentView>,
    gap_count: usize,
    history: Vec<(String, String, String)>,
    can_edit: bool,
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<SupplierPage> {
    let supplier = supplier_rows::find(&mut *state.db.acquire().await?, parse_id(&id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut found = contracts::of_supplier(&state.db, supplier.id).await?;
    if let Some(visible) = visible_contracts(&state, &user).await? {
        found.retain(|contract| visible.contains(&contract.id));
        if found.is_empty() {
            return Err(AppError::Forbidden);
        }
    }
    let today = time::OffsetDateTime::now_utc().date();
    let assessed = assess(&state, found).await?;
    let mut services: BTreeMap<(i32, String), DependentView> = BTreeMap::new();
    for item in &assessed {
        for service in &item.dependents {
            services
                .entry((
                    service.tier_rank.unwrap_or(i32::MAX),
                    service.name.to_lowercase(),
                ))
                .or_insert_with(|| DependentView::new(service));
        }
    }
    let contracts: Vec<ContractLine> = assessed
        .iter()
        .map(|item| {
            let contract = &item.contract;
            let (evidence, evidence_class) = super::evidence(contract, today);
            ContractLine {
                id: contract.id,
                reference: contract.reference.clone(),
                title: contract.title.clone(),
                ends: contract
                    .end_date
                    .map_or_else(|| "open-ended".into(), |date| date.to_string()),
                notice: contract
                    .dates()
                    .notice_date()
                    .map_or_else(|| "—".into(), |date| date.to_string()),
                support: contract.support().describe(),
                recovery: minutes(contract.guaranteed_recovery_minutes),
                rpo: minutes(contract.guaranteed_rpo_minutes),
                evidence,
                evidence_class,
                gaps: item.gaps.iter().map(|gap| gap.message()).collect(),
            }
        })
        .collect();
    let gap_count = contracts.iter().map(|line| line.gaps.len()).sum();
    let shown: Vec<Uuid> = contracts.iter().map(|line| line.id).collect();
    let history = supplier_rows::history(&state.db, supplier.id, &shown)
        .await?
        .into_iter()
        .map(|(at, who, entity, action)| {
            (
                format_in_zone(at, &user.time_zone, "%Y-%m-%d %H:%M"),
                who,
                format!("{action} {entity}"),
            )
        })
        .collect();
    Ok(SupplierPage {
        ctx: PageContext::new(&user, Area::Suppliers, supplier.name.clone())
            .crumb("Suppliers", "/suppliers")
            .here(supplier.name.clone()),
        category: label_of(CATEGORIES, &supplier.category),
        contracts,
        services: services.into_values().collect(),
        gap_count,
        history,
        can_edit: user.role.manages_continuity(),
        supplier,
    })
}
