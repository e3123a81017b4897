//! Records with children: `syncStaff` with the schools each staff member works at, and
//! `syncGuardians` with their links to students. A record lists all its children, so a child
//! left out ends, and one listed again comes back.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use super::{push, push_roster, school, statuses, student};
use crate::helpers::{Backend, TestApp, on_both_backends};

fn staff(id: &str, schools: &[&str]) -> Value {
    json!({ "sourcedId": id, "firstName": "Sam", "lastName": "Rivera", "role": "SOCIAL_WORKER",
            "schoolSourcedIds": schools })
}

fn guardian(id: &str, students: Value) -> Value {
    json!({ "sourcedId": id, "firstName": "Maria", "lastName": "Ruiz", "phone": "555-0100",
            "students": students })
}

/// `(school sourced id, end date)` of every assignment, oldest first.
async fn assignments(app: &TestApp) -> Vec<(String, Option<chrono::NaiveDate>)> {
    let sql = "SELECT s.sourced_id, a.end_date FROM staff_school_assignment a \
               JOIN school s ON s.id = a.school_id ORDER BY a.created_at, s.sourced_id";
    let rows = app
        .db
        .query_all_raw(Statement::from_string(app.db.get_database_backend(), sql))
        .await
        .expect("assignments");
    rows.iter()
        .map(|row| {
            (
                row.try_get("", "sourced_id").unwrap(),
                row.try_get("", "end_date").unwrap(),
            )
        })
        .collect()
}

async fn staff_work_at_the_schools_they_list(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sis = app.as_sis();
    let schools = json!([school("s1", "Lincoln"), school("s2", "Adams")]);
    push_roster(&sis, schools, json!([])).await;
    // The test district keeps Chicago time.
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::America::Chicago)
        .date_naive();

    let first = push(
        &sis,
        "syncStaff",
        json!({}),
        json!([staff("t1", &["s1", "s2"])]),
    )
    .await;
    assert_eq!(statuses(&first), ["CREATED"], "{first}");
    assert_eq!(
        assignments(&app).await,
        [("s1".into(), None), ("s2".into(), None)]
    );
    let query = "query($id: ID!) { node(id: $id) { ... on Staff { lastName schools { nodes { name } } } } }";
    let id = json!({ "id": first["results"][0]["id"] });
    let data = app.as_admin().query(query, id.clone()).await.data();
    assert_eq!(
        data["node"]["schools"]["nodes"].as_array().unwrap().len(),
        2
    );

    let again = push(
        &sis,
        "syncStaff",
        json!({}),
        json!([staff("t1", &["s2", "s1"])]),
    )
    .await;
    assert_eq!(statuses(&again), ["UNCHANGED"], "{again}");
    let audit = app.count_rows("audit_event").await;

    // s1 left out: its assignment ends today; the staff record itself is the same.
    let moved = push(&sis, "syncStaff", json!({}), json!([staff("t1", &["s2"])])).await;
    assert_eq!(statuses(&moved), ["UPDATED"], "{moved}");
    assert_eq!(moved["summary"]["updated"], 1);
    assert_eq!(moved["results"][0]["changed"], json!(["schoolSourcedIds"]));
    assert_eq!(
        assignments(&app).await,
        [("s1".into(), Some(today)), ("s2".into(), None)]
    );
    assert_eq!(app.count_rows("audit_event").await, audit + 1);

    // s1 listed again the same day, before the assignment is over: it goes on.
    let back = push(
        &sis,
        "syncStaff",
        json!({}),
        json!([staff("t1", &["s1", "s2"])]),
    )
    .await;
    assert_eq!(statuses(&back), ["UPDATED"], "{back}");
    assert_eq!(
        assignments(&app).await,
        [("s1".into(), None), ("s2".into(), None)]
    );
    assert_eq!(app.count_rows("staff").await, 1);
}

async fn a_staff_record_naming_an_unknown_or_repeated_school_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sis = app.as_sis();
    push_roster(&sis, json!([school("s1", "Lincoln")]), json!([])).await;
    let records = json!([staff("t1", &["s1", "nowhere"]), staff("t2", &["s1", "s1"])]);
    let payload = push(&sis, "syncStaff", json!({}), records).await;
    assert_eq!(payload["applied"], false, "{payload}");
    assert_eq!(statuses(&payload), ["ERROR", "ERROR"]);
    assert_eq!(
        payload["results"][0]["errors"],
        json!([{ "field": "input.records.0.schoolSourcedIds.1", "code": "NOT_FOUND" }])
    );
    assert_eq!(
        payload["results"][1]["errors"],
        json!([{ "field": "input.records.1.schoolSourcedIds.1", "code": "DUPLICATE" }])
    );
    assert_eq!(app.count_rows("staff").await, 0);
    assert_eq!(app.count_rows("staff_school_assignment").await, 0);
}

/// The guardians the admin sees on student `index` of the students' page: relationship and
/// restriction.
async fn guardians_of(app: &TestApp, last_name: &str) -> Vec<Value> {
    let query = "query($q: String) { students(filter: { search: $q }) { nodes {
        guardians { nodes { relationship contactPriority restriction guardian { lastName } } } } } }";
    let data = app
        .as_admin()
        .query(query, json!({ "q": last_name }))
        .await
        .data();
    data["students"]["nodes"][0]["guardians"]["nodes"]
        .as_array()
        .expect("guardians")
        .clone()
}

async fn guardians_are_linked_to_the_students_they_list(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sis = app.as_sis();
    let students = json!([student("st1", "Okafor", "03"), student("st2", "Lee", "05")]);
    push_roster(&sis, json!([]), students).await;
    let both = json!([
        { "studentSourcedId": "st1", "relationship": "Mother", "livesWith": true },
        { "studentSourcedId": "st2", "relationship": "Aunt", "contactPriority": 2,
          "restriction": "NO_CONTACT" },
    ]);
    let first = push(
        &sis,
        "syncGuardians",
        json!({}),
        json!([guardian("g1", both.clone())]),
    )
    .await;
    assert_eq!(statuses(&first), ["CREATED"], "{first}");
    assert_eq!(
        guardians_of(&app, "Lee").await,
        [
            json!({ "relationship": "Aunt", "contactPriority": 2, "restriction": "NO_CONTACT",
                 "guardian": { "lastName": "Ruiz" } })
        ]
    );
    let again = push(
        &sis,
        "syncGuardians",
        json!({}),
        json!([guardian("g1", both)]),
    )
    .await;
    assert_eq!(statuses(&again), ["UNCHANGED"], "{again}");

    // st2 left out and st1's restriction set: the link to st2 is removed.
    let one = json!([{ "studentSourcedId": "st1", "relationship": "Mother", "livesWith": true,
                       "restriction": "NO_PICKUP" }]);
    let changed = push(
        &sis,
        "syncGuardians",
        json!({}),
        json!([guardian("g1", one)]),
    )
    .await;
    assert_eq!(statuses(&changed), ["UPDATED"], "{changed}");
    assert_eq!(guardians_of(&app, "Lee").await, Vec::<Value>::new());
    assert_eq!(
        guardians_of(&app, "Okafor").await[0]["restriction"],
        "NO_PICKUP"
    );

    // st2 listed again: the same link comes back.
    let back = json!([{ "studentSourcedId": "st2", "relationship": "Aunt" }]);
    let payload = push(
        &sis,
        "syncGuardians",
        json!({}),
        json!([guardian("g1", back)]),
    )
    .await;
    assert_eq!(statuses(&payload), ["UPDATED"], "{payload}");
    assert_eq!(guardians_of(&app, "Lee").await[0]["relationship"], "Aunt");
    assert_eq!(guardians_of(&app, "Okafor").await, Vec::<Value>::new());
    assert_eq!(app.count_rows("student_guardian").await, 2);
}

async fn a_bad_link_is_an_error_of_its_record(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sis = app.as_sis();
    push_roster(&sis, json!([]), json!([student("st1", "Okafor", "03")])).await;
    let links = json!([
        { "studentSourcedId": "st1", "relationship": "Mother", "contactPriority": 0 },
        { "studentSourcedId": "st9", "relationship": "Father" },
    ]);
    let records = json!([guardian("g1", links), guardian("g2", json!([]))]);
    let payload = push(
        &sis,
        "syncGuardians",
        json!({ "allowPartial": true }),
        records,
    )
    .await;
    assert_eq!(statuses(&payload), ["ERROR", "CREATED"], "{payload}");
    assert_eq!(
        payload["results"][0]["errors"],
        json!([
            { "field": "input.records.0.students.1.studentSourcedId", "code": "NOT_FOUND" },
            { "field": "input.records.0.students.0.contactPriority", "code": "OUT_OF_RANGE" },
        ])
    );
    assert_eq!(app.count_rows("guardian").await, 1);
    assert_eq!(app.count_rows("student_guardian").await, 0);
}

on_both_backends!(
    staff_work_at_the_schools_they_list,
    a_staff_record_naming_an_unknown_or_repeated_school_is_refused,
    guardians_are_linked_to_the_students_they_list,
    a_bad_link_is_an_error_of_its_record,
);
