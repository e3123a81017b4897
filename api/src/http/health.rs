//! Liveness, readiness and metrics: open to all, no token needed.

use axum::{
    Json,
    extract::State,
    http::{StatusCode, header},
    response::IntoResponse,
};
use serde_json::json;

use super::AppState;
use crate::db::Status;

/// The process is up.
pub async fn healthz() -> impl IntoResponse {
    Json(json!({ "status": "ok" }))
}

/// The process can serve: the database answers and a connection is free. Answers within a
/// second: 200 when ready, 429 when every connection is busy (the database answers), 503 when
/// the database is down.
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let (status, body) = match state.health.check().await {
        Status::Up => (
            StatusCode::OK,
            json!({ "status": "ready", "database": "ok" }),
        ),
        Status::Saturated => (
            StatusCode::TOO_MANY_REQUESTS,
            json!({ "status": "saturated", "database": "saturated" }),
        ),
        Status::Down => (
            StatusCode::SERVICE_UNAVAILABLE,
            json!({ "status": "unavailable", "database": "down" }),
        ),
    };
    (status, Json(body))
}

/// Prometheus text exposition.
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(),
    )
}
