//! What a resolver can reach whatever its domain: the actor, the database, the request id,
//! the page batches, and a way to start a write. Each domain reaches its own loaders through
//! an accessor of its own (`roster::RosterContext`, ...); `schema::request` fills them in.

use async_graphql::Context;
use sea_orm::DatabaseConnection;

use super::{batch::PageBatches, pagination::CursorSeal};
use crate::{
    auth::Actor,
    db::Write,
    errors::{AppError, AppResult},
};

/// The database bulk reads use (`DATABASE_READ_URL`, or the primary): set on the schema.
#[derive(Clone)]
pub struct ReadDatabase(pub DatabaseConnection);

/// The id of the HTTP request, for logs and error extensions.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

pub trait ContextExt {
    /// The caller; every executed request has one (the handler rejects those without).
    fn actor(&self) -> AppResult<&Actor>;
    fn db(&self) -> &DatabaseConnection;
    /// The database of bulk reads (the BI feed, exports, aggregates): a read replica when one
    /// is configured. Its statements are not counted in the request's budget.
    fn read_db(&self) -> &DatabaseConnection;
    /// Pages of nested relations, loaded once for all parents of a page.
    fn batches(&self) -> &PageBatches;
    fn request_id(&self) -> Option<String>;
    /// The key that seals and opens cursors (set on the schema).
    fn cursor_seal(&self) -> &CursorSeal;
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

    fn read_db(&self) -> &DatabaseConnection {
        self.data_opt::<ReadDatabase>()
            .map_or_else(|| self.db(), |read| &read.0)
    }

    fn batches(&self) -> &PageBatches {
        self.data_unchecked::<PageBatches>()
    }

    fn request_id(&self) -> Option<String> {
        self.data_opt::<RequestId>().map(|id| id.0.clone())
    }

    fn cursor_seal(&self) -> &CursorSeal {
        self.data_unchecked::<CursorSeal>()
    }

    async fn write(&self) -> AppResult<Write<'_>> {
        Write::begin(self.db(), self.actor()?, self.request_id()).await
    }
}

/// Declares `trait $name` giving a resolver's `Context` this request's `$loaders` of one
/// domain (put into the request data by the schema floor).
macro_rules! loaders_accessor {
    ($name:ident, $method:ident, $loaders:ty) => {
        /// This request's loaders of the domain, reachable from any resolver's context.
        pub trait $name {
            fn $method(&self) -> &$loaders;
        }

        impl $name for async_graphql::Context<'_> {
            fn $method(&self) -> &$loaders {
                self.data_unchecked::<$loaders>()
            }
        }
    };
}
pub(crate) use loaders_accessor;
