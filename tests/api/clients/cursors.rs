//! Cursors are opaque and tamper-evident: they end up in URLs and proxy logs, so they show
//! nothing of the sort key (a student's name), and one changed, cut or forged is
//! BAD_USER_INPUT naming the argument it came in.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::{Value, json};

use crate::helpers::{Backend, Response, TestApp, on_both_backends, uuid_of};

const BY_NAME: &str = "query($after: String, $before: String, $first: Int, $last: Int) {
    students(first: $first, after: $after, last: $last, before: $before, orderBy: { field: LAST_NAME }) {
        pageInfo { startCursor endCursor } edges { cursor node { legalLastName } } } }";

/// The last names of a page.
fn last_names(data: &Value) -> Vec<&str> {
    data["students"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| edge["node"]["legalLastName"].as_str().expect("a name"))
        .collect()
}

/// Whether `name` shows in `cursor`: as text, in base64 at any alignment, or in the bytes the
/// cursor decodes to.
fn shows(cursor: &str, name: &str) -> bool {
    let base64_forms = (0..3).map(|shift| {
        let padded = format!("{}{name}", "x".repeat(shift));
        let encoded = URL_SAFE_NO_PAD.encode(padded);
        // Drop the characters that mix the padding or what follows in.
        encoded[(shift * 4).div_ceil(3) + 1..encoded.len() - 2].to_string()
    });
    let decoded = URL_SAFE_NO_PAD
        .decode(cursor)
        .map(|bytes| String::from_utf8_lossy(&bytes).contains(name))
        .unwrap_or(false);
    cursor.contains(name) || decoded || base64_forms.into_iter().any(|form| cursor.contains(&form))
}

/// Asserts `response` refuses the cursor given as `argument`.
#[track_caller]
fn assert_refused(response: &Response, argument: &str) {
    response.assert_bad_user_input(argument);
    let field = &response.body["errors"][0]["extensions"]["field"];
    assert_eq!(field, argument, "{}", response.body);
}

async fn cursors_hide_the_sort_key(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for last in ["Quimby", "Reyes", "Soto"] {
        app.student("Ana", last).await;
    }
    let admin = app.as_admin();
    let first = admin.query(BY_NAME, json!({ "first": 2 })).await.data();
    assert_eq!(last_names(&first), ["Quimby", "Reyes"]);
    let cursors: Vec<&str> = first["students"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| edge["cursor"].as_str().unwrap())
        .collect();
    for (cursor, name) in cursors.iter().zip(["Quimby", "Reyes"]) {
        assert!(!shows(cursor, name), "{cursor} shows {name}");
    }
    // The check itself finds a name in the cursor of old, base64 JSON.
    let old = URL_SAFE_NO_PAD.encode(r#"{"o":"student.lastName","k":"Reyes"}"#);
    assert!(shows(&old, "Reyes"));

    // Paging still works, both ways.
    let end = &first["students"]["pageInfo"]["endCursor"];
    let next = admin
        .query(BY_NAME, json!({ "first": 2, "after": end }))
        .await
        .data();
    assert_eq!(last_names(&next), ["Soto"]);
    let start = &next["students"]["pageInfo"]["startCursor"];
    let back = admin
        .query(BY_NAME, json!({ "last": 2, "before": start }))
        .await
        .data();
    assert_eq!(last_names(&back), ["Quimby", "Reyes"]);
}

async fn a_changed_cut_or_forged_cursor_is_bad_user_input(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ana = app.student("Ana", "Reyes").await;
    app.student("Ben", "Soto").await;
    let admin = app.as_admin();
    let first = admin.query(BY_NAME, json!({ "first": 1 })).await.data();
    let cursor = first["students"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_string();
    let bytes = URL_SAFE_NO_PAD.decode(&cursor).expect("base64url");

    let mut forgeries = Vec::new();
    for at in [0, bytes.len() / 2, bytes.len() - 1] {
        let mut flipped = bytes.clone();
        flipped[at] ^= 0x01;
        forgeries.push(URL_SAFE_NO_PAD.encode(flipped));
    }
    forgeries.push(cursor[..cursor.len() - 4].to_string());
    forgeries.push(cursor[..8].to_string());
    forgeries.push(format!("{cursor}AAAA"));
    // What a cursor held in clear before, naming a row of this list.
    let held = json!({ "o": "student.lastName", "k": "Reyes", "i": uuid_of(&ana) });
    forgeries.push(URL_SAFE_NO_PAD.encode(held.to_string()));
    forgeries.push("not a cursor".into());
    for forged in &forgeries {
        let response = admin
            .query(BY_NAME, json!({ "first": 1, "after": forged }))
            .await;
        assert_refused(&response, "after");
        let response = admin
            .query(BY_NAME, json!({ "last": 1, "before": forged }))
            .await;
        assert_refused(&response, "before");
    }
    // The cursor as it was given still reads.
    let next = admin
        .query(BY_NAME, json!({ "first": 1, "after": cursor }))
        .await
        .data();
    assert_eq!(last_names(&next), ["Soto"]);
}

on_both_backends!(
    cursors_hide_the_sort_key,
    a_changed_cut_or_forged_cursor_is_bad_user_input,
);
