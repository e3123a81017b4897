//! The migrated PostgreSQL database every test database is cloned from (`CREATE DATABASE ..
//! TEMPLATE`), so that a test does not run every migration again.
//!
//! Its name carries a hash of the migration crate's source: a changed migration gets a new
//! template, and worktrees with different migrations never share one. Concurrent test processes
//! build it once between them, under an advisory lock. Templates of older migrations stay on the
//! server (`ssw_tpl_*`); drop them by hand to reclaim the space.

use std::{
    hash::{DefaultHasher, Hash, Hasher},
    path::{Path, PathBuf},
};

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DbBackend, Statement};
use tokio::sync::OnceCell;

use super::{postgres_admin_url, storage};

/// The key of the advisory lock held while a template is built ("SSWTPL").
const LOCK: i64 = 0x5353_5754_504c;

/// The template's name; the first call in this process makes sure it exists.
pub async fn name() -> &'static str {
    static NAME: OnceCell<String> = OnceCell::const_new();
    NAME.get_or_init(find_or_build).await
}

async fn find_or_build() -> String {
    let name = format!("ssw_tpl_{:016x}", migrations_hash());
    // One connection: an advisory lock belongs to the session that took it, and is released if
    // this process dies while holding it.
    let mut options = ConnectOptions::new(postgres_admin_url());
    options.max_connections(1).sqlx_logging(false);
    let admin = Database::connect(options)
        .await
        .expect("PostgreSQL admin connection");
    let run = |sql: String| {
        let admin = &admin;
        async move {
            admin
                .execute_unprepared(&sql)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
        }
    };
    run(format!("SELECT pg_advisory_lock({LOCK})")).await;
    let ready = admin
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate",
            [name.clone().into()],
        ))
        .await
        .expect("look up the template")
        .is_some();
    if !ready {
        // Not marked as a template: none yet, or one left half-built by a run that died.
        run(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await;
        storage::create_database(&admin, &name).await;
        let db = Database::connect(storage::database_url(&name))
            .await
            .expect("connect to the new template");
        Migrator::up(&db, None)
            .await
            .expect("the migrations apply to the template");
        db.close().await.expect("disconnect from the template");
        // Marks it complete; no connections, as nobody may be connected to a database cloned.
        run(format!(
            "ALTER DATABASE \"{name}\" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"
        ))
        .await;
    }
    run(format!("SELECT pg_advisory_unlock({LOCK})")).await;
    let _ = admin.close().await;
    name
}

/// A hash of every file of the migration crate (its source and manifest).
fn migrations_hash() -> u64 {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("migration");
    let mut files = Vec::new();
    collect(&root.join("src"), &mut files);
    files.push(root.join("Cargo.toml"));
    files.sort();
    let mut hasher = DefaultHasher::new();
    for file in files {
        file.strip_prefix(&root)
            .expect("under migration/")
            .hash(&mut hasher);
        std::fs::read(&file)
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()))
            .hash(&mut hasher);
    }
    hasher.finish()
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
