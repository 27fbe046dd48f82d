//! BIA fixtures: an exercise opened over some services, written through the app's db functions.

use continuity::db::audit::Actor;
use continuity::db::bia::exercises::{self, NewExercise};
use continuity::domain::bia::method::Method;
use uuid::Uuid;

use super::TestApp;

/// An open exercise over `services`; returns its id and its assessments' ids (in service order).
pub async fn open_exercise(app: &TestApp, services: &[Uuid]) -> (Uuid, Vec<Uuid>) {
    let actor = Actor::system("test fixtures");
    let mut tx = app.state.db.begin().await.expect("transaction");
    let exercise = exercises::create(
        &mut tx,
        &actor,
        NewExercise {
            name: &format!("BIA {}", &Uuid::new_v4().simple().to_string()[..6]),
            instructions: "",
            due_date: None,
            method: serde_json::to_value(Method::default_method()).expect("method"),
            services,
        },
    )
    .await
    .expect("exercise");
    exercises::set_status(&mut tx, &actor, exercise.id, exercise.version, "open")
        .await
        .expect("open");
    exercises::create_assessments(&mut tx, &actor, exercise.id)
        .await
        .expect("assessments");
    tx.commit().await.expect("commit");
    let mut assessments = Vec::new();
    for service in services {
        let id: Uuid = sqlx::query_scalar(
            "select id from bia_assessments where exercise_id = $1 and service_id = $2",
        )
        .bind(exercise.id)
        .bind(service)
        .fetch_one(&app.state.db)
        .await
        .expect("assessment");
        assessments.push(id);
    }
    (exercise.id, assessments)
}
