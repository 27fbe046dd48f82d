//! `GET /`: the home page — the continuity posture at a glance, your own work, and where to go.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use super::Routes;
use crate::auth::CurrentUser;
use crate::db::actions::{self, ActionLine};
use crate::db::bia::assessments::{self, OpenAssessment};
use crate::db::plans::work::{self, PlanItem};
use crate::db::posture::{self, Posture};
use crate::domain::posture::Colour;
use crate::error::AppResult;
use crate::routes::suppliers::supplier_watch;
use crate::state::AppState;
use crate::state::SupplierFigures;
use crate::web::page::{Area, PageContext};

pub fn routes() -> Routes {
    Routes::new().get("/", show)
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    ctx: PageContext,
    first_name: String,
    role_description: &'static str,
    reads_audit: bool,
    manages_users: bool,
    /// BIA questionnaires waiting for this user.
    my_assessments: Vec<OpenAssessment>,
    /// Plan drafts returned to this user for changes.
    returned: Vec<PlanItem>,
    /// Plan versions waiting for this manager's approval.
    to_approve: Vec<PlanItem>,
    /// Plans due for review within a month (or overdue) that this user must review.
    due_for_review: Vec<PlanItem>,
    /// Plans in force naming this user that they have not acknowledged.
    to_acknowledge: Vec<PlanItem>,
    posture: Posture,
    /// Required against achievable recovery: how many of the services this user sees are red,
    /// amber, green or without a requirement.
    recovery: Vec<RecoveryTile>,
    manages_continuity: bool,
    /// Contracts with gaps, notice dates soon and expired evidence (continuity managers).
    suppliers: Option<SupplierFigures>,
    /// Risk acceptances this manager may decide (not their own proposals).
    acceptances_to_decide: Vec<crate::db::risks::acceptances::Waiting>,
    /// Risks this user owns that are due for review within a month, or overdue.
    risks_to_review: Vec<crate::db::risks::records::DueRisk>,
    /// Improvement actions this user still has to do, soonest due first.
    my_actions: Vec<ActionLine>,
    /// Planned tests of this user's services within 30 days (or past), to record.
    tests_to_record: Vec<crate::db::exercises::programme::ToRecord>,
    /// Managers: tests whose date passed without being completed or cancelled.
    tests_to_conclude: Vec<crate::db::exercises::programme::ToRecord>,
    /// Actions marked done that this manager may verify (not their own).
    actions_to_verify: Vec<ActionLine>,
    /// Outstanding actions past their due date, across the practice.
    actions_overdue: i64,
    today: time::Date,
    /// For links to this user's own lists.
    user_id: uuid::Uuid,
    /// The practice's risk figures and heat maps.
    risk_figures: Option<crate::routes::risks::RiskFigures>,
}

impl HomePage {
    /// Whether a bounded list of work has more items than it shows.
    fn has_more(&self, items: &[PlanItem]) -> bool {
        items
            .first()
            .is_some_and(|item| item.total > items.len() as i64)
    }
}

pub struct RecoveryTile {
    colour: &'static str,
    label: &'static str,
    count: usize,
    alert: bool,
}

/// The recovery posture by colour, from the per-instance recovery cache.
async fn recovery_tiles(
    state: &AppState,
    user: &CurrentUser,
    fingerprint: String,
) -> AppResult<Vec<RecoveryTile>> {
    let computed = crate::recovery_cache::current_at(state, fingerprint).await?;
    Ok(crate::routes::posture::page::colour_counts(&computed, user)
        .into_iter()
        .map(|(colour, count)| RecoveryTile {
            colour: colour.as_str(),
            label: match colour {
                Colour::Red => "services whose required recovery is not met",
                Colour::Amber => "met only on an estimate or a stale test",
                Colour::Green => "met by current evidence",
                Colour::NotAssessed => "without a requirement (no approved BIA)",
            },
            count,
            alert: colour == Colour::Red && count > 0,
        })
        .collect())
}

/// The posture figures, read again only when their inputs have moved (see `DerivedCache`).
async fn current_posture(state: &AppState, fingerprint: String) -> AppResult<Posture> {
    Ok(state
        .posture
        .get_or_compute(fingerprint, posture::load(&state.db))
        .await?)
}

/// How many items of one kind of work the home page lists.
const WORK_SHOWN: i64 = 10;

/// Plans due within this many days count as work to do now.
const REVIEW_NOTICE_DAYS: i64 = 30;

async fn show(State(state): State<AppState>, user: CurrentUser) -> AppResult<HomePage> {
    let manages = user.role.manages_continuity();
    let review_by =
        time::OffsetDateTime::now_utc().date() + time::Duration::days(REVIEW_NOTICE_DAYS);
    let (tests_to_record, tests_to_conclude) =
        crate::db::exercises::programme::waiting_for(&state.db, user.id, manages, WORK_SHOWN)
            .await?;
    let (home_fingerprint, recovery_fingerprint) = posture::fingerprints(&state.db).await?;
    Ok(HomePage {
        my_assessments: assessments::open_for(&state.db, user.id).await?,
        returned: work::returned_to(&state.db, user.id).await?,
        to_approve: if manages {
            work::to_approve_by(&state.db, user.id).await?
        } else {
            Vec::new()
        },
        due_for_review: work::due_for_review(&state.db, user.id, manages, review_by).await?,
        to_acknowledge: work::to_acknowledge(&state.db, user.id).await?,
        acceptances_to_decide: if manages {
            crate::db::risks::acceptances::waiting_for(&state.db, user.id, WORK_SHOWN).await?
        } else {
            Vec::new()
        },
        risks_to_review: crate::db::risks::records::due_for_review(
            &state.db, user.id, review_by, WORK_SHOWN,
        )
        .await?,
        my_actions: actions::outstanding_for(&state.db, user.id, WORK_SHOWN).await?,
        tests_to_record,
        tests_to_conclude,
        actions_to_verify: if manages {
            actions::to_verify_by(&state.db, user.id, WORK_SHOWN).await?
        } else {
            Vec::new()
        },
        actions_overdue: actions::overdue_count(&state.db).await?,
        today: time::OffsetDateTime::now_utc().date(),
        user_id: user.id,
        risk_figures: Some(crate::routes::risks::risk_watch(&state).await?),
        posture: current_posture(&state, home_fingerprint).await?,
        recovery: recovery_tiles(&state, &user, recovery_fingerprint).await?,
        manages_continuity: manages,
        suppliers: if manages {
            Some(supplier_watch(&state, &user).await?)
        } else {
            None
        },
        first_name: user
            .display_name
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string(),
        role_description: user.role.description(),
        reads_audit: user.role.reads_audit_log(),
        manages_users: user.role.manages_users(),
        ctx: PageContext::new(&user, Area::Home, "Home"),
    })
}
