//! `GET /contracts/gaps`: every active contract that leaves a gap — a guaranteed recovery too
//! slow for a relying service, a looser RPO, no continuity terms behind a mission-critical
//! service, missing or expired evidence — with how many and the first of them, a page at a time.
//! Also what the home page counts for continuity managers: contracts with gaps, notice dates
//! within 30 days, expired evidence; each count opens the list that shows exactly those.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::assess::{assess, visible_contracts};
use crate::auth::CurrentUser;
use crate::db::suppliers::contracts;
use crate::domain::supplier::renewal::due;
use crate::error::AppResult;
use crate::state::{AppState, SupplierFigures};
use crate::web::input::Query;
use crate::web::page::{Area, PageContext};

const PER_PAGE: usize = 50;

/// The renewal horizon the home page counts (the renewals page's shortest).
pub const NOTICE_DAYS: i64 = 30;

pub struct GapLine {
    pub id: Uuid,
    pub reference: String,
    pub supplier_id: Uuid,
    pub supplier: String,
    pub count: usize,
    pub first: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "suppliers/gaps.html")]
pub struct GapsPage {
    ctx: PageContext,
    lines: Vec<GapLine>,
    total: usize,
    page: usize,
    pages: usize,
}

#[derive(Deserialize)]
pub struct GapsQuery {
    page: Option<usize>,
}

/// Every active contract with at least one gap, most gaps first (the reader's own, for owners).
async fn with_gaps(state: &AppState, user: &CurrentUser) -> AppResult<Vec<GapLine>> {
    let mut all = contracts::all(&state.db).await?;
    all.retain(|contract| !contract.archived);
    if let Some(visible) = visible_contracts(state, user).await? {
        all.retain(|contract| visible.contains(&contract.id));
    }
    let mut lines: Vec<GapLine> = assess(state, all)
        .await?
        .into_iter()
        .filter(|assessed| !assessed.gaps.is_empty())
        .map(|assessed| GapLine {
            id: assessed.contract.id,
            reference: assessed.contract.reference,
            supplier_id: assessed.contract.supplier_id,
            supplier: assessed.contract.supplier_name,
            count: assessed.gaps.len(),
            first: assessed.gaps[0].message(),
        })
        .collect();
    lines.sort_by(|a, b| {
        (b.count, a.reference.to_lowercase()).cmp(&(a.count, b.reference.to_lowercase()))
    });
    Ok(lines)
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<GapsQuery>,
) -> AppResult<GapsPage> {
    let all = with_gaps(&state, &user).await?;
    let total = all.len();
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page = query.page.unwrap_or(1).clamp(1, pages);
    Ok(GapsPage {
        ctx: PageContext::new(&user, Area::Suppliers, "Contracts with gaps")
            .crumb("Contracts", "/contracts")
            .here("Gaps"),
        lines: all
            .into_iter()
            .skip((page - 1) * PER_PAGE)
            .take(PER_PAGE)
            .collect(),
        total,
        page,
        pages,
    })
}

/// The supplier figures on a continuity manager's home page.
/// The supplier figures on a continuity manager's home page: assessing every contract reads the
/// estate, so the figures are kept per instance until their inputs move (see `DerivedCache`).
pub async fn supplier_watch(state: &AppState, user: &CurrentUser) -> AppResult<SupplierFigures> {
    // Kept figures are practice-wide: only a reader of every contract may share them.
    if !user.role.manages_continuity() {
        return supplier_figures(state, user).await;
    }
    let fingerprint = contracts::gap_inputs_fingerprint(&state.db).await?;
    state
        .supplier_watch
        .get_or_compute(fingerprint, supplier_figures(state, user))
        .await
}

async fn supplier_figures(state: &AppState, user: &CurrentUser) -> AppResult<SupplierFigures> {
    let today = OffsetDateTime::now_utc().date();
    let by = today + time::Duration::days(NOTICE_DAYS);
    // The renewals page's own rule, so the count matches its list.
    let notice_soon = contracts::due_by(&state.db, by)
        .await?
        .iter()
        .filter(|contract| !due(&contract.dates(), today, NOTICE_DAYS).is_empty())
        .count();
    Ok(SupplierFigures {
        with_gaps: with_gaps(state, user).await?.len(),
        notice_soon,
        expired_evidence: contracts::expired_evidence_count(&state.db).await?,
    })
}
