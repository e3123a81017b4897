//! The change feed: every write in commit order, resumable from any cursor without missing or
//! repeating a change while writers run, and no more of it than the reader may see.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::{
    helpers::{Backend, Client, TestApp, on_both_backends},
    sync::{push, push_roster, student},
};

const FEED: &str = "query($after: String, $first: Int, $types: [String!]) {
    changes(after: $after, first: $first, entityTypes: $types) {
        nodes { cursor entityType entityId naturalKey operation }
        endCursor hasNextPage } }";

/// Every change from `after` on, page by page; and the cursor to resume from.
async fn read_all(
    client: &Client,
    after: Option<String>,
    types: Value,
) -> (Vec<Value>, Option<String>) {
    let (mut all, mut after) = (Vec::new(), after);
    loop {
        let vars = json!({ "after": after, "first": 7, "types": types });
        let page = client.query(FEED, vars).await.data()["changes"].clone();
        all.extend(page["nodes"].as_array().unwrap().iter().cloned());
        after = page["endCursor"].as_str().map(String::from);
        if page["hasNextPage"] != true {
            return (all, after);
        }
    }
}

async fn the_feed_pages_every_change_and_hides_what_the_reader_may_not_see(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sis = app.as_sis();
    let students = json!([student("st1", "Ruiz", "03"), student("st2", "Lee", "04")]);
    push(&sis, "syncStudents", json!({}), students).await;
    let guardian = json!([{ "sourcedId": "g1", "firstName": "Ana", "lastName": "Ruiz",
                            "students": [{ "studentSourcedId": "st1", "relationship": "Mother" }] }]);
    push(&sis, "syncGuardians", json!({}), guardian).await;

    let (admin_feed, end) = read_all(&app.as_admin(), None, Value::Null).await;
    let kinds: Vec<&str> = admin_feed
        .iter()
        .map(|c| c["entityType"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["student", "student", "guardian", "student_guardian"]
    );
    assert_eq!(admin_feed[0]["naturalKey"], "sis:st1");
    assert_eq!(admin_feed[0]["operation"], "UPSERT");
    // Resuming from the end finds nothing new; a new write comes next.
    assert_eq!(
        read_all(&app.as_admin(), end.clone(), Value::Null).await.0,
        Vec::<Value>::new()
    );
    let renamed = json!([student("st2", "Lee-Park", "04")]);
    push(&sis, "syncStudents", json!({}), renamed).await;
    let (next, _) = read_all(&app.as_admin(), end, Value::Null).await;
    assert_eq!(next.len(), 1);
    assert_eq!(next[0]["naturalKey"], "sis:st2");

    // A BI reader: students without their SIS keys, and no guardians at all.
    let (bi_feed, _) = read_all(&app.as_bi(), None, Value::Null).await;
    let kinds: Vec<&str> = bi_feed
        .iter()
        .map(|c| c["entityType"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["student", "student", "student"]);
    assert!(
        bi_feed.iter().all(|c| c["naturalKey"].is_null()),
        "{bi_feed:?}"
    );
    let asked = app
        .as_bi()
        .query(FEED, json!({ "types": ["guardian"] }))
        .await;
    asked.assert_bad_user_input("guardian");
    let only = read_all(&app.as_admin(), None, json!(["guardian"])).await.0;
    assert_eq!(only.len(), 1);
    let worker = app.as_social_worker(None, &[]).query(FEED, json!({})).await;
    assert_eq!(worker.code(), "FORBIDDEN");

    // A removed link is a tombstone with the link's id.
    let (all, end) = read_all(&app.as_admin(), None, Value::Null).await;
    let unlinked =
        json!([{ "sourcedId": "g1", "firstName": "Ana", "lastName": "Ruiz", "students": [] }]);
    push(&sis, "syncGuardians", json!({}), unlinked).await;
    let (removed, _) = read_all(&app.as_admin(), end, Value::Null).await;
    assert_eq!(removed.len(), 1, "{removed:?}");
    assert_eq!(
        (&removed[0]["entityType"], &removed[0]["operation"]),
        (&json!("student_guardian"), &json!("DELETE"))
    );
    assert_eq!(removed[0]["entityId"], all[3]["entityId"]);
}

/// Writers commit in another order than they insert; a reader polling the feed meanwhile
/// must end with every change exactly once, in the feed's order.
async fn concurrent_writers_never_make_the_reader_skip_or_repeat(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let writers = (0..6).map(|w| {
        let sis = app.as_sis();
        async move {
            for round in 0..8 {
                let records: Vec<Value> = (0..3)
                    .map(|i| student(&format!("w{w}-{round}-{i}"), "Ruiz", "03"))
                    .collect();
                push(&sis, "syncStudents", json!({}), json!(records)).await;
            }
        }
    });
    let bi = app.as_bi();
    let reader = async {
        let (mut seen, mut after) = (Vec::new(), None);
        for _ in 0..40 {
            let (page, end) = read_all(&bi, after.clone(), Value::Null).await;
            seen.extend(page);
            after = end;
            tokio::time::sleep(std::time::Duration::from_millis(15)).await;
        }
        (seen, after)
    };
    let (_, (mut seen, after)) = tokio::join!(futures::future::join_all(writers), reader);
    seen.extend(read_all(&bi, after, Value::Null).await.0);
    let ids: Vec<&str> = seen
        .iter()
        .map(|c| c["entityId"].as_str().unwrap())
        .collect();
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), 6 * 8 * 3, "every change once: no repeat");
    assert_eq!(unique.len(), 6 * 8 * 3, "no change missed");
    // The reader's order is the feed's order read afresh.
    let (again, _) = read_all(&bi, None, Value::Null).await;
    assert_eq!(again, seen);
}

/// Changes older than the feed keeps are deleted; a cursor before them is refused with the way
/// to re-sync, and `changesCursor` is where to follow the feed from after it.
async fn a_cursor_older_than_the_feed_keeps_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sis = app.as_sis();
    push_roster(&sis, json!([]), json!([student("st1", "Ruiz", "03")])).await;
    let admin = app.as_admin();
    let (_, old) = read_all(&admin, None, Value::Null).await;
    push_roster(&sis, json!([]), json!([student("st2", "Lee", "03")])).await;
    let pruned = ssw_api::db::positions::prune(&app.db, chrono::TimeDelta::zero())
        .await
        .unwrap();
    assert_eq!(pruned, 2);
    let refused = admin.query(FEED, json!({ "after": old })).await;
    refused.assert_bad_user_input("re-sync");
    let now = admin.query("{ changesCursor }", json!({})).await.data()["changesCursor"].clone();
    assert_eq!(now, Value::Null, "nothing kept");
    push_roster(&sis, json!([]), json!([student("st3", "Okafor", "03")])).await;
    let (after_resync, _) = read_all(&admin, None, Value::Null).await;
    assert_eq!(after_resync.len(), 1);
    let from = admin.query("{ changesCursor }", json!({})).await.data()["changesCursor"].clone();
    assert_eq!(from, after_resync[0]["cursor"]);
}

/// With `DATABASE_READ_URL`, the feed reads the replica: here another database, where none of
/// the primary's writes arrive, so the feed is empty while the students are there.
async fn bulk_reads_come_from_the_read_replica(backend: Backend) {
    let replica = TestApp::spawn(backend).await;
    let args = ["--database-read-url", replica.database_url.as_str()];
    let app = TestApp::spawn_with(backend, &args).await;
    let students = json!([student("st1", "Ruiz", "03"), student("st2", "Lee", "04")]);
    push(&app.as_sis(), "syncStudents", json!({}), students).await;
    let admin = app.as_admin();
    assert_eq!(
        read_all(&admin, None, Value::Null).await.0,
        Vec::<Value>::new()
    );
    let listed = admin
        .query("{ students { totalCount } }", json!({}))
        .await
        .data();
    assert_eq!(listed["students"]["totalCount"], 2, "the primary has them");
}

on_both_backends!(
    bulk_reads_come_from_the_read_replica,
    a_cursor_older_than_the_feed_keeps_is_refused,
    the_feed_pages_every_change_and_hides_what_the_reader_may_not_see,
    concurrent_writers_never_make_the_reader_skip_or_repeat,
);
