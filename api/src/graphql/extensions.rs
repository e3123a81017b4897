//! The one extension every GraphQL request passes through (`Hooks`): its checks before it
//! runs (`checks`), the statement budget while it runs (`guards`), null propagation of every
//! field (`nulls`), and on the way out the error policy (the one place errors become
//! client-facing) and request metrics. One extension for all of them: async-graphql passes
//! every field of every answer through each registered extension in turn, a boxed future per
//! field per extension, and a page of 50 students answers about 3,000 fields.

use std::{
    any::TypeId,
    sync::{Arc, Mutex, PoisonError},
    time::Instant,
};

use async_graphql::{
    Request, Response, ServerError, ServerResult, ValidationResult, Value, Variables,
    extensions::{
        Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery,
        NextPrepareRequest, NextRequest, NextResolve, NextValidation, ResolveInfo,
    },
    parser::types::ExecutableDocument,
};

use super::{
    checks::{Checks, RequestChecks},
    context::RequestId,
    guards::within_budget,
    nulls::Propagation,
};
use crate::{
    db::StatementBudget,
    errors::{AppError, excerpt},
    metrics::{Metrics, OperationLabels, OperationName},
};

/// What wraps every request: `checks` before it runs; null propagation; and the error policy
/// (every error gets an `extensions.code`, and `requestId`, and `field` where one is at fault;
/// internal errors are masked, and logged here with the request id) and `metrics` (requests
/// and their latency by operation name) on the way out.
pub struct Hooks {
    pub metrics: Arc<Metrics>,
    pub checks: RequestChecks,
}

impl ExtensionFactory for Hooks {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(RequestHooks {
            metrics: self.metrics.clone(),
            request_id: Mutex::default(),
            checks: self.checks.start(),
            nulls: Propagation::default(),
        })
    }
}

/// One request's hooks; it remembers the request id from the request's data.
struct RequestHooks {
    metrics: Arc<Metrics>,
    request_id: Mutex<Option<String>>,
    checks: Checks,
    nulls: Propagation,
}

const MASKED: &str = "internal error; the server log has the details under this request id";

#[async_trait::async_trait]
impl Extension for RequestHooks {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let id = request
            .data
            .get(&TypeId::of::<RequestId>())
            .and_then(|data| data.downcast_ref::<RequestId>());
        *self
            .request_id
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = id.map(|id| id.0.clone());
        self.checks.prepare(&mut request)?;
        next.run(ctx, request).await
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        self.checks.parsed(&document, variables)?;
        Ok(document)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        self.checks.validate(next.run(ctx)).await
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let started = Instant::now();
        let budget = ctx.data_opt::<StatementBudget>();
        let run = async { self.nulls.finish(next.run(ctx, operation_name).await) };
        let response = within_budget(budget, run).await;
        self.observe(operation_name, &response, started);
        response
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        self.nulls.resolve(ctx, info, next).await
    }

    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        let request_id = self
            .request_id
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let refused = response.errors.iter().all(|error| error.path.is_empty());
        if refused && response.errors.len() > MAX_REQUEST_ERRORS {
            let more = response.errors.len() - MAX_REQUEST_ERRORS;
            response.errors.truncate(MAX_REQUEST_ERRORS);
            response
                .errors
                .push(ServerError::new(format!("and {more} more errors"), None));
        }
        for error in &mut response.errors {
            apply(error, request_id.as_deref());
        }
        response
    }
}

impl RequestHooks {
    /// Counts the request and its latency by operation name.
    fn observe(&self, operation_name: Option<&str>, response: &Response, started: Instant) {
        let operation = self.metrics.operation_label(operation_name);
        let outcome = if response.errors.is_empty() {
            "ok"
        } else {
            "error"
        };
        self.metrics
            .graphql_requests
            .get_or_create(&OperationLabels {
                operation: operation.clone(),
                outcome,
            })
            .inc();
        self.metrics
            .graphql_duration
            .get_or_create(&OperationName { operation })
            .observe(started.elapsed().as_secs_f64());
    }
}

/// Most errors a refused request (parse, validation, limits: errors without a path) answers
/// with, and a last one saying how many more: 300 KB of unknown arguments make 120,000
/// validation errors, 24 MB; the first ones say what is wrong.
const MAX_REQUEST_ERRORS: usize = 20;

fn apply(error: &mut ServerError, request_id: Option<&str>) {
    if let Some(short) = excerpt(&error.message) {
        error.message = short;
    }
    let (code, field) = match error.source::<AppError>() {
        Some(AppError::Internal(cause)) => {
            tracing::error!(request_id, path = ?error.path, error = %cause, "internal error");
            error.message = MASKED.into();
            ("INTERNAL", None)
        }
        Some(AppError::BadUserInput { field, .. }) => ("BAD_USER_INPUT", field.clone()),
        Some(app @ AppError::Unavailable { cause, .. }) => {
            tracing::warn!(request_id, path = ?error.path, cause, "database unavailable");
            (app.code(), None)
        }
        Some(app) => (app.code(), None),
        // A source we did not wrap in AppError is an internal error by definition.
        None if error.source.is_some() => {
            tracing::error!(request_id, path = ?error.path, message = %error.message, "unmapped error");
            error.message = MASKED.into();
            ("INTERNAL", None)
        }
        // Parse, validation, limit and argument errors of async-graphql: the query is at fault.
        None => ("BAD_USER_INPUT", None),
    };
    let extensions = error.extensions.get_or_insert_with(Default::default);
    extensions.set("code", code);
    if let Some(field) = field {
        extensions.set("field", field);
    }
    if let Some(request_id) = request_id {
        extensions.set("requestId", request_id);
    }
}
