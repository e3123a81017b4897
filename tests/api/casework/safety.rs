//! Assessments, crisis incidents and safety plans: a HIGH screening no crisis response or
//! safety plan followed that day flags the student until one does; plans due for review.

use crate::helpers::district_today;
use chrono::Duration;
use serde_json::{Value, json};

use crate::helpers::{Backend, Client, TestApp, on_both_backends};

/// Runs `mutation` with `input` as `client`: the record at `node`, or the user errors.
async fn write(
    client: &Client,
    (mutation, node): (&str, &str),
    input: Value,
) -> Result<Value, Vec<String>> {
    let kind = format!("{}{}Input", mutation[..1].to_uppercase(), &mutation[1..]);
    let query = format!(
        "mutation($input: {kind}!) {{ {mutation}(input: $input) {{
            {node} {{ id version }} userErrors {{ field code }} }} }}"
    );
    let answer = client.query(&query, json!({ "input": input })).await;
    answer.written(mutation, node)
}

const ASSESS: (&str, &str) = ("recordAssessment", "assessment");
const CRISIS: (&str, &str) = ("recordCrisisIncident", "incident");
const PLAN: (&str, &str) = ("createSafetyPlan", "plan");

async fn flagged(worker: &Client, student: &str) -> (bool, usize) {
    let query = "query($id: ID!) { node(id: $id) { ... on Student { needsSafetyPlan } }
        studentsNeedingSafetyPlans { totalCount } }";
    let data = worker.query(query, json!({ "id": student })).await.data();
    let listed = data["studentsNeedingSafetyPlans"]["totalCount"]
        .as_u64()
        .unwrap() as usize;
    (data["node"]["needsSafetyPlan"].as_bool().unwrap(), listed)
}

async fn due(worker: &Client, within: i64) -> Vec<String> {
    let query =
        "query($within: Int!) { safetyPlansDueForReview(within: $within) { nodes { id } } }";
    let data = worker
        .query(query, json!({ "within": within }))
        .await
        .data();
    data["safetyPlansDueForReview"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect()
}

async fn a_high_screening_is_flagged_until_a_plan_or_a_crisis_response_follows(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let north = app.school("North").await;
    let ana = app.student("Ana", "Reyes").await;
    let ben = app.student("Ben", "Okafor").await;
    for student in [&ana, &ben] {
        app.enrollment(student, &north).await;
    }
    let sam = app.staff("Sam", "Social").await;
    let worker = app.as_social_worker(Some(&sam), &[&north]);
    let screening = |student: &str, kind: &str, risk: &str, date: &str| {
        json!({ "studentId": student, "assessmentType": kind, "riskLevel": risk,
            "date": date, "summary": "Screened after a teacher's concern" })
    };

    // Not flagged: a moderate screening, a HIGH screener of another kind.
    for (kind, risk) in [
        ("SUICIDE_RISK_SCREENING", "MODERATE"),
        ("SEL_SCREENER", "HIGH"),
    ] {
        write(&worker, ASSESS, screening(&ana, kind, risk, "2026-09-09"))
            .await
            .unwrap();
    }
    assert_eq!(flagged(&worker, &ana).await, (false, 0));
    // Flagged: HIGH, with nothing the same day; Ben's threat was answered by a crisis response.
    write(
        &worker,
        ASSESS,
        screening(&ana, "SUICIDE_RISK_SCREENING", "HIGH", "2026-09-10"),
    )
    .await
    .unwrap();
    write(
        &worker,
        ASSESS,
        screening(&ben, "THREAT_ASSESSMENT", "HIGH", "2026-09-11"),
    )
    .await
    .unwrap();
    let response = json!({ "studentId": ben, "crisisType": "THREAT_OF_VIOLENCE", "date": "2026-09-11",
        "response": "Met with the student and a parent; removed access" });
    let ben_crisis = write(&worker, CRISIS, response).await.unwrap();
    assert_eq!(flagged(&worker, &ana).await, (true, 1));
    assert!(
        !flagged(&worker, &ben).await.0,
        "answered by a crisis response"
    );

    // A safety plan's rules, each at its field.
    let plan = |extra: Value| {
        let mut input = json!({ "studentId": ana, "createdOn": "2026-09-10",
            "reviewDate": "2026-09-24", "plan": "Warning signs; calm-down steps; who to call" });
        input
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        input
    };
    for (extra, error) in [
        (
            json!({ "reviewDate": "2026-09-01" }),
            "input.reviewDate:DATES_OUT_OF_ORDER",
        ),
        (
            json!({ "crisisIncidentId": ben_crisis["id"] }),
            "input.crisisIncidentId:INVALID",
        ),
        (json!({ "plan": "  " }), "input.plan:REQUIRED"),
        (
            json!({ "createdOn": "2099-01-01", "reviewDate": "2099-02-01" }),
            "input.createdOn:OUT_OF_RANGE",
        ),
    ] {
        assert_eq!(
            write(&worker, PLAN, plan(extra.clone())).await.unwrap_err(),
            [error],
            "{extra}"
        );
    }
    let made = write(&worker, PLAN, plan(json!({}))).await.unwrap();
    assert_eq!(
        flagged(&worker, &ana).await,
        (false, 0),
        "the plan answers the screening"
    );

    // Due for review: the past review date now; a later one only within its window.
    let later = (district_today() + Duration::days(40)).to_string();
    let today = district_today().to_string();
    let second = write(
        &worker,
        PLAN,
        plan(json!({ "createdOn": today, "reviewDate": later })),
    )
    .await
    .unwrap();
    assert_eq!(due(&worker, 14).await, [made["id"].as_str().unwrap()]);
    assert_eq!(
        due(&worker, 60).await,
        [made["id"].as_str().unwrap(), second["id"].as_str().unwrap()]
    );
    let ended = json!({ "id": made["id"], "version": made["version"], "endedOn": today });
    write(&worker, ("updateSafetyPlan", "plan"), ended)
        .await
        .unwrap();
    assert!(
        due(&worker, 14).await.is_empty(),
        "an ended plan is not reviewed"
    );

    // Only pupil services and admins: school staff and BI readers are refused.
    let teacher = app.as_school_staff(None, &[&north]);
    let query = "mutation($input: RecordAssessmentInput!) { recordAssessment(input: $input) { userErrors { code } } }";
    let input = screening(&ana, "OTHER", "LOW", "2026-09-12");
    assert_eq!(
        teacher.query(query, json!({ "input": input })).await.code(),
        "FORBIDDEN"
    );
    let bi = app.as_bi();
    let listed = bi
        .query("{ studentsNeedingSafetyPlans { totalCount } }", json!({}))
        .await;
    assert_eq!(listed.code(), "FORBIDDEN");
    let read =
        "query($id: ID!) { node(id: $id) { ... on Student { assessments { totalCount } } } }";
    let words = worker.query(read, json!({ "id": ana })).await.data();
    assert_eq!(words["node"]["assessments"]["totalCount"], 3);
    let listed = "{ students { nodes { assessments { totalCount } } } }";
    assert_eq!(bi.query(listed, json!({})).await.code(), "FORBIDDEN");
}

on_both_backends!(a_high_screening_is_flagged_until_a_plan_or_a_crisis_response_follows);
