//! What a resolver can reach: the actor, the database, the per-request loaders, and a way
//! to start a write. Request data is filled in once, by the HTTP handler.

use async_graphql::Context;
use sea_orm::DatabaseConnection;

use super::batch::PageBatches;
use crate::{
    auth::Actor,
    db::Write,
    errors::{AppError, AppResult},
    mtss, roster,
};

/// The id of the HTTP request, for logs and error extensions.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Everything one request carries, built once per request from the verified actor.
pub fn request_data(
    request: async_graphql::Request,
    db: &DatabaseConnection,
    actor: Actor,
    request_id: Option<String>,
) -> async_graphql::Request {
    let request = request
        .data(roster::Loaders::new(db, &actor))
        .data(mtss::Loaders::new(db, &actor))
        .data(PageBatches::default())
        .data(actor);
    match request_id {
        Some(id) => request.data(RequestId(id)),
        None => request,
    }
}

pub trait ContextExt {
    /// The caller; every executed request has one (the handler rejects those without).
    fn actor(&self) -> AppResult<&Actor>;
    fn db(&self) -> &DatabaseConnection;
    fn roster(&self) -> &roster::Loaders;
    fn mtss(&self) -> &mtss::Loaders;
    /// Pages of nested relations, loaded once for all parents of a page.
    fn batches(&self) -> &PageBatches;
    fn request_id(&self) -> Option<String>;
    /// Opens a write transaction that records audit and change rows.
    fn write(&self) -> impl Future<Output = AppResult<Write<'_>>> + Send;
}

impl ContextExt for Context<'_> {
    fn actor(&self) -> AppResult<&Actor> {
        self.data_opt::<Actor>()
            .ok_or_else(|| AppError::Unauthenticated("a bearer token is required".into()))
    }

    fn db(&self) -> &DatabaseConnection {
        self.data_unchecked::<DatabaseConnection>()
    }

    fn roster(&self) -> &roster::Loaders {
        self.data_unchecked::<roster::Loaders>()
    }

    fn mtss(&self) -> &mtss::Loaders {
        self.data_unchecked::<mtss::Loaders>()
    }

    fn batches(&self) -> &PageBatches {
        self.data_unchecked::<PageBatches>()
    }

    fn request_id(&self) -> Option<String> {
        self.data_opt::<RequestId>().map(|id| id.0.clone())
    }

    async fn write(&self) -> AppResult<Write<'_>> {
        Write::begin(self.db(), self.actor()?, self.request_id()).await
    }
}
