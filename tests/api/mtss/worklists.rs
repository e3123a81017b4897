//! The worklist queries (early warning, MTSS summary, student filters) and what each role sees.

use crate::helpers::district_today;
use chrono::Duration;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, on_both_backends};

/// A school with: `a` chronically absent and in tier 3; `b` in tier 3 only; `c` with a plan to
/// intensify and an overdue IEP review.
async fn early_warning_school(app: &TestApp) -> (String, [String; 3]) {
    let admin = app.as_admin();
    let school = app.school("Warning Elementary").await;
    let mut students = Vec::new();
    for name in ["Alpha", "Bravo", "Charlie"] {
        let id = app.student(name, "Warn").await;
        app.enrollment(&id, &school).await;
        students.push(id);
    }
    let [a, b, c] = [
        students[0].clone(),
        students[1].clone(),
        students[2].clone(),
    ];
    app.attendance(&admin, &a, &school, 10, 3).await;
    app.attendance(&admin, &b, &school, 10, 0).await;
    for student in [&a, &b] {
        app.tier(student, "BEHAVIOR", 3).await;
    }
    let reading = app.intervention("Small-group reading").await;
    let falling = app.plan(&c, &reading).await;
    app.progress_points(
        &falling,
        &[
            ("2026-09-08", 12.0),
            ("2026-09-15", 13.0),
            ("2026-09-22", 14.0),
            ("2026-09-29", 15.0),
        ],
    )
    .await;
    let overdue = (district_today() - Duration::days(3)).to_string();
    app.iep(&c).with("iepReviewDueDate", overdue).await;
    (school, [a, b, c])
}

async fn early_warning_lists_students_with_two_signs(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (school, [a, _b, c]) = early_warning_school(&app).await;
    // A plan to intensify is one sign: alone it does not put `d` on the list.
    let d = app.student("Delta", "Warn").await;
    app.enrollment(&d, &school).await;
    let math = app.intervention("Math fluency").await;
    let plan = app.plan(&d, &math).await;
    app.progress_points(
        &plan,
        &[
            ("2026-09-08", 12.0),
            ("2026-09-15", 13.0),
            ("2026-09-22", 14.0),
            ("2026-09-29", 15.0),
        ],
    )
    .await;
    let data = app
        .as_admin()
        .query("query($s: ID!) { earlyWarning(schoolId: $s) { totalCount nodes { student { id } reasons } } }", json!({ "s": school }))
        .await
        .data();
    let list = &data["earlyWarning"];
    assert_eq!(list["totalCount"], 2, "{list}");
    let reasons = |id: &str| {
        list["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["student"]["id"] == id)
            .unwrap()["reasons"]
            .clone()
    };
    assert_eq!(reasons(&a), json!(["CHRONICALLY_ABSENT", "TIER_3"]));
    assert_eq!(
        reasons(&c),
        json!(["PLAN_NEEDS_INTENSIFYING", "IEP_REVIEW_OVERDUE"])
    );

    // Page by page: each page's students, in the list's order, none twice.
    let admin = app.as_admin();
    let page = |after: Value| {
        admin.query(
            "query($s: ID!, $after: String) { earlyWarning(schoolId: $s, first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { student { id } } } }",
            json!({ "s": school, "after": after }),
        )
    };
    let first = page(Value::Null).await.data()["earlyWarning"].clone();
    assert_eq!(first["pageInfo"]["hasNextPage"], true, "{first}");
    let second = page(first["pageInfo"]["endCursor"].clone()).await.data()["earlyWarning"].clone();
    assert_eq!(second["pageInfo"]["hasNextPage"], false, "{second}");
    let mut seen: Vec<Value> = [&first, &second]
        .iter()
        .map(|p| p["nodes"][0]["student"]["id"].clone())
        .collect();
    seen.sort_by_key(|id| id.to_string());
    let mut expected = vec![json!(a), json!(c)];
    expected.sort_by_key(|id| id.to_string());
    assert_eq!(seen, expected);
}

async fn mtss_summary_counts_with_sql_aggregates(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (school, [_, _, c]) = early_warning_school(&app).await;
    let admin = app.as_admin();
    // One ended plan with an outcome.
    let other = app
        .intervention("Check-In/Check-Out")
        .with("domains", ["BEHAVIOR"])
        .await;
    let ended = app.plan(&c, &other).await;
    admin
        .query("mutation($id: ID!) { updateInterventionPlan(input: { id: $id, version: 1, status: COMPLETED, outcome: NO_PROGRESS, actualEndDate: \"2026-09-29\" }) { plan { id } } }", json!({ "id": ended }))
        .await
        .data();
    let data = admin
        .query("query($s: ID!) { mtssSummary(schoolId: $s) { tierCounts { domain tier students } activePlans { intervention { name } activePlans } outcomes { outcome plans } } }", json!({ "s": school }))
        .await
        .data();
    let summary = &data["mtssSummary"];
    assert_eq!(
        summary["tierCounts"],
        json!([{ "domain": "BEHAVIOR", "tier": 3, "students": 2 }])
    );
    assert_eq!(
        summary["activePlans"],
        json!([{ "intervention": { "name": "Small-group reading" }, "activePlans": 1 }])
    );
    assert_eq!(
        summary["outcomes"],
        json!([{ "outcome": "NO_PROGRESS", "plans": 1 }])
    );
    // On a date before the placements, no student was in a tier.
    let before = admin
        .query("query($s: ID!) { mtssSummary(schoolId: $s, date: \"2026-08-25\") { tierCounts { tier } } }", json!({ "s": school }))
        .await
        .data();
    assert_eq!(before["mtssSummary"]["tierCounts"], json!([]));
}

async fn worklist_filters_apply_in_sql(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let (school, [a, b, _c]) = early_warning_school(&app).await;
    let mentoring = app
        .intervention("Attendance mentoring")
        .with("domains", ["ATTENDANCE"])
        .await;
    app.plan(&a, &mentoring).await;
    let count = |filter: Value| {
        let admin = admin.clone();
        async move {
            let data = admin
                .query("query($f: StudentFilter) { students(first: 1, filter: $f) { totalCount nodes { id } } }", json!({ "f": filter }))
                .await
                .data();
            data["students"]["totalCount"].as_u64().unwrap()
        }
    };
    // c has the reading plan, a the mentoring plan, b none.
    assert_eq!(count(json!({ "hasActiveIntervention": true })).await, 2);
    assert_eq!(count(json!({ "hasActiveIntervention": false })).await, 1);
    assert_eq!(count(json!({ "interventionId": mentoring })).await, 1);
    assert_eq!(count(json!({ "iepStatus": "ACTIVE" })).await, 1);
    assert_eq!(count(json!({ "iepStatus": "REFERRED" })).await, 0);
    assert_eq!(
        count(json!({ "tier": { "domain": "BEHAVIOR", "tier": 3 }, "schoolId": school })).await,
        2
    );
    assert_eq!(
        count(json!({ "tier": { "domain": "BEHAVIOR", "tier": 3 }, "chronicallyAbsent": true }))
            .await,
        1,
        "conditions combine"
    );
    assert_eq!(
        count(json!({ "tier": { "domain": "BEHAVIOR", "tier": 3 }, "chronicallyAbsent": true, "interventionId": mentoring })).await,
        1,
        "three sets intersect"
    );
    assert_eq!(
        count(json!({ "tier": { "domain": "BEHAVIOR", "tier": 3 }, "iepStatus": "ACTIVE" })).await,
        0,
        "sets without a common student"
    );
    let only = admin
        .query("query($f: StudentFilter) { students(filter: $f) { nodes { id } } }", json!({ "f": { "tier": { "domain": "BEHAVIOR", "tier": 3 }, "hasActiveIntervention": false } }))
        .await
        .data();
    assert_eq!(only["students"]["nodes"], json!([{ "id": b }]));
}

async fn each_role_sees_what_the_policy_allows(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (school, [a, _b, c]) = early_warning_school(&app).await;
    let elsewhere = app.school("Elsewhere Elementary").await;
    let student = |field: &str| format!("query($id: ID!) {{ student(id: $id) {{ {field} }} }}");
    let teacher = app.as_school_staff(None, &[&school]);
    let worker = app.as_social_worker(None, &[&school]);
    let outsider = app.as_social_worker(None, &[&elsewhere]);
    let bi = app.as_bi();
    let id = json!({ "id": c });

    // School staff: only that an IEP/504 exists.
    assert_eq!(
        teacher
            .query(&student("hasIepOr504"), id.clone())
            .await
            .data()["student"]["hasIepOr504"],
        true
    );
    for denied in [
        "specialEducation { totalCount }",
        "homelessStatus { current }",
        "currentTiers { tier }",
        "interventionPlans { totalCount }",
        "attendance { daysAbsent }",
    ] {
        assert_eq!(
            teacher.query(&student(denied), id.clone()).await.code(),
            "FORBIDDEN",
            "school staff: {denied}"
        );
    }
    assert_eq!(
        teacher
            .query(
                "{ students(filter: { homeless: true }) { totalCount } }",
                json!({})
            )
            .await
            .code(),
        "FORBIDDEN",
        "no inference through filters"
    );

    // Social workers: everything, for students of their schools.
    for allowed in [
        "specialEducation { totalCount }",
        "homelessStatus { current }",
        "currentTiers { tier }",
        "interventionPlans { nodes { decision } }",
        "attendance { daysAbsent }",
    ] {
        worker.query(&student(allowed), id.clone()).await.data();
    }
    assert_eq!(
        outsider
            .query(&student("currentTiers { tier }"), id.clone())
            .await
            .code(),
        "NOT_FOUND"
    );
    let reading = app.intervention("Reading booster").await;
    app.plan(&a, &reading).by(&worker).await;
    let other_school = app.plan(&a, &reading).by(&outsider).send().await.data();
    assert_eq!(
        other_school["createInterventionPlan"]["userErrors"][0]["field"], "input.studentId",
        "a social worker cannot plan for a student of another school"
    );

    // BI: tiers, plans, attendance and summaries; no IEP or McKinney-Vento; no early warning.
    // It lists students (by pseudonym) and looks none up by global id.
    let listed = |field: &str| format!("{{ students {{ nodes {{ {field} }} }} }}");
    bi.query(&listed("currentTiers { tier } interventionPlans { nodes { decision } } attendance { daysAbsent }"), json!({}))
        .await
        .data();
    for denied in [
        "specialEducation { totalCount }",
        "homelessStatus { current }",
    ] {
        assert_eq!(
            bi.query(&listed(denied), json!({})).await.code(),
            "FORBIDDEN",
            "BI: {denied}"
        );
    }
    bi.query(
        "query($s: ID!) { mtssSummary(schoolId: $s) { tierCounts { tier } } }",
        json!({ "s": school }),
    )
    .await
    .data();
    assert_eq!(
        bi.query(
            "query($s: ID!) { earlyWarning(schoolId: $s) { totalCount } }",
            json!({ "s": school })
        )
        .await
        .code(),
        "FORBIDDEN"
    );
    assert_eq!(
        bi.query("{ homelessStudents { totalCount } }", json!({}))
            .await
            .code(),
        "FORBIDDEN"
    );
    assert_eq!(
        bi.query("{ iepReviewsDue(within: 30) { totalCount } }", json!({}))
            .await
            .code(),
        "FORBIDDEN"
    );
    let placed_by_bi = app
        .tier(&a, "BEHAVIOR", 2)
        .with("effectiveFrom", "2026-11-01")
        .by(&bi)
        .send()
        .await;
    assert_eq!(placed_by_bi.code(), "FORBIDDEN");

    // Agencies and the SIS: nothing of MTSS.
    for token in [app.as_agency(None), app.as_sis()] {
        assert_eq!(
            token
                .query("{ homelessStudents { totalCount } }", json!({}))
                .await
                .code(),
            "FORBIDDEN"
        );
    }
}

on_both_backends!(
    early_warning_lists_students_with_two_signs,
    mtss_summary_counts_with_sql_aggregates,
    worklist_filters_apply_in_sql,
    each_role_sees_what_the_policy_allows,
);
