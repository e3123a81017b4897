//! `seed --demo` shows the agency work: a directory of 30 agencies with capacity (a few not
//! checked for months), referrals in every status under consents in force, expired and
//! revoked, their records of disclosure, and an agency's inbox that holds only what consent
//! still lets it see.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use ssw_api::auth::{Actor, Role};

use crate::helpers::{Backend, TestApp, on_both_backends};

async fn the_demo_district_refers_families_to_agencies(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let demo = ssw_api::demo::seed(&app.db, 400).await.expect("demo data");
    let (agencies, referrals) = demo.agencies;
    assert_eq!(agencies, 30);
    assert!(referrals >= 10, "every status at least once: {referrals}");
    let admin = app.as_actor(Actor {
        district_id: demo.district_id,
        ..app.actor(Role::DistrictAdmin)
    });
    let directory = "{ agencies { totalCount } stale: agencies(filter: { notCheckedForDays: 180 })
        { totalCount } agencyServices(filter: { hasCapacity: true }) { totalCount } }";
    let data = admin.query(directory, json!({})).await.data();
    assert_eq!(data["agencies"]["totalCount"], 30);
    assert_eq!(data["stale"]["totalCount"], 4);
    assert!(data["agencyServices"]["totalCount"].as_i64().unwrap() > 10);

    let list = "{ agencyReferrals(first: 500) { nodes { status requestedOn
        agency { id } student { id } consent { inForce revokedAt } } } }";
    let data = admin.query(list, json!({})).await.data();
    let nodes = data["agencyReferrals"]["nodes"].as_array().unwrap().clone();
    assert_eq!(nodes.len(), referrals);
    let statuses: BTreeSet<&str> = nodes
        .iter()
        .map(|n| n["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.len(), 10, "every FHIR status: {statuses:?}");
    let revoked = nodes
        .iter()
        .filter(|n| n["consent"]["revokedAt"].is_string())
        .count();
    let lapsed = nodes
        .iter()
        .filter(|n| n["consent"]["inForce"] == false)
        .count();
    assert!(
        revoked > 0 && lapsed > revoked,
        "revoked {revoked}, not in force {lapsed}"
    );

    // Every referral sent has its record of disclosure.
    let sent: Vec<&Value> = nodes
        .iter()
        .filter(|n| n["requestedOn"].is_string())
        .collect();
    let student = sent[0]["student"]["id"].clone();
    let records = admin
        .query(
            "query($s: ID!) { disclosures(studentId: $s) { totalCount nodes { basis reason } } }",
            json!({ "s": student }),
        )
        .await
        .data();
    assert_eq!(
        records["disclosures"]["nodes"][0],
        json!({ "basis": "CONSENT", "reason": "referral sent" })
    );
    assert_eq!(app.count_rows("disclosure").await, sent.len() as i64);

    // An agency's inbox: its referrals sent under consent still in force, and no others.
    let agency = sent[0]["agency"]["id"].as_str().unwrap().to_string();
    let expected = sent
        .iter()
        .filter(|n| n["agency"]["id"] == agency.as_str() && n["consent"]["inForce"] == true)
        .filter(|n| n["status"] != "ENTERED_IN_ERROR")
        .count();
    let partner = app.as_actor(Actor {
        district_id: demo.district_id,
        agency_id: Some(crate::helpers::uuid_of(&agency)),
        ..app.actor(Role::AgencyPartner)
    });
    let inbox = partner
        .query("{ agencyReferrals { totalCount } }", json!({}))
        .await
        .data();
    assert_eq!(inbox["agencyReferrals"]["totalCount"], expected);
}

on_both_backends!(the_demo_district_refers_families_to_agencies);
