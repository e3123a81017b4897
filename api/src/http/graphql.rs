//! `/graphql`: GraphQL over HTTP. POST runs any operation, GET queries only; the answer is
//! written in the media type the client accepts (`media`). Authenticate once, attach the
//! request's data, execute. `GET /` serves GraphiQL (`graphiql`; the page itself is public, every
//! query it sends needs a token).

use async_graphql::{
    ParseRequestError, Value, Variables,
    parser::types::{DocumentOperations, OperationType},
};
use async_graphql_axum::{GraphQLRequest, rejection::GraphQLRejection};
use axum::{
    extract::{FromRequest, Query, Request, State},
    http::{HeaderMap, Method, StatusCode, header},
    response::Response,
};
use serde_json::json;

use super::{
    AppState,
    media::{Media, declares_json},
    persisted::Persisted,
    request_id,
};
use crate::{
    auth::{Actor, policy},
    db,
    errors::{AppError, excerpt},
    graphql::{guards, reads::RequestReads},
    schema::request::request_data,
};

pub async fn execute(State(state): State<AppState>, request: Request) -> Response {
    let headers = request.headers().clone();
    let media = Media::negotiate(&headers);
    let request_id = request_id(&headers);
    let method = request.method().clone();
    if method == Method::POST && !declares_json(&headers) {
        let error =
            bad_input("a GraphQL request is a JSON body: send `Content-Type: application/json`");
        return error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &error,
            request_id.as_deref(),
            media,
        );
    }
    let read = if method == Method::POST {
        GraphQLRequest::<GraphQLRejection>::from_request(request, &())
            .await
            .map(GraphQLRequest::into_inner)
            .map_err(|GraphQLRejection(error)| error)
    } else {
        from_query_string(&request)
    };
    let mut request = match read {
        Ok(request) => request,
        Err(error) => return refused(&error, request_id.as_deref(), media),
    };
    // Before anything reads the query: a query sent by hash passes every check below.
    let persisted = match state.persisted.resolve(&mut request) {
        Ok(persisted) => persisted,
        Err(error) => {
            let status = match (&error, media) {
                // Apollo's clients give up on persisted queries after a 400 or 500.
                (AppError::PersistedQueryNotFound, Media::GraphQLResponse) => StatusCode::NOT_FOUND,
                _ => media.request_error_status(),
            };
            return error_response(status, &error, request_id.as_deref(), media);
        }
    };
    if method != Method::POST && runs_a_mutation(&mut request) {
        let error = bad_input("mutations are sent by POST, never by GET");
        let mut response = error_response(
            StatusCode::METHOD_NOT_ALLOWED,
            &error,
            request_id.as_deref(),
            media,
        );
        response
            .headers_mut()
            .insert(header::ALLOW, header::HeaderValue::from_static("POST"));
        return response;
    }
    let actor = match identify(&state, &headers, request_id.as_deref(), media).await {
        Ok(actor) => actor,
        Err(refused) => return refused,
    };
    // Statements of this request run on a connection of its own, which counts them.
    let (db, budget) = state
        .statements
        .for_request(&state.db, state.max_statements);
    let kept = match persisted {
        Persisted::Keep(hash) => Some((hash, request.query.clone())),
        Persisted::No | Persisted::Found => None,
    };
    let reads = RequestReads::default();
    let auditor = (actor.clone(), request_id.clone());
    let request = request_data(request, &db, actor, request_id, reads.clone()).data(budget);
    let response = state.schema.execute(request).await;
    // Reads of CONFIDENTIAL fields are audited, and disclosures recorded, before the answer
    // is sent; an answer whose reads cannot be recorded is not sent.
    let (actor, request_id) = auditor;
    let taken = reads.take();
    let taken = (taken.confidential, taken.disclosures);
    if let Err(error) = db::record_reads(&state.db, &actor, request_id.clone(), taken).await {
        tracing::warn!(request_id, %error, "cannot record the request's reads");
        state.health.suspect();
        let unavailable = AppError::Unavailable {
            message: crate::errors::UNREACHABLE,
            cause: "audit".into(),
        };
        let status = StatusCode::SERVICE_UNAVAILABLE;
        return error_response(status, &unavailable, request_id.as_deref(), media);
    }
    if let Some((hash, query)) = kept
        && !is_request_error(&response)
    {
        state.persisted.keep(hash, query);
    }
    answer(&state, &response, media)
}

/// Whether `response` is a request error: refused before execution (parse, validation,
/// limits), so with no `data`.
fn is_request_error(response: &async_graphql::Response) -> bool {
    response.data == Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|error| error.path.is_empty())
}

/// The HTTP answer of an executed request: its status, and no `data` for a request error.
fn answer(state: &AppState, response: &async_graphql::Response, media: Media) -> Response {
    // The error policy has given every error its code; one UNAVAILABLE makes the whole answer
    // a 503 that tells the client when to retry.
    let unavailable = response.errors.iter().any(|error| {
        error
            .extensions
            .as_ref()
            .and_then(|extensions| extensions.get("code"))
            .is_some_and(|code| matches!(code, Value::String(code) if code == "UNAVAILABLE"))
    });
    let request_error = is_request_error(response);
    let status = if unavailable {
        StatusCode::SERVICE_UNAVAILABLE
    } else if request_error {
        media.request_error_status()
    } else {
        StatusCode::OK
    };
    let mut reply = if request_error {
        let mut body = serde_json::to_value(response).unwrap_or_default();
        if let Some(body) = body.as_object_mut() {
            body.remove("data");
        }
        media.respond(status, body)
    } else {
        media.respond(status, response)
    };
    if unavailable {
        state.health.suspect();
        reply
            .headers_mut()
            .insert(header::RETRY_AFTER, retry_after());
    }
    reply
}

/// A GET's request: `query`, `operationName`, and `variables` and `extensions` as JSON, as
/// GraphQL over HTTP names them (async-graphql's own reader expects `operation_name`).
fn from_query_string(request: &Request) -> Result<async_graphql::Request, ParseRequestError> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Params {
        #[serde(default)]
        query: String,
        operation_name: Option<String>,
        variables: Option<String>,
        extensions: Option<String>,
    }
    let invalid = |error: String| ParseRequestError::Io(std::io::Error::other(error));
    let Query(params) =
        Query::<Params>::try_from_uri(request.uri()).map_err(|error| invalid(error.body_text()))?;
    let mut read = async_graphql::Request::new(params.query);
    read.operation_name = params.operation_name;
    if let Some(variables) = params.variables {
        let variables = serde_json::from_str(&variables)
            .map_err(|error| invalid(format!("variables is not a JSON object: {error}")))?;
        read.variables = Variables::from_json(variables);
    }
    if let Some(extensions) = params.extensions {
        read.extensions = serde_json::from_str(&extensions)
            .map_err(|error| invalid(format!("extensions is not a JSON object: {error}")))?;
    }
    Ok(read)
}

/// Whether the operation `request` selects is a mutation (not when its text does not parse:
/// running it says why).
fn runs_a_mutation(request: &mut async_graphql::Request) -> bool {
    if !guards::parsable(&request.query) {
        return false;
    }
    let name = request.operation_name.clone();
    let Ok(document) = request.parsed_query() else {
        return false;
    };
    let operation = match &document.operations {
        DocumentOperations::Single(operation) => Some(operation),
        DocumentOperations::Multiple(operations) => match name.as_deref() {
            Some(name) => operations.get(name),
            // A lone named operation runs without its name being sent.
            None if operations.len() == 1 => operations.values().next(),
            None => None,
        },
    };
    operation.is_some_and(|operation| operation.node.ty == OperationType::Mutation)
}

fn bad_input(message: impl Into<String>) -> AppError {
    AppError::BadUserInput {
        message: message.into(),
        field: None,
    }
}

/// Seconds a client should wait before retrying an UNAVAILABLE answer.
const RETRY_AFTER_SECS: u32 = 2;

fn retry_after() -> header::HeaderValue {
    header::HeaderValue::from(RETRY_AFTER_SECS)
}

/// The caller of a request (its bearer token), with its district's today; or the answer that
/// refuses it (unauthenticated, or the database unavailable).
pub(super) async fn identify(
    state: &AppState,
    headers: &HeaderMap,
    request_id: Option<&str>,
    media: Media,
) -> Result<Actor, Response> {
    let mut actor = match authenticate(state, headers) {
        Ok(actor) => actor,
        Err(error) => {
            tracing::info!(reason = %error, "request refused: unauthenticated");
            return Err(error_response(
                StatusCode::UNAUTHORIZED,
                &error,
                request_id,
                media,
            ));
        }
    };
    if state.health.is_down() {
        let error = AppError::Unavailable {
            message: crate::errors::UNREACHABLE,
            cause: "known down".into(),
        };
        return Err(error_response(
            StatusCode::SERVICE_UNAVAILABLE,
            &error,
            request_id,
            media,
        ));
    }
    match state.districts.facts(&state.db, actor.district_id).await {
        Ok(facts) => {
            actor.today = facts.today();
            if policy::knows_students_by_pseudonym(&actor) {
                actor.pseudonyms = Some(facts.pseudonyms);
            }
        }
        Err(error @ AppError::Unavailable { .. }) => {
            tracing::warn!(request_id, %error, "cannot read the district's time zone");
            state.health.suspect();
            return Err(error_response(
                StatusCode::SERVICE_UNAVAILABLE,
                &error,
                request_id,
                media,
            ));
        }
        Err(error) => {
            tracing::error!(request_id, %error, "cannot read the district's time zone");
            let masked =
                AppError::Internal(std::sync::Arc::new(std::io::Error::other("internal error")));
            return Err(error_response(
                StatusCode::SERVICE_UNAVAILABLE,
                &masked,
                request_id,
                media,
            ));
        }
    }
    Ok(actor)
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

/// A GraphQL-shaped error body for failures outside execution, in the negotiated media type.
pub(super) fn error_response(
    status: StatusCode,
    error: &AppError,
    request_id: Option<&str>,
    media: Media,
) -> Response {
    let mut extensions = json!({ "code": error.code() });
    if let Some(id) = request_id {
        extensions["requestId"] = json!(id);
    }
    let message = error.to_string();
    let message = excerpt(&message).unwrap_or(message);
    let mut response = media.respond(
        status,
        json!({ "errors": [{ "message": message, "extensions": extensions }] }),
    );
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

/// The answer to a request that is not a GraphQL request: malformed JSON or query string, a
/// batch (refused: see the README), or a body too large.
fn refused(error: &ParseRequestError, request_id: Option<&str>, media: Media) -> Response {
    let too_large = matches!(error, ParseRequestError::PayloadTooLarge)
        || error.to_string().contains("length limit exceeded");
    let (status, message) = if too_large {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            "the request body is larger than allowed".to_string(),
        )
    } else {
        (
            StatusCode::BAD_REQUEST,
            format!("not a GraphQL request: {error}"),
        )
    };
    error_response(status, &bad_input(message), request_id, media)
}
