//! BI on referrals to agencies: a flat extract, counts by status and agency, an export and the
//! change feed, pseudonymised for the BI reader (no names, no words, no one's id), small cells
//! suppressed; an agency (a party outside the district) pulls none of it, so no bulk read
//! discloses anything to one.

use serde_json::{Value, json};

use super::referrals::family;
use crate::{
    bi::exports::export,
    helpers::{Backend, TestApp, district_today, on_both_backends},
};

const EXTRACT: &str = "{ agencyReferralExtract(first: 10) { nodes { id status requestedOn
    student { id } agency { name } transitions { to role } } } }";

async fn bi_reads_agency_referrals_as_pseudonymous_records_and_counts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let north = app.school("North").await;
    let worker = app.as_social_worker(None, &[&north]);
    let pantry = app.agency("Pantry").await;
    let mut students = Vec::new();
    for first in ["Ana", "Ben"] {
        let (student, guardian) = family(&app, &north, first).await;
        let consent = app
            .consent(&student, &guardian, &[&pantry])
            .by(&worker)
            .await;
        app.agency_referral(&student, &pantry)
            .with("consentId", consent)
            .with("send", true)
            .by(&worker)
            .await;
        students.push(student);
    }
    let disclosed = app.count_rows("disclosure").await;
    assert_eq!(disclosed, 2);

    let bi = app.as_bi();
    let answer = bi.query(EXTRACT, json!({})).await.data();
    let nodes = answer["agencyReferralExtract"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 2);
    let text = answer.to_string();
    assert!(!text.contains("Ana") && !text.contains("Reyes"), "{text}");
    for node in nodes {
        assert_eq!(node["status"], "REQUESTED");
        assert_eq!(node["agency"]["name"], "Pantry");
        assert_eq!(
            node["transitions"][1],
            json!({ "to": "REQUESTED", "role": "SOCIAL_WORKER" })
        );
        // A pseudonym, which no other role's id joins to.
        assert!(!students.contains(&node["student"]["id"].as_str().unwrap().to_string()));
    }
    for field in [
        "needs",
        "referredStudent { name }",
        "transitions { note }",
        "transitions { actorId }",
        "consent { id }",
        "emergencyThreat",
    ] {
        let query = format!("{{ agencyReferralExtract {{ nodes {{ {field} }} }} }}");
        let answer = bi.query(&query, json!({})).await;
        assert_eq!(answer.code(), "FORBIDDEN", "{field}");
    }

    let today = district_today().to_string();
    let counts = "query($from: Date!, $to: Date!) { agencyReferralCounts(from: $from, to: $to) {
        status agency referrals students suppressed } }";
    let range = json!({ "from": today, "to": today });
    let theirs = bi.query(counts, range.clone()).await.data();
    assert_eq!(
        theirs["agencyReferralCounts"],
        json!([{ "status": "REQUESTED", "agency": "Pantry", "referrals": null, "students": null,
            "suppressed": true }])
    );
    let admins = app.as_admin().query(counts, range).await.data();
    assert_eq!(
        admins["agencyReferralCounts"],
        json!([{ "status": "REQUESTED", "agency": "Pantry", "referrals": 2, "students": 2,
            "suppressed": false }])
    );

    let (status, body) = export(&app, &bi, "agency_referrals.csv").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body.lines().count(), 3, "{body}");
    assert!(body.lines().next().unwrap().contains("agencyId"), "{body}");
    assert!(
        !body.contains("groceries") && !body.contains("Ana"),
        "{body}"
    );

    let feed =
        "{ changes(first: 100, entityTypes: [\"agency_referral\"]) { nodes { entityType } } }";
    let changes = bi.query(feed, json!({})).await.data();
    let kinds: Vec<&Value> = changes["changes"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .collect();
    assert!(!kinds.is_empty());

    // An agency pulls no bulk data: its exports, extracts and feed are refused, and so no
    // bulk read ever discloses to it.
    let agency = app.as_agency(Some(&pantry));
    let (status, _) = export(&app, &agency, "agency_referrals.csv").await;
    assert_eq!(status, 403);
    let counted = agency
        .query(counts, json!({ "from": today, "to": today }))
        .await;
    assert_eq!(counted.code(), "FORBIDDEN");
    for query in [EXTRACT, feed] {
        assert_eq!(
            agency.query(query, json!({})).await.code(),
            "FORBIDDEN",
            "{query}"
        );
    }
    assert_eq!(app.count_rows("disclosure").await, disclosed);
}

on_both_backends!(bi_reads_agency_referrals_as_pseudonymous_records_and_counts);
