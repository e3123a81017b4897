//! The HTTP surface: GraphQL (with persisted queries) and GraphiQL, health, readiness and
//! metrics, and the layers every request passes (request id, tracing, timeout, body limit,
//! CORS).

mod export;
mod graphiql;
mod graphql;
mod health;
mod media;
mod oneroster;
mod persisted;

use std::{sync::Arc, time::Duration};

use axum::{
    Router,
    extract::{Request, State},
    http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header},
    middleware::{self, Next},
    response::Response,
    routing::{get, post},
};
use sea_orm::DatabaseConnection;
use tower::ServiceBuilder;
use tower_http::{
    cors::{AllowOrigin, CorsLayer},
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};

use self::media::Media;
pub use self::persisted::PersistedQueries;
use crate::{
    auth::{districts::Districts, jwt::JwtKeys},
    config::{Clients, Limits},
    db::{self, Health},
    errors::AppError,
    integrations::sync::CloseLimit,
    metrics::Metrics,
    schema::AppSchema,
};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    /// The database of bulk reads (exports): `DATABASE_READ_URL`, or the primary.
    pub read_db: DatabaseConnection,
    /// Whether the database is known to be down, kept current by a monitor.
    pub health: Arc<Health>,
    pub schema: AppSchema,
    pub keys: Arc<JwtKeys>,
    pub metrics: Arc<Metrics>,
    /// Every SQL statement the app runs (counted; recorded on demand).
    pub statements: db::Statements,
    /// Most SQL statements one request may run.
    pub max_statements: u64,
    /// Each district's time zone and pseudonym salt, read once.
    pub districts: Arc<Districts>,
    /// Queries clients sent with their hash, to run by hash alone.
    pub persisted: Arc<PersistedQueries>,
}

pub fn router(state: AppState, limits: &Limits, clients: &Clients) -> Router {
    let identified = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let request_id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id)
        }))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID));
    let limited = ServiceBuilder::new()
        .layer(middleware::from_fn_with_state(
            limits.request_timeout(),
            time_limit,
        ))
        .layer(middleware::from_fn_with_state(
            limits.max_body_bytes,
            declared_size,
        ))
        .layer(RequestBodyLimitLayer::new(limits.max_body_bytes));
    // An upload has its own size limit, and runs as long as its import takes.
    let upload = oneroster::Upload {
        state: state.clone(),
        max_bytes: limits.max_upload_bytes,
        close_limit: CloseLimit(limits.sync_max_close_pct),
    };
    let router = Router::new()
        .route("/graphql", get(graphql::execute).post(graphql::execute))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .route("/export/{file}", get(export::export))
        .merge(graphiql::routes())
        .layer(limited)
        .with_state(state)
        .merge(
            Router::new()
                .route("/integrations/oneroster", post(oneroster::import))
                .with_state(upload),
        )
        .layer(identified);
    match cors(&clients.cors_origins) {
        Some(cors) => router.layer(cors),
        None => router,
    }
}

const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(600);

/// CORS for the allowed origins (none: no CORS headers, so browsers keep other origins out).
/// Tokens travel in `Authorization`, not cookies, so credentials are not allowed.
fn cors(origins: &[String]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let origins = origins
        .iter()
        .filter_map(|origin| HeaderValue::from_str(origin).ok());
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
            .expose_headers([REQUEST_ID, header::RETRY_AFTER])
            .max_age(PREFLIGHT_MAX_AGE),
    )
}

/// Refuses a body declared larger than the limit with a GraphQL error, where the body limit
/// layer would answer a plain-text 413 (the layer still stops a body that is not declared, as
/// it is read, and the handler answers that one).
async fn declared_size(State(limit): State<usize>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        let error = AppError::BadUserInput {
            message: format!("the request body is larger than allowed ({limit} bytes)"),
            field: None,
        };
        let request_id = headers.get(REQUEST_ID).and_then(|v| v.to_str().ok());
        let media = Media::negotiate(headers);
        return graphql::error_response(StatusCode::PAYLOAD_TOO_LARGE, &error, request_id, media);
    }
    next.run(request).await
}

/// Cancels a request that runs longer than the limit, and says so in a GraphQL error body.
/// The request id `SetRequestIdLayer` gave the request.
fn request_id(headers: &HeaderMap) -> Option<String> {
    let id = headers.get(REQUEST_ID)?;
    id.to_str().ok().map(String::from)
}

async fn time_limit(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    let media = Media::negotiate(request.headers());
    let request_id = request_id(request.headers());
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
                media,
            )
        }
    }
}
