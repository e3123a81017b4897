//! Intervention outcomes for dashboards: plans by school, tier, intervention and month begun,
//! with their durations (mean and median days) and outcomes, counted in SQL; and for a BI
//! reader, small cells withheld.

use chrono::{NaiveDate, Utc};
use serde_json::{Value, json};

use crate::helpers::{Backend, Client, TestApp, on_both_backends};

const OUTCOMES: &str =
    "query($from: Date!, $to: Date!) { interventionOutcomes(from: $from, to: $to) {
    schoolId tier interventionId month plans students active plansWithDuration meanDays medianDays
    outcomes { outcome plans } withoutOutcome suppressed } }";

const UPDATE: &str = "mutation($input: UpdateInterventionPlanInput!) {
    updateInterventionPlan(input: $input) { plan { id } userErrors { field code } } }";

/// Ends `plan` on `end` with `status` and `outcome`.
async fn end(admin: &Client, plan: &str, (status, outcome, end): (&str, &str, &str)) {
    let input = json!({ "id": plan, "version": 1, "status": status, "outcome": outcome, "actualEndDate": end });
    admin
        .query(UPDATE, json!({ "input": input }))
        .await
        .payload("updateInterventionPlan");
}

struct District {
    north: String,
    south: String,
    reading: String,
    math: String,
}

/// North, September, reading at tier 2: four students' plans, one met its goal in 10 days,
/// one discontinued after 20 without progress, one still active, one planned. South, October,
/// reading at tier 3: two plans that made progress, in 10 and 20 days. And a math plan in
/// September for a student enrolled nowhere.
async fn district(app: &TestApp) -> District {
    let admin = app.as_admin();
    let (north, south) = (app.school("North").await, app.school("South").await);
    let (reading, math) = (
        app.intervention("Reading").await,
        app.intervention("Math").await,
    );
    let mut north_plans = Vec::new();
    for name in ["Reyes", "Okafor", "Lee", "Haddad"] {
        let student = app.student("Ana", name).await;
        app.enrollment(&student, &north).await;
        let status = if name == "Haddad" {
            "PLANNED"
        } else {
            "ACTIVE"
        };
        north_plans.push(app.plan(&student, &reading).with("status", status).await);
    }
    end(
        &admin,
        &north_plans[0],
        ("COMPLETED", "GOAL_MET", "2026-09-11"),
    )
    .await;
    end(
        &admin,
        &north_plans[1],
        ("DISCONTINUED", "NO_PROGRESS", "2026-09-21"),
    )
    .await;
    for (name, ended) in [("Park", "2026-10-15"), ("Diaz", "2026-10-25")] {
        let student = app.student("Ben", name).await;
        app.enrollment(&student, &south).await;
        let plan = app
            .plan(&student, &reading)
            .with("tier", 3)
            .with("startDate", "2026-10-05")
            .with("plannedEndDate", "2026-11-05")
            .await;
        end(&admin, &plan, ("COMPLETED", "PROGRESS", ended)).await;
    }
    let nowhere = app.student("Cy", "Nowhere").await;
    app.plan(&nowhere, &math).await;
    District {
        north,
        south,
        reading,
        math,
    }
}

/// Plans per outcome, in the enum's order.
fn outcomes(goal_met: i64, progress: i64, no_progress: i64) -> Value {
    json!([
        { "outcome": "GOAL_MET", "plans": goal_met },
        { "outcome": "PROGRESS", "plans": progress },
        { "outcome": "NO_PROGRESS", "plans": no_progress },
        { "outcome": "REGRESSED", "plans": 0 },
        { "outcome": "MOVED_AWAY", "plans": 0 },
    ])
}

/// Days from Sep 1 to the district's today (Chicago's): an active plan's duration so far.
fn running_days() -> f64 {
    let today = Utc::now()
        .with_timezone(&chrono_tz::America::Chicago)
        .date_naive();
    (today - NaiveDate::from_ymd_opt(2026, 9, 1).unwrap()).num_days() as f64
}

async fn outcomes_and_durations_are_counted_in_sql(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let d = district(&app).await;
    let range = json!({ "from": "2026-08-01", "to": "2026-12-31" });
    let data = app.as_admin().query(OUTCOMES, range).await.data();
    let active = running_days();
    let mut north_days = [10.0, 20.0, active];
    north_days.sort_by(f64::total_cmp);
    // Means compared apart: two backends' averages may differ in the last bit.
    let mut cells = data["interventionOutcomes"].as_array().unwrap().clone();
    let means: Vec<f64> = cells
        .iter_mut()
        .map(|cell| {
            cell.as_object_mut()
                .unwrap()
                .remove("meanDays")
                .unwrap()
                .as_f64()
                .unwrap()
        })
        .collect();
    for (mean, expected) in means
        .iter()
        .zip([active, (10.0 + 20.0 + active) / 3.0, 15.0])
    {
        assert!(
            (mean - expected).abs() < 1e-9,
            "mean {mean}, expected {expected}"
        );
    }
    assert_eq!(
        cells,
        [
            json!({ "schoolId": null, "tier": 2, "interventionId": d.math, "month": "2026-09",
              "plans": 1, "students": 1, "active": 1, "plansWithDuration": 1, "medianDays": active,
              "outcomes": outcomes(0, 0, 0), "withoutOutcome": 1, "suppressed": false }),
            json!({ "schoolId": d.north, "tier": 2, "interventionId": d.reading, "month": "2026-09",
              "plans": 4, "students": 4, "active": 1, "plansWithDuration": 3, "medianDays": north_days[1],
              "outcomes": outcomes(1, 0, 1), "withoutOutcome": 2, "suppressed": false }),
            json!({ "schoolId": d.south, "tier": 3, "interventionId": d.reading, "month": "2026-10",
              "plans": 2, "students": 2, "active": 0, "plansWithDuration": 2, "medianDays": 15.0,
              "outcomes": outcomes(0, 2, 0), "withoutOutcome": 0, "suppressed": false }),
        ]
    );
    let october = json!({ "from": "2026-10-01", "to": "2026-10-31" });
    let data = app.as_admin().query(OUTCOMES, october).await.data();
    let cells = data["interventionOutcomes"].as_array().unwrap();
    assert_eq!(cells.len(), 1, "plans begun in October only: {cells:?}");
    assert_eq!(cells[0]["schoolId"], d.south.as_str());
}

async fn a_bi_reader_sees_small_outcome_cells_withheld(backend: Backend) {
    let range = json!({ "from": "2026-08-01", "to": "2026-12-31" });
    let app = TestApp::spawn(backend).await;
    district(&app).await;
    let data = app.as_bi().query(OUTCOMES, range.clone()).await.data();
    let cells = data["interventionOutcomes"].as_array().unwrap();
    assert_eq!(cells.len(), 3);
    for cell in cells {
        assert_eq!(cell["suppressed"], true, "{cell}");
        for count in [
            "plans",
            "students",
            "meanDays",
            "medianDays",
            "outcomes",
            "withoutOutcome",
        ] {
            assert_eq!(cell[count], Value::Null, "{count}: {cell}");
        }
        assert!(
            cell["month"].is_string() && cell["tier"].is_number(),
            "{cell}"
        );
    }
    // At three students a cell, North's four show; South's two and the one elsewhere do not.
    let lenient = TestApp::spawn_with(backend, &["--small-cell-min", "3"]).await;
    let d = district(&lenient).await;
    let data = lenient.as_bi().query(OUTCOMES, range.clone()).await.data();
    let shown: Vec<(&Value, bool)> = data["interventionOutcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|cell| (&cell["schoolId"], cell["suppressed"] == false))
        .collect();
    let (north, south) = (json!(d.north), json!(d.south));
    assert_eq!(
        shown,
        [(&Value::Null, false), (&north, true), (&south, false)]
    );
    assert_eq!(
        data["interventionOutcomes"][1]["outcomes"],
        outcomes(1, 0, 1)
    );
    let worker = app.as_social_worker(None, &[]).query(OUTCOMES, range).await;
    assert_eq!(worker.code(), "FORBIDDEN");
}

on_both_backends!(
    outcomes_and_durations_are_counted_in_sql,
    a_bi_reader_sees_small_outcome_cells_withheld,
);
