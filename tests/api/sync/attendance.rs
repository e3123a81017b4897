//! `syncAttendance`: days known by student, school and date, written through the attendance
//! service, so the rollup behind chronic absence follows a push as it follows the mutation.

use serde_json::{Value, json};

use super::{push, push_roster, school, statuses, student};
use crate::helpers::{Backend, TestApp, on_both_backends};

/// Student `st` at school `s1`, `days_ago` days before today (the district's Chicago date).
fn day(st: &str, days_ago: i64, status: &str) -> Value {
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::America::Chicago)
        .date_naive();
    let date = today - chrono::Duration::days(days_ago);
    json!({ "studentSourcedId": st, "schoolSourcedId": "s1", "date": date.to_string(),
            "status": status })
}

const CHRONIC: &str = "{ students(filter: { chronicallyAbsent: true }) { totalCount } }";

async fn chronic(app: &TestApp) -> i64 {
    let data = app.as_admin().query(CHRONIC, json!({})).await.data();
    data["students"]["totalCount"].as_i64().unwrap()
}

async fn pushed_days_are_created_updated_or_unchanged_and_feed_the_rollup(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sis = app.as_sis();
    let (schools, students) = (
        json!([school("s1", "Lincoln")]),
        json!([student("st1", "Okafor", "03")]),
    );
    push_roster(&sis, schools, students).await;
    let enrollment = json!([{ "sourcedId": "e1", "studentSourcedId": "st1",
        "schoolSourcedId": "s1", "entryDate": "2020-08-20", "gradeLevel": "03" }]);
    push(&sis, "syncEnrollments", json!({}), enrollment).await;

    // 2 of 10 days absent: chronically absent.
    let mut days: Vec<Value> = (1..=10).map(|n| day("st1", n, "PRESENT")).collect();
    days[0] = day("st1", 1, "UNEXCUSED");
    days[1] = day("st1", 2, "EXCUSED");
    let first = push(&sis, "syncAttendance", json!({}), json!(days)).await;
    assert_eq!(first["summary"]["created"], 10, "{first}");
    assert_eq!(
        first["results"][0]["sourcedId"],
        format!("st1/s1/{}", days[0]["date"].as_str().unwrap())
    );
    assert_eq!(chronic(&app).await, 1);

    // The SIS corrects one absence: 1 of 10 is chronic still (10%); two make it not.
    days[0] = day("st1", 1, "PRESENT");
    let corrected = push(&sis, "syncAttendance", json!({}), json!(days.clone())).await;
    let mut expected = vec!["UNCHANGED"; 10];
    expected[0] = "UPDATED";
    assert_eq!(statuses(&corrected), expected, "{corrected}");
    days[1] = day("st1", 2, "TARDY");
    push(&sis, "syncAttendance", json!({}), json!(days)).await;
    assert_eq!(chronic(&app).await, 0);
    assert_eq!(app.count_rows("attendance_day").await, 10);
}

async fn bad_days_are_errors_of_their_records(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sis = app.as_sis();
    let (schools, students) = (
        json!([school("s1", "Lincoln")]),
        json!([student("st1", "Okafor", "03")]),
    );
    push_roster(&sis, schools, students).await;
    let records = json!([
        day("st1", 1, "PRESENT"),
        day("st9", 1, "PRESENT"),
        day("st1", -3, "PRESENT"),
        day("st1", 1, "TARDY"),
    ]);
    let payload = push(&sis, "syncAttendance", json!({}), records.clone()).await;
    assert_eq!(payload["applied"], false, "{payload}");
    assert_eq!(statuses(&payload), ["CREATED", "ERROR", "ERROR", "ERROR"]);
    let errors: Vec<&Value> = (1..4)
        .map(|i| &payload["results"][i]["errors"][0])
        .collect();
    assert_eq!(
        errors,
        [
            &json!({ "field": "input.records.1.studentSourcedId", "code": "NOT_FOUND" }),
            &json!({ "field": "input.records.2.date", "code": "OUT_OF_RANGE" }),
            &json!({ "field": "input.records.3.date", "code": "DUPLICATE" }),
        ]
    );
    assert_eq!(app.count_rows("attendance_day").await, 0);
    let partial = push(
        &sis,
        "syncAttendance",
        json!({ "allowPartial": true }),
        records,
    )
    .await;
    assert_eq!(partial["applied"], true, "{partial}");
    assert_eq!(app.count_rows("attendance_day").await, 1);
}

on_both_backends!(
    pushed_days_are_created_updated_or_unchanged_and_feed_the_rollup,
    bad_days_are_errors_of_their_records,
);
