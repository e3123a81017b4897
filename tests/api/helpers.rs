//! The test harness: a fresh app per test (`TestApp::spawn`), tokens shaped like roles, a
//! GraphQL client, and fixture builders that go through the API.
//!
//! PostgreSQL tests use `SSW_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`)
//! and create one database per test. Without a reachable server they are skipped with a notice,
//! unless `CI=true` or `SSW_REQUIRE_POSTGRES=1`, where a missing server fails them.

use std::{
    io::Write as _,
    net::{SocketAddr, TcpStream, ToSocketAddrs},
    sync::{Once, OnceLock},
    time::Duration,
};

use clap::Parser;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use ssw_api::{
    auth::{Actor, Role, jwt::JwtKeys},
    startup::Application,
};
use uuid::Uuid;

pub const SECRET: &str = "test-secret-that-is-long-enough-for-hs256";
pub const ISSUER: &str = "ssw-api";
pub const AUDIENCE: &str = "ssw-api";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

fn postgres_admin_url() -> String {
    std::env::var("SSW_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn postgres_required() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
        || std::env::var("SSW_REQUIRE_POSTGRES").is_ok_and(|v| v == "1")
}

/// `host:port` of the PostgreSQL server the tests use.
pub fn postgres_address() -> String {
    let url = postgres_admin_url();
    url.split('@')
        .next_back()
        .and_then(|rest| rest.split('/').next())
        .unwrap_or("127.0.0.1:5432")
        .to_string()
}

/// Whether the PostgreSQL suite runs; says so once per run when it is skipped.
pub fn postgres_enabled() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    static NOTICE: Once = Once::new();
    let available = *AVAILABLE.get_or_init(|| {
        postgres_address()
            .to_socket_addrs()
            .ok()
            .and_then(|mut addrs| addrs.next())
            .is_some_and(|addr: SocketAddr| {
                TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_ok()
            })
    });
    if !available {
        assert!(
            !postgres_required(),
            "PostgreSQL is required here (CI=true or SSW_REQUIRE_POSTGRES=1) but {} is unreachable",
            postgres_admin_url()
        );
        NOTICE.call_once(|| {
            // Written to the real stderr, past the test harness's capture.
            let _ = writeln!(
                std::io::stderr(),
                "\nNOTICE: PostgreSQL at {} is unreachable: the PostgreSQL suite was SKIPPED (SQLite suite ran).\n",
                postgres_admin_url()
            );
        });
    }
    available
}

/// Runs each named test on SQLite and on PostgreSQL.
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(crate::helpers::Backend::Sqlite).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if crate::helpers::postgres_enabled() {
                        super::$name(crate::helpers::Backend::Postgres).await;
                    }
                }
            )+
        }
    };
}
pub(crate) use on_both_backends;

/// A fresh database: a temp SQLite file, or a new PostgreSQL database dropped afterwards.
enum Storage {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres(String),
}

impl Drop for Storage {
    fn drop(&mut self) {
        if let Storage::Postgres(name) = self {
            let name = name.clone();
            // Drop runs outside async: use a thread with its own small runtime.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                runtime.block_on(async {
                    let admin = Database::connect(postgres_admin_url()).await.ok()?;
                    admin
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        ))
                        .await
                        .ok()
                })
            })
            .join();
        }
    }
}

async fn fresh_database(backend: Backend) -> (String, Storage) {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("a temp dir");
            let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
            (url, Storage::Sqlite(dir))
        }
        Backend::Postgres => {
            let name = format!("ssw_test_{}", Uuid::new_v4().simple());
            let admin = Database::connect(postgres_admin_url())
                .await
                .expect("PostgreSQL admin connection");
            // A locale-aware collation, as production servers usually have (this machine's default
            // is C): orderings must not depend on it. Falls back when the server lacks ICU.
            let icu = format!(
                "CREATE DATABASE \"{name}\" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
            );
            if admin.execute_unprepared(&icu).await.is_err() {
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create test database");
            }
            let base = postgres_admin_url();
            let url = format!(
                "{}/{name}",
                &base[..base.rfind('/').expect("a database in the URL")]
            );
            (url, Storage::Postgres(name))
        }
    }
}

/// A running app with its own database.
pub struct TestApp {
    pub url: String,
    pub db: DatabaseConnection,
    pub district_id: Uuid,
    client: reqwest::Client,
    keys: JwtKeys,
    _storage: Storage,
}

impl TestApp {
    /// The app with an empty district.
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, &[]).await
    }

    /// The app with extra command-line settings (for example limits).
    pub async fn spawn_with(backend: Backend, extra_args: &[&str]) -> Self {
        Self::spawn_routed(backend, extra_args, str::to_string).await
    }

    /// The app reaching its fresh database at the URL `route` makes of it (for example
    /// through a proxy the test can cut).
    pub async fn spawn_routed(
        backend: Backend,
        extra_args: &[&str],
        route: impl FnOnce(&str) -> String,
    ) -> Self {
        let (database_url, storage) = fresh_database(backend).await;
        let database_url = route(&database_url);
        let mut args = vec![
            "ssw-api",
            "--database-url",
            &database_url,
            "--listen",
            "127.0.0.1:0",
            "--jwt-secret",
            SECRET,
            "schema",
        ];
        args.splice(1..1, extra_args.iter().copied());
        let config = ssw_api::cli::Cli::try_parse_from(args)
            .expect("test configuration parses")
            .config;
        let app = Application::build(&config).await.expect("the app builds");
        let url = format!("http://{}", app.local_addr());
        let db = app.state.db.clone();
        tokio::spawn(app.run_until(std::future::pending()));
        let district =
            ssw_api::roster::district::create(&db, "Test District", "IL", "America/Chicago")
                .await
                .expect("a district");
        Self {
            url,
            db,
            district_id: district.id,
            client: reqwest::Client::new(),
            keys: JwtKeys::hs256(SECRET, ISSUER, AUDIENCE).expect("keys"),
            _storage: storage,
        }
    }

    /// A token for `role` in this app's district.
    pub fn token(&self, role: Role) -> String {
        self.token_for(Actor {
            subject: format!("test-{role:?}"),
            role,
            district_id: self.district_id,
            staff_id: None,
            school_ids: vec![],
            agency_id: None,
            today: chrono::Utc::now().date_naive(),
        })
    }

    /// A token for `role` limited to `schools` (global ids).
    pub fn token_at(&self, role: Role, schools: &[&str]) -> String {
        self.token_for(Actor {
            subject: format!("test-{role:?}"),
            role,
            district_id: self.district_id,
            staff_id: None,
            school_ids: schools.iter().map(|id| uuid_of(id)).collect(),
            agency_id: None,
            today: chrono::Utc::now().date_naive(),
        })
    }

    pub fn token_for(&self, actor: Actor) -> String {
        self.keys.mint(&actor, chrono::Duration::minutes(10))
    }

    pub fn admin(&self) -> String {
        self.token(Role::DistrictAdmin)
    }

    /// Posts a GraphQL request with a bearer token; returns the status and the JSON body.
    pub async fn post(&self, token: Option<&str>, query: &str, variables: Value) -> (u16, Value) {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.url))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// A GraphQL request that must succeed without errors; returns `data`.
    pub async fn query(&self, token: &str, query: &str, variables: Value) -> Value {
        let (status, body) = self.post(Some(token), query, variables).await;
        assert_eq!(status, 200, "HTTP status, body: {body}");
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// A GraphQL request that must fail; returns the first error's `extensions.code`.
    pub async fn error_code(&self, token: &str, query: &str, variables: Value) -> String {
        let (_, body) = self.post(Some(token), query, variables).await;
        body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("expected an error, got {body}"))
            .to_string()
    }

    /// A query the server must refuse as BAD_USER_INPUT with a message containing `words`.
    pub async fn assert_refused(&self, query: &str, words: &str) {
        let (_, body) = self.post(Some(&self.admin()), query, json!({})).await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{body}"
        );
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap_or_default()
                .contains(words),
            "expected {words:?}: {body}"
        );
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.url))
            .send()
            .await
            .expect("the server answers")
    }

    /// SQL statements run so far, read from `/metrics`.
    pub async fn statements(&self) -> u64 {
        let text = self
            .get("/metrics")
            .await
            .text()
            .await
            .expect("metrics text");
        text.lines()
            .find_map(|line| line.strip_prefix("ssw_db_statements_total "))
            .and_then(|n| n.trim().parse().ok())
            .expect("ssw_db_statements_total in /metrics")
    }

    /// Rows in a table (to check audit and change records).
    pub async fn count_rows(&self, table: &str) -> i64 {
        let row = self
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                self.db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM \"{table}\""),
            ))
            .await
            .expect("count query")
            .expect("a row");
        row.try_get::<i64>("", "n").expect("a count")
    }

    // Fixture builders, through the API as a district admin.

    pub async fn create_school(&self, name: &str) -> String {
        let data = self
            .query(
                &self.admin(),
                "mutation($input: CreateSchoolInput!) { createSchool(input: $input) { school { id } userErrors { field message } } }",
                json!({ "input": { "name": name, "lowestGrade": "KG", "highestGrade": "05" } }),
            )
            .await;
        data["createSchool"]["school"]["id"]
            .as_str()
            .expect("school id")
            .to_string()
    }

    pub async fn create_student(&self, first: &str, last: &str, grade: &str) -> String {
        let data = self
            .query(
                &self.admin(),
                "mutation($input: CreateStudentInput!) { createStudent(input: $input) { student { id } userErrors { field message } } }",
                json!({ "input": { "legalFirstName": first, "legalLastName": last, "gradeLevel": grade, "birthDate": "2016-03-04", "localId": format!("L-{last}-{first}") } }),
            )
            .await;
        data["createStudent"]["student"]["id"]
            .as_str()
            .expect("student id")
            .to_string()
    }

    pub async fn enroll(
        &self,
        student: &str,
        school: &str,
        entry: &str,
        exit: Option<&str>,
    ) -> String {
        let data = self
            .query(
                &self.admin(),
                "mutation($input: CreateEnrollmentInput!) { createEnrollment(input: $input) { enrollment { id } userErrors { field message } } }",
                json!({ "input": { "studentId": student, "schoolId": school, "entryDate": entry, "exitDate": exit, "gradeLevel": "03" } }),
            )
            .await;
        data["createEnrollment"]["enrollment"]["id"]
            .as_str()
            .expect("enrollment id")
            .to_string()
    }

    /// A guardian linked to `student`, with an optional restriction; returns the guardian id.
    pub async fn add_guardian(
        &self,
        student: &str,
        first: &str,
        restriction: Option<&str>,
    ) -> String {
        let data = self
            .query(
                &self.admin(),
                "mutation($input: CreateGuardianInput!) { createGuardian(input: $input) { guardian { id } } }",
                json!({ "input": { "firstName": first, "lastName": "Parent", "phone": "555-0100" } }),
            )
            .await;
        let guardian = data["createGuardian"]["guardian"]["id"]
            .as_str()
            .expect("guardian id")
            .to_string();
        self.query(
            &self.admin(),
            "mutation($input: LinkGuardianInput!) { linkGuardian(input: $input) { link { id } userErrors { message } } }",
            json!({ "input": { "studentId": student, "guardianId": guardian, "relationship": "Mother", "restriction": restriction } }),
        )
        .await;
        guardian
    }
}

/// The UUID inside a global id.
pub fn uuid_of(global_id: &str) -> Uuid {
    use base64::Engine;
    let text = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(global_id)
        .expect("base64 id");
    let text = String::from_utf8(text).expect("utf-8 id");
    Uuid::parse_str(text.split_once(':').expect("Kind:uuid").1).expect("uuid")
}
