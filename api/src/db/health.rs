//! Whether the database can serve, known without waiting on it.
//!
//! A pool whose database is down makes every request wait out the acquire timeout (sqlx keeps
//! retrying a refused connection until then). So a monitor pings through the pool every second
//! and, when that fails, opens a connection of its own to tell a database that is **down** from
//! a pool that is merely **saturated** (every connection busy, the database answering). While
//! the database is known to be down, requests are refused at once with `UNAVAILABLE`; the
//! monitor keeps probing and lets them through again as soon as the database answers.

use std::{
    sync::{Arc, Mutex, PoisonError, Weak},
    time::{Duration, Instant},
};

use sea_orm::{
    DatabaseConnection, DbBackend,
    sqlx::{self, ConnectOptions as _, Connection as _},
};
use tokio::{sync::Notify, time::timeout};

/// Pauses of the monitor between checks: while up, and while down (to notice recovery fast).
const CHECK_EVERY: Duration = Duration::from_secs(1);
const PROBE_EVERY: Duration = Duration::from_millis(500);
/// Bounds of one check, so that `/readyz` answers within a second in every state.
const ACQUIRE_WITHIN: Duration = Duration::from_millis(200);
const PING_WITHIN: Duration = Duration::from_millis(200);
const CONNECT_WITHIN: Duration = Duration::from_millis(500);

/// What the last check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Up,
    /// The database answers, but every connection of the pool is in use.
    Saturated,
    /// The database does not accept connections.
    Down,
}

/// The database's status, shared by every request, and the monitor that keeps it current.
pub struct Health {
    db: DatabaseConnection,
    state: Mutex<(Status, Instant)>,
    wake: Notify,
}

impl Health {
    /// Starts monitoring `db`; the monitor stops once the last `Arc` is dropped.
    pub fn start(db: DatabaseConnection) -> Arc<Self> {
        let health = Arc::new(Self {
            db,
            state: Mutex::new((Status::Up, Instant::now())),
            wake: Notify::new(),
        });
        tokio::spawn(monitor(Arc::downgrade(&health)));
        health
    }

    /// Whether the database is known to be down (requests need not try it).
    pub fn is_down(&self) -> bool {
        self.status() == Status::Down
    }

    /// A request found the database unavailable: check now rather than at the next tick.
    pub fn suspect(&self) {
        self.wake.notify_one();
    }

    /// Checks the database now (within about a second) and records what it found.
    pub async fn check(&self) -> Status {
        let known_down = self.is_down();
        let (status, cause) = match self.db.get_database_backend() {
            DbBackend::Postgres => probe(self.db.get_postgres_connection_pool(), known_down).await,
            DbBackend::Sqlite => probe(self.db.get_sqlite_connection_pool(), known_down).await,
            _ => (Status::Up, String::new()),
        };
        self.record(status, &cause);
        status
    }

    fn status(&self) -> Status {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).0
    }

    /// Stores `status`, logging each change once with its cause.
    fn record(&self, status: Status, cause: &str) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let (previous, since) = *state;
        if previous == status {
            return;
        }
        let after = since.elapsed().as_secs_f64();
        match status {
            Status::Down => tracing::error!(cause, "database down: requests are refused"),
            Status::Saturated => tracing::warn!(cause, "database connection pool saturated"),
            Status::Up if previous == Status::Down => {
                tracing::info!(after_secs = after, "database reachable again")
            }
            Status::Up => tracing::info!(
                after_secs = after,
                "database connection pool has room again"
            ),
        }
        *state = (status, Instant::now());
    }
}

async fn monitor(health: Weak<Health>) {
    while let Some(health) = health.upgrade() {
        let pause = if health.is_down() {
            PROBE_EVERY
        } else {
            CHECK_EVERY
        };
        tokio::select! {
            () = tokio::time::sleep(pause) => {}
            () = health.wake.notified() => {}
        }
        health.check().await;
    }
}

/// A ping through the pool; failing that, a connection of our own, outside the pool, which
/// tells down (no connection) from saturated (connected, but the pool has none free).
async fn probe<DB: sqlx::Database>(pool: &sqlx::Pool<DB>, known_down: bool) -> (Status, String) {
    if pool.is_closed() {
        return (Status::Down, "the connection pool is closed".into());
    }
    if !known_down
        && let Ok(Ok(mut connection)) = timeout(ACQUIRE_WITHIN, pool.acquire()).await
        && let Ok(Ok(())) = timeout(PING_WITHIN, connection.ping()).await
    {
        return (Status::Up, String::new());
    }
    match timeout(CONNECT_WITHIN, pool.connect_options().connect()).await {
        Ok(Ok(connection)) => {
            let _ = connection.close().await;
            let max = pool.options().get_max_connections();
            if pool.size() >= max && pool.num_idle() == 0 {
                let cause = format!("all {max} connections are in use; the database answers");
                (Status::Saturated, cause)
            } else {
                (Status::Up, String::new())
            }
        }
        // The server answered but has no connection slot left: up, and full.
        Ok(Err(error))
            if error
                .as_database_error()
                .and_then(|e| e.code())
                .is_some_and(|code| code == "53300") =>
        {
            (Status::Saturated, error.to_string())
        }
        Ok(Err(error)) => (Status::Down, error.to_string()),
        Err(_) => (
            Status::Down,
            format!("no connection within {} ms", CONNECT_WITHIN.as_millis()),
        ),
    }
}
