//! The test harness: a fresh app per test (`TestApp::spawn`) on each backend, and GraphQL
//! clients shaped like roles (`app.as_admin()`, `app.as_social_worker(..)`, ...).
//!
//! PostgreSQL tests use `SSW_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`)
//! and create one database per test, cloned from a migrated template (`helpers/template.rs`).
//! Without a reachable server they are skipped with a notice, unless `CI=true` or
//! `SSW_REQUIRE_POSTGRES=1`, where a missing server fails them.

use std::{
    io::Write as _,
    net::{SocketAddr, TcpStream, ToSocketAddrs},
    sync::{Once, OnceLock},
    time::Duration,
};

use clap::Parser;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use ssw_api::{
    auth::{Actor, Role, jwt::JwtKeys},
    startup::Application,
};
use uuid::Uuid;

mod client;
mod storage;
mod template;

pub use client::{Client, Response};
use storage::Start;

/// The time zone of the test districts (`TestApp::district`).
pub const DISTRICT_ZONE: chrono_tz::Tz = chrono_tz::America::Chicago;

/// Today in the test districts' time zone: the server's dates are the district's, and from
/// midnight to 6 am UTC Chicago is still on yesterday.
pub fn district_today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&DISTRICT_ZONE)
        .date_naive()
}

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

/// A running app with its own database.
pub struct TestApp {
    pub url: String,
    /// Its database, for commands run beside the server (the CLI's import).
    pub database_url: String,
    pub db: DatabaseConnection,
    pub district_id: Uuid,
    /// The app's statements, to record what a request ran.
    pub sql: ssw_api::db::Statements,
    http: reqwest::Client,
    keys: JwtKeys,
    _storage: storage::Storage,
}

impl TestApp {
    /// The app with an empty district.
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, &[]).await
    }

    /// The app with extra command-line settings (for example limits).
    pub async fn spawn_with(backend: Backend, extra_args: &[&str]) -> Self {
        let start = (Start::Migrated, Some(SECRET));
        Self::start(backend, start, extra_args, str::to_string).await
    }

    /// The app as a district runs it in production: no development secret, so it accepts only
    /// its identity provider's tokens (`extra_args` name the key set and a cursor secret), and
    /// this harness's own clients (`as_admin`, ...) are refused.
    pub async fn spawn_without_development_secret(backend: Backend, extra_args: &[&str]) -> Self {
        let start = (Start::Migrated, None);
        Self::start(backend, start, extra_args, str::to_string).await
    }

    /// The app on a database without tables, so that its start runs every migration (tests of
    /// the migrations themselves).
    pub async fn spawn_on_empty_database(backend: Backend) -> Self {
        Self::start(backend, (Start::Empty, Some(SECRET)), &[], str::to_string).await
    }

    /// The app reaching its fresh database at the URL `route` makes of it (for example
    /// through a proxy the test can cut).
    pub async fn spawn_routed(
        backend: Backend,
        extra_args: &[&str],
        route: impl FnOnce(&str) -> String,
    ) -> Self {
        Self::start(backend, (Start::Migrated, Some(SECRET)), extra_args, route).await
    }

    /// The app on a fresh database (`start`), with the development secret `secret` or none.
    async fn start(
        backend: Backend,
        (start, secret): (Start, Option<&str>),
        extra_args: &[&str],
        route: impl FnOnce(&str) -> String,
    ) -> Self {
        let (database_url, storage) = storage::fresh_database(backend, start).await;
        let database_url = route(&database_url);
        let mut args = vec![
            "ssw-api",
            "--database-url",
            &database_url,
            "--listen",
            "127.0.0.1:0",
        ];
        if let Some(secret) = secret {
            args.extend(["--jwt-secret", secret]);
        }
        args.extend(extra_args);
        args.push("schema");
        let mut config = ssw_api::cli::Cli::try_parse_from(args)
            .expect("test configuration parses")
            .config;
        // Not one from the environment either.
        config.jwt_secret = secret.map(str::to_string);
        let app = Application::build(&config).await.expect("the app builds");
        let url = format!("http://{}", app.local_addr());
        let db = app.state.db.clone();
        let sql = app.state.statements.clone();
        tokio::spawn(app.run_until(std::future::pending()));
        let mut app = Self {
            url,
            database_url: database_url.clone(),
            db,
            district_id: Uuid::nil(),
            sql,
            http: reqwest::Client::new(),
            keys: JwtKeys::hs256(SECRET, ISSUER, AUDIENCE).expect("keys"),
            _storage: storage,
        };
        app.district_id = app.district("Test District").await.expect("a district");
        app
    }

    /// An actor of `role` in this app's district, limited to no school, for `as_actor`.
    pub fn actor(&self, role: Role) -> Actor {
        Actor {
            subject: format!("test-{role:?}"),
            role,
            district_id: self.district_id,
            staff_id: None,
            school_ids: vec![],
            agency_id: None,
            today: district_today(),
            pseudonyms: None,
        }
    }

    /// A client with a token minted for `actor`.
    pub fn as_actor(&self, actor: Actor) -> Client {
        let token = self
            .keys
            .mint(&actor, chrono::Duration::minutes(10))
            .expect("a development secret");
        let mut client = self.with_token(&token);
        client.label = format!("{:?}", actor.role);
        client
    }

    pub fn as_admin(&self) -> Client {
        self.as_actor(self.actor(Role::DistrictAdmin))
    }

    /// A social worker of `schools` (global ids), optionally a staff member (global id).
    pub fn as_social_worker(&self, staff: Option<&str>, schools: &[&str]) -> Client {
        self.as_actor(self.at_schools(Role::SocialWorker, staff, schools))
    }

    /// A teacher or principal of `schools`, optionally a staff member.
    pub fn as_school_staff(&self, staff: Option<&str>, schools: &[&str]) -> Client {
        self.as_actor(self.at_schools(Role::SchoolStaff, staff, schools))
    }

    pub fn as_sis(&self) -> Client {
        self.as_actor(self.actor(Role::SisIntegration))
    }

    pub fn as_bi(&self) -> Client {
        self.as_actor(self.actor(Role::BiReader))
    }

    /// A community agency's partner, optionally of one agency (global id).
    pub fn as_agency(&self, agency: Option<&str>) -> Client {
        self.as_actor(Actor {
            agency_id: agency.map(uuid_of),
            ..self.actor(Role::AgencyPartner)
        })
    }

    fn at_schools(&self, role: Role, staff: Option<&str>, schools: &[&str]) -> Actor {
        Actor {
            staff_id: staff.map(uuid_of),
            school_ids: schools.iter().map(|id| uuid_of(id)).collect(),
            ..self.actor(role)
        }
    }

    /// A client sending `Bearer <token>`.
    pub fn with_token(&self, token: &str) -> Client {
        self.with_authorization(Some(&format!("Bearer {token}")))
    }

    /// A client sending this `Authorization` header verbatim, or none.
    pub fn with_authorization(&self, header: Option<&str>) -> Client {
        Client {
            http: self.http.clone(),
            endpoint: format!("{}/graphql", self.url),
            authorization: header.map(str::to_string),
            label: format!("Authorization: {header:?}"),
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
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
