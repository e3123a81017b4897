//! The one error vocabulary of ssw-api.
//!
//! Services and resolvers return [`AppError`]; the GraphQL edge (`graphql::errors`) is the one
//! place that turns it into a client-facing error with `extensions.code`, masking internals.

use std::sync::Arc;

use sea_orm::{ConnAcquireErr, DbErr, RuntimeErr, SqlErr, SqlxError};

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
    /// A stale `version`, or a write the current state of the record does not allow.
    #[error("{0}")]
    Conflict(String),
    /// A unique key (for example a `sourcedId`) is taken: decided from the database's
    /// unique-constraint violation only, so a mutation can report it as a `DUPLICATE` userError.
    #[error("{0}")]
    Duplicate(String),
    /// The request itself is wrong (bad cursor, page size, id, argument).
    #[error("{message}")]
    BadUserInput {
        message: String,
        field: Option<String>,
    },
    /// The database cannot serve right now (busy with other writes, unreachable, or no
    /// connection free): nothing was written, and the same request may succeed if retried.
    /// `cause` goes to the log only.
    #[error("{message}; retry later")]
    Unavailable {
        message: &'static str,
        cause: String,
    },
    /// A request sent by the hash of a query the server does not hold (automatic persisted
    /// queries): the client sends the query with its hash. The message is the one Apollo's
    /// clients look for.
    #[error("PersistedQueryNotFound")]
    PersistedQueryNotFound,
    /// The request ran longer than the configured limit and was cancelled.
    #[error("the request took longer than {0} s and was cancelled")]
    Timeout(u64),
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
            Self::Conflict(_) | Self::Duplicate(_) => "CONFLICT",
            Self::BadUserInput { .. } => "BAD_USER_INPUT",
            Self::Unavailable { .. } => "UNAVAILABLE",
            Self::PersistedQueryNotFound => "PERSISTED_QUERY_NOT_FOUND",
            Self::Timeout(_) => "TIMEOUT",
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

/// Database errors are mapped once, here: a unique-key violation is a duplicate, a missing
/// referenced row the caller's mistake, a busy or unreachable database a retryable
/// `UNAVAILABLE`, everything else internal.
impl From<DbErr> for AppError {
    fn from(error: DbErr) -> Self {
        match error.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                return Self::Duplicate("a record with the same key already exists".into());
            }
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
                return Self::BadUserInput {
                    message: "a referenced record does not exist".into(),
                    field: None,
                };
            }
            _ => {}
        }
        match unavailable(&error) {
            Some(message) => Self::Unavailable {
                message,
                cause: error.to_string(),
            },
            None => Self::internal(error),
        }
    }
}

/// Why the database cannot serve now, if that is what `error` says.
fn unavailable(error: &DbErr) -> Option<&'static str> {
    let sqlx = match error {
        DbErr::ConnectionAcquire(ConnAcquireErr::Timeout) => return Some(NO_CONNECTION),
        DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed) => return Some(UNREACHABLE),
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => e.as_ref(),
        _ => return None,
    };
    match sqlx {
        SqlxError::PoolTimedOut => Some(NO_CONNECTION),
        SqlxError::Io(_) | SqlxError::Tls(_) | SqlxError::PoolClosed | SqlxError::WorkerCrashed => {
            Some(UNREACHABLE)
        }
        SqlxError::Database(e) => {
            let code = e.code().unwrap_or_default();
            // SQLite: SQLITE_BUSY and SQLITE_LOCKED, with their extended codes.
            let sqlite_busy = code.parse::<u32>().is_ok_and(|c| matches!(c & 0xff, 5 | 6));
            // PostgreSQL: serialization failure, deadlock, lock not available.
            let postgres_busy = matches!(&*code, "40001" | "40P01" | "55P03");
            // PostgreSQL: connection exceptions, shutting down or starting up.
            let postgres_down =
                code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03");
            if sqlite_busy || postgres_busy {
                Some(BUSY)
            } else if postgres_down {
                Some(UNREACHABLE)
            } else if code == "53300" {
                Some(NO_CONNECTION)
            } else {
                None
            }
        }
        _ => None,
    }
}

pub const BUSY: &str = "the database is busy with other writes";
pub const UNREACHABLE: &str = "the database is unreachable";
pub const NO_CONNECTION: &str = "no database connection became free in time";

pub type AppResult<T> = Result<T, AppError>;

/// Most characters of a message line a client sees; a longer line keeps its start and its end
/// (where a caret or the closing words are).
pub const MESSAGE_LINE_CHARS: usize = 100;
/// Most lines of a message a client sees.
pub const MESSAGE_LINES: usize = 10;

/// `message` cut to a short excerpt, if it is long: errors quote the input (a syntax error
/// quotes its line and pads a caret line to the column, a value error the value), and the
/// input may be a megabyte. `None` when it is short already.
pub fn excerpt(message: &str) -> Option<String> {
    let lines = message.lines().count();
    let long = message.lines().any(|line| line.len() > MESSAGE_LINE_CHARS);
    if !long && lines <= MESSAGE_LINES {
        return None;
    }
    let mut shown: Vec<String> = message
        .lines()
        .take(MESSAGE_LINES)
        .map(shorten_line)
        .collect();
    if lines > MESSAGE_LINES {
        shown.push(format!("[{} more lines]", lines - MESSAGE_LINES));
    }
    Some(shown.join("\n"))
}

fn shorten_line(line: &str) -> String {
    const TAIL: usize = 40;
    let chars = line.chars().count();
    if chars <= MESSAGE_LINE_CHARS {
        return line.to_string();
    }
    let head = MESSAGE_LINE_CHARS - TAIL;
    let (tail_start, _) = line
        .char_indices()
        .nth(chars - TAIL)
        .expect("the line is longer than its tail");
    let head_end = line.char_indices().nth(head).map_or(0, |(at, _)| at);
    format!(
        "{} [{} characters cut] {}",
        &line[..head_end],
        chars - head - TAIL,
        &line[tail_start..]
    )
}

#[cfg(test)]
mod tests {
    use super::{MESSAGE_LINES, excerpt};

    #[test]
    fn long_messages_are_cut_to_an_excerpt() {
        assert_eq!(excerpt("short\nmessage"), None);
        let line = format!("value \"{}é\" is wrong", "x".repeat(10_000));
        let cut = excerpt(&line).unwrap();
        assert!(cut.chars().count() < 140, "{cut}");
        assert!(
            cut.starts_with("value \"xxx") && cut.ends_with("xé\" is wrong"),
            "{cut}"
        );
        assert!(cut.contains("[9918 characters cut]"), "{cut}");
        let many = "line\n".repeat(1_000);
        let cut = excerpt(&many).unwrap();
        assert_eq!(cut.lines().count(), MESSAGE_LINES + 1);
        assert!(cut.ends_with("[990 more lines]"), "{cut}");
    }
}
