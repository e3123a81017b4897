//! `POST /graphql`: authenticate once, attach the request's data, execute. `GET /` serves
//! GraphiQL (the page itself is public; every query it sends needs a token).

use async_graphql::{Value, http::GraphiQLSource};
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::{
    Json,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use serde_json::json;

use super::{AppState, REQUEST_ID};
use crate::{
    auth::Actor,
    errors::{AppError, excerpt},
    schema::request::request_data,
};

pub async fn graphiql() -> impl IntoResponse {
    Html(GraphiQLSource::build().endpoint("/graphql").finish())
}

pub async fn execute(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: Result<GraphQLRequest<BadRequest>, BadRequest>,
) -> Response {
    let request_id = headers
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let request = match request {
        Ok(request) => request.into_inner(),
        Err(rejection) => return rejection.into_response(),
    };
    let mut actor = match authenticate(&state, &headers) {
        Ok(actor) => actor,
        Err(error) => {
            tracing::info!(reason = %error, "request refused: unauthenticated");
            return error_response(StatusCode::UNAUTHORIZED, &error, request_id.as_deref());
        }
    };
    if state.health.is_down() {
        let error = AppError::Unavailable {
            message: crate::errors::UNREACHABLE,
            cause: "known down".into(),
        };
        return error_response(
            StatusCode::SERVICE_UNAVAILABLE,
            &error,
            request_id.as_deref(),
        );
    }
    match state.calendar.today(&state.db, actor.district_id).await {
        Ok(today) => actor.today = today,
        Err(error @ AppError::Unavailable { .. }) => {
            tracing::warn!(request_id, %error, "cannot read the district's time zone");
            state.health.suspect();
            return error_response(
                StatusCode::SERVICE_UNAVAILABLE,
                &error,
                request_id.as_deref(),
            );
        }
        Err(error) => {
            tracing::error!(request_id, %error, "cannot read the district's time zone");
            let masked =
                AppError::Internal(std::sync::Arc::new(std::io::Error::other("internal error")));
            return error_response(
                StatusCode::SERVICE_UNAVAILABLE,
                &masked,
                request_id.as_deref(),
            );
        }
    }
    // Statements of this request run on a connection of its own, which counts them.
    let (db, budget) = state
        .statements
        .for_request(&state.db, state.max_statements);
    let request = request_data(request, &db, actor, request_id).data(budget);
    let response = state.schema.execute(request).await;
    // The error policy has given every error its code; one UNAVAILABLE makes the whole answer
    // a 503 that tells the client when to retry.
    let unavailable = response.errors.iter().any(|error| {
        error
            .extensions
            .as_ref()
            .and_then(|extensions| extensions.get("code"))
            .is_some_and(|code| matches!(code, Value::String(code) if code == "UNAVAILABLE"))
    });
    let mut response = GraphQLResponse::from(response).into_response();
    if unavailable {
        state.health.suspect();
        *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, retry_after());
    }
    response
}

/// Seconds a client should wait before retrying an UNAVAILABLE answer.
const RETRY_AFTER_SECS: u32 = 2;

fn retry_after() -> header::HeaderValue {
    header::HeaderValue::from(RETRY_AFTER_SECS)
}

/// The actor of a `Authorization: Bearer <JWT>` header.
fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Actor, AppError> {
    let header = headers.get(header::AUTHORIZATION).ok_or_else(|| {
        AppError::Unauthenticated("an Authorization: Bearer <token> header is required".into())
    })?;
    let token = header
        .to_str()
        .ok()
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .ok_or_else(|| {
            AppError::Unauthenticated("the Authorization header must be `Bearer <token>`".into())
        })?;
    state.keys.verify(token)
}

/// A GraphQL-shaped error body for failures outside execution.
pub(super) fn error_response(
    status: StatusCode,
    error: &AppError,
    request_id: Option<&str>,
) -> Response {
    let mut extensions = json!({ "code": error.code() });
    if let Some(id) = request_id {
        extensions["requestId"] = json!(id);
    }
    let message = error.to_string();
    let message = excerpt(&message).unwrap_or(message);
    let mut response = (
        status,
        Json(json!({ "errors": [{ "message": message, "extensions": extensions }] })),
    )
        .into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer"),
        );
    }
    if matches!(error, AppError::Unavailable { .. }) {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, retry_after());
    }
    response
}

/// A request body that is not a GraphQL request: malformed JSON, or too large.
pub struct BadRequest(async_graphql::ParseRequestError);

impl From<async_graphql::ParseRequestError> for BadRequest {
    fn from(error: async_graphql::ParseRequestError) -> Self {
        Self(error)
    }
}

impl IntoResponse for BadRequest {
    fn into_response(self) -> Response {
        let too_large = matches!(&self.0, async_graphql::ParseRequestError::PayloadTooLarge)
            || self.0.to_string().contains("length limit exceeded");
        let (status, message) = if too_large {
            (
                StatusCode::PAYLOAD_TOO_LARGE,
                "the request body is larger than allowed".to_string(),
            )
        } else {
            (
                StatusCode::BAD_REQUEST,
                format!("not a GraphQL request: {}", self.0),
            )
        };
        let error = AppError::BadUserInput {
            message,
            field: None,
        };
        error_response(status, &error, None)
    }
}
