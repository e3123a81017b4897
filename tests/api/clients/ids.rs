//! Scalars and ids as code generators and normalized caches expect them: `Date` and `DateTime`
//! say what they follow (`@specifiedBy`), every type with a global id is a `Node` that
//! `node`/`nodes` fetch under the policy, and errors about an id quote the global id sent.

use serde_json::{Value, json};

use crate::helpers::{Backend, Client, TestApp, on_both_backends};

async fn date_scalars_say_what_they_follow(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let query = "{ date: __type(name: \"Date\") { description specifiedByURL }
        dateTime: __type(name: \"DateTime\") { description specifiedByURL } }";
    let data = app.as_admin().query(query, json!({})).await.data();
    assert_eq!(
        data["date"]["specifiedByURL"],
        "https://scalars.graphql.org/andimarek/local-date.html"
    );
    assert_eq!(
        data["dateTime"]["specifiedByURL"],
        "https://scalars.graphql.org/andimarek/date-time.html"
    );
    let described = data["dateTime"]["description"].as_str().unwrap();
    assert!(
        described.contains("RFC 3339") && !described.contains("Implement"),
        "{described}"
    );
    assert!(ssw_api::schema::sdl().contains(
        "scalar DateTime @specifiedBy(url: \"https://scalars.graphql.org/andimarek/date-time.html\")"
    ));
}

/// A plan with a progress point and a session, an IEP with a meeting, and a district
/// descriptor: the ids of each (the point, session, meeting and descriptor last).
async fn records_with_ids(app: &TestApp, student: &str) -> Vec<String> {
    let intervention = app.intervention("Read Naturally").await;
    let plan = app.plan(student, &intervention).await;
    let point = app.progress_point(&plan, "2026-09-08", 14.0).await;
    let session = app.session(&plan, "2026-09-08").await;
    let iep = app.iep(student).await;
    let meeting = app
        .as_admin()
        .query(
            "mutation($input: RecordIepMeetingInput!) { recordIepMeeting(input: $input) { meeting { id } userErrors { field } } }",
            json!({ "input": { "participationId": iep, "meetingType": "ANNUAL", "date": "2026-09-15", "attendees": ["Ana Case (teacher)"] } }),
        )
        .await
        .payload("recordIepMeeting")["meeting"]["id"]
        .clone();
    let descriptor = app
        .as_admin()
        .query(
            "mutation($input: CreateDescriptorInput!) { createDescriptor(input: $input) { descriptor { id } userErrors { field } } }",
            json!({ "input": { "set": "DISABILITY", "namespace": "uri://test.k12.us", "codeValue": "Local", "shortDescription": "A local code" } }),
        )
        .await
        .payload("createDescriptor")["descriptor"]["id"]
        .clone();
    vec![
        plan,
        iep,
        point,
        session,
        meeting.as_str().unwrap().to_string(),
        descriptor.as_str().unwrap().to_string(),
    ]
}

/// A well-formed global id of `kind` that names no record.
fn unknown_id(kind: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(format!("{kind}:{}", uuid::Uuid::now_v7()))
}

const NODES: &str = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }";

async fn nodes_of(client: &Client, ids: &[&str]) -> Value {
    client.query(NODES, json!({ "ids": ids })).await.data()["nodes"].clone()
}

async fn every_type_with_a_global_id_is_a_node(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let student = app.student("Ana", "Reyes").await;
    let ids = records_with_ids(&app, &student).await;
    let kinds = [
        "ProgressPoint",
        "InterventionSession",
        "IepMeeting",
        "Descriptor",
    ];
    let possible = app
        .as_admin()
        .query(
            "{ __type(name: \"Node\") { possibleTypes { name } } }",
            json!({}),
        )
        .await
        .data();
    let possible = possible["__type"]["possibleTypes"].to_string();
    for kind in kinds {
        assert!(possible.contains(&format!("\"{kind}\"")), "{possible}");
    }

    let admin = app.as_admin();
    let asked: Vec<&str> = ids[2..].iter().map(String::as_str).collect();
    let nodes = nodes_of(&admin, &asked).await;
    for ((node, id), kind) in nodes.as_array().unwrap().iter().zip(&asked).zip(kinds) {
        assert_eq!(node["__typename"], kind, "{nodes}");
        assert_eq!(node["id"], *id, "{nodes}");
    }
    let point = admin
        .query(
            "query($id: ID!) { node(id: $id) { ... on ProgressPoint { value expected } } }",
            json!({ "id": ids[2] }),
        )
        .await
        .data();
    assert_eq!(point["node"]["value"], 14.0);
    // The aim line rises 30 in 28 days from 10: a week in, 17.5.
    assert_eq!(point["node"]["expected"], 17.5);

    // Under the policy: a social worker of another school reads none of the student's records
    // (the district's descriptor is everyone's).
    let other_school = app.school("Elsewhere").await;
    let worker = app.as_social_worker(None, &[&other_school]);
    let nodes = nodes_of(&worker, &asked).await;
    assert_eq!(
        nodes,
        json!([null, null, null, nodes[3].clone()]),
        "{nodes}"
    );
    assert_eq!(nodes[3]["__typename"], "Descriptor");
}

async fn nodes_answers_null_for_what_the_caller_may_not_read(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let student = app.student("Ana", "Reyes").await;
    let ids = records_with_ids(&app, &student).await;
    let unknown = unknown_id("InterventionPlan");
    // BI readers may read plans but no IEP data: the IEP and its meeting are null, the rest
    // is answered, and the request does not fail. A student is null too: a BI reader looks
    // no student up by global id (it knows them by pseudonym).
    let bi = app.as_bi();
    let asked = [ids[0].as_str(), ids[1].as_str(), ids[4].as_str(), &student];
    let response = bi.query(NODES, json!({ "ids": asked })).await;
    assert!(response.body.get("errors").is_none(), "{}", response.body);
    let nodes = response.body["data"]["nodes"].clone();
    assert_eq!(nodes[0]["__typename"], "InterventionPlan", "{nodes}");
    assert_eq!(nodes[1], Value::Null, "{nodes}");
    assert_eq!(nodes[2], Value::Null, "{nodes}");
    assert_eq!(nodes[3], Value::Null, "{nodes}");
    // The same for `node`, and for an id that names nothing.
    let single = bi
        .query(
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": ids[1] }),
        )
        .await
        .data();
    assert_eq!(single["node"], Value::Null);
    let admin = app.as_admin();
    let nodes = nodes_of(&admin, &[&unknown, &ids[0]]).await;
    assert_eq!(nodes[0], Value::Null, "{nodes}");
    assert_eq!(nodes[1]["id"], ids[0], "{nodes}");
}

const UPDATE_STUDENT: &str = "mutation($input: UpdateStudentInput!) {
    updateStudent(input: $input) { student { id } userErrors { field code message } } }";

/// The `userErrors` of mutation `name`, asserting the request itself did not fail.
fn user_errors(body: &Value, name: &str) -> Value {
    assert!(body.get("errors").is_none(), "{body}");
    body["data"][name]["userErrors"].clone()
}

/// Asserts the first error of `body` has `code` and a message quoting `sent` (when not empty),
/// never a UUID or a table's name.
#[track_caller]
fn assert_error_quotes(body: &Value, code: &str, sent: &str) {
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], code, "{body}");
    let message = error["message"].as_str().unwrap();
    assert!(message.contains(sent), "{message}");
    let uuid = first_uuid(message);
    assert!(uuid.is_none() && !message.contains("student "), "{message}");
}

/// The first UUID written out in `text`, if any.
fn first_uuid(text: &str) -> Option<uuid::Uuid> {
    text.split(|c: char| !(c.is_ascii_hexdigit() || c == '-'))
        .find_map(|word| uuid::Uuid::parse_str(word).ok())
}

async fn ids_in_mutation_input_are_user_errors_and_errors_quote_the_global_id(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let student = app.student("Ana", "Reyes").await;
    let school = app.school("North").await;

    let malformed = json!({ "input": { "id": "not-an-id", "version": 1 } });
    let body = admin.query(UPDATE_STUDENT, malformed).await.body;
    let errors = user_errors(&body, "updateStudent");
    assert_eq!(errors[0]["field"], "input.id", "{body}");
    assert_eq!(errors[0]["code"], "INVALID", "{body}");
    assert_eq!(body["data"]["updateStudent"]["student"], Value::Null);

    let of_a_school = json!({ "input": { "id": school, "version": 1 } });
    let body = admin.query(UPDATE_STUDENT, of_a_school).await.body;
    let errors = user_errors(&body, "updateStudent");
    assert_eq!(errors[0]["field"], "input.id", "{body}");
    assert!(errors[0]["message"].as_str().unwrap().contains("Student"));

    // A well-formed id of no student the caller may change: NOT_FOUND, as for any record
    // asked for, quoting the id sent, never the UUID inside it or a table's name.
    let unknown = unknown_id("Student");
    let update = json!({ "input": { "id": unknown, "version": 1, "legalFirstName": "Anna" } });
    let body = admin.query(UPDATE_STUDENT, update).await.body;
    assert_error_quotes(&body, "NOT_FOUND", &unknown);
    let plan = unknown_id("InterventionPlan");
    let body = admin
        .query(
            "mutation($input: RecordProgressPointInput!) { recordProgressPoint(input: $input) { userErrors { field } } }",
            json!({ "input": { "planId": plan, "date": "2026-09-08", "value": 1.0 } }),
        )
        .await
        .body;
    assert_error_quotes(&body, "NOT_FOUND", &plan);
    // So does a query's NOT_FOUND.
    let query = "query($id: ID!) { student(id: $id) { id } }";
    let body = admin.query(query, json!({ "id": unknown })).await.body;
    assert_error_quotes(&body, "NOT_FOUND", &unknown);
    // A stale version names the record by the id sent, if at all.
    let stale = json!({ "input": { "id": student, "version": 7, "legalFirstName": "Anna" } });
    let body = admin.query(UPDATE_STUDENT, stale).await.body;
    assert_error_quotes(&body, "CONFLICT", "");

    // Ids deep in an input name their path; each malformed one is reported.
    let body = admin
        .query(
            "mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { created userErrors { field code } } }",
            json!({ "input": { "days": [
                { "studentId": student, "schoolId": school, "date": "2026-09-01", "status": "PRESENT" },
                { "studentId": "nope", "schoolId": student, "date": "2026-09-02", "status": "PRESENT" },
            ] } }),
        )
        .await
        .body;
    let errors = user_errors(&body, "recordAttendance");
    assert_eq!(
        errors,
        json!([
            { "field": "input.days.1.studentId", "code": "INVALID" },
            { "field": "input.days.1.schoolId", "code": "INVALID" },
        ]),
        "{body}"
    );
    assert_eq!(body["data"]["recordAttendance"]["created"], 0);
    assert_eq!(app.count_rows("attendance_day").await, 0, "nothing written");
}

on_both_backends!(
    date_scalars_say_what_they_follow,
    every_type_with_a_global_id_is_a_node,
    nodes_answers_null_for_what_the_caller_may_not_read,
    ids_in_mutation_input_are_user_errors_and_errors_quote_the_global_id,
);
