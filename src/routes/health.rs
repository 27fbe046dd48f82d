//! `GET /healthz`: 200 when the database answers, 503 otherwise (for load balancers).

use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::Routes;
use crate::database_health;
use crate::state::AppState;

pub fn routes() -> Routes {
    Routes::new().get("/healthz", healthz)
}

async fn healthz(State(state): State<AppState>) -> Response {
    if !state.is_ready() {
        return unavailable("starting: database not ready\n");
    }
    let ping = sqlx::query_scalar::<_, i32>("select 1").fetch_one(&state.db);
    match tokio::time::timeout(Duration::from_secs(2), ping).await {
        Ok(Ok(_)) => (StatusCode::OK, "ok\n").into_response(),
        // A connection that failed: the database is gone.
        Ok(Err(error)) if crate::error::is_unavailable(&error) => {
            database_health::report(&state, database_health::Unreachable::Certain);
            unavailable("database unavailable\n")
        }
        // A busy pool or a slow answer: down only if a fresh connection fails too.
        _ => {
            database_health::report(&state, database_health::Unreachable::Suspected);
            unavailable("database unavailable\n")
        }
    }
}

fn unavailable(body: &'static str) -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(
            header::RETRY_AFTER,
            HeaderValue::from(database_health::RETRY_AFTER_SECONDS),
        )],
        body,
    )
        .into_response()
}
