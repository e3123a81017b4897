//! Hostile input (issue 9, items 4, 6 and 7): texts, lists, cursors and dates the database
//! cannot take are refused as BAD_USER_INPUT naming the field, and a field error nulls the
//! nearest nullable position instead of dropping keys or answering null where the schema
//! promises a value.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};

use crate::helpers::{Backend, Response, TestApp, on_both_backends, uuid_of};

const SEARCH: &str = "query($s: String) { students(filter: { search: $s }) { totalCount } }";
const GRADES: &str =
    "query($g: [String!]) { students(filter: { gradeLevels: $g }) { totalCount } }";
const CREATE_STUDENT: &str = "mutation($input: CreateStudentInput!) { createStudent(input: $input) { student { birthDate } userErrors { field code } } }";

/// Asserts `response` is a refusal as BAD_USER_INPUT with `extensions.field` = `field`.
#[track_caller]
fn assert_refused(response: &Response, field: &str) {
    let error = &response.body["errors"][0];
    assert_eq!(
        error["extensions"]["code"], "BAD_USER_INPUT",
        "{}",
        response.body
    );
    assert_eq!(error["extensions"]["field"], field, "{}", response.body);
    assert_eq!(response.body["data"], Value::Null, "{}", response.body);
}

async fn long_texts_and_lists_are_bad_user_input(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    app.student("Ana", "Reyes").await;

    // 50,000 characters made SQLite fail ("LIKE or GLOB pattern too complex").
    let response = admin
        .query(SEARCH, json!({ "s": "a".repeat(50_000) }))
        .await;
    assert_refused(&response, "filter.search");
    response.assert_bad_user_input("at most 4000 characters");
    let data = admin
        .query(SEARCH, json!({ "s": "é".repeat(4000) }))
        .await
        .data();
    assert_eq!(data["students"]["totalCount"], 0);

    // 40,000 (SQLite) or 70,000 (PostgreSQL) items went over the bind-parameter limit.
    let response = admin
        .query(GRADES, json!({ "g": vec!["05"; 70_000] }))
        .await;
    assert_refused(&response, "filter.gradeLevels");
    response.assert_bad_user_input("at most 1000 items");
    let data = admin
        .query(GRADES, json!({ "g": vec!["04"; 1000] }))
        .await
        .data();
    assert_eq!(data["students"]["totalCount"], 1);
}

async fn control_characters_are_refused_wherever_text_goes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    app.student("Ana", "Reyes").await;
    let before = app.count_rows("student").await;

    // NUL made PostgreSQL fail (and SQLite store it); other controls are refused alike.
    assert_refused(
        &admin.query(SEARCH, json!({ "s": "Re\u{0}yes" })).await,
        "filter.search",
    );
    assert_refused(
        &admin.query(SEARCH, json!({ "s": "Re\u{1b}[2J" })).await,
        "filter.search",
    );
    assert_refused(
        &admin.query(GRADES, json!({ "g": ["05", "0\u{0}5"] })).await,
        "filter.gradeLevels.1",
    );
    let literal = r#"{ students(filter: { search: "a\u0000" }) { totalCount } }"#;
    assert_refused(&admin.query(literal, json!({})).await, "filter.search");
    let default =
        r#"query($s: String = "a\u0000") { students(filter: { search: $s }) { totalCount } }"#;
    assert_refused(&admin.query(default, json!({})).await, "$s");
    let cursor = "query($c: String) { students(first: 1, after: $c) { totalCount } }";
    assert_refused(
        &admin.query(cursor, json!({ "c": "ab\u{0}cd" })).await,
        "after",
    );

    let student =
        json!({ "legalFirstName": "Ana\u{0}", "legalLastName": "Reyes", "gradeLevel": "05" });
    let response = admin
        .query(CREATE_STUDENT, json!({ "input": student }))
        .await;
    assert_refused(&response, "input.legalFirstName");
    let student = json!({ "legalFirstName": "Ana", "legalLastName": "Reyes", "gradeLevel": "05", "preferredName": "A\u{7f}" });
    let response = admin
        .query(CREATE_STUDENT, json!({ "input": student }))
        .await;
    assert_refused(&response, "input.preferredName");
    assert_eq!(app.count_rows("student").await, before, "nothing written");

    // Tabs and line breaks are text.
    let description = "Reads aloud.\n\tThen retells.\r\n";
    let created = app
        .intervention("Read aloud")
        .with("description", description)
        .returning("description")
        .await;
    assert_eq!(created["description"], description.trim());
}

async fn dates_are_iso_and_within_the_years(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    for date in [
        "0000-01-01",
        "-0001-01-01",
        "+99999-01-01",
        "2026-1-5",
        "2026-01-05T00:00:00",
        "1899-12-31",
        "2201-01-01",
    ] {
        let student = json!({ "legalFirstName": "Ana", "legalLastName": "Reyes", "gradeLevel": "05", "birthDate": date });
        let response = admin
            .query(CREATE_STUDENT, json!({ "input": student }))
            .await;
        response.assert_bad_user_input("\"input.birthDate\"");
        assert_eq!(
            response.body["data"],
            Value::Null,
            "{date}: {}",
            response.body
        );
    }
    for date in ["1900-01-01", "2016-02-29"] {
        let student = json!({ "legalFirstName": "Ana", "legalLastName": "Reyes", "gradeLevel": "05", "birthDate": date });
        let created = admin
            .query(CREATE_STUDENT, json!({ "input": student }))
            .await
            .payload("createStudent");
        assert_eq!(created["student"]["birthDate"], date);
    }

    // On SQLite dates compare as text: a review due in year 99999 showed as due today.
    let student = app.student("Ben", "Soto").await;
    let response = app
        .iep(&student)
        .with("iepReviewDueDate", "+99999-01-01")
        .send()
        .await;
    response.assert_bad_user_input("\"input.iepReviewDueDate\"");
    app.iep(&student)
        .with("iepReviewDueDate", "2200-12-31")
        .await;
    let due = "{ iepReviewsDue(within: 0) { totalCount } }";
    let data = admin.query(due, json!({})).await.data();
    assert_eq!(data["iepReviewsDue"]["totalCount"], 0);
}

async fn field_errors_null_the_nearest_nullable_position(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let school = app.school("North").await;
    let student = app.student("Ana", "Reyes").await;
    app.tier(&student, "ACADEMIC", 2).await;
    let bad_page = "students(first: 1, last: 1) { totalCount }";

    // A non-null root field failed: `data` is null, not `district` without `schools`.
    let query = "{ district { name } schools(first: 1, last: 1) { totalCount } }";
    let Response { status, body } = admin.query(query, json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"], Value::Null, "{body}");
    assert_eq!(body["errors"][0]["path"], json!(["schools"]), "{body}");

    // `node` is nullable: it is null, its key there, and the siblings stay.
    let query = format!(
        "query($id: ID!) {{ district {{ name }} node(id: $id) {{ ... on School {{ name {bad_page} }} }} }}"
    );
    let body = admin.query(&query, json!({ "id": school })).await.body;
    assert_eq!(
        body["data"],
        json!({ "district": { "name": "Test District" }, "node": null }),
        "{body}"
    );
    assert_eq!(
        body["errors"][0]["path"],
        json!(["node", "students"]),
        "{body}"
    );

    // TierPlacement.student (non-null) was null when all its fields failed; now the null goes
    // up to the nearest nullable position: the node.
    let query = format!(
        "query($id: ID!) {{ node(id: $id) {{ ... on Student {{ currentTiers {{ tier student {{ {bad_page} }} }} }} }} }}",
        bad_page = bad_page.replace("students", "enrollments")
    );
    let body = admin.query(&query, json!({ "id": student })).await.body;
    assert_eq!(body["data"], json!({ "node": null }), "{body}");
    assert!(
        body["errors"].as_array().is_some_and(|e| e.len() == 1),
        "{body}"
    );

    // viewer.schools held null items; `viewer` is non-null, so `data` is null.
    let worker = app.as_social_worker(None, &[&school]);
    let query = format!("{{ viewer {{ schools {{ {bad_page} }} }} }}");
    let body = worker.query(&query, json!({})).await.body;
    assert_eq!(body["data"], Value::Null, "{body}");
    assert_eq!(
        body["errors"][0]["path"],
        json!(["viewer", "schools", 0, "students"]),
        "{body}"
    );

    // An object none of whose fields is selected is `{}`, not null.
    let query = "{ district { name @skip(if: true) } viewer { schools { name @skip(if: true) } } }";
    let data = worker.query(query, json!({})).await.data();
    assert_eq!(
        data,
        json!({ "district": {}, "viewer": { "schools": [{}] } })
    );

    // A nullable field that fails is null, its key kept.
    let query = "query($id: ID!) { node(id: $id) { id } fake: node(id: \"nope\") { id } }";
    let body = admin.query(query, json!({ "id": school })).await.body;
    assert_eq!(
        body["data"],
        json!({ "node": { "id": school }, "fake": null }),
        "{body}"
    );
}

async fn measurements_are_bounded_so_aim_lines_stay_finite(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let student = app.student("Ana", "Reyes").await;
    let intervention = app.intervention("Read aloud").await;
    let refused = app
        .plan(&student, &intervention)
        .with("baseline", -1e308)
        .with("target", 1e308)
        .refused()
        .await;
    assert_eq!(
        refused,
        ["input.baseline:OUT_OF_RANGE", "input.target:OUT_OF_RANGE"]
    );
    let plan = app
        .plan(&student, &intervention)
        .with("baseline", -1e9)
        .with("target", 1e9)
        .await;
    let refused = app
        .progress_point(&plan, "2026-09-02", 1e308)
        .refused()
        .await;
    assert_eq!(refused, ["input.value:OUT_OF_RANGE"]);

    let aim =
        "query($id: ID!) { node(id: $id) { ... on InterventionPlan { aimLine { expected } } } }";
    let data = app
        .as_admin()
        .query(aim, json!({ "id": plan }))
        .await
        .data();
    let expected = data["node"]["aimLine"][0]["expected"].as_f64();
    assert_eq!(expected, Some(-1e9), "{data}");

    // Written around the service: the non-finite aim line is an error that nulls the plan,
    // never a null `Float!`.
    use entity::student_intervention::{Column, Entity};
    Entity::update_many()
        .col_expr(Column::Baseline, Expr::value(-1e308))
        .col_expr(Column::Target, Expr::value(1e308))
        .filter(Column::Id.eq(uuid_of(&plan)))
        .exec(&app.db)
        .await
        .unwrap();
    let body = app.as_admin().query(aim, json!({ "id": plan })).await.body;
    assert_eq!(body["data"], json!({ "node": null }), "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "INTERNAL",
        "{body}"
    );
}

on_both_backends!(
    long_texts_and_lists_are_bad_user_input,
    control_characters_are_refused_wherever_text_goes,
    dates_are_iso_and_within_the_years,
    field_errors_null_the_nearest_nullable_position,
    measurements_are_bounded_so_aim_lines_stay_finite,
);
