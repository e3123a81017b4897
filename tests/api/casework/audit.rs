//! Every read of CONFIDENTIAL casework words writes an audit event before the answer is sent:
//! one per request per student, naming the fields read.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::helpers::{Backend, TestApp, on_both_backends, uuid_of};

/// The fields of each READ_SENSITIVE event, by student, oldest first.
async fn read_events(app: &TestApp) -> Vec<(uuid::Uuid, String)> {
    let sql =
        "SELECT student_id, fields FROM audit_event WHERE action = 'READ_SENSITIVE' ORDER BY id";
    let rows = app
        .db
        .query_all_raw(Statement::from_string(app.db.get_database_backend(), sql))
        .await
        .expect("the audit events");
    rows.iter()
        .map(|row| {
            let student: uuid::Uuid = row.try_get("", "student_id").unwrap();
            (student, row.try_get("", "fields").unwrap())
        })
        .collect()
}

async fn confidential_reads_are_audited_once_per_student_and_request(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let north = app.school("North").await;
    let sam = app.staff("Sam", "Social").await;
    let worker = app.as_social_worker(Some(&sam), &[&north]);
    let log = "mutation($input: LogServiceContactInput!) { logServiceContact(input: $input) {
        userErrors { field } } }";
    let mut students = Vec::new();
    for name in ["Ana", "Ben"] {
        let student = app.student(name, "Student").await;
        app.enrollment(&student, &north).await;
        for note in ["First talk", "Second talk"] {
            let input = json!({ "studentId": student, "contactType": "INDIVIDUAL_COUNSELING",
                "minutes": 20, "date": "2026-09-16", "note": note });
            worker
                .query(log, json!({ "input": input }))
                .await
                .payload("logServiceContact");
        }
        students.push(student);
    }
    let assess = "mutation($input: RecordAssessmentInput!) { recordAssessment(input: $input) {
        userErrors { field } } }";
    let input = json!({ "studentId": students[0], "assessmentType": "SOCIAL_HISTORY",
        "summary": "Lives with an aunt" });
    worker
        .query(assess, json!({ "input": input }))
        .await
        .payload("recordAssessment");
    assert!(read_events(&app).await.is_empty(), "writing is not reading");

    // Numbers only: nothing confidential was read.
    let numbers = "{ students { nodes { serviceContacts { nodes { minutes } } } } }";
    worker.query(numbers, json!({})).await.data();
    assert!(read_events(&app).await.is_empty());

    // The words of both students, two notes each: one event per student, its fields named.
    let words = "{ students { nodes { serviceContacts { nodes { note } }
        assessments { nodes { summary } } } } }";
    worker.query(words, json!({})).await.data();
    let events = read_events(&app).await;
    assert_eq!(events.len(), 2, "{events:?}");
    let of = |student: &str| {
        let id = uuid_of(student);
        events
            .iter()
            .find(|(s, _)| *s == id)
            .map(|(_, f)| f.clone())
            .unwrap()
    };
    assert_eq!(of(&students[0]), "Assessment.summary,ServiceContact.note");
    assert_eq!(of(&students[1]), "ServiceContact.note");

    // A refused read records nothing.
    let refused = app.as_bi().query(words, json!({})).await;
    assert_eq!(refused.code(), "FORBIDDEN");
    assert_eq!(read_events(&app).await.len(), 2);
}

on_both_backends!(confidential_reads_are_audited_once_per_student_and_request);
