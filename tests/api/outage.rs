//! Errors that tell the truth when the database cannot serve: a busy SQLite database, a
//! PostgreSQL outage (through a proxy the test cuts and restores), a saturated pool, a request
//! over the time limit, and SQLite write transactions that read before they write.

use crate::helpers::district_today;
use std::{
    any::Any,
    sync::Mutex,
    time::{Duration, Instant},
};

use sea_orm::{
    ConnectionTrait, DatabaseTransaction, DbBackend, SqliteTransactionMode, TransactionOptions,
    TransactionTrait, sqlx,
};
use serde_json::{Value, json};
use tokio::{
    io::copy_bidirectional,
    net::{TcpListener, TcpStream},
    task::{JoinHandle, JoinSet},
};

use crate::helpers::{Backend, TestApp, on_both_backends, postgres_address, postgres_enabled};

const CREATE_GUARDIAN: &str = "mutation($input: CreateGuardianInput!) { createGuardian(input: $input) { guardian { id } userErrors { field code message } } }";
const ATTENDANCE: &str = "mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { created updated userErrors { field code } } }";
const DISTRICT: &str = "{ district { name } }";

fn guardian(sourced_id: &str) -> Value {
    json!({ "input": { "firstName": "Rosa", "lastName": "Diaz", "sourceSystem": "sis", "sourcedId": sourced_id } })
}

/// What came back, and how long it took.
struct Answer {
    status: u16,
    retry_after: Option<String>,
    request_id: Option<String>,
    body: Value,
    elapsed: Duration,
}

impl Answer {
    fn code(&self) -> &str {
        self.body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_default()
    }
}

async fn send(app: &TestApp, query: &str, variables: Value) -> Answer {
    let started = Instant::now();
    let response = reqwest::Client::new()
        .post(format!("{}/graphql", app.url))
        .header(
            reqwest::header::AUTHORIZATION,
            app.as_admin().authorization().expect("a token"),
        )
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("the server answers");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(String::from)
    };
    let (status, retry_after, request_id) = (
        response.status().as_u16(),
        header("retry-after"),
        header("x-request-id"),
    );
    let body = response.json().await.unwrap_or(Value::Null);
    Answer {
        status,
        retry_after,
        request_id,
        body,
        elapsed: started.elapsed(),
    }
}

/// Another writer, until the returned transaction ends: on SQLite it holds the write lock, on
/// PostgreSQL a lock on the guardian table that blocks inserts.
async fn hold_writes(app: &TestApp) -> DatabaseTransaction {
    let (txn, statement) = match app.db.get_database_backend() {
        DbBackend::Sqlite => {
            let options = TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            };
            let txn = app.db.begin_with_options(options).await.expect("begin");
            (txn, "UPDATE district SET name = name")
        }
        _ => {
            let txn = app.db.begin().await.expect("begin");
            (txn, "LOCK TABLE guardian IN EXCLUSIVE MODE")
        }
    };
    txn.execute_unprepared(statement).await.expect("lock");
    txn
}

/// A busy database is UNAVAILABLE (503, Retry-After), not a duplicate: nothing was written, and
/// the same input succeeds once the other writer is done. (SQLite's busy timeout is 10 s.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_sqlite_database_is_unavailable_not_a_duplicate() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let lock = hold_writes(&app).await;
    let answer = send(&app, CREATE_GUARDIAN, guardian("G-1")).await;
    lock.rollback().await.expect("rollback");
    assert_eq!(answer.status, 503, "{}", answer.body);
    assert_eq!(answer.code(), "UNAVAILABLE", "{}", answer.body);
    assert_eq!(answer.retry_after.as_deref(), Some("2"));
    assert_eq!(
        answer.body["errors"][0]["extensions"]["requestId"].as_str(),
        answer.request_id.as_deref()
    );
    assert!(
        answer.body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("busy")),
        "{}",
        answer.body
    );
    assert_eq!(app.count_rows("guardian").await, 0);

    let created = app
        .as_admin()
        .query(CREATE_GUARDIAN, guardian("G-1"))
        .await
        .data();
    assert_eq!(created["createGuardian"]["userErrors"], json!([]));
    assert!(created["createGuardian"]["guardian"]["id"].is_string());
}

/// A sync push against a busy database is UNAVAILABLE as a whole, never a per-record result
/// (a DUPLICATE or an ERROR the SIS would act on), and nothing is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_push_against_a_busy_database_is_unavailable() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let push = "mutation($input: SyncGuardiansInput!) { syncGuardians(input: $input) { results { status } } }";
    let records = json!([{ "sourcedId": "G-1", "firstName": "Ana", "lastName": "Reyes" }]);
    let input = json!({ "input": { "sourceSystem": "sis", "records": records } });
    let lock = hold_writes(&app).await;
    let answer = send(&app, push, input.clone()).await;
    lock.rollback().await.expect("rollback");
    assert_eq!(
        (answer.status, answer.code()),
        (503, "UNAVAILABLE"),
        "{}",
        answer.body
    );
    assert!(
        answer.body["data"].is_null(),
        "no per-record results: {}",
        answer.body
    );
    assert_eq!(app.count_rows("guardian").await, 0);
    let again = send(&app, push, input).await;
    assert_eq!(
        again.body["data"]["syncGuardians"]["results"][0]["status"],
        "CREATED"
    );
}

/// A write transaction that reads first (recordAttendance looks for the days it may update)
/// waits for another writer and then succeeds. A deferred transaction would fail busy at once:
/// SQLite cannot wait for the write lock on behalf of a transaction that has already read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_write_that_reads_first_waits_for_another_writer() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let school = app.school("North").await;
    let student = app.student("Ana", "Reyes").with("gradeLevel", "04").await;
    let day = (district_today() - chrono::Duration::days(3)).to_string();
    let input = json!({ "input": { "days": [{ "studentId": student, "schoolId": school, "date": day, "status": "PRESENT" }] } });

    let lock = hold_writes(&app).await;
    let (answer, ()) = tokio::join!(send(&app, ATTENDANCE, input), async {
        tokio::time::sleep(Duration::from_secs(1)).await;
        lock.commit().await.expect("the other writer commits");
    });
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(answer.body.get("errors").is_none(), "{}", answer.body);
    assert_eq!(answer.body["data"]["recordAttendance"]["created"], 1);
    assert!(
        answer.elapsed >= Duration::from_millis(900),
        "it waited for the other writer"
    );
}

/// A request over the time limit gets a GraphQL error body with a code and the request id.
async fn a_request_over_the_time_limit_says_so(backend: Backend) {
    let app = TestApp::spawn_with(backend, &["--request-timeout-secs", "1"]).await;
    let lock = hold_writes(&app).await;
    let answer = send(&app, CREATE_GUARDIAN, guardian("G-2")).await;
    lock.rollback().await.expect("rollback");
    assert_eq!(answer.status, 408, "{}", answer.body);
    assert_eq!(answer.code(), "TIMEOUT", "{}", answer.body);
    let error = &answer.body["errors"][0];
    assert!(
        error["message"].as_str().is_some_and(|m| m.contains("1 s")),
        "{error}"
    );
    assert_eq!(
        error["extensions"]["requestId"].as_str(),
        answer.request_id.as_deref()
    );
    assert!(
        answer.elapsed < Duration::from_secs(3),
        "{:?}",
        answer.elapsed
    );
}

/// `/readyz` tells a pool whose connections are all in use (429, "saturated") from a database
/// that is down, within a second.
async fn readiness_tells_a_saturated_pool_from_a_database_that_is_down(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let held = hold_every_connection(&app).await;
    let started = Instant::now();
    let ready = app.get("/readyz").await;
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(ready.status(), 429);
    let body: Value = ready.json().await.unwrap();
    assert_eq!(body["database"], "saturated", "{body}");

    drop(held);
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.json::<Value>().await.unwrap()["database"], "ok");
}

/// Every connection of the app's pool, held until dropped.
async fn hold_every_connection(app: &TestApp) -> Box<dyn Any + Send> {
    async fn hold<DB: sqlx::Database>(
        pool: &sqlx::Pool<DB>,
    ) -> Vec<sqlx::pool::PoolConnection<DB>> {
        let mut held = Vec::new();
        for _ in 0..pool.options().get_max_connections() {
            held.push(pool.acquire().await.expect("a connection"));
        }
        held
    }
    match app.db.get_database_backend() {
        DbBackend::Sqlite => Box::new(hold(app.db.get_sqlite_connection_pool()).await),
        _ => Box::new(hold(app.db.get_postgres_connection_pool()).await),
    }
}

on_both_backends!(
    a_request_over_the_time_limit_says_so,
    readiness_tells_a_saturated_pool_from_a_database_that_is_down,
);

/// PostgreSQL stops (the proxy refuses connections and drops open ones): once that is known,
/// within a few seconds, `/readyz` says "down" within a second and every request fails within
/// a second with UNAVAILABLE, 503 and Retry-After. When it is back, requests succeed again
/// without a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_outage_fails_fast_and_recovers_without_a_restart() {
    if !postgres_enabled() {
        return;
    }
    let upstream = postgres_address();
    let proxy = Proxy::start(upstream.clone()).await;
    let through = proxy.address.clone();
    let app = TestApp::spawn_routed(Backend::Postgres, &[], |url| {
        url.replacen(&upstream, &through, 1)
    })
    .await;
    app.as_admin().query(DISTRICT, json!({})).await.data();

    proxy.cut().await;
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let started = Instant::now();
        let ready = app.get("/readyz").await;
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "/readyz is quick"
        );
        if ready.status() == 503 {
            assert_eq!(ready.json::<Value>().await.unwrap()["database"], "down");
            break;
        }
        assert!(Instant::now() < deadline, "the outage is noticed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for (query, variables) in [(DISTRICT, json!({})), (CREATE_GUARDIAN, guardian("G-3"))] {
        let answer = send(&app, query, variables).await;
        assert_eq!(answer.status, 503, "{}", answer.body);
        assert_eq!(answer.code(), "UNAVAILABLE", "{}", answer.body);
        assert_eq!(answer.retry_after.as_deref(), Some("2"));
        assert!(
            answer.elapsed < Duration::from_secs(2),
            "{:?}",
            answer.elapsed
        );
    }

    proxy.restore().await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while send(&app, DISTRICT, json!({})).await.status != 200 {
        assert!(Instant::now() < deadline, "requests succeed again");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let created = app
        .as_admin()
        .query(CREATE_GUARDIAN, guardian("G-3"))
        .await
        .data();
    assert_eq!(created["createGuardian"]["userErrors"], json!([]));
}

/// A TCP proxy to PostgreSQL that the test can cut, as if the server stopped (its port refuses
/// connections, open ones are dropped), and restore on the same port.
struct Proxy {
    address: String,
    upstream: String,
    serving: Mutex<Option<JoinHandle<()>>>,
}

impl Proxy {
    async fn start(upstream: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let proxy = Self {
            address: listener.local_addr().expect("address").to_string(),
            upstream,
            serving: Mutex::new(None),
        };
        proxy.serve(listener);
        proxy
    }

    fn serve(&self, listener: TcpListener) {
        let upstream = self.upstream.clone();
        // The pipes belong to the serving task: aborting it closes them all.
        let task = tokio::spawn(async move {
            let mut pipes = JoinSet::new();
            while let Ok((mut client, _)) = listener.accept().await {
                while pipes.try_join_next().is_some() {}
                let upstream = upstream.clone();
                pipes.spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(upstream).await {
                        let _ = copy_bidirectional(&mut client, &mut server).await;
                    }
                });
            }
        });
        *self.serving.lock().unwrap() = Some(task);
    }

    async fn cut(&self) {
        let task = self.serving.lock().unwrap().take();
        if let Some(task) = task {
            task.abort();
            let _ = task.await;
        }
    }

    async fn restore(&self) {
        let listener = TcpListener::bind(&self.address).await.expect("rebind");
        self.serve(listener);
    }
}
