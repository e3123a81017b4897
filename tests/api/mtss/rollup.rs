//! The attendance rollup behind chronic absence: kept by every attendance write, corrections
//! included, and equal to what `ssw-api rollups` rebuilds from the days.

use crate::helpers::district_today;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::helpers::{Backend, TestApp, on_both_backends};

const CHRONIC: &str =
    "{ students(filter: { chronicallyAbsent: true }) { nodes { legalLastName } } }";

async fn rollup_rows(app: &TestApp) -> Vec<String> {
    let backend = app.db.get_database_backend();
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT student_id, school_year, days, absent, unexcused, tardy FROM attendance_rollup ORDER BY student_id, school_year",
        ))
        .await
        .expect("rollup rows");
    rows.iter()
        .map(|row| {
            let student: uuid::Uuid = row.try_get("", "student_id").unwrap();
            let numbers: Vec<i64> = ["days", "absent", "unexcused", "tardy"]
                .iter()
                .map(|c| row.try_get::<i64>("", c).unwrap())
                .collect();
            let year: i32 = row.try_get("", "school_year").unwrap();
            format!("{student} {year} {numbers:?}")
        })
        .collect()
}

async fn chronic_absence_follows_corrections_and_rebuilds_alike(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let school = app.school("Rollup Elementary").await;
    let student = app.student("Rosa", "Absent").await;
    // 3 of 20 days missed: chronically absent.
    app.attendance(&admin, &student, &school, 20, 3).await;
    let names = |data: serde_json::Value| data["students"]["nodes"].to_string();
    assert!(names(admin.query(CHRONIC, json!({})).await.data()).contains("Absent"));

    // The SIS corrects two of the absences: 1 of 20 is not chronic.
    let today = district_today();
    let corrections: Vec<_> = (1..=2)
        .map(|n| json!({ "studentId": student, "schoolId": school, "date": (today - chrono::Duration::days(n)).to_string(), "status": "PRESENT" }))
        .collect();
    let data = admin
        .query(
            "mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { updated } }",
            json!({ "input": { "days": corrections } }),
        )
        .await
        .data();
    assert_eq!(data["recordAttendance"]["updated"], 2);
    assert!(!names(admin.query(CHRONIC, json!({})).await.data()).contains("Absent"));

    let kept = rollup_rows(&app).await;
    assert!(!kept.is_empty());
    ssw_api::mtss::attendance_rollup::rebuild(&app.db)
        .await
        .expect("rebuild");
    assert_eq!(
        rollup_rows(&app).await,
        kept,
        "writes keep what a rebuild makes"
    );
}

on_both_backends!(chronic_absence_follows_corrections_and_rebuilds_alike);
