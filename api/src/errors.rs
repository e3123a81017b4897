//! The one error vocabulary of ssw-api.
//!
//! Services and resolvers return [`AppError`]; the GraphQL edge (`graphql::errors`) is the one
//! place that turns it into a client-facing error with `extensions.code`, masking internals.

use std::sync::Arc;

use sea_orm::{DbErr, RuntimeErr, SqlErr};

/// Everything that can go wrong while serving a request.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AppError {
    /// No valid credentials: missing, malformed, expired or forged token.
    #[error("{0}")]
    Unauthenticated(String),
    /// Authenticated, but the role may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// No such record, or none the caller may see (the two are not told apart on purpose).
    #[error("{entity} {id} not found")]
    NotFound { entity: &'static str, id: String },
    /// A stale `version`, or a write that collides with an existing row.
    #[error("{0}")]
    Conflict(String),
    /// The request itself is wrong (bad cursor, page size, id, argument).
    #[error("{message}")]
    BadUserInput {
        message: String,
        field: Option<String>,
    },
    /// Anything else: logged with the request id, never shown to the client.
    #[error("internal error: {0}")]
    Internal(Arc<dyn std::error::Error + Send + Sync>),
}

/// The code a client sees in `extensions.code`.
impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated(_) => "UNAUTHENTICATED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::NotFound { .. } => "NOT_FOUND",
            Self::Conflict(_) => "CONFLICT",
            Self::BadUserInput { .. } => "BAD_USER_INPUT",
            Self::Internal(_) => "INTERNAL",
        }
    }

    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::BadUserInput {
            message: message.into(),
            field: Some(field.into()),
        }
    }

    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        Self::NotFound {
            entity,
            id: id.to_string(),
        }
    }

    pub fn internal(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Arc::new(error))
    }
}

/// Database errors are mapped once, here: a unique-key violation is the caller's conflict,
/// everything else is internal.
impl From<DbErr> for AppError {
    fn from(error: DbErr) -> Self {
        match error.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                Self::Conflict("a record with the same key already exists".into())
            }
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => Self::BadUserInput {
                message: "a referenced record does not exist".into(),
                field: None,
            },
            _ if is_busy(&error) => Self::Conflict(
                "the database is busy with a concurrent write; retry the request".into(),
            ),
            _ => Self::internal(error),
        }
    }
}

/// SQLite reports lock contention as "database is locked"; the caller may retry.
fn is_busy(error: &DbErr) -> bool {
    matches!(error, DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))
        if e.to_string().contains("database is locked"))
}

pub type AppResult<T> = Result<T, AppError>;
