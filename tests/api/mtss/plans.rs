//! Tier placements, the intervention catalogue, and plans with what the server derives from them
//! (numbers checked by hand).

use serde_json::json;

use crate::helpers::{Backend, Response, TestApp, on_both_backends};

async fn tier_placements_keep_one_current_per_domain(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let student = app.student("Tia", "Tier").await;
    app.tier(&student, "BEHAVIOR", 2).await;
    let audits = app.count_rows("audit_event").await;
    app.tier(&student, "BEHAVIOR", 3)
        .with("effectiveFrom", "2026-10-15")
        .with("rationale", "No response to tier 2")
        .await;
    assert_eq!(
        app.count_rows("audit_event").await,
        audits + 2,
        "closing the old and opening the new are both audited"
    );
    app.tier(&student, "ACADEMIC", 1).await;

    let data = admin
        .query("query($id: ID!) { student(id: $id) { currentTiers { domain tier } tierHistory { totalCount nodes { tier effectiveFrom effectiveTo current } } } }", json!({ "id": student }))
        .await
        .data();
    assert_eq!(
        data["student"]["currentTiers"],
        json!([{ "domain": "ACADEMIC", "tier": 1 }, { "domain": "BEHAVIOR", "tier": 3 }])
    );
    let history = &data["student"]["tierHistory"];
    assert_eq!(history["totalCount"], 3);
    let closed = history["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["tier"] == 2)
        .unwrap();
    assert_eq!(
        closed["effectiveTo"], "2026-10-14",
        "the old placement ends the day before the new one"
    );
    assert_eq!(closed["current"], false);

    assert_eq!(
        app.tier(&student, "BEHAVIOR", 4)
            .with("effectiveFrom", "2026-11-01")
            .refused()
            .await,
        ["input.tier:OUT_OF_RANGE"]
    );
    assert_eq!(
        app.tier(&student, "BEHAVIOR", 2)
            .with("effectiveFrom", "2026-10-01")
            .refused()
            .await,
        ["input.effectiveFrom:DATES_OUT_OF_ORDER"]
    );
}

async fn concurrent_placements_never_leave_two_current(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let student = app.student("Cora", "Current").await;
    let admin = app.as_admin();
    let attempts = (0..6).map(|i| {
        app.tier(&student, "ATTENDANCE", 1 + i % 3)
            .with("effectiveFrom", format!("2026-09-{:02}", 1 + i))
            .send()
    });
    let results = futures::future::join_all(attempts).await;
    let succeeded = results
        .iter()
        .filter(|Response { body, .. }| body["data"]["placeInTier"]["placement"].is_object())
        .count();
    assert!(succeeded >= 1, "{results:?}");
    for Response { body, .. } in &results {
        if body["data"]["placeInTier"]["placement"].is_null() {
            let refused = body["errors"][0]["extensions"]["code"] == "CONFLICT"
                || !body["data"]["placeInTier"]["userErrors"]
                    .as_array()
                    .unwrap()
                    .is_empty();
            assert!(refused, "a losing writer is refused clearly: {body}");
        }
    }
    let data = admin
        .query("query($id: ID!) { student(id: $id) { currentTiers { domain } tierHistory { nodes { current } } } }", json!({ "id": student }))
        .await
        .data();
    assert_eq!(
        data["student"]["currentTiers"].as_array().unwrap().len(),
        1,
        "exactly one current placement"
    );
    let current = data["student"]["tierHistory"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["current"] == true)
        .count();
    assert_eq!(current, 1);
}

async fn the_catalogue_is_kept_by_admins(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.intervention("Check-In/Check-Out")
        .with("domains", ["BEHAVIOR"])
        .await;
    app.intervention("Attendance mentoring")
        .with("domains", ["ATTENDANCE", "SOCIAL_EMOTIONAL"])
        .await;
    app.intervention("Good Behavior Game")
        .with("domains", ["BEHAVIOR"])
        .with("tier", 1)
        .await;
    let admin = app.as_admin();
    let data = admin
        .query("{ behavior: interventions(filter: { domain: BEHAVIOR }) { totalCount nodes { name } } tier2: interventions(filter: { tier: 2 }) { totalCount } }", json!({}))
        .await
        .data();
    assert_eq!(data["behavior"]["totalCount"], 2);
    assert_eq!(data["behavior"]["nodes"][0]["name"], "Check-In/Check-Out");
    assert_eq!(data["tier2"]["totalCount"], 2);
    let duplicate = || {
        app.intervention("Good Behavior Game")
            .with("description", "again")
            .with("domains", ["BEHAVIOR"])
            .with("tier", 1)
            .with("evidenceLevel", "STRONG")
            .with("delivery", "CLASSWIDE")
            .with("defaultSessionsPerWeek", 5)
            .with("defaultMinutesPerSession", 10)
    };
    assert_eq!(duplicate().refused().await, ["input.name:DUPLICATE"]);
    let worker = app.as_social_worker(None, &[]);
    assert_eq!(duplicate().by(&worker).send().await.code(), "FORBIDDEN");
    assert_eq!(
        worker
            .query("{ interventions { totalCount } }", json!({}))
            .await
            .data()["interventions"]["totalCount"],
        3,
        "staff read the catalogue"
    );
    assert_eq!(
        app.as_agency(None)
            .query("{ interventions { totalCount } }", json!({}))
            .await
            .code(),
        "FORBIDDEN"
    );
}

const PLAN_VIEW: &str = "query($id: ID!) { node(id: $id) { ... on InterventionPlan {
    decision trend aimLine { date expected }
    progressPoints(last: 5) { totalCount nodes { date value expected } }
    dosage { sessionsPlanned sessionsDelivered minutesPlanned minutesDelivered deliveredRatio } } } }";

async fn plans_derive_aim_line_trend_decision_and_dosage(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let reading = app.intervention("Small-group reading").await;
    let student = app.student("Pia", "Plan").with("gradeLevel", "03").await;
    let id = app.plan(&student, &reading).await;

    let early = admin.query(PLAN_VIEW, json!({ "id": id })).await.data();
    assert_eq!(early["node"]["decision"], "INSUFFICIENT_DATA");
    assert!(early["node"]["trend"].is_null());

    // Expected on Sep 8, 15, 22, 29: 17.5, 25, 32.5, 40; every point falls short.
    app.progress_points(
        &id,
        &[
            ("2026-09-08", 17.0),
            ("2026-09-15", 24.0),
            ("2026-09-22", 30.0),
            ("2026-09-29", 39.9),
        ],
    )
    .await;
    let view = admin.query(PLAN_VIEW, json!({ "id": id })).await.data()["node"].clone();
    assert_eq!(view["decision"], "INTENSIFY");
    assert_eq!(
        view["aimLine"],
        json!([
            { "date": "2026-09-01", "expected": 10.0 }, { "date": "2026-09-08", "expected": 17.5 }, { "date": "2026-09-15", "expected": 25.0 },
            { "date": "2026-09-22", "expected": 32.5 }, { "date": "2026-09-29", "expected": 40.0 }
        ])
    );
    assert_eq!(
        view["progressPoints"]["nodes"][1],
        json!({ "date": "2026-09-15", "value": 24.0, "expected": 25.0 })
    );
    // Weeks 0..3, values 17, 24, 30, 39.9: mean 27.725; sxy = 16.0875 + 1.8625 + 1.1375 + 18.2625 = 37.35; sxx = 5.
    assert!(
        (view["trend"].as_f64().unwrap() - 7.47).abs() < 1e-9,
        "{}",
        view["trend"]
    );

    // Two sessions attended of three; 2 a week planned from Sep 1 to Sep 29 = 29/7 * 2 = 8.29 -> 8.
    for (date, attended) in [
        ("2026-09-02", true),
        ("2026-09-04", true),
        ("2026-09-09", false),
    ] {
        app.session(&id, date).with("attended", attended).await;
    }
    let dosage = admin.query(PLAN_VIEW, json!({ "id": id })).await.data()["node"]["dosage"].clone();
    assert_eq!(
        dosage,
        json!({ "sessionsPlanned": 8, "sessionsDelivered": 2, "minutesPlanned": 240, "minutesDelivered": 60, "deliveredRatio": 0.25 })
    );

    // Four points beyond the line on another plan: consider exit.
    let other = app.intervention("Math fluency").await;
    let ahead = app.plan(&student, &other).await;
    app.progress_points(
        &ahead,
        &[
            ("2026-09-08", 18.0),
            ("2026-09-15", 26.0),
            ("2026-09-22", 33.0),
            ("2026-09-29", 41.0),
        ],
    )
    .await;
    assert_eq!(
        admin.query(PLAN_VIEW, json!({ "id": ahead })).await.data()["node"]["decision"],
        "CONSIDER_EXIT"
    );
}

async fn plan_rules_are_user_errors(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let reading = app.intervention("Small-group reading").await;
    let student = app.student("Rui", "Rules").with("gradeLevel", "03").await;
    let id = app.plan(&student, &reading).await;
    let in_october = |intervention: &str| {
        app.plan(&student, intervention)
            .with("startDate", "2026-10-01")
            .with("plannedEndDate", "2026-12-01")
    };
    assert_eq!(
        in_october(&reading).refused().await,
        ["input.interventionId:DUPLICATE"]
    );
    let other = app
        .intervention("Other")
        .with("domains", ["BEHAVIOR"])
        .await;
    let backwards = in_october(&other)
        .with("tier", 5)
        .with("plannedEndDate", "2026-09-01");
    assert_eq!(
        backwards.refused().await,
        [
            "input.tier:OUT_OF_RANGE",
            "input.plannedEndDate:DATES_OUT_OF_ORDER"
        ]
    );
    assert_eq!(
        app.progress_point(&id, "2026-10-05", 20.0).refused().await,
        ["input.date:OUT_OF_RANGE"]
    );
    assert_eq!(
        app.session(&id, "2026-08-20").refused().await,
        ["input.date:OUT_OF_RANGE"]
    );

    // Once the plan is completed, a new plan of the same intervention may start.
    let done = admin
        .query("mutation($id: ID!) { updateInterventionPlan(input: { id: $id, version: 1, status: COMPLETED, outcome: GOAL_MET, actualEndDate: \"2026-09-29\" }) { plan { status outcome } userErrors { field } } }", json!({ "id": id }))
        .await
        .data();
    assert_eq!(
        done["updateInterventionPlan"]["plan"]["outcome"],
        "GOAL_MET"
    );
    in_october(&reading).await;
}

on_both_backends!(
    tier_placements_keep_one_current_per_domain,
    concurrent_placements_never_leave_two_current,
    the_catalogue_is_kept_by_admins,
    plans_derive_aim_line_trend_decision_and_dosage,
    plan_rules_are_user_errors,
);
