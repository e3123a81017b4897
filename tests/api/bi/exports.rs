//! Streamed exports: each format, the `since` and school filters, who may export, what a BI
//! reader gets (ids, no names), and the audit event every export writes.

use serde_json::Value;

use crate::helpers::{Backend, Client, TestApp, on_both_backends};

/// The status and body of `GET /export/{file}` as `client`.
pub async fn export(app: &TestApp, client: &Client, file: &str) -> (u16, String) {
    let mut request = reqwest::Client::new().get(format!("{}/export/{file}", app.url));
    if let Some(authorization) = client.authorization() {
        request = request.header(reqwest::header::AUTHORIZATION, authorization);
    }
    let response = request.send().await.expect("the server answers");
    (response.status().as_u16(), response.text().await.unwrap())
}

/// Two students at two schools, a plan each with points and a session, and a tier placement.
async fn district(app: &TestApp) -> (String, String) {
    let (north, south) = (app.school("North").await, app.school("South").await);
    let ana = app.student("Ana", "Reyes").await;
    let ben = app.student("Ben", "Okafor").await;
    app.enrollment(&ana, &north).await;
    app.enrollment(&ben, &south).await;
    let reading = app.intervention("Reading").await;
    for student in [&ana, &ben] {
        let plan = app.plan(student, &reading).await;
        app.progress_points(&plan, &[("2026-09-08", 12.0), ("2026-09-15", 15.5)])
            .await;
        app.session(&plan, "2026-09-09").await;
    }
    app.tier(&ana, "ACADEMIC", 2).await;
    (north, ana)
}

async fn exports_stream_each_format_with_their_filters(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (north, ana) = district(&app).await;
    let admin = app.as_admin();

    let (status, ndjson) = export(&app, &admin, "progress_points.ndjson").await;
    assert_eq!(status, 200, "{ndjson}");
    let rows: Vec<Value> = ndjson
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(
        rows.iter()
            .filter(|r| r["studentId"] == ana.as_str())
            .count(),
        2
    );
    assert!(
        rows.iter()
            .any(|r| r["value"] == 15.5 && r["date"] == "2026-09-15")
    );

    let (status, csv) = export(&app, &admin, &format!("progress_points.csv?school={north}")).await;
    assert_eq!(status, 200, "{csv}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "id,planId,studentId,date,value,updatedAt");
    assert_eq!(lines.len(), 3, "North's two points: {csv}");
    assert!(lines[1..].iter().all(|l| l.contains(&ana)), "{csv}");

    let (_, sessions) = export(&app, &admin, "intervention_sessions.ndjson").await;
    let session: Value = serde_json::from_str(sessions.lines().next().unwrap()).unwrap();
    assert_eq!(
        (&session["attended"], &session["minutes"]),
        (&Value::from(true), &Value::from(30))
    );
    assert_eq!(sessions.lines().count(), 2);

    // A month of days is one row per student, school and month.
    app.attendance(&admin, &ana, &north, 5, 2).await;
    let (status, months) = export(&app, &admin, "attendance_months.ndjson").await;
    assert_eq!(status, 200, "{months}");
    let months: Vec<Value> = months
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let sum = |key: &str| months.iter().map(|m| m[key].as_i64().unwrap()).sum::<i64>();
    assert_eq!((sum("days"), sum("absent"), sum("unexcused")), (5, 2, 2));
    assert!(
        months
            .iter()
            .all(|m| m["studentId"] == ana.as_str() && m["schoolId"] == north.as_str())
    );

    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).date_naive();
    let (_, later) = export(
        &app,
        &admin,
        &format!("tier_placements.ndjson?since={tomorrow}"),
    )
    .await;
    assert_eq!(later, "");
    let since = format!("attendance_months.csv?since={tomorrow}");
    let (_, later) = export(&app, &admin, &since).await;
    assert_eq!(later.lines().count(), 1, "the header only: {later}");
    let (_, tiers) = export(&app, &admin, "tier_placements.ndjson").await;
    let tier: Value = serde_json::from_str(tiers.lines().next().unwrap()).unwrap();
    assert_eq!(
        (&tier["tier"], &tier["domain"]),
        (&Value::from(2), &Value::from("ACADEMIC"))
    );
}

async fn exports_are_for_bulk_readers_and_audited(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    district(&app).await;
    let audit = app.count_rows("audit_event").await;
    let (status, body) = export(&app, &app.as_bi(), "intervention_plans.csv").await;
    assert_eq!(status, 200, "{body}");
    assert!(
        !body.contains("Reyes") && !body.contains("Ana"),
        "no names: {body}"
    );
    assert_eq!(body.lines().count(), 3);
    assert_eq!(app.count_rows("audit_event").await, audit + 1);

    let (status, _) = export(
        &app,
        &app.as_social_worker(None, &[]),
        "intervention_plans.csv",
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = export(
        &app,
        &app.with_authorization(None),
        "intervention_plans.csv",
    )
    .await;
    assert_eq!(status, 401);
    let (status, body) = export(&app, &app.as_admin(), "students.csv").await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("progress_points"), "{body}");
    let (status, _) = export(&app, &app.as_admin(), "progress_points.xml").await;
    assert_eq!(status, 400);
    assert_eq!(
        app.count_rows("audit_event").await,
        audit + 1,
        "refusals are not exports"
    );
}

on_both_backends!(
    exports_stream_each_format_with_their_filters,
    exports_are_for_bulk_readers_and_audited,
);
