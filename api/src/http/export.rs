//! `GET /export/{dataset}.ndjson` and `.csv`: a flat dataset streamed as it is read
//! (`integrations::bi::export`), for the roles that read the change feed, authenticated like
//! `/graphql`. Query parameters: `since` (an RFC 3339 time or a date: rows changed since),
//! `school` (a school's id: rows about students enrolled there today). Each export writes an
//! audit event first.

use axum::{
    body::Body,
    extract::{Path, Query, Request, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

use super::{AppState, graphql::error_response, graphql::identify, media::Media, request_id};
use crate::{
    db,
    errors::AppError,
    graphql::ids,
    integrations::bi::export::{self, Dataset, Format},
    roster::School,
};

#[derive(Deserialize)]
pub struct Params {
    since: Option<String>,
    school: Option<String>,
}

pub async fn export(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(params): Query<Params>,
    request: Request,
) -> Response {
    let headers = request.headers();
    let media = Media::negotiate(headers);
    let request_id = request_id(headers);
    let fail =
        |status, error: &AppError| error_response(status, error, request_id.as_deref(), media);
    let actor = match identify(&state, headers, request_id.as_deref(), media).await {
        Ok(actor) => actor,
        Err(refused) => return refused,
    };
    let asked = match read_request(&file, &params) {
        Ok(asked) => asked,
        Err(error) => return fail(StatusCode::BAD_REQUEST, &error),
    };
    let (content_type, format) = match asked.format {
        Format::Ndjson => ("application/x-ndjson", "ndjson"),
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
    };
    let detail = format!(
        "format={format};since={};school={}",
        params.since.as_deref().unwrap_or(""),
        params.school.as_deref().unwrap_or("")
    );
    let dataset = asked.dataset.name;
    let receiver = match export::start(state.read_db.clone(), &actor, asked) {
        Ok(receiver) => receiver,
        Err(error) => return fail(StatusCode::FORBIDDEN, &error),
    };
    let audited = db::audit_export(&state.db, &actor, request_id.clone(), (dataset, detail));
    if let Err(error) = audited.await {
        return fail(StatusCode::SERVICE_UNAVAILABLE, &error);
    }
    let chunks = futures::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|chunk| (chunk, receiver))
    });
    let body = Body::from_stream(chunks);
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// The dataset and format of `file` (`progress_points.csv`), and the filters.
fn read_request(file: &str, params: &Params) -> Result<export::Request, AppError> {
    let (name, extension) = file.rsplit_once('.').unwrap_or((file, ""));
    let format = match extension {
        "ndjson" => Format::Ndjson,
        "csv" => Format::Csv,
        _ => {
            return Err(AppError::bad_input(
                "path",
                "ask for `<dataset>.ndjson` or `<dataset>.csv`",
            ));
        }
    };
    let dataset = Dataset::named(name).ok_or_else(|| {
        let known: Vec<&str> = export::DATASETS.iter().map(|d| d.name).collect();
        AppError::bad_input(
            "path",
            format!("no dataset `{name}`; there are {}", known.join(", ")),
        )
    })?;
    let since = params.since.as_deref().map(since).transpose()?;
    let school = match params.school.as_deref() {
        Some(id) => Some(ids::decode_as::<School>(&id.into(), "school")?),
        None => None,
    };
    Ok(export::Request {
        dataset,
        format,
        since,
        school,
    })
}

/// An RFC 3339 time, or a date (its start, UTC).
fn since(text: &str) -> Result<DateTime<Utc>, AppError> {
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Ok(time.to_utc());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|date| date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
        .map_err(|_| {
            AppError::bad_input("since", "since is a date (2026-09-01) or an RFC 3339 time")
        })
}
