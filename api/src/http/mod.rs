//! The HTTP surface: GraphQL and GraphiQL, health, readiness and metrics, and the layers every
//! request passes (request id, tracing, timeout, body limit).

mod graphql;
mod health;

use std::{sync::Arc, time::Duration};

use axum::{
    Router,
    extract::{Request, State},
    http::{HeaderName, StatusCode},
    middleware::{self, Next},
    response::Response,
    routing::get,
};
use sea_orm::DatabaseConnection;
use tower::ServiceBuilder;
use tower_http::{
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};

use crate::{
    auth::{calendar::Calendar, jwt::JwtKeys},
    config::Limits,
    db::{self, Health},
    errors::AppError,
    metrics::Metrics,
    schema::AppSchema,
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
    /// Every SQL statement the app runs (counted; recorded on demand).
    pub statements: db::Statements,
    /// Most SQL statements one request may run.
    pub max_statements: u64,
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
        .layer(middleware::from_fn_with_state(limits.request_timeout(), time_limit))
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

/// Cancels a request that runs longer than the limit, and says so in a GraphQL error body.
async fn time_limit(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    let request_id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(
                request_id,
                limit_secs = limit.as_secs(),
                "request timed out"
            );
            graphql::error_response(
                StatusCode::REQUEST_TIMEOUT,
                &AppError::Timeout(limit.as_secs()),
                request_id.as_deref(),
            )
        }
    }
}
