//! IEP related-service minutes: owed and delivered by week and month, missed sessions and
//! makeups due, from the service log, against hand-computed values.

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, on_both_backends};

async fn iep_minutes_are_owed_by_weekday_and_delivered_by_contact(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let north = app.school("North").await;
    let ana = app.student("Ana", "Reyes").await;
    app.enrollment(&ana, &north).await;
    let sam = app.staff("Sam", "Social").await;
    let worker = app.as_social_worker(Some(&sam), &[&north]);
    let iep = app
        .iep(&ana)
        .with("socialWorkMinutesPerWeek", 60)
        .with("iepBeginDate", "2026-09-01")
        .await;
    let log = "mutation($input: LogServiceContactInput!) { logServiceContact(input: $input) {
        contact { id } userErrors { field code } } }";
    let logged = |extra: Value| {
        let mut input =
            json!({ "studentId": ana, "contactType": "INDIVIDUAL_COUNSELING", "iepId": iep });
        input
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let worker = worker.clone();
        async move {
            let data = worker
                .query(log, json!({ "input": input }))
                .await
                .payload("logServiceContact");
            data["contact"]["id"].as_str().unwrap().to_string()
        }
    };
    logged(json!({ "date": "2026-09-08", "minutes": 30 })).await;
    logged(json!({ "date": "2026-09-10", "minutes": 20 })).await;
    let missed = logged(json!({ "date": "2026-09-15", "missedReason": "STUDENT_ABSENT", "makeupDue": "2026-09-17" })).await;
    logged(json!({ "date": "2026-09-17", "minutes": 30, "makeupForId": missed })).await;
    logged(
        json!({ "date": "2026-09-22", "missedReason": "SCHOOL_CLOSED", "makeupDue": "2026-09-29" }),
    )
    .await;

    let query = "query($id: ID!, $from: Date, $to: Date) { node(id: $id) { ... on Student {
        relatedServiceMinutes(from: $from, to: $to) { minutesPerWeek missedSessions makeupsDue
            weeks { start end owed delivered } months { start end owed delivered } } } } }";
    let minutes = |to: &str| {
        let worker = worker.clone();
        let variables = json!({ "id": ana, "from": "2026-09-07", "to": to });
        async move {
            let data = worker.query(query, variables).await.data();
            data["node"]["relatedServiceMinutes"][0].clone()
        }
    };
    let two_weeks = minutes("2026-09-20").await;
    assert_eq!(
        two_weeks,
        json!({ "minutesPerWeek": 60, "missedSessions": 1, "makeupsDue": 0,
            "weeks": [
                { "start": "2026-09-07", "end": "2026-09-13", "owed": 60, "delivered": 50 },
                { "start": "2026-09-14", "end": "2026-09-20", "owed": 60, "delivered": 30 },
            ],
            "months": [{ "start": "2026-09-07", "end": "2026-09-20", "owed": 120, "delivered": 80 }] })
    );
    // To the month's end: a second miss, not made up; the last week has three weekdays.
    let month = minutes("2026-09-30").await;
    assert_eq!(
        (&month["missedSessions"], &month["makeupsDue"]),
        (&json!(2), &json!(1))
    );
    let last = month["weeks"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        last,
        json!({ "start": "2026-09-28", "end": "2026-09-30", "owed": 36, "delivered": 0 })
    );
    assert_eq!(
        month["months"][0]["owed"],
        60 * 18 / 5,
        "18 weekdays from the 7th to the 30th"
    );

    let teacher = app.as_school_staff(None, &[&north]);
    let listed = "{ students { nodes { relatedServiceMinutes { minutesPerWeek } } } }";
    assert_eq!(teacher.query(listed, json!({})).await.code(), "FORBIDDEN");
}

on_both_backends!(iep_minutes_are_owed_by_weekday_and_delivered_by_contact);
