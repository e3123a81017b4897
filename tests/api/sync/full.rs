//! FULL enrollment pushes: closing what the batch lacks, and the guardrail.

use serde_json::{Value, json};

use super::{enrollment, push, school, student};
use crate::helpers::{Backend, Client, TestApp, on_both_backends};

/// Ten students at school s1 and one at s2, pushed by the SIS; the enrollments' payload.
async fn two_schools_enrolled(sis: &Client) -> Value {
    push(
        sis,
        "syncSchools",
        json!({}),
        json!([school("s1", "Lincoln"), school("s2", "Adams")]),
    )
    .await;
    let students: Vec<Value> = (0..11)
        .map(|i| student(&format!("st{i}"), "Ruiz", "03"))
        .collect();
    push(sis, "syncStudents", json!({}), json!(students)).await;
    let enrollments: Vec<Value> = (0..11)
        .map(|i| enrollment(i, if i < 10 { "s1" } else { "s2" }))
        .collect();
    push(sis, "syncEnrollments", json!({}), json!(enrollments)).await
}

/// The exit date and version of enrollment `id`.
async fn exit_of(app: &TestApp, id: &Value) -> Value {
    let query = "query($id: ID!) { node(id: $id) { ... on Enrollment { exitDate version } } }";
    app.as_admin()
        .query(query, json!({ "id": id }))
        .await
        .data()["node"]
        .clone()
}

/// FULL closes (exit date, never a delete) the listed schools' open enrollments the batch
/// lacks, up to the guardrail's 20%, with an audit event each; other schools keep theirs.
async fn a_full_sync_closes_what_the_batch_lacks(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sis = app.as_sis();
    let created = two_schools_enrolled(&sis).await;
    let audit = app.count_rows("audit_event").await;
    let eight: Vec<Value> = (0..8).map(|i| enrollment(i, "s1")).collect();
    let full = push(
        &sis,
        "syncEnrollments",
        json!({ "mode": "FULL" }),
        json!(eight),
    )
    .await;
    assert_eq!(full["applied"], true, "{full}");
    assert_eq!(full["summary"]["unchanged"], 8);
    assert_eq!(full["summary"]["closed"], 2);
    let mut closed: Vec<&str> = full["closedSourcedIds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    closed.sort();
    assert_eq!(closed, ["e8", "e9"]);
    assert_eq!(app.count_rows("enrollment").await, 11);
    assert_eq!(app.count_rows("audit_event").await, audit + 2);
    let e9 = exit_of(&app, &created["results"][9]["id"]).await;
    assert!(e9["exitDate"].is_string(), "{e9}");
    assert_eq!(e9["version"], 2);
    let e10 = exit_of(&app, &created["results"][10]["id"]).await;
    assert_eq!(
        e10,
        json!({ "exitDate": null, "version": 1 }),
        "s2 was not listed"
    );
    let e0 = exit_of(&app, &created["results"][0]["id"]).await;
    assert_eq!(e0["exitDate"], Value::Null);
    let again = push(
        &sis,
        "syncEnrollments",
        json!({ "mode": "FULL" }),
        json!((0..8).map(|i| enrollment(i, "s1")).collect::<Vec<_>>()),
    )
    .await;
    assert_eq!(
        again["summary"]["closed"], 0,
        "closed ones stay closed: {again}"
    );
}

/// Closing more than 20% of a school's open enrollments is refused, with nothing written,
/// unless `confirmClosures`; a dry run shows it; the share is a setting.
async fn the_full_guardrail_holds_back_mass_closures(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sis = app.as_sis();
    let created = two_schools_enrolled(&sis).await;
    let seven = json!((0..7).map(|i| enrollment(i, "s1")).collect::<Vec<_>>());
    let refused = push(
        &sis,
        "syncEnrollments",
        json!({ "mode": "FULL" }),
        seven.clone(),
    )
    .await;
    assert_eq!(refused["applied"], false, "{refused}");
    assert_eq!(
        refused["userErrors"],
        json!([{ "field": "input.confirmClosures", "code": "OUT_OF_RANGE" }])
    );
    assert_eq!(refused["summary"]["closed"], 3);
    assert_eq!(
        exit_of(&app, &created["results"][9]["id"]).await["exitDate"],
        Value::Null
    );
    let dry = push(
        &sis,
        "syncEnrollments",
        json!({ "mode": "FULL", "dryRun": true, "confirmClosures": true }),
        seven.clone(),
    )
    .await;
    assert_eq!(
        (dry["applied"].clone(), dry["summary"]["closed"].clone()),
        (json!(false), json!(3))
    );
    assert_eq!(dry["userErrors"], json!([]));
    assert_eq!(
        exit_of(&app, &created["results"][9]["id"]).await["exitDate"],
        Value::Null
    );
    let confirmed = push(
        &sis,
        "syncEnrollments",
        json!({ "mode": "FULL", "confirmClosures": true }),
        seven,
    )
    .await;
    assert_eq!(confirmed["applied"], true, "{confirmed}");
    assert!(exit_of(&app, &created["results"][9]["id"]).await["exitDate"].is_string());

    let lenient = TestApp::spawn_with(backend, &["--sync-max-close-pct", "30"]).await;
    let sis = lenient.as_sis();
    two_schools_enrolled(&sis).await;
    let seven = json!((0..7).map(|i| enrollment(i, "s1")).collect::<Vec<_>>());
    let allowed = push(&sis, "syncEnrollments", json!({ "mode": "FULL" }), seven).await;
    assert_eq!(
        allowed["applied"], true,
        "30% is within the setting: {allowed}"
    );
}

on_both_backends!(
    a_full_sync_closes_what_the_batch_lacks,
    the_full_guardrail_holds_back_mass_closures,
);
