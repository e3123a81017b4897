//! Flat extracts: the district's tier placements and intervention plans as connections, paged,
//! filtered in SQL, and a page of 500 within the cost limit.

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, on_both_backends};

const TIERS: &str = "query($first: Int, $after: String, $filter: ExtractFilter) {
    tierPlacementExtract(first: $first, after: $after, filter: $filter) {
        nodes { id tier } pageInfo { hasNextPage endCursor } } }";

async fn extracts_page_and_filter_in_sql(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (north, south) = (app.school("North").await, app.school("South").await);
    for (name, school) in [("Reyes", &north), ("Okafor", &south)] {
        let student = app.student("Ana", name).await;
        app.enrollment(&student, school).await;
        app.tier(&student, "ACADEMIC", 2).await;
    }
    let bi = app.as_bi();
    let extract = |vars: Value| {
        let bi = bi.clone();
        async move { bi.query(TIERS, vars).await.data()["tierPlacementExtract"].clone() }
    };
    let first = extract(json!({ "first": 1 })).await;
    assert_eq!(first["nodes"].as_array().unwrap().len(), 1);
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    let after = first["pageInfo"]["endCursor"].clone();
    let second = extract(json!({ "first": 1, "after": after })).await;
    assert_eq!(second["nodes"].as_array().unwrap().len(), 1);
    assert_ne!(second["nodes"][0]["id"], first["nodes"][0]["id"]);
    assert_eq!(second["pageInfo"]["hasNextPage"], false);

    let count = |page: Value| page["nodes"].as_array().unwrap().len();
    assert_eq!(
        count(extract(json!({ "filter": { "schoolId": north } })).await),
        1
    );
    assert_eq!(
        count(extract(json!({ "filter": { "from": "2026-10-01" } })).await),
        0
    );
    assert_eq!(
        count(extract(json!({ "filter": { "to": "2026-10-01" } })).await),
        2
    );
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    assert_eq!(
        count(extract(json!({ "filter": { "updatedSince": tomorrow } })).await),
        0
    );

    // A flat page of 500 is within the cost limit.
    let big = "{ interventionPlanExtract(first: 500) { nodes { id status startDate } } }";
    let answer = bi.query(big, json!({})).await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    assert!(answer.body.get("errors").is_none(), "{:?}", answer.body);
    let worker = app
        .as_social_worker(None, &[])
        .query(TIERS, json!({}))
        .await;
    assert_eq!(worker.code(), "FORBIDDEN");
}

on_both_backends!(extracts_page_and_filter_in_sql);
