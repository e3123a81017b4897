//! The HTTP surface: GraphQL and GraphiQL, health, readiness and metrics, and the layers every
//! request passes (request id, tracing, timeout, body limit).

mod graphql;
mod health;

use std::sync::Arc;

use axum::{
    Router,
    http::{HeaderName, Request, StatusCode},
    routing::get,
};
use sea_orm::DatabaseConnection;
use tower::ServiceBuilder;
use tower_http::{
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::TraceLayer,
};

use crate::{
    auth::jwt::JwtKeys, config::Limits, db::Health, graphql::schema::AppSchema, metrics::Metrics,
    roster::district::Calendar,
};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    /// Whether the database is known to be down, kept current by a monitor.
    pub health: Arc<Health>,
    pub schema: AppSchema,
    pub keys: Arc<JwtKeys>,
    pub metrics: Arc<Metrics>,
    pub calendar: Arc<Calendar>,
}

pub fn router(state: AppState, limits: &Limits) -> Router {
    let layers = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let request_id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id)
        }))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, limits.request_timeout()))
        .layer(RequestBodyLimitLayer::new(limits.max_body_bytes));
    Router::new()
        .route("/", get(graphql::graphiql))
        .route("/graphql", get(graphql::graphiql).post(graphql::execute))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .layer(layers)
        .with_state(state)
}
