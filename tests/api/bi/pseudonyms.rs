//! A BI reader knows students by pseudonym (DESIGN.md section 4): the same one in its GraphQL
//! view, its extracts, its exports and its change feed, made from the district's secret salt;
//! never a student's global id, which other roles are shown and which `node` would resolve.
//! Nor does it read free text written about a student.

use std::collections::BTreeSet;

use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use ssw_api::auth::{Actor, Role, pseudonym::Pseudonyms};
use uuid::Uuid;

use crate::helpers::{Backend, Client, TestApp, on_both_backends, uuid_of};

const STUDENTS: &str = "{ students(first: 10) { nodes { id } } }";
const EXTRACT: &str = "{ progressPointExtract(first: 10) { nodes { plan { student { id } } } } }";
const FEED: &str =
    r#"{ changes(first: 100, entityTypes: ["student"]) { nodes { entityId operation } } }"#;

fn ids_at(values: impl IntoIterator<Item = Value>) -> BTreeSet<String> {
    values
        .into_iter()
        .map(|v| v.as_str().expect("an id").to_string())
        .collect()
}

async fn student_ids(client: &Client) -> BTreeSet<String> {
    let data = client.query(STUDENTS, json!({})).await.data();
    ids_at(
        data["students"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].clone()),
    )
}

async fn export_ids(app: &TestApp, client: &Client) -> BTreeSet<String> {
    let response = reqwest::Client::new()
        .get(format!("{}/export/progress_points.ndjson", app.url))
        .header(
            reqwest::header::AUTHORIZATION,
            client.authorization().unwrap(),
        )
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    ids_at(body.lines().map(|line| {
        let row: Value = serde_json::from_str(line).unwrap();
        row["studentId"].clone()
    }))
}

async fn salt_of(app: &TestApp, district: Uuid) -> String {
    let row = app
        .db
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            app.db.get_database_backend(),
            match app.db.get_database_backend() {
                sea_orm::DbBackend::Postgres => "SELECT pseudonym_salt FROM district WHERE id = $1",
                _ => "SELECT pseudonym_salt FROM district WHERE id = ?",
            },
            [district.into()],
        ))
        .await
        .expect("the district's salt")
        .expect("a district");
    row.try_get("", "pseudonym_salt").unwrap()
}

/// The pseudonym a BI reader of the test's district knows the student `global_id` by.
pub async fn pseudonym_of(app: &TestApp, global_id: &str) -> String {
    let salt = salt_of(app, app.actor(Role::DistrictAdmin).district_id).await;
    Pseudonyms::new(&salt).student(uuid_of(global_id))
}

async fn a_bi_reader_knows_students_by_one_pseudonym_everywhere(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reading = app.intervention("Reading").await;
    for (first, last) in [("Ana", "Reyes"), ("Ben", "Okafor")] {
        let student = app.student(first, last).await;
        let plan = app.plan(&student, &reading).await;
        app.progress_points(&plan, &[("2026-09-08", 12.0)]).await;
    }
    let admin = app.as_admin();
    let real = student_ids(&admin).await;
    let bi = app.as_bi();
    let pseudonyms = student_ids(&bi).await;
    assert_eq!(pseudonyms.len(), 2);
    assert!(pseudonyms.is_disjoint(&real), "{pseudonyms:?} {real:?}");

    // Made from the district's salt, the same for every BI token of the district.
    let salt = salt_of(&app, app.actor(Role::DistrictAdmin).district_id).await;
    assert_eq!(salt.len(), 64);
    let made = Pseudonyms::new(&salt);
    assert_eq!(
        pseudonyms,
        real.iter().map(|id| made.student(uuid_of(id))).collect()
    );
    let another_reader = app.as_actor(Actor {
        subject: "another-bi-tool".into(),
        ..app.actor(Role::BiReader)
    });
    assert_eq!(student_ids(&another_reader).await, pseudonyms);

    // The extract, the export and the feed name them so too.
    let extract = bi.query(EXTRACT, json!({})).await.data();
    let nodes = extract["progressPointExtract"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(
        ids_at(nodes.iter().map(|n| n["plan"]["student"]["id"].clone())),
        pseudonyms
    );
    assert_eq!(export_ids(&app, &bi).await, pseudonyms);
    assert_eq!(export_ids(&app, &admin).await, real);
    let feed = bi.query(FEED, json!({})).await.data();
    let changed = feed["changes"]["nodes"].as_array().unwrap().clone();
    assert_eq!(
        ids_at(changed.iter().map(|n| n["entityId"].clone())),
        pseudonyms
    );
    let feed = admin.query(FEED, json!({})).await.data();
    let changed = feed["changes"]["nodes"].as_array().unwrap().clone();
    let uuids = real.iter().map(|id| uuid_of(id).to_string()).collect();
    assert_eq!(ids_at(changed.iter().map(|n| n["entityId"].clone())), uuids);

    // A pseudonym leads back to no record.
    let pseudonym = pseudonyms.first().unwrap();
    let lookup = bi
        .query(
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": pseudonym }),
        )
        .await;
    assert_eq!(lookup.code(), "BAD_USER_INPUT", "{}", lookup.body);

    // Another district has a salt of its own.
    let other = app.district("Other District").state("WI").await.unwrap();
    let other_salt = salt_of(&app, other).await;
    assert_eq!(other_salt.len(), 64);
    assert_ne!(other_salt, salt);
}

/// What a role reading the plans gets of their free text: the words, or FORBIDDEN on the field.
async fn free_text(client: &Client) -> (Vec<Value>, Vec<String>) {
    let query = "{ students(first: 5) { nodes {
        tierHistory { nodes { rationale } }
        interventionPlans { nodes { goal progressPoints { nodes { note } } } } } } }";
    let answer = client.query(query, json!({})).await;
    let forbidden = answer.body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["extensions"]["code"] == "FORBIDDEN")
        .map(|e| e["path"].as_array().unwrap().last().unwrap().to_string())
        .collect();
    let text = answer.body.to_string();
    let words = ["Ana reads", "slow start", "Read 40 words"]
        .iter()
        .filter(|w| text.contains(*w))
        .map(|w| Value::from(*w))
        .collect();
    (words, forbidden)
}

async fn a_bi_reader_reads_no_free_text_about_students(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reading = app.intervention("Reading").await;
    let ana = app.student("Ana", "Reyes").await;
    app.tier(&ana, "ACADEMIC", 2)
        .with("rationale", "Ana reads below grade level")
        .await;
    let plan = app.plan(&ana, &reading).await;
    app.progress_point(&plan, "2026-09-08", 12.0)
        .with("note", "slow start")
        .await;

    let (words, forbidden) = free_text(&app.as_admin()).await;
    assert_eq!(words.len(), 3, "the admin reads all three: {words:?}");
    assert!(forbidden.is_empty(), "{forbidden:?}");
    let (words, mut forbidden) = free_text(&app.as_bi()).await;
    assert!(words.is_empty(), "{words:?}");
    forbidden.sort();
    assert_eq!(forbidden, ["\"goal\"", "\"note\"", "\"rationale\""]);
}

on_both_backends!(
    a_bi_reader_knows_students_by_one_pseudonym_everywhere,
    a_bi_reader_reads_no_free_text_about_students,
);
