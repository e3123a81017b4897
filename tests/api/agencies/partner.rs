//! The agency partner's view: only referrals sent to its own agency under a consent in force,
//! and of the student only the fields that consent covers, through every path (list, `node`,
//! nested, the student itself); a second agency and a second district see nothing; every
//! field an agency reads, and every field refused, is in the record of disclosures the
//! district admin reads.

use serde_json::{Value, json};
use ssw_api::auth::{Actor, Role};

use super::referrals::{family, move_to, sent_days_ago};
use crate::helpers::{Backend, TestApp, on_both_backends};

const INBOX: &str = "{ agencyReferrals(first: 10) { totalCount nodes { id status needs } } }";

/// The student fields of a referral as `client` reads them: each field's value, or its error
/// code.
async fn fields(client: &crate::helpers::Client, referral: &Value) -> Value {
    let mut seen = serde_json::Map::new();
    for field in [
        "name",
        "gradeLevel",
        "birthDate",
        "schoolName",
        "guardianContact { name phone }",
    ] {
        let query = format!(
            "query($id: ID!) {{ node(id: $id) {{ ... on AgencyReferral {{ referredStudent {{ {field} }} }} }} }}"
        );
        let answer = client.query(&query, json!({ "id": referral["id"] })).await;
        let key = field.split(' ').next().unwrap().to_string();
        let value = match answer.body.get("errors") {
            Some(_) => json!(answer.code()),
            None => answer.body["data"]["node"]["referredStudent"][&key].clone(),
        };
        seen.insert(key, value);
    }
    Value::Object(seen)
}

async fn an_agency_sees_its_referrals_under_consent_and_only_the_fields_covered(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let north = app.school("North").await;
    let worker = app.as_social_worker(None, &[&north]);
    let (ana, marta) = family(&app, &north, "Ana").await;
    let pantry = app.agency("Pantry").await;
    let shelter = app.agency("Shelter").await;
    let consent = app
        .consent(&ana, &marta, &[&pantry, &shelter])
        .by(&worker)
        .returning("id version")
        .await;
    let referral = app
        .agency_referral(&ana, &pantry)
        .with("consentId", consent["id"].clone())
        .with("send", true)
        .by(&worker)
        .returning("id version")
        .await;
    let draft = app.agency_referral(&ana, &pantry).by(&worker).await;
    // A draft cancelled before it was sent never went to the agency either.
    let unsent = app
        .agency_referral(&ana, &pantry)
        .with("consentId", consent["id"].clone())
        .by(&worker)
        .returning("id version")
        .await;
    move_to(&worker, &unsent, "CANCELLED", json!({}))
        .await
        .unwrap();

    let agency = app.as_agency(Some(&pantry));
    let inbox = agency.query(INBOX, json!({})).await.data();
    assert_eq!(inbox["agencyReferrals"]["totalCount"], 1);
    assert_eq!(inbox["agencyReferrals"]["nodes"][0]["id"], referral["id"]);
    assert_eq!(
        inbox["agencyReferrals"]["nodes"][0]["needs"],
        "The family needs groceries this week"
    );
    assert_eq!(
        fields(&agency, &referral).await,
        json!({ "name": "Ana Reyes", "gradeLevel": "04", "birthDate": "FORBIDDEN",
            "schoolName": "FORBIDDEN",
            "guardianContact": { "name": "Marta Parent", "phone": "555-0100" } })
    );
    // The consent as the agency sees it: naming itself, not the family's other agencies.
    let its_consent = agency
        .query(
            "query($id: ID!) { node(id: $id) { ... on AgencyReferral {
                consent { agencies { name } } } } }",
            json!({ "id": referral["id"] }),
        )
        .await
        .data();
    assert_eq!(
        its_consent["node"]["consent"]["agencies"],
        json!([{ "name": "Pantry" }])
    );
    // Nothing of the student's record itself, nor a draft, by any path.
    for query in [
        "query($id: ID!) { node(id: $id) { ... on AgencyReferral { student { id } } } }",
        "query($id: ID!) { node(id: $id) { ... on AgencyReferral { followUpOn } } }",
    ] {
        let answer = agency.query(query, json!({ "id": referral["id"] })).await;
        assert_eq!(answer.code(), "FORBIDDEN", "{query}");
    }
    for (query, id) in [
        ("query($id: ID!) { node(id: $id) { id } }", json!(draft)),
        (
            "query($id: ID!) { node(id: $id) { id } }",
            unsent["id"].clone(),
        ),
        ("query($id: ID!) { node(id: $id) { id } }", json!(ana)),
    ] {
        let answer = agency.query(query, json!({ "id": id })).await.data();
        assert_eq!(answer["node"], Value::Null, "{query}");
    }
    let students = agency.query("{ students { totalCount } }", json!({})).await;
    assert_eq!(students.code(), "FORBIDDEN");

    // A second agency, an agency partner naming no agency, and the same agency's id in a
    // second district see nothing.
    let other_district = app.district("Elsewhere").await.unwrap();
    for client in [
        app.as_agency(Some(&shelter)),
        app.as_agency(None),
        app.as_actor(Actor {
            district_id: other_district,
            agency_id: Some(crate::helpers::uuid_of(&pantry)),
            ..app.actor(Role::AgencyPartner)
        }),
    ] {
        let inbox = client.query(INBOX, json!({})).await.data();
        assert_eq!(inbox["agencyReferrals"]["totalCount"], 0);
        let node = client
            .query(
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": referral["id"] }),
            )
            .await
            .data();
        assert_eq!(node["node"], Value::Null);
    }

    // Once the guardian revokes, the agency sees nothing more, and cannot move it.
    let revoke = "mutation($input: RevokeConsentInput!) { revokeConsent(input: $input) {
        userErrors { field code } } }";
    let input = json!({ "input": { "id": consent["id"], "version": consent["version"] } });
    worker.query(revoke, input).await.payload("revokeConsent");
    let inbox = agency.query(INBOX, json!({})).await.data();
    assert_eq!(inbox["agencyReferrals"]["totalCount"], 0);
    let moved = agency
        .query(
            "mutation($input: MoveAgencyReferralInput!) { moveAgencyReferral(input: $input) {
                referral { id } } }",
            json!({ "input": { "id": referral["id"], "version": referral["version"],
                "status": "ACCEPTED" } }),
        )
        .await;
    assert_eq!(moved.code(), "NOT_FOUND");
    // The district still reads it, and the consent behind it.
    let district_view = worker
        .query(
            "query($id: ID!) { node(id: $id) { ... on AgencyReferral { status
                consent { inForce } student { id } } } }",
            json!({ "id": referral["id"] }),
        )
        .await
        .data();
    assert_eq!(
        district_view["node"],
        json!({ "status": "REQUESTED", "consent": { "inForce": false }, "student": { "id": ana } })
    );
}

async fn every_disclosure_and_refusal_is_on_record_for_the_admin(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let north = app.school("North").await;
    let worker = app.as_social_worker(None, &[&north]);
    let (ana, marta) = family(&app, &north, "Ana").await;
    let pantry = app.agency("Pantry").await;
    let consent = app.consent(&ana, &marta, &[&pantry]).by(&worker).await;
    let referral = app
        .agency_referral(&ana, &pantry)
        .with("consentId", consent.clone())
        .with("send", true)
        .by(&worker)
        .returning("id version")
        .await;
    let agency = app.as_agency(Some(&pantry));
    // One request reads two covered fields and asks for one that is not.
    let read = agency
        .query(
            "query($id: ID!) { node(id: $id) { ... on AgencyReferral {
                needs referredStudent { name birthDate } } } }",
            json!({ "id": referral["id"] }),
        )
        .await;
    assert_eq!(read.code(), "FORBIDDEN");
    assert_eq!(
        read.body["data"]["node"]["needs"],
        "The family needs groceries this week"
    );
    // The district's own reads of the same view disclose nothing.
    worker
        .query(
            "query($id: ID!) { node(id: $id) { ... on AgencyReferral { referredStudent { name } } } }",
            json!({ "id": referral["id"] }),
        )
        .await
        .data();
    // Moving it is not a disclosure of the student's data.
    move_to(&agency, &referral, "ACCEPTED", json!({}))
        .await
        .unwrap();

    let record = "query($student: ID!) { disclosures(studentId: $student, first: 10) {
        totalCount nodes { partyType party basis fields refused reason studentId actorId } } }";
    let disclosures = app
        .as_admin()
        .query(record, json!({ "student": ana }))
        .await
        .data();
    let nodes = disclosures["disclosures"]["nodes"].as_array().unwrap();
    let rows: Vec<(Value, Value, Value, Value)> = nodes
        .iter()
        .map(|n| {
            (
                n["basis"].clone(),
                n["fields"].clone(),
                n["refused"].clone(),
                n["reason"].clone(),
            )
        })
        .collect();
    // Newest first: the agency's read (its refusal and what went), then the referral sent.
    let mut read_rows = rows[..2].to_vec();
    read_rows.sort_by_key(|row| row.2.to_string());
    assert_eq!(
        read_rows,
        [
            (
                json!("CONSENT"),
                json!(["needs", "name"]),
                json!(false),
                json!("agency read")
            ),
            (
                json!("NONE"),
                json!(["birthDate"]),
                json!(true),
                json!("agency read refused: the consent does not cover BIRTH_DATE")
            ),
        ]
    );
    assert_eq!(
        rows[2],
        (
            json!("CONSENT"),
            json!(["NAME", "GRADE", "GUARDIAN_CONTACT", "NEEDS"]),
            json!(false),
            json!("referral sent")
        )
    );
    assert_eq!(rows.len(), 3);
    assert!(
        nodes
            .iter()
            .all(|n| n["party"] == "Pantry" && n["partyType"] == "AGENCY")
    );
    assert!(nodes.iter().all(|n| n["studentId"] == json!(ana)));
    // Only the admin reads the record.
    for client in [worker.clone(), agency.clone(), app.as_bi()] {
        let answer = client.query(record, json!({ "student": ana })).await;
        assert_eq!(answer.code(), "FORBIDDEN");
    }
}

async fn an_emergency_referral_goes_without_consent_for_the_emergency_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let north = app.school("North").await;
    let worker = app.as_social_worker(None, &[&north]);
    let (ana, marta) = family(&app, &north, "Ana").await;
    let crisis = app.agency("Mobile Crisis Team").await;
    let pantry = app.agency("Pantry").await;
    let unsent = app
        .agency_referral(&ana, &crisis)
        .with("emergencyThreat", "a threat")
        .by(&worker)
        .refused()
        .await;
    assert_eq!(unsent, ["input.emergencyThreat:INVALID"]);
    // A consent named with an emergency must still be one it could go under.
    let for_pantry = app.consent(&ana, &marta, &[&pantry]).by(&worker).await;
    let mismatched = app
        .agency_referral(&ana, &crisis)
        .with("send", true)
        .with("emergencyThreat", "a threat")
        .with("consentId", for_pantry)
        .by(&worker)
        .refused()
        .await;
    assert_eq!(mismatched, ["input.consentId:INVALID"]);
    let blank = app
        .agency_referral(&ana, &crisis)
        .with("send", true)
        .with("emergencyThreat", "  ")
        .by(&worker)
        .refused()
        .await;
    assert_eq!(blank, ["input.emergencyThreat:REQUIRED"]);
    let threat = "Told a teacher today she has pills and a plan to use them tonight";
    let referral = app
        .agency_referral(&ana, &crisis)
        .with("send", true)
        .with("emergencyThreat", threat)
        .by(&worker)
        .returning("id version status consent { id } emergencyThreat")
        .await;
    assert_eq!(
        (
            &referral["status"],
            &referral["consent"],
            &referral["emergencyThreat"]
        ),
        (&json!("REQUESTED"), &Value::Null, &json!(threat))
    );
    let later = move_to(
        &worker,
        &referral,
        "CANCELLED",
        json!({ "emergencyThreat": threat }),
    )
    .await;
    assert_eq!(later.unwrap_err(), ["input.emergencyThreat:INVALID"]);

    // The agency sees what it needs to protect her, on the emergency's ground.
    let agency = app.as_agency(Some(&crisis));
    let seen = fields(&agency, &referral).await;
    assert_eq!(seen["name"], "Ana Reyes");
    assert_eq!(seen["birthDate"], "2016-03-04");
    assert_eq!(seen["schoolName"], "North");
    // No consent, so no signer to reach: the family's contact goes through the district.
    assert_eq!(seen["guardianContact"], Value::Null);
    let threat_seen = agency
        .query(
            "query($id: ID!) { node(id: $id) { ... on AgencyReferral { emergencyThreat } } }",
            json!({ "id": referral["id"] }),
        )
        .await
        .data();
    assert_eq!(threat_seen["node"]["emergencyThreat"], threat);
    let record = "query($student: ID!) { disclosures(studentId: $student) {
        nodes { basis threat reason refused fields } } }";
    let records = app
        .as_admin()
        .query(record, json!({ "student": ana }))
        .await
        .data();
    let nodes = records["disclosures"]["nodes"].as_array().unwrap();
    assert!(!nodes.is_empty());
    for node in nodes {
        assert_eq!(
            (&node["basis"], &node["threat"], &node["refused"]),
            (
                &json!("HEALTH_OR_SAFETY_EMERGENCY"),
                &json!(threat),
                &json!(false)
            ),
            "{node}"
        );
    }
    let sent = nodes
        .iter()
        .find(|n| n["reason"] == "referral sent")
        .unwrap();
    assert_eq!(
        sent["fields"],
        json!(["NAME", "BIRTH_DATE", "GRADE", "SCHOOL", "NEEDS"])
    );
    assert!(nodes.iter().any(|n| n["reason"] == "agency read"));

    // Thirty days on, the emergency is over: without a consent the agency sees nothing more.
    sent_days_ago(&app, &referral, 29).await;
    let inbox = agency.query(INBOX, json!({})).await.data();
    assert_eq!(inbox["agencyReferrals"]["totalCount"], 1, "day 29 of 30");
    sent_days_ago(&app, &referral, 30).await;
    let inbox = agency.query(INBOX, json!({})).await.data();
    assert_eq!(inbox["agencyReferrals"]["totalCount"], 0);
}

async fn a_restriction_on_one_childs_link_hides_the_guardian_on_that_childs_referral(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let north = app.school("North").await;
    let worker = app.as_social_worker(None, &[&north]);
    let (ana, marta) = family(&app, &north, "Ana").await;
    let ben = app.student("Ben", "Reyes").await;
    app.enrollment(&ben, &north).await;
    let bens_link = app
        .guardian_link(&ben, &marta)
        .returning("id version")
        .await;
    let pantry = app.agency("Pantry").await;
    let mut referrals = Vec::new();
    for child in [&ana, &ben] {
        let consent = app.consent(child, &marta, &[&pantry]).by(&worker).await;
        let referral = app
            .agency_referral(child, &pantry)
            .with("consentId", consent)
            .with("send", true)
            .by(&worker)
            .returning("id")
            .await;
        referrals.push(referral);
    }
    // A court keeps Marta from contact about Ben (not about Ana).
    let restrict =
        "mutation($input: UpdateGuardianLinkInput!) { updateGuardianLink(input: $input) {
        userErrors { field code } } }";
    let input = json!({ "input": { "id": bens_link["id"], "version": bens_link["version"],
        "restriction": "NO_CONTACT" } });
    app.as_admin()
        .query(restrict, input)
        .await
        .payload("updateGuardianLink");
    let agency = app.as_agency(Some(&pantry));
    let contact = |referral: &Value| {
        let agency = agency.clone();
        let id = referral["id"].clone();
        async move {
            let query = "query($id: ID!) { node(id: $id) { ... on AgencyReferral {
                referredStudent { guardianContact { name } } } } }";
            let answer = agency.query(query, json!({ "id": id })).await.data();
            answer["node"]["referredStudent"]["guardianContact"].clone()
        }
    };
    assert_eq!(
        contact(&referrals[0]).await,
        json!({ "name": "Marta Parent" })
    );
    assert_eq!(contact(&referrals[1]).await, Value::Null);
}

on_both_backends!(
    a_restriction_on_one_childs_link_hides_the_guardian_on_that_childs_referral,
    an_agency_sees_its_referrals_under_consent_and_only_the_fields_covered,
    every_disclosure_and_refusal_is_on_record_for_the_admin,
    an_emergency_referral_goes_without_consent_for_the_emergency_only,
);
