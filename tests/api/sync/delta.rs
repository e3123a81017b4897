//! DELTA pushes: created, updated, unchanged, per-record errors, atomic and partial batches,
//! dry runs, references, who may push, and the size of a call.

use serde_json::{Value, json};

use super::{enrollment, push, school, statuses, student};
use crate::helpers::{Backend, TestApp, on_both_backends};

/// A first push creates, the same push again changes nothing (no row, no audit event), and a
/// changed record is UPDATED with its version bumped.
async fn a_repeated_delta_is_unchanged_and_a_change_is_updated(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sis = app.as_sis();
    let records = json!([school("s1", "Lincoln"), school("s2", "Adams")]);
    let first = push(&sis, "syncSchools", json!({}), records.clone()).await;
    assert_eq!(first["applied"], true, "{first}");
    assert_eq!(statuses(&first), ["CREATED", "CREATED"]);
    let audit = app.count_rows("audit_event").await;
    let changes = app.count_rows("change").await;
    assert_eq!((audit, changes), (2, 2));

    let again = push(&sis, "syncSchools", json!({ "mode": "DELTA" }), records).await;
    assert_eq!(statuses(&again), ["UNCHANGED", "UNCHANGED"], "{again}");
    assert_eq!(again["results"][0]["id"], first["results"][0]["id"]);
    assert_eq!(app.count_rows("audit_event").await, audit);
    assert_eq!(app.count_rows("change").await, changes);

    let renamed = json!([school("s1", "Lincoln Elementary"), school("s2", "Adams")]);
    let changed = push(&sis, "syncSchools", json!({}), renamed).await;
    assert_eq!(statuses(&changed), ["UPDATED", "UNCHANGED"], "{changed}");
    assert_eq!(changed["results"][0]["changed"], json!(["name"]));
    assert_eq!(changed["results"][1]["changed"], json!([]));
    assert_eq!(changed["summary"]["updated"], 1);
    assert_eq!(app.count_rows("audit_event").await, audit + 1);
    let data = app
        .as_admin()
        .query(
            "query($id: ID!) { node(id: $id) { ... on School { name version } } }",
            json!({ "id": first["results"][0]["id"] }),
        )
        .await
        .data();
    assert_eq!(
        data["node"],
        json!({ "name": "Lincoln Elementary", "version": 2 })
    );
    assert_eq!(app.count_rows("school").await, 2);
}

/// One bad record in an atomic batch: nothing is written, and every record has its result.
async fn an_atomic_batch_with_one_bad_record_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let records = json!([
        student("a", "Ruiz", "05"),
        student("b", "Lee", "5th"),
        student("c", "Okafor", "KG"),
    ]);
    let payload = push(&app.as_sis(), "syncStudents", json!({}), records).await;
    assert_eq!(payload["applied"], false, "{payload}");
    assert_eq!(statuses(&payload), ["CREATED", "ERROR", "CREATED"]);
    assert_eq!(payload["results"][1]["index"], 1);
    assert_eq!(payload["results"][1]["id"], Value::Null);
    assert_eq!(
        payload["results"][1]["errors"],
        json!([{ "field": "input.records.1.gradeLevel", "code": "INVALID" }])
    );
    assert_eq!(payload["summary"]["failed"], 1);
    assert_eq!(app.count_rows("student").await, 0);
    assert_eq!(app.count_rows("audit_event").await, 0);
    assert_eq!(app.count_rows("change").await, 0);
}

/// `allowPartial` keeps the good records of a batch with errors.
async fn allow_partial_keeps_the_good_records(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let records = json!([
        student("a", "Ruiz", "05"),
        student("b", " ", "05"),
        student("a", "Again", "05"),
    ]);
    let payload = push(
        &app.as_sis(),
        "syncStudents",
        json!({ "allowPartial": true }),
        records,
    )
    .await;
    assert_eq!(payload["applied"], true, "{payload}");
    assert_eq!(statuses(&payload), ["CREATED", "ERROR", "ERROR"]);
    assert_eq!(
        payload["results"][1]["errors"][0]["field"],
        "input.records.1.legalLastName"
    );
    assert_eq!(payload["results"][2]["errors"][0]["code"], "DUPLICATE");
    assert_eq!(app.count_rows("student").await, 1);
    assert_eq!(app.count_rows("audit_event").await, 1);
}

/// A dry run answers what the push would do and writes nothing.
async fn a_dry_run_reports_and_writes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sis = app.as_sis();
    push(
        &sis,
        "syncStudents",
        json!({}),
        json!([student("a", "Ruiz", "05")]),
    )
    .await;
    let records = json!([student("a", "Ruiz", "06"), student("b", "Lee", "05")]);
    let dry = push(
        &sis,
        "syncStudents",
        json!({ "dryRun": true }),
        records.clone(),
    )
    .await;
    assert_eq!(dry["applied"], false, "{dry}");
    assert_eq!(statuses(&dry), ["UPDATED", "CREATED"]);
    assert_eq!(
        dry["results"][0]["changed"],
        json!(["gradeLevel"]),
        "the diff"
    );
    assert_eq!(app.count_rows("student").await, 1);
    assert_eq!(app.count_rows("audit_event").await, 1);
    let real = push(&sis, "syncStudents", json!({}), records).await;
    assert_eq!(statuses(&real), statuses(&dry));
    assert_eq!(real["applied"], true);
}

/// Enrollments name their school and student by sourcedId; one not pushed yet is the record's
/// NOT_FOUND, and the pushed ones make the school the student's current school.
async fn enrollments_refer_to_pushed_schools_and_students(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sis = app.as_sis();
    push(
        &sis,
        "syncSchools",
        json!({}),
        json!([school("s1", "Lincoln")]),
    )
    .await;
    let students = push(
        &sis,
        "syncStudents",
        json!({}),
        json!([student("a", "Ruiz", "03")]),
    )
    .await;
    let enrollment = |id: &str, school: &str| {
        let mut record = enrollment(0, school);
        record["sourcedId"] = json!(id);
        record["studentSourcedId"] = json!("a");
        record
    };
    let refused = push(
        &sis,
        "syncEnrollments",
        json!({}),
        json!([enrollment("e1", "s1"), enrollment("e2", "s9")]),
    )
    .await;
    assert_eq!(refused["applied"], false);
    assert_eq!(statuses(&refused), ["CREATED", "ERROR"]);
    assert_eq!(
        refused["results"][1]["errors"],
        json!([{ "field": "input.records.1.schoolSourcedId", "code": "NOT_FOUND" }])
    );
    assert_eq!(app.count_rows("enrollment").await, 0);

    let pushed = push(
        &sis,
        "syncEnrollments",
        json!({}),
        json!([enrollment("e1", "s1")]),
    )
    .await;
    assert_eq!(statuses(&pushed), ["CREATED"], "{pushed}");
    let data = app
        .as_admin()
        .query(
            "query($id: ID!) { node(id: $id) { ... on Student { currentSchool { name } } } }",
            json!({ "id": students["results"][0]["id"] }),
        )
        .await
        .data();
    assert_eq!(data["node"]["currentSchool"]["name"], "Lincoln");
    let again = push(
        &sis,
        "syncEnrollments",
        json!({}),
        json!([enrollment("e1", "s1")]),
    )
    .await;
    assert_eq!(statuses(&again), ["UNCHANGED"]);
}

/// Only the SIS and district admins push; other roles are FORBIDDEN and nothing is written.
async fn only_the_sis_and_admins_sync(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let query = "mutation($input: SyncSchoolsInput!) { syncSchools(input: $input) { applied } }";
    let input = json!({ "input": { "sourceSystem": "sis", "records": [school("s1", "Lincoln")] } });
    for client in [
        app.as_social_worker(None, &[]),
        app.as_bi(),
        app.as_school_staff(None, &[]),
    ] {
        let answer = client.query(query, input.clone()).await;
        assert_eq!(answer.code(), "FORBIDDEN", "{client:?}");
    }
    assert_eq!(app.count_rows("school").await, 0);
    let data = app.as_admin().query(query, input).await.data();
    assert_eq!(data["syncSchools"]["applied"], true);
}

/// A call takes more than the 1,000 items of other lists, written a thousand rows per
/// statement (a few statements for 1,200 students and their audit rows), and at most 10,000.
async fn a_call_takes_up_to_ten_thousand_records_in_few_statements(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sis = app.as_sis();
    let records: Vec<Value> = (0..1200)
        .map(|i| student(&format!("st{i}"), "Ruiz", "05"))
        .collect();
    let before = app.statements().await;
    let payload = push(&sis, "syncStudents", json!({}), json!(records)).await;
    let statements = app.statements().await - before;
    assert_eq!(
        payload["summary"]["created"], 1200,
        "{}",
        payload["summary"]
    );
    assert!(
        statements <= 20,
        "{statements} statements for 1,200 students"
    );
    assert_eq!(app.count_rows("student").await, 1200);
    assert_eq!(app.count_rows("audit_event").await, 1200);
    assert_eq!(app.count_rows("change").await, 1200);

    let too_many: Vec<Value> = (0..10_001).map(|i| json!({ "sourcedId": i.to_string(), "name": "x", "lowestGrade": "KG", "highestGrade": "05" })).collect();
    let query = "mutation($input: SyncSchoolsInput!) { syncSchools(input: $input) { applied } }";
    let answer = sis
        .query(
            query,
            json!({ "input": { "sourceSystem": "sis", "records": too_many } }),
        )
        .await;
    answer.assert_bad_user_input("at most 10000");
    assert_eq!(
        answer.body["errors"][0]["extensions"]["field"],
        "input.records"
    );
    assert_eq!(app.count_rows("school").await, 0);
}

/// FULL is for enrollments; a blank source system is refused before any record is read.
async fn a_wrong_mode_or_source_system_is_bad_user_input(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sis = app.as_sis();
    let query = "mutation($input: SyncSchoolsInput!) { syncSchools(input: $input) { applied } }";
    let full = json!({ "input": { "sourceSystem": "sis", "mode": "FULL", "records": [] } });
    sis.query(query, full).await.assert_bad_user_input("FULL");
    let blank = json!({ "input": { "sourceSystem": " ", "records": [] } });
    let answer = sis.query(query, blank).await;
    answer.assert_bad_user_input("sourceSystem");
}

on_both_backends!(
    a_repeated_delta_is_unchanged_and_a_change_is_updated,
    an_atomic_batch_with_one_bad_record_changes_nothing,
    allow_partial_keeps_the_good_records,
    a_dry_run_reports_and_writes_nothing,
    enrollments_refer_to_pushed_schools_and_students,
    only_the_sis_and_admins_sync,
    a_call_takes_up_to_ten_thousand_records_in_few_statements,
    a_wrong_mode_or_source_system_is_bad_user_input,
);
