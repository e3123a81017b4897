//! `POST /integrations/oneroster`: a OneRoster 1.2 CSV set uploaded as a zip (the body), for
//! an SIS integration or a district admin. The body is written to a temporary file as it
//! arrives (up to `SSW_MAX_UPLOAD_BYTES`), read from there, and imported in one transaction;
//! the answer is the import's report: 200 when the set is good, 422 with every problem (at
//! file, line and column) when it is not. Query parameters: `dryRun`, `sourceSystem`
//! (default `oneroster`), `confirmClosures`.

use std::io::Write as _;

use axum::{
    Json,
    body::Body,
    extract::{Query, Request, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use futures::StreamExt;
use serde::Deserialize;

use super::{
    AppState,
    graphql::{error_response, identify},
    media::Media,
    request_id,
};
use crate::{
    errors::AppError,
    integrations::{
        oneroster::{
            self,
            import::{ImportOptions, ImportReport},
        },
        sync::CloseLimit,
    },
};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Params {
    #[serde(default)]
    dry_run: bool,
    source_system: Option<String>,
    #[serde(default)]
    confirm_closures: bool,
}

/// The upload route's state: the app's, and the upload limits.
#[derive(Clone)]
pub struct Upload {
    pub state: AppState,
    pub max_bytes: usize,
    pub close_limit: CloseLimit,
}

pub async fn import(
    State(upload): State<Upload>,
    Query(params): Query<Params>,
    request: Request,
) -> Response {
    let media = Media::negotiate(request.headers());
    let request_id = request_id(request.headers());
    let fail =
        |status, error: &AppError| error_response(status, error, request_id.as_deref(), media);
    let state = &upload.state;
    let actor = match identify(state, request.headers(), request_id.as_deref(), media).await {
        Ok(actor) => actor,
        Err(refused) => return refused,
    };
    if let Err(error) = crate::auth::policy::write_roster(&actor) {
        return fail(StatusCode::FORBIDDEN, &error);
    }
    let file = match receive(request.into_body(), upload.max_bytes).await {
        Ok(file) => file,
        Err(error) => return fail(StatusCode::BAD_REQUEST, &error),
    };
    let read =
        tokio::task::spawn_blocking(move || oneroster::read_path(file.path(), &mut |_| {})).await;
    let set = match read {
        Ok(Ok(set)) => set,
        Ok(Err(errors)) => return answer(ImportReport::unreadable(errors)),
        Err(error) => {
            return fail(
                StatusCode::INTERNAL_SERVER_ERROR,
                &AppError::internal(error),
            );
        }
    };
    let options = ImportOptions {
        source_system: params.source_system.unwrap_or_else(|| "oneroster".into()),
        dry_run: params.dry_run,
        confirm_closures: params.confirm_closures,
        close_limit: upload.close_limit,
    };
    let mut quiet = |_| {};
    match oneroster::import::import(&state.db, &actor, &set, &options, &mut quiet).await {
        Ok(report) => answer(report),
        Err(error) => {
            let status = match error {
                AppError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
                AppError::Forbidden(_) => StatusCode::FORBIDDEN,
                AppError::BadUserInput { .. } => StatusCode::BAD_REQUEST,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            if status == StatusCode::INTERNAL_SERVER_ERROR {
                tracing::error!(request_id, %error, "OneRoster import failed");
            }
            fail(status, &error)
        }
    }
}

/// The report, 200 for a good set and 422 for one with problems.
fn answer(report: ImportReport) -> Response {
    let status = if report.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, Json(report)).into_response()
}

/// Writes the body to a temporary file as it arrives, refusing one over `max_bytes`.
async fn receive(body: Body, max_bytes: usize) -> Result<tempfile::NamedTempFile, AppError> {
    let mut file = tempfile::NamedTempFile::new().map_err(AppError::internal)?;
    let mut stream = body.into_data_stream();
    let mut size = 0;
    while let Some(chunk) = stream.next().await {
        let chunk =
            chunk.map_err(|e| AppError::bad_input("body", format!("the upload broke off: {e}")))?;
        size += chunk.len();
        if size > max_bytes {
            return Err(AppError::bad_input(
                "body",
                format!("the upload is larger than allowed ({max_bytes} bytes)"),
            ));
        }
        file.write_all(&chunk).map_err(AppError::internal)?;
    }
    if size == 0 {
        return Err(AppError::bad_input(
            "body",
            "send the OneRoster set as a zip file in the body",
        ));
    }
    Ok(file)
}
