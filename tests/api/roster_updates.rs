//! Roster writes past creation: updates checked against the stored record, links between
//! records the writer must be able to see, and names stored trimmed.

use serde_json::{Value, json};
use ssw_api::auth::{Actor, Role};

use crate::helpers::{Backend, Client, Response, TestApp, on_both_backends};

/// Runs mutation `name` with `input`, selecting `fields` of the changed record `node`.
async fn write(client: &Client, name: &str, node: &str, fields: &str, input: Value) -> Response {
    let input_type = format!("{}Input", capitalised(name));
    let query = format!(
        "mutation($input: {input_type}!) {{ {name}(input: $input) {{ {node} {{ {fields} }} userErrors {{ field code message }} }} }}"
    );
    client.query(&query, json!({ "input": input })).await
}

fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// An admin of a second district in the same database.
async fn other_admin(app: &TestApp) -> Client {
    let district = app.district("Other District").await.unwrap();
    app.as_actor(Actor {
        district_id: district,
        ..app.actor(Role::DistrictAdmin)
    })
}

async fn a_school_update_checks_grades_against_the_stored_range(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let school = app.school("Hill Elementary").await;
    let fields = "name version lowestGrade highestGrade";
    let refused = write(
        &admin,
        "updateSchool",
        "school",
        fields,
        json!({ "id": school, "version": 1, "lowestGrade": "08" }),
    )
    .await
    .user_errors("updateSchool");
    assert_eq!(refused, ["input.highestGrade:OUT_OF_RANGE"], "KG-05 stored");

    let done = write(&admin, "updateSchool", "school", fields,
        json!({ "id": school, "version": 1, "name": "  Hill Middle ", "lowestGrade": "06", "highestGrade": "08" }))
    .await
    .payload("updateSchool");
    assert_eq!(
        done["school"],
        json!({ "name": "Hill Middle", "version": 2, "lowestGrade": "06", "highestGrade": "08" })
    );

    let code = write(
        &other_admin(&app).await,
        "updateSchool",
        "school",
        fields,
        json!({ "id": school, "version": 2, "targeted": true }),
    )
    .await
    .code();
    assert_eq!(code, "NOT_FOUND", "another district's school");
}

on_both_backends!(a_school_update_checks_grades_against_the_stored_range,);
