//! A referral's life: filed by a teacher for a student of their school, assigned by a social
//! worker (which opens a case), moved to IN_PROGRESS and CLOSED; every illegal move a
//! `userError`, and each role seeing what the policy says.

use serde_json::{Value, json};

use crate::helpers::{Backend, Client, TestApp, on_both_backends};

const REFERRAL: &str = "id version status reasons urgency referredOn
    filedBy { id } assignedTo { id } case { id areaOfFocus open socialWorker { id } }";

/// Sends `mutation` (`assignReferral`, `moveReferral`) with `input` as `client`: the referral,
/// or the user errors as `field:CODE`.
async fn change(
    client: &Client,
    mutation: &str,
    input_type: &str,
    input: Value,
) -> Result<Value, Vec<String>> {
    let query = format!(
        "mutation($input: {input_type}!) {{ {mutation}(input: $input) {{
            referral {{ {REFERRAL} }} userErrors {{ field code message }} }} }}"
    );
    let answer = client.query(&query, json!({ "input": input })).await;
    answer.written(mutation, "referral")
}

async fn assign(client: &Client, referral: &Value, worker: &str) -> Result<Value, Vec<String>> {
    let input = json!({ "id": referral["id"], "version": referral["version"],
        "socialWorkerId": worker, "areaOfFocus": "ATTENDANCE_TRUANCY", "openedOn": "2026-09-15" });
    change(client, "assignReferral", "AssignReferralInput", input).await
}

async fn move_to(client: &Client, referral: &Value, status: &str) -> Result<Value, Vec<String>> {
    let input = json!({ "id": referral["id"], "version": referral["version"], "status": status });
    change(client, "moveReferral", "MoveReferralInput", input).await
}

async fn a_referral_goes_from_filing_to_a_closed_case(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (north, south) = (app.school("North").await, app.school("South").await);
    let ana = app.student("Ana", "Reyes").await;
    let ben = app.student("Ben", "Okafor").await;
    app.enrollment(&ana, &north).await;
    app.enrollment(&ben, &south).await;
    let sam = app.staff("Sam", "Social").await;
    let tia = app.staff("Tia", "Teacher").with("role", "TEACHER").await;
    let teacher = app.as_school_staff(Some(&tia), &[&north]);
    let worker = app.as_social_worker(Some(&sam), &[&north]);

    // Filing: a student of the teacher's school, with reasons and words, not in the future.
    let filed = app
        .referral(&ana)
        .with("reasons", json!(["ATTENDANCE", "FAMILY", "ATTENDANCE"]))
        .with("urgency", "SOON")
        .with("referredOn", "2026-09-10")
        .by(&teacher)
        .returning(REFERRAL)
        .await;
    assert_eq!(filed["status"], "NEW");
    assert_eq!(filed["reasons"], json!(["ATTENDANCE", "FAMILY"]));
    assert_eq!(
        (&filed["urgency"], &filed["filedBy"]["id"]),
        (&json!("SOON"), &json!(tia))
    );
    assert_eq!(
        app.referral(&ben).by(&teacher).refused().await,
        ["input.studentId:NOT_FOUND"]
    );
    assert_eq!(
        app.referral(&ana)
            .with("reasons", json!([]))
            .with("description", " ")
            .by(&teacher)
            .refused()
            .await,
        ["input.reasons:REQUIRED", "input.description:REQUIRED"]
    );
    assert_eq!(
        app.referral(&ana)
            .with("referredOn", "2099-01-01")
            .refused()
            .await,
        ["input.referredOn:OUT_OF_RANGE"]
    );
    assert_eq!(
        app.referral(&ana).by(&app.as_sis()).send().await.code(),
        "FORBIDDEN"
    );

    // The intake queue: the worker's NEW referrals.
    let queue = worker
        .query(
            "{ referrals(filter: { statuses: [NEW] }) { totalCount nodes { id } } }",
            json!({}),
        )
        .await
        .data();
    assert_eq!(queue["referrals"]["nodes"][0]["id"], filed["id"]);

    // NEW moves only by assignment; the teacher may not assign; the worker must be pupil services.
    assert_eq!(
        move_to(&worker, &filed, "IN_PROGRESS").await.unwrap_err(),
        ["input.status:INVALID_TRANSITION"]
    );
    let input = json!({ "id": filed["id"], "version": filed["version"],
        "socialWorkerId": sam, "areaOfFocus": "GENERAL" });
    let query = "mutation($input: AssignReferralInput!) { assignReferral(input: $input) { userErrors { field } } }";
    assert_eq!(
        teacher.query(query, json!({ "input": input })).await.code(),
        "FORBIDDEN"
    );
    assert_eq!(
        assign(&worker, &filed, &tia).await.unwrap_err(),
        ["input.socialWorkerId:INVALID"]
    );
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(2)).date_naive();
    let input = json!({ "id": filed["id"], "version": filed["version"], "socialWorkerId": sam,
        "areaOfFocus": "GENERAL", "openedOn": tomorrow.to_string() });
    let early = change(&worker, "assignReferral", "AssignReferralInput", input).await;
    assert_eq!(early.unwrap_err(), ["input.openedOn:OUT_OF_RANGE"]);
    let assigned = assign(&worker, &filed, &sam).await.unwrap();
    assert_eq!(assigned["status"], "ASSIGNED");
    assert_eq!(assigned["assignedTo"]["id"], sam.as_str());
    let case = &assigned["case"];
    assert_eq!(
        (&case["areaOfFocus"], &case["open"]),
        (&json!("ATTENDANCE_TRUANCY"), &json!(true))
    );
    assert_eq!(case["socialWorker"]["id"], sam.as_str());
    assert_eq!(
        assign(&worker, &assigned, &sam).await.unwrap_err(),
        ["input.id:INVALID_TRANSITION"]
    );

    // ASSIGNED -> IN_PROGRESS -> CLOSED, and nothing skips or comes back.
    assert_eq!(
        move_to(&worker, &assigned, "CLOSED").await.unwrap_err(),
        ["input.status:INVALID_TRANSITION"]
    );
    let working = move_to(&worker, &assigned, "IN_PROGRESS").await.unwrap();
    let closed = move_to(&worker, &working, "CLOSED").await.unwrap();
    assert_eq!(closed["status"], "CLOSED");
    assert_eq!(
        move_to(&worker, &closed, "IN_PROGRESS").await.unwrap_err(),
        ["input.status:INVALID_TRANSITION"]
    );

    // The teacher follows the status of what they filed, never the case or the words.
    // Filed by the admin (not the teacher's), and declined at intake: NEW -> CLOSED.
    let declined = app.referral(&ana).returning("id version").await;
    let declined = move_to(&worker, &declined, "CLOSED").await.unwrap();
    assert_eq!(declined["case"], Value::Null, "no case opened");
    let mine = teacher
        .query("{ referrals { nodes { id status } } }", json!({}))
        .await
        .data();
    assert_eq!(
        mine["referrals"]["nodes"],
        json!([{ "id": filed["id"], "status": "CLOSED" }])
    );
    for field in ["case { id }", "description"] {
        let query = format!("{{ referrals {{ nodes {{ {field} }} }} }}");
        assert_eq!(
            teacher.query(&query, json!({})).await.code(),
            "FORBIDDEN",
            "{field}"
        );
    }
    // The worker sees both on the student, the case behind the first.
    let student = "query($id: ID!) { node(id: $id) { ... on Student {
        referrals { totalCount nodes { description } } cases { nodes { id open } } } } }";
    let seen = worker.query(student, json!({ "id": ana })).await.data();
    assert_eq!(seen["node"]["referrals"]["totalCount"], 2);
    assert_eq!(seen["node"]["cases"]["nodes"][0]["id"], case["id"]);
    assert_eq!(
        seen["node"]["referrals"]["nodes"][0]["description"],
        "Missed six days in September"
    );
    // A BI reader counts referrals, without their words.
    let bi = app.as_bi();
    let counted = bi
        .query(
            "{ referrals { totalCount nodes { status reasons } } }",
            json!({}),
        )
        .await
        .data();
    assert_eq!(counted["referrals"]["totalCount"], 2);
    let words = bi
        .query("{ referrals { nodes { description } } }", json!({}))
        .await;
    assert_eq!(words.code(), "FORBIDDEN");
    // Every step is in the change feed.
    let feed = app.as_admin()
        .query(r#"{ changes(entityTypes: ["ssw_referral", "ssw_case"], first: 100) { nodes { entityType } } }"#, json!({}))
        .await
        .data();
    let kinds: Vec<&str> = feed["changes"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["entityType"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "ssw_referral").count(),
        6,
        "{kinds:?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| **k == "ssw_case").count(),
        1,
        "{kinds:?}"
    );
}

on_both_backends!(a_referral_goes_from_filing_to_a_closed_case);
