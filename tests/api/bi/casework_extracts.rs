//! Flat extracts of casework: the service log and referrals, paged and filtered in SQL, for
//! the feed's roles; a BI reader gets numbers and pseudonyms, never the words.

use serde_json::{Value, json};

use super::{exports::export, pseudonyms::pseudonym_of};
use crate::helpers::{Backend, TestApp, on_both_backends};

const CONTACTS: &str = "query($first: Int, $after: String, $filter: ExtractFilter) {
    serviceContactExtract(first: $first, after: $after, filter: $filter) {
        nodes { date minutes contactType student { id } } pageInfo { hasNextPage endCursor } } }";
const REFERRALS: &str = "query($filter: ExtractFilter) { referralExtract(filter: $filter) {
    nodes { referredOn status reasons student { id } } } }";

async fn casework_is_extracted_flat_with_numbers_not_words(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (north, south) = (app.school("North").await, app.school("South").await);
    let sam = app.staff("Sam", "Social").await;
    let worker = app.as_social_worker(Some(&sam), &[&north, &south]);
    let log = "mutation($input: LogServiceContactInput!) { logServiceContact(input: $input) {
        userErrors { field } } }";
    let mut students = Vec::new();
    for (name, school, date) in [("Ana", &north, "2026-09-08"), ("Ben", &south, "2026-10-06")] {
        let student = app.student(name, "Student").await;
        app.enrollment(&student, school).await;
        let input = json!({ "studentId": student, "contactType": "HOME_VISIT", "minutes": 45,
            "date": date, "note": "Met the grandmother" });
        worker
            .query(log, json!({ "input": input }))
            .await
            .payload("logServiceContact");
        app.referral(&student).with("referredOn", date).await;
        students.push(student);
    }
    let bi = app.as_bi();
    let extract = |query: &'static str, variables: Value| {
        let bi = bi.clone();
        async move {
            let data = bi.query(query, variables).await.data();
            data.as_object().unwrap().values().next().unwrap().clone()
        }
    };
    let first = extract(CONTACTS, json!({ "first": 1 })).await;
    assert_eq!(first["nodes"].as_array().unwrap().len(), 1);
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    let ana = pseudonym_of(&app, &students[0]).await;
    assert_eq!(first["nodes"][0]["student"]["id"], ana.as_str());
    assert_eq!(
        (
            &first["nodes"][0]["minutes"],
            &first["nodes"][0]["contactType"]
        ),
        (&json!(45), &json!("HOME_VISIT"))
    );
    let after = json!({ "first": 1, "after": first["pageInfo"]["endCursor"] });
    let second = extract(CONTACTS, after).await;
    assert_eq!(second["pageInfo"]["hasNextPage"], false);
    assert_eq!(second["nodes"][0]["date"], "2026-10-06");
    let count = |page: Value| page["nodes"].as_array().unwrap().len();
    let south_only = json!({ "filter": { "schoolId": south } });
    assert_eq!(count(extract(CONTACTS, south_only.clone()).await), 1);
    assert_eq!(
        count(extract(REFERRALS, json!({ "filter": { "from": "2026-10-01" } })).await),
        1
    );
    assert_eq!(count(extract(REFERRALS, json!({})).await), 2);

    let words = CONTACTS.replace("contactType", "note");
    assert_eq!(bi.query(&words, json!({})).await.code(), "FORBIDDEN");
    let described = REFERRALS.replace("reasons", "description");
    assert_eq!(bi.query(&described, json!({})).await.code(), "FORBIDDEN");
    let teacher = app.as_school_staff(None, &[&north]);
    assert_eq!(teacher.query(CONTACTS, json!({})).await.code(), "FORBIDDEN");

    // The same rows streamed by /export, as pseudonymous as the extracts.
    let (status, ndjson) = export(&app, &bi, "service_contacts.ndjson").await;
    assert_eq!(status, 200, "{ndjson}");
    let rows: Vec<Value> = ndjson
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    let row = rows
        .iter()
        .find(|r| r["studentId"] == ana.as_str())
        .unwrap();
    assert_eq!(
        (
            &row["minutes"],
            &row["contactType"],
            &row["signed"],
            &row["date"]
        ),
        (
            &json!(45),
            &json!("HOME_VISIT"),
            &json!(false),
            &json!("2026-09-08")
        )
    );
    assert!(!ndjson.contains("grandmother"), "no words: {ndjson}");
    let (status, csv) = export(&app, &bi, &format!("referrals.csv?school={south}")).await;
    assert_eq!(status, 200, "{csv}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "id,studentId,referredOn,referrerType,reasons,urgency,status,caseId,updatedAt"
    );
    assert_eq!(lines.len(), 2, "Ben's referral only: {csv}");
    let ben = pseudonym_of(&app, &students[1]).await;
    assert!(
        lines[1].contains(&format!(",{ben},2026-10-06,STAFF,ATTENDANCE,ROUTINE,NEW,")),
        "{csv}"
    );
    let (status, _) = export(&app, &teacher, "referrals.csv").await;
    assert_eq!(status, 403);
}

on_both_backends!(casework_is_extracted_flat_with_numbers_not_words);
