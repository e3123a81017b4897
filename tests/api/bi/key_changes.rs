//! Key changes: a source system re-keys records (`rekeyRecords`); each keeps its id and
//! history, the next push under the new key finds it, and the change feed carries a KEY_CHANGE
//! with the old and the new natural key. A bad key changes nothing.

use serde_json::{Value, json};

use crate::{
    helpers::{Backend, Client, TestApp, on_both_backends},
    sync::{push, statuses, student},
};

const REKEY: &str =
    "mutation($input: RekeyRecordsInput!) { rekeyRecords(input: $input) { rekeyed } }";

const FEED: &str = "query($after: String) { changes(after: $after) {
    nodes { entityType entityId naturalKey previousNaturalKey operation } } }";

async fn rekey(client: &Client, keys: Value) -> crate::helpers::Response {
    let input = json!({ "recordType": "STUDENT", "sourceSystem": "sis", "keys": keys });
    client.query(REKEY, json!({ "input": input })).await
}

async fn rekeyed_records_keep_their_id_and_the_feed_says_so(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (sis, admin) = (app.as_sis(), app.as_admin());
    let two = json!([student("st1", "Ruiz", "03"), student("st2", "Lee", "04")]);
    push(&sis, "syncStudents", json!({}), two).await;
    let before = admin.query("{ changesCursor }", json!({})).await.data()["changesCursor"].clone();

    // Refused, and nothing changed: a key no record has; a new key another record has.
    let unknown = rekey(
        &sis,
        json!([{ "from": "st1", "to": "n1" }, { "from": "zz", "to": "n2" }]),
    )
    .await;
    assert_eq!(unknown.code(), "BAD_USER_INPUT");
    assert_eq!(
        unknown.body["errors"][0]["extensions"]["field"],
        "input.keys.1.from"
    );
    let taken = rekey(&sis, json!([{ "from": "st1", "to": "st2" }])).await;
    assert_eq!(
        taken.body["errors"][0]["extensions"]["field"],
        "input.keys.0.to"
    );
    assert_eq!(
        rekey(
            &app.as_social_worker(None, &[]),
            json!([{ "from": "st1", "to": "n1" }])
        )
        .await
        .code(),
        "FORBIDDEN"
    );
    let feed = admin.query(FEED, json!({ "after": before })).await.data();
    assert_eq!(
        feed["changes"]["nodes"],
        json!([]),
        "refused calls wrote nothing"
    );

    let audited = app.count_rows("audit_event").await;
    let done = rekey(
        &sis,
        json!([{ "from": "st1", "to": "new-1" }, { "from": "st2", "to": "new-2" }]),
    )
    .await
    .data();
    assert_eq!(
        app.count_rows("audit_event").await,
        audited + 2,
        "the re-key is audited"
    );
    assert_eq!(done["rekeyRecords"]["rekeyed"], 2);
    let feed = admin.query(FEED, json!({ "after": before })).await.data();
    let changes = feed["changes"]["nodes"].as_array().unwrap().clone();
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!(changes[1]["naturalKey"], "sis:new-2");
    assert_eq!(changes[1]["previousNaturalKey"], "sis:st2");
    assert_eq!(changes[0]["operation"], "KEY_CHANGE");
    assert_eq!(changes[0]["naturalKey"], "sis:new-1");
    assert_eq!(changes[0]["previousNaturalKey"], "sis:st1");

    // The same student under its new key: unchanged, not a new record; the old key is free.
    let again = push(
        &sis,
        "syncStudents",
        json!({}),
        json!([student("new-1", "Ruiz", "03")]),
    )
    .await;
    assert_eq!(statuses(&again), ["UNCHANGED"]);
    let students = admin
        .query("{ students { totalCount } }", json!({}))
        .await
        .data();
    assert_eq!(students["students"]["totalCount"], 2);
    // The key change names the record the first push created.
    let all = admin.query(FEED, json!({ "after": null })).await.data();
    let created = all["changes"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["naturalKey"] == "sis:st1")
        .unwrap()
        .clone();
    assert_eq!(created["operation"], "UPSERT");
    assert_eq!(created["entityId"], changes[0]["entityId"]);
}

on_both_backends!(rekeyed_records_keep_their_id_and_the_feed_says_so);
