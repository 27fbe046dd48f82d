//! `GET /healthz`: 200 when the database answers, 503 otherwise (for load balancers).

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;

use super::Routes;
use crate::state::AppState;

pub fn routes() -> Routes {
    Routes::new().get("/healthz", healthz)
}

async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if !state.is_ready() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "starting: database not ready\n",
        );
    }
    let ping = sqlx::query_scalar::<_, i32>("select 1").fetch_one(&state.db);
    match tokio::time::timeout(Duration::from_secs(2), ping).await {
        Ok(Ok(_)) => (StatusCode::OK, "ok\n"),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n"),
    }
}
