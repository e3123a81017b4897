//! A fresh database per test: a temp SQLite file, or a new PostgreSQL database dropped afterwards.

use sea_orm::{ConnectionTrait, Database};

use super::{Backend, postgres_admin_url};

/// Where a test's PostgreSQL database starts (a SQLite one is always a new file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// A clone of the migrated template: the app's own migration run finds nothing to do.
    Migrated,
    /// No tables at all: the app runs every migration on start.
    Empty,
}

/// The test's database, removed when the test ends.
pub enum Storage {
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

/// A new database for one test, and its URL.
pub async fn fresh_database(backend: Backend, start: Start) -> (String, Storage) {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("a temp dir");
            let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
            (url, Storage::Sqlite(dir))
        }
        Backend::Postgres => {
            let name = format!("ssw_test_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(postgres_admin_url())
                .await
                .expect("PostgreSQL admin connection");
            match start {
                Start::Empty => create_database(&admin, &name).await,
                Start::Migrated => {
                    let template = super::template::name().await;
                    admin
                        .execute_unprepared(&format!(
                            "CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""
                        ))
                        .await
                        .expect("a test database cloned from the template");
                }
            }
            let _ = admin.close().await;
            (database_url(&name), Storage::Postgres(name))
        }
    }
}

/// Creates an empty database with a locale-aware collation, as production servers usually have
/// (this machine's default is C): orderings must not depend on it. Falls back when the server
/// lacks ICU. Clones of a template inherit the template's collation.
pub async fn create_database(admin: &impl ConnectionTrait, name: &str) {
    let icu = format!(
        "CREATE DATABASE \"{name}\" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
    );
    if admin.execute_unprepared(&icu).await.is_err() {
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .expect("create test database");
    }
}

/// The URL of database `name` on the test server.
pub fn database_url(name: &str) -> String {
    let base = postgres_admin_url();
    format!(
        "{}/{name}",
        &base[..base.rfind('/').expect("a database in the URL")]
    )
}
