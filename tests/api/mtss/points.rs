//! A page of progress points at either end of a plan (`last: 5`) is cut in SQL; its cursors
//! page on through the whole list like any other.

use serde_json::json;

use crate::helpers::{Backend, Client, TestApp, on_both_backends};

/// A page of points of every plan of a page of students, as a screen asks for it.
const POINT_PAGES: &str = "query($first: Int, $last: Int, $before: String) { students { nodes {
    legalFirstName
    interventionPlans { nodes { id
        progressPoints(first: $first, last: $last, before: $before) {
            totalCount pageInfo { hasPreviousPage hasNextPage startCursor } nodes { date } } } } } } }";

/// The points pages of the plans of `students(first: 2)`, by first name: dates, total and
/// page flags.
async fn point_pages(client: &Client, variables: serde_json::Value) -> serde_json::Value {
    let data = client.query(POINT_PAGES, variables).await.data();
    let mut pages = serde_json::Map::new();
    for student in data["students"]["nodes"].as_array().unwrap() {
        let page = &student["interventionPlans"]["nodes"][0]["progressPoints"];
        let dates: Vec<_> = page["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["date"].clone())
            .collect();
        pages.insert(
            student["legalFirstName"].as_str().unwrap().to_string(),
            json!({ "dates": dates, "total": page["totalCount"], "previous": page["pageInfo"]["hasPreviousPage"],
                    "next": page["pageInfo"]["hasNextPage"], "start": page["pageInfo"]["startCursor"] }),
        );
    }
    serde_json::Value::Object(pages)
}

async fn points_at_either_end_are_cut_in_sql_and_page_on_from_their_cursors(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let reading = app.intervention("Small-group reading").await;
    let (many, few) = (
        app.student("Mo", "Many").await,
        app.student("Fe", "Few").await,
    );
    let (many_plan, few_plan) = (
        app.plan(&many, &reading).await,
        app.plan(&few, &reading).await,
    );
    let dates: Vec<String> = (1..=7).map(|day| format!("2026-09-0{day}")).collect();
    let points: Vec<(&str, f64)> = dates.iter().map(|d| (d.as_str(), 20.0)).collect();
    app.progress_points(&many_plan, &points).await;
    app.progress_points(&few_plan, &points[..2]).await;

    let last = point_pages(&admin, json!({ "last": 3 })).await;
    assert_eq!(
        last["Mo"]["dates"],
        json!(["2026-09-05", "2026-09-06", "2026-09-07"])
    );
    assert_eq!(
        (
            &last["Mo"]["total"],
            &last["Mo"]["previous"],
            &last["Mo"]["next"]
        ),
        (&json!(7), &json!(true), &json!(false))
    );
    assert_eq!(last["Fe"]["dates"], json!(["2026-09-01", "2026-09-02"]));
    assert_eq!(
        (&last["Fe"]["total"], &last["Fe"]["previous"]),
        (&json!(2), &json!(false))
    );

    let first = point_pages(&admin, json!({ "first": 2 })).await;
    assert_eq!(first["Mo"]["dates"], json!(["2026-09-01", "2026-09-02"]));
    assert_eq!(
        (&first["Mo"]["previous"], &first["Mo"]["next"]),
        (&json!(false), &json!(true))
    );
    assert_eq!(
        (&first["Fe"]["dates"], &first["Fe"]["next"]),
        (&json!(["2026-09-01", "2026-09-02"]), &json!(false))
    );

    // The cursor of a page cut in SQL pages on through the whole list, as any other.
    let before = admin
        .query(
            "query($id: ID!, $before: String) { node(id: $id) { ... on InterventionPlan { progressPoints(last: 3, before: $before) { pageInfo { hasPreviousPage } nodes { date } } } } }",
            json!({ "id": many_plan, "before": last["Mo"]["start"] }),
        )
        .await
        .data();
    assert_eq!(
        before["node"]["progressPoints"],
        json!({ "pageInfo": { "hasPreviousPage": true }, "nodes": [{ "date": "2026-09-02" }, { "date": "2026-09-03" }, { "date": "2026-09-04" }] })
    );
}

on_both_backends!(points_at_either_end_are_cut_in_sql_and_page_on_from_their_cursors);
