//! `idempotencyKey`: a call sent again, one after the other or at the same time, writes once
//! and answers the first call's result.

use serde_json::{Value, json};

use super::{push, statuses, student};
use crate::helpers::{Backend, TestApp, on_both_backends};

fn students(n: usize) -> Value {
    json!(
        (0..n)
            .map(|i| student(&format!("st{i}"), "Ruiz", "05"))
            .collect::<Vec<_>>()
    )
}

/// The same call again answers the first result (CREATED, not UNCHANGED) and writes nothing;
/// the key with another input is refused; a refused batch keeps no answer under its key.
async fn a_retry_answers_the_first_result_without_writing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sis = app.as_sis();
    let key = json!({ "idempotencyKey": "push-1" });
    let first = push(&sis, "syncStudents", key.clone(), students(2)).await;
    assert_eq!(
        (first["applied"].clone(), first["replayed"].clone()),
        (json!(true), json!(false))
    );
    let audit = app.count_rows("audit_event").await;
    let retry = push(&sis, "syncStudents", key.clone(), students(2)).await;
    assert_eq!(retry["replayed"], true, "{retry}");
    assert_eq!(statuses(&retry), ["CREATED", "CREATED"]);
    assert_eq!(retry["results"], first["results"]);
    assert_eq!(app.count_rows("audit_event").await, audit);
    assert_eq!(app.count_rows("student").await, 2);

    let query = "mutation($input: SyncStudentsInput!) { syncStudents(input: $input) { applied } }";
    let other = json!({ "input": { "sourceSystem": "sis", "idempotencyKey": "push-1", "records": students(3) } });
    let answer = sis.query(query, other).await;
    answer.assert_bad_user_input("idempotencyKey");
    assert_eq!(
        answer.body["errors"][0]["extensions"]["field"],
        "input.idempotencyKey"
    );
    assert_eq!(app.count_rows("student").await, 2);

    let bad = json!([student("x", "Lee", "5th")]);
    let key = json!({ "idempotencyKey": "push-2" });
    let refused = push(&sis, "syncStudents", key.clone(), bad.clone()).await;
    assert_eq!(
        (refused["applied"].clone(), refused["replayed"].clone()),
        (json!(false), json!(false))
    );
    let again = push(&sis, "syncStudents", key, bad).await;
    assert_eq!(
        again["replayed"], false,
        "a refused call stores no answer: {again}"
    );
}

/// Two calls with one key at the same time: one writes, the other waits and answers its
/// result; the records and their audit rows are there once.
async fn concurrent_retries_write_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sis = app.as_sis();
    let key = json!({ "idempotencyKey": "push-together" });
    let (a, b) = tokio::join!(
        push(&sis, "syncStudents", key.clone(), students(400)),
        push(&sis, "syncStudents", key.clone(), students(400)),
    );
    let mut replayed = [a["replayed"].as_bool(), b["replayed"].as_bool()];
    replayed.sort();
    assert_eq!(replayed, [Some(false), Some(true)], "{a} {b}");
    assert_eq!(a["results"], b["results"]);
    assert_eq!(a["summary"]["created"], 400);
    assert_eq!(app.count_rows("student").await, 400);
    assert_eq!(app.count_rows("audit_event").await, 400);
}

/// An answer older than a week is gone: the same key then runs the call anew.
async fn answers_are_kept_a_week(backend: Backend) {
    use sea_orm::{EntityTrait, sea_query::Expr};
    let app = TestApp::spawn(backend).await;
    let sis = app.as_sis();
    let key = json!({ "idempotencyKey": "push-1" });
    push(&sis, "syncStudents", key.clone(), students(2)).await;
    let week_ago = chrono::Utc::now() - chrono::Duration::days(8);
    entity::idempotency_key::Entity::update_many()
        .col_expr(
            entity::idempotency_key::Column::CreatedAt,
            Expr::value(week_ago),
        )
        .exec(&app.db)
        .await
        .unwrap();
    let later = push(&sis, "syncStudents", key, students(2)).await;
    assert_eq!(later["replayed"], false, "{later}");
    assert_eq!(statuses(&later), ["UNCHANGED", "UNCHANGED"]);
    assert_eq!(app.count_rows("idempotency_key").await, 1);
}

on_both_backends!(
    answers_are_kept_a_week,
    a_retry_answers_the_first_result_without_writing,
    concurrent_retries_write_once,
);
