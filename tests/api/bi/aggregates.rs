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

on_both_backends!(
    aggregates_count_in_sql,
    a_bi_reader_sees_small_cells_suppressed
);
