//! The truancy ladder (steps in order, once a school year, the next one due from unexcused
//! absences and the thresholds) and mandated abuse reports (the filing deadline).

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::helpers::{Backend, Client, TestApp, on_both_backends};

/// Runs `mutation` with `input` as `client`: the record at `node`, or the user errors.
async fn write(
    client: &Client,
    (mutation, node, fields): (&str, &str, &str),
    input: Value,
) -> Result<Value, Vec<String>> {
    let kind = format!("{}{}Input", mutation[..1].to_uppercase(), &mutation[1..]);
    let query = format!(
        "mutation($input: {kind}!) {{ {mutation}(input: $input) {{
            {node} {{ {fields} }} userErrors {{ field code }} }} }}"
    );
    client
        .query(&query, json!({ "input": input }))
        .await
        .written(mutation, node)
}

const STEP: (&str, &str, &str) = ("recordTruancyStep", "step", "step date");
const CONCERN: (&str, &str, &str) = (
    "recordAbuseConcern",
    "report",
    "id version overdue filedLate deadline learnedAt",
);
const FILE: (&str, &str, &str) = ("fileAbuseReport", "report", "overdue filedLate agency");

async fn standing(worker: &Client, student: &str) -> Value {
    let query = "query($id: ID!) { node(id: $id) { ... on Student { truancy {
        unexcusedAbsences steps { step } nextStep nextStepAt nextStepDue } } } }";
    worker.query(query, json!({ "id": student })).await.data()["node"]["truancy"].clone()
}

async fn the_truancy_ladder_goes_in_order_and_says_what_is_due(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let north = app.school("North").await;
    let ana = app.student("Ana", "Reyes").await;
    app.enrollment(&ana, &north).await;
    let admin = app.as_admin();
    app.attendance(&admin, &ana, &north, 8, 6).await;
    let worker = app.as_social_worker(None, &[&north]);
    let day = |back: i64| (Utc::now() - Duration::days(back)).date_naive().to_string();

    let fresh = standing(&worker, &ana).await;
    assert_eq!(
        fresh,
        json!({ "unexcusedAbsences": 6, "steps": [], "nextStep": "LETTER", "nextStepAt": 3,
            "nextStepDue": true })
    );
    let step = |kind: &str, date: String| json!({ "studentId": ana, "step": kind, "date": date });
    let refused = write(&worker, STEP, step("CONFERENCE", day(4))).await;
    assert_eq!(refused.unwrap_err(), ["input.step:INVALID_TRANSITION"]);
    write(&worker, STEP, step("LETTER", day(4))).await.unwrap();
    let again = write(&worker, STEP, step("LETTER", day(3))).await;
    assert_eq!(again.unwrap_err(), ["input.step:DUPLICATE"]);
    let early = write(&worker, STEP, step("CONFERENCE", day(6))).await;
    assert_eq!(early.unwrap_err(), ["input.date:DATES_OUT_OF_ORDER"]);
    write(&worker, STEP, step("CONFERENCE", day(2)))
        .await
        .unwrap();
    let later = standing(&worker, &ana).await;
    assert_eq!(
        later["steps"],
        json!([{ "step": "LETTER" }, { "step": "CONFERENCE" }])
    );
    let next = (
        &later["nextStep"],
        &later["nextStepAt"],
        &later["nextStepDue"],
    );
    assert_eq!(
        next,
        (&json!("ATTENDANCE_CONTRACT"), &json!(7), &json!(false))
    );

    // Every step taken, as a page by date.
    let steps = "query($id: ID!, $from: Date) { node(id: $id) { ... on Student {
        truancySteps(from: $from) { totalCount nodes { step date } } } } }";
    let page = |from: Option<String>| {
        let worker = &worker;
        let ana = &ana;
        async move {
            worker
                .query(steps, json!({ "id": ana, "from": from }))
                .await
                .data()["node"]["truancySteps"]
                .clone()
        }
    };
    assert_eq!(
        page(None).await,
        json!({ "totalCount": 2, "nodes": [
            { "step": "LETTER", "date": day(4) }, { "step": "CONFERENCE", "date": day(2) }] })
    );
    assert_eq!(
        page(Some(day(3))).await["nodes"],
        json!([{ "step": "CONFERENCE", "date": day(2) }])
    );

    let teacher = app.as_school_staff(None, &[&north]);
    for listed in [
        "{ students { nodes { truancy { nextStep } } } }",
        "{ students { nodes { truancySteps { totalCount } } } }",
    ] {
        assert_eq!(teacher.query(listed, json!({})).await.code(), "FORBIDDEN");
    }
}

async fn an_abuse_report_unfiled_past_the_deadline_is_overdue(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let north = app.school("North").await;
    let ana = app.student("Ana", "Reyes").await;
    app.enrollment(&ana, &north).await;
    let worker = app.as_social_worker(None, &[&north]);
    let ago = |hours: i64| (Utc::now() - Duration::hours(hours)).to_rfc3339();
    let concern = |learned: String| json!({ "studentId": ana, "learnedAt": learned, "concern": "Bruises the student explained" });
    let old = write(&worker, CONCERN, concern(ago(30))).await.unwrap();
    assert_eq!(old["overdue"], true, "24 hours by default");
    let recent = write(&worker, CONCERN, concern(ago(1))).await.unwrap();
    assert_eq!(recent["overdue"], false);
    let overdue = "{ abuseReportsOverdue { nodes { id } } }";
    let listed = worker.query(overdue, json!({})).await.data();
    assert_eq!(
        listed["abuseReportsOverdue"]["nodes"],
        json!([{ "id": old["id"] }])
    );

    let filing = |extra: Value| {
        let mut input = json!({ "id": old["id"], "version": old["version"],
            "agency": "County CPS", "reportNumber": "R-2026-118" });
        input
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        input
    };
    for (extra, error) in [
        (json!({ "agency": " " }), "input.agency:REQUIRED"),
        (
            json!({ "filedAt": ago(40) }),
            "input.filedAt:DATES_OUT_OF_ORDER",
        ),
    ] {
        assert_eq!(
            write(&worker, FILE, filing(extra)).await.unwrap_err(),
            [error]
        );
    }
    let filed = write(&worker, FILE, filing(json!({}))).await.unwrap();
    assert_eq!(
        (&filed["overdue"], &filed["filedLate"]),
        (&json!(false), &json!(true))
    );
    let listed = worker.query(overdue, json!({})).await.data();
    assert_eq!(listed["abuseReportsOverdue"]["nodes"], json!([]));
    let twice = filing(json!({})).as_object().unwrap().clone();
    let mut twice = Value::Object(twice);
    twice["version"] = json!(2);
    let refiled = write(&worker, FILE, twice).await;
    assert_eq!(refiled.unwrap_err(), ["input.id:INVALID_TRANSITION"]);

    for role in [app.as_bi(), app.as_school_staff(None, &[&north])] {
        assert_eq!(role.query(overdue, json!({})).await.code(), "FORBIDDEN");
    }
}

on_both_backends!(
    the_truancy_ladder_goes_in_order_and_says_what_is_due,
    an_abuse_report_unfiled_past_the_deadline_is_overdue,
);
