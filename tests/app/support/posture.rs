//! Strategy, template and scenario fixtures written straight through the database layer (with
//! their audit rows).

use continuity::db::audit::Actor;
use continuity::db::{scenarios, strategies};
use uuid::Uuid;

use super::TestApp;

/// A strategy template called `name` (made unique): warm standby, 4 hours, data at most 15 minutes old.
pub async fn template(app: &TestApp, name: &str) -> Uuid {
    let write = strategies::TemplateWrite {
        name: format!("{name} {}", &Uuid::new_v4().simple().to_string()[..6]),
        description: "A fixture template".to_owned(),
        fields: warm_standby(240),
    };
    let mut tx = app.state.db.begin().await.expect("transaction");
    let template = strategies::create_template(&mut tx, &Actor::system("test fixtures"), &write)
        .await
        .expect("template");
    tx.commit().await.expect("commit");
    template.id
}

/// A strategy for `service` with `option` recovering in `minutes`, status approved.
pub async fn strategy(app: &TestApp, service: Uuid, option: &str, minutes: i32) {
    let write = strategies::StrategyWrite {
        service_id: service,
        template_id: None,
        fields: strategies::StrategyFields {
            recovery_option: option.to_owned(),
            ..warm_standby(minutes)
        },
        status: "approved".to_owned(),
        notes: String::new(),
    };
    let mut tx = app.state.db.begin().await.expect("transaction");
    strategies::create(&mut tx, &Actor::system("test fixtures"), &write)
        .await
        .expect("strategy");
    tx.commit().await.expect("commit");
}

/// A saved scenario called `name` (made unique) that loses `lost`.
pub async fn scenario(app: &TestApp, name: &str, lost: &[Uuid]) -> Uuid {
    let name = format!("{name} {}", &Uuid::new_v4().simple().to_string()[..6]);
    let mut tx = app.state.db.begin().await.expect("transaction");
    let scenario = scenarios::create(&mut tx, &Actor::system("test fixtures"), &name, "", lost)
        .await
        .expect("scenario");
    tx.commit().await.expect("commit");
    scenario.id
}

fn warm_standby(minutes: i32) -> strategies::StrategyFields {
    strategies::StrategyFields {
        recovery_option: "intermediate".to_owned(),
        estimated_recovery_minutes: Some(minutes),
        achievable_rpo_minutes: Some(15),
        capacity_percent: Some(60),
        ..Default::default()
    }
}
