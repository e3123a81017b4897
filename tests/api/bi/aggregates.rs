//! Aggregates for dashboards: counted in SQL, and for a BI reader with cells of fewer students
//! than `SSW_SMALL_CELL_MIN` withheld.

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, on_both_backends};

const AGGREGATES: &str = "{
    chronicAbsence { schoolId gradeLevel students chronicallyAbsent suppressed }
    tierMovement(domain: ACADEMIC, from: \"2026-08-01\", to: \"2026-10-01\") { fromTier toTier students suppressed }
    interventionCounts(from: \"2026-08-01\", to: \"2026-12-31\") { interventionId month plans students completed suppressed } }";

/// Three students at North (grade 03 enrollments), one chronically absent; two in tier 2 of
/// academics from September; two reading plans begun in September.
async fn district(app: &TestApp) -> (String, String) {
    let admin = app.as_admin();
    let north = app.school("North").await;
    let reading = app.intervention("Reading").await;
    for (i, name) in ["Reyes", "Okafor", "Lee"].iter().enumerate() {
        let student = app.student("Ana", name).await;
        app.enrollment(&student, &north).await;
        app.attendance(&admin, &student, &north, 10, if i == 0 { 2 } else { 0 })
            .await;
        if i < 2 {
            app.tier(&student, "ACADEMIC", 2).await;
            app.plan(&student, &reading).await;
        }
    }
    (north, reading)
}

async fn aggregates_count_in_sql(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (north, reading) = district(&app).await;
    let data = app.as_admin().query(AGGREGATES, json!({})).await.data();
    assert_eq!(
        data["chronicAbsence"],
        json!([{ "schoolId": north, "gradeLevel": "03", "students": 3, "chronicallyAbsent": 1, "suppressed": false }])
    );
    assert_eq!(
        data["tierMovement"],
        json!([{ "fromTier": 0, "toTier": 2, "students": 2, "suppressed": false }])
    );
    assert_eq!(
        data["interventionCounts"],
        json!([{ "interventionId": reading, "month": "2026-09", "plans": 2, "students": 2, "completed": 0, "suppressed": false }])
    );
}

async fn a_bi_reader_sees_small_cells_suppressed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    district(&app).await;
    let data = app.as_bi().query(AGGREGATES, json!({})).await.data();
    for list in ["chronicAbsence", "tierMovement", "interventionCounts"] {
        let cell = &data[list][0];
        assert_eq!(cell["suppressed"], true, "{list}: {cell}");
        assert_eq!(cell["students"], Value::Null, "{list}: {cell}");
    }
    let lenient = TestApp::spawn_with(backend, &["--small-cell-min", "2"]).await;
    district(&lenient).await;
    let data = lenient.as_bi().query(AGGREGATES, json!({})).await.data();
    assert_eq!(data["chronicAbsence"][0]["chronicallyAbsent"], 1);
    assert_eq!(data["tierMovement"][0]["students"], 2);
    let worker = app
        .as_social_worker(None, &[])
        .query(AGGREGATES, json!({}))
        .await;
    assert_eq!(worker.code(), "FORBIDDEN");
}

/// Cases by area and referrals by status and month, counted in SQL; small cells withheld
/// from a BI reader.
async fn casework_counts_by_area_and_by_status(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let north = app.school("North").await;
    let sam = app.staff("Sam", "Social").await;
    let mut students = Vec::new();
    for n in 0..3 {
        let student = app.student(&format!("S{n}"), "Student").await;
        app.enrollment(&student, &north).await;
        students.push(student);
    }
    app.case(&students[0], &sam)
        .with("areaOfFocus", "MCKINNEY_VENTO")
        .await;
    app.case(&students[1], &sam)
        .with("areaOfFocus", "MCKINNEY_VENTO")
        .await;
    app.case(&students[2], &sam).await;
    for student in &students[..2] {
        app.referral(student).with("referredOn", "2026-09-10").await;
    }
    app.referral(&students[2])
        .with("referredOn", "2026-10-02")
        .await;
    app.referral(&students[2])
        .with("referredOn", "2025-10-02")
        .await;

    let query = "{ caseloadCounts { areaOfFocus cases students suppressed }
        referralCounts(from: \"2026-08-01\", to: \"2026-12-31\") { status month referrals students suppressed } }";
    let data = app.as_admin().query(query, json!({})).await.data();
    assert_eq!(
        data["caseloadCounts"],
        json!([
            { "areaOfFocus": "GENERAL", "cases": 1, "students": 1, "suppressed": false },
            { "areaOfFocus": "MCKINNEY_VENTO", "cases": 2, "students": 2, "suppressed": false },
        ])
    );
    let mut referrals = data["referralCounts"].as_array().unwrap().clone();
    referrals.sort_by_key(|cell| cell["month"].as_str().unwrap().to_string());
    assert_eq!(
        referrals,
        [
            json!({ "status": "NEW", "month": "2026-09", "referrals": 2, "students": 2, "suppressed": false }),
            json!({ "status": "NEW", "month": "2026-10", "referrals": 1, "students": 1, "suppressed": false }),
        ]
    );
    // A BI reader: every cell counts fewer than 10 students, so every count is withheld.
    let data = app.as_bi().query(query, json!({})).await.data();
    for cell in data["caseloadCounts"].as_array().unwrap() {
        assert_eq!(
            (&cell["suppressed"], &cell["cases"]),
            (&json!(true), &Value::Null)
        );
    }
    assert_eq!(data["referralCounts"].as_array().unwrap().len(), 2);
    let teacher = app.as_school_staff(None, &[&north]);
    assert_eq!(
        teacher
            .query("{ caseloadCounts { cases } }", json!({}))
            .await
            .code(),
        "FORBIDDEN"
    );
}

on_both_backends!(
    aggregates_count_in_sql,
    a_bi_reader_sees_small_cells_suppressed,
    casework_counts_by_area_and_by_status,
);
