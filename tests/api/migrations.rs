//! Migrations run up, down and up again on both backends.

use migration::{Migrator, MigratorTrait};
use sea_orm::ConnectionTrait;

use crate::helpers::{Backend, TestApp, on_both_backends};

async fn migrations_go_down_and_up_again(backend: Backend) {
    let started = chrono::Utc::now().timestamp();
    let app = TestApp::spawn_on_empty_database(backend).await;
    app.student("Ana", "Reyes").await;
    assert_eq!(
        Migrator::get_pending_migrations(&app.db)
            .await
            .unwrap()
            .len(),
        0
    );
    let first_applied = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT MIN(applied_at) AS at FROM seaql_migrations",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "at")
        .unwrap();
    assert!(
        first_applied >= started,
        "the app's start applied every migration (the database was not a migrated copy)"
    );

    app.db
        .execute_unprepared("DELETE FROM audit_event")
        .await
        .unwrap();
    app.db
        .execute_unprepared("DELETE FROM change")
        .await
        .unwrap();
    Migrator::down(&app.db, None)
        .await
        .expect("all migrations roll back");
    assert!(
        app.db
            .execute_unprepared("SELECT 1 FROM student")
            .await
            .is_err(),
        "student table is gone"
    );
    assert_eq!(
        Migrator::get_pending_migrations(&app.db)
            .await
            .unwrap()
            .len(),
        Migrator::migrations().len()
    );

    Migrator::up(&app.db, None)
        .await
        .expect("all migrations apply again");
    assert_eq!(app.count_rows("student").await, 0);
    assert_eq!(app.count_rows("change").await, 0);
}

on_both_backends!(migrations_go_down_and_up_again);
