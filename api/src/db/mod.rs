//! The database: connecting to SQLite or PostgreSQL (backend quirks live only here), running
//! migrations, the unit of work every write goes through, and loaders scoped by the policy.

mod audit;
mod disclosure;
mod health;
pub mod loader;
pub mod positions;
mod recorded;
mod write;

use std::{
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

pub use audit::{audit_export, audit_sensitive_read, record_reads};
pub use disclosure::{Disclosed, record_disclosures};
pub use health::{Health, Status};
use migration::{Migrator, MigratorTrait};
use prometheus_client::metrics::counter::Counter;
pub use recorded::{Recorded, natural_key};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, Statement,
    sea_query::{Expr, ExprTrait, IntoColumnRef, PgFunc, QueryStatementBuilder, SelectStatement},
    sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous},
};
use uuid::Uuid;
pub use write::{BATCH_ROWS, Write, insert_batches, rows_per_insert};

use crate::config::SqliteDurability;

/// The SQL statements the connection runs: counted for `/metrics` (tests use the count to prove
/// that statements per request do not grow with page size), and copied while someone records
/// them (tests that EXPLAIN what a request ran, to prove its reads do not grow with the
/// district).
#[derive(Clone, Default)]
pub struct Statements {
    pub count: Counter,
    recording: Arc<Mutex<Option<Vec<Statement>>>>,
}

impl Statements {
    /// Starts copying statements (dropping any copied before).
    pub fn record(&self) {
        *self
            .recording
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(Vec::new());
    }

    /// The statements copied since `record`, and stops copying.
    pub fn recorded(&self) -> Vec<Statement> {
        self.recording
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .unwrap_or_default()
    }

    /// A connection to the same pool for one request: its statements are counted here, as
    /// every statement is, and against the request's own `budget` of `cap` statements.
    pub fn for_request(
        &self,
        db: &DatabaseConnection,
        cap: u64,
    ) -> (DatabaseConnection, StatementBudget) {
        let budget = StatementBudget {
            cap,
            spent: Arc::default(),
        };
        let (seen, spent) = (self.clone(), budget.spent.clone());
        let mut db = db.clone();
        db.set_metric_callback(move |info| {
            seen.ran(info.statement);
            if spent.ran.fetch_add(1, Ordering::Relaxed) == cap {
                spent.over.notify_one();
            }
        });
        (db, budget)
    }

    fn ran(&self, statement: &Statement) {
        self.count.inc();
        if let Some(copies) = self
            .recording
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_mut()
        {
            copies.push(statement.clone());
        }
    }
}

/// How many SQL statements one request may still run (see [`Statements::for_request`]).
#[derive(Clone)]
pub struct StatementBudget {
    pub cap: u64,
    spent: Arc<Spent>,
}

#[derive(Default)]
struct Spent {
    ran: AtomicU64,
    over: tokio::sync::Notify,
}

impl StatementBudget {
    /// Completes once the request has run more than `cap` statements (the callback counts a
    /// statement when it has run, so it cannot refuse one: the request is stopped instead).
    pub async fn exceeded(&self) {
        self.spent.over.notified().await;
    }
}

/// Opens the pool for `url` (SQLite file created if missing) and counts its statements.
/// `durability` applies to SQLite only.
pub async fn connect(
    url: &str,
    durability: SqliteDurability,
) -> Result<(DatabaseConnection, Statements), DbErr> {
    let mut options = ConnectOptions::new(url);
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        // WAL lets readers work during a write; the busy timeout queues writers instead of
        // failing them; foreign keys are off by default in SQLite. FULL syncs the log at every
        // commit, so a commit the client saw survives a power loss; NORMAL may lose the last
        // few (the file stays consistent either way).
        let synchronous = match durability {
            SqliteDurability::Full => SqliteSynchronous::Full,
            SqliteDurability::Normal => SqliteSynchronous::Normal,
        };
        options.max_connections(8).map_sqlx_sqlite_opts(move |o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(synchronous)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    } else {
        options.max_connections(20);
    }
    let mut db = Database::connect(options).await?;
    let statements = Statements::default();
    let seen = statements.clone();
    db.set_metric_callback(move |info| seen.ran(info.statement));
    Ok((db, statements))
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Refreshes the query planner's statistics; run after a bulk load. Without them PostgreSQL
/// (autovacuum may be off) estimates a subquery at one row and plans nested loops, and SQLite
/// guesses at index selectivity. On PostgreSQL it also vacuums, which marks the loaded pages
/// all-visible: until then an index-only scan (the worklists' partial indexes) still visits
/// every row in the table.
pub async fn analyze(db: &DatabaseConnection) -> Result<(), DbErr> {
    let statement = match db.get_database_backend() {
        DbBackend::Postgres => "VACUUM ANALYZE",
        _ => "ANALYZE",
    };
    db.execute_unprepared(statement).await.map(|_| ())
}

/// Refreshes PostgreSQL's statistics of `tables` after a bulk write committed (an SIS push of
/// thousands of rows): until then the planner knows the tables as they were, and looked up a
/// thousand pushed keys in 10,000 new rows by a sequential scan (170 ms a lookup, where the
/// index takes milliseconds). SQLite plans by its indexes without statistics: nothing to do.
/// A failure is logged, not returned: the write it follows is committed.
pub async fn analyze_after_bulk(db: &DatabaseConnection, tables: &[&str]) {
    if db.get_database_backend() != DbBackend::Postgres || tables.is_empty() {
        return;
    }
    let statement = format!("ANALYZE {}", tables.join(", "));
    if let Err(error) = db.execute_unprepared(&statement).await {
        tracing::warn!(%error, "could not refresh statistics after a bulk write");
    }
}

/// The calendar year and month (1-12) of a DATE column, as integers: the two backends spell
/// them differently.
pub fn year_and_month(backend: DbBackend, column: &str) -> (String, String) {
    match backend {
        DbBackend::Sqlite => (
            format!("CAST(strftime('%Y', {column}) AS INTEGER)"),
            format!("CAST(strftime('%m', {column}) AS INTEGER)"),
        ),
        _ => (
            format!("CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"),
            format!("CAST(EXTRACT(MONTH FROM {column}) AS INTEGER)"),
        ),
    }
}

/// The whole days from the DATE `from` to the DATE `to` (SQL operands): the two backends
/// spell it differently.
pub fn days_between(backend: DbBackend, from: &str, to: &str) -> String {
    match backend {
        DbBackend::Sqlite => format!("CAST(julianday({to}) - julianday({from}) AS INTEGER)"),
        _ => format!("({to} - {from})"),
    }
}

/// `column IN (ids)` where `ids` is a small set picked by an index (a school's enrollments),
/// written so the rows are looked up by `column`'s index. PostgreSQL plans `IN (subquery)` as
/// a semi-join, and while the table is small enough its cost model prefers hashing every row
/// of it (every student of the district, for one school's page: reads that grow with the
/// district); `= ANY(ARRAY(subquery))` runs the subquery once and probes the index with its
/// ids. SQLite looks `IN (subquery)` rows up by key already.
pub fn in_ids(backend: DbBackend, column: impl IntoColumnRef, ids: SelectStatement) -> Expr {
    let column = Expr::col(column);
    match backend {
        DbBackend::Postgres => column.eq(PgFunc::any(Expr::cust_with_expr(
            "ARRAY($1)",
            Expr::SubQuery(None, Box::new(ids.into_sub_query_statement())),
        ))),
        _ => column.in_subquery(ids),
    }
}

/// `column` is one of `ids` (a page's keys). On PostgreSQL this is `= ANY($1)` with the ids as
/// one array parameter, so the statement's text is the same for any number of ids and its
/// prepared statement is reused: with `IN ($1, ..., $n)` each page size was a new statement,
/// parsed and described in an extra round trip on most requests. SQLite prepares statements
/// cheaply and is given `IN`.
pub fn one_of(backend: DbBackend, column: impl IntoColumnRef, ids: &[Uuid]) -> Expr {
    let column = Expr::col(column);
    match backend {
        DbBackend::Postgres => column.eq(PgFunc::any(Expr::val(ids.to_vec()))),
        _ => column.is_in(ids.iter().copied()),
    }
}

/// A short name of the backend, for logs.
pub fn backend_name(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DbBackend::Sqlite => "sqlite",
        DbBackend::Postgres => "postgres",
        _ => "other",
    }
}
