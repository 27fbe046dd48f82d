//! Risk fixtures written straight through the database layer (with their audit rows).

use continuity::db::audit::Actor;
use continuity::db::risks::{catalogues, method, records};
use continuity::domain::risk::register::Scores;
use uuid::Uuid;

use super::TestApp;

/// A risk bearing on `scope`, owned by `owner`, scored inherent `inherent` and, when given,
/// residual `residual` (likelihood, impact).
pub async fn risk(
    app: &TestApp,
    scope: &[Uuid],
    owner: Option<Uuid>,
    inherent: (u8, u8),
    residual: Option<(u8, u8)>,
) -> Uuid {
    let (method, _) = method::current(&app.state.db).await.expect("method");
    let fields = records::RiskFields {
        title: format!("Fixture risk {}", &Uuid::new_v4().simple().to_string()[..6]),
        threat_id: None,
        vulnerability: String::new(),
        cause: String::new(),
        event: String::new(),
        consequence: String::new(),
        owner_id: owner,
        scores: Scores {
            inherent_likelihood: inherent.0,
            inherent_impact: inherent.1,
            residual_likelihood: residual.map(|(l, _)| l),
            residual_impact: residual.map(|(_, i)| i),
        },
        treatment: None,
        treatment_note: String::new(),
        review_due: None,
        scope: scope.to_vec(),
        measures: Vec::new(),
    };
    let mut tx = app.state.db.begin().await.expect("transaction");
    let risk = records::create(&mut tx, &Actor::system("test fixtures"), &method, &fields)
        .await
        .expect("risk");
    tx.commit().await.expect("commit");
    risk.id
}

/// An open improvement action on `risk`, done by `owner`, due in a month.
pub async fn action(app: &TestApp, risk: Uuid, owner: Uuid) -> Uuid {
    use continuity::db::actions::{self, ActionFields};
    use continuity::domain::action::ActionSource;
    let mut tx = app.state.db.begin().await.expect("transaction");
    let action = actions::create(
        &mut tx,
        &Actor::system("test fixtures"),
        &ActionFields {
            title: "Fixture action".to_owned(),
            description: String::new(),
            source: ActionSource::Risk,
            risk_id: Some(risk),
            finding_id: None,
            gap_service_id: None,
            owner_id: owner,
            due_on: time::OffsetDateTime::now_utc().date() + time::Duration::days(30),
        },
    )
    .await
    .expect("action");
    tx.commit().await.expect("commit");
    action.id
}

/// The first threat and the first measure of the starting catalogues.
pub async fn first_threat_and_measure(app: &TestApp) -> (Uuid, Uuid) {
    let threat = catalogues::threats(&app.state.db, false)
        .await
        .expect("threats")[0]
        .id;
    let measure = catalogues::measures(&app.state.db, false)
        .await
        .expect("measures")[0]
        .id;
    (threat, measure)
}
