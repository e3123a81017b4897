//! A referral to an agency's life: drafted, sent only under a consent in force that names the
//! agency, answered and worked by the agency, every move kept; each side makes only its own
//! moves, along the FHIR Task lifecycle; follow-up when an agency does not answer in time.

use serde_json::{Value, json};

use crate::helpers::{Backend, Client, TestApp, on_both_backends};

const REFERRAL: &str = "id version status outcome requestedOn answerDueOn
    consent { id } transitions { from to role }";

/// Moves `referral` to `status` as `client`: the referral, or the user errors as `field:CODE`.
pub async fn move_to(
    client: &Client,
    referral: &Value,
    status: &str,
    extra: Value,
) -> Result<Value, Vec<String>> {
    let mut input =
        json!({ "id": referral["id"], "version": referral["version"], "status": status });
    if let (Some(input), Value::Object(extra)) = (input.as_object_mut(), extra) {
        input.extend(extra);
    }
    let query = format!(
        "mutation($input: MoveAgencyReferralInput!) {{ moveAgencyReferral(input: $input) {{
            referral {{ {REFERRAL} }} userErrors {{ field code message }} }} }}"
    );
    let answer = client.query(&query, json!({ "input": input })).await;
    answer.written("moveAgencyReferral", "referral")
}

/// Makes `referral` look sent `days` ago (its clock, which no API moves back).
pub async fn sent_days_ago(app: &TestApp, referral: &Value, days: u64) {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let sent = crate::helpers::district_today() - chrono::Days::new(days);
    let id = crate::helpers::uuid_of(referral["id"].as_str().unwrap());
    let backend = app.db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "UPDATE agency_referral SET requested_on = $1 WHERE id = $2",
        _ => "UPDATE agency_referral SET requested_on = ? WHERE id = ?",
    };
    let statement = Statement::from_sql_and_values(backend, sql, [sent.into(), id.into()]);
    app.db.execute_raw(statement).await.unwrap();
}

/// A student of `school` with a linked guardian: (student, guardian).
pub async fn family(app: &TestApp, school: &str, first: &str) -> (String, String) {
    let student = app.student(first, "Reyes").await;
    app.enrollment(&student, school).await;
    let guardian = app.guardian("Marta").await;
    app.guardian_link(&student, &guardian).await;
    (student, guardian)
}

async fn a_referral_is_sent_under_consent_answered_and_closed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let north = app.school("North").await;
    let sam = app.staff("Sam", "Social").await;
    let worker = app.as_social_worker(Some(&sam), &[&north]);
    let (ana, marta) = family(&app, &north, "Ana").await;
    let pantry = app.agency("Pantry").await;
    let shelter = app.agency("Shelter").await;
    let agency = app.as_agency(Some(&pantry));

    let draft = app
        .agency_referral(&ana, &pantry)
        .by(&worker)
        .returning(REFERRAL)
        .await;
    assert_eq!(draft["status"], "DRAFT");
    assert_eq!(
        draft["transitions"],
        json!([{ "from": null, "to": "DRAFT",
        "role": "SOCIAL_WORKER" }])
    );
    // Not without consent; not under one for another agency, revoked or expired.
    assert_eq!(
        move_to(&worker, &draft, "REQUESTED", json!({}))
            .await
            .unwrap_err(),
        ["input.consentId:REQUIRED"]
    );
    let for_shelter = app.consent(&ana, &marta, &[&shelter]).by(&worker).await;
    // A draft names only a consent it could be sent under.
    let mismatched = app
        .agency_referral(&ana, &pantry)
        .with("consentId", for_shelter.clone())
        .by(&worker)
        .refused()
        .await;
    assert_eq!(mismatched, ["input.consentId:INVALID"]);
    assert_eq!(
        move_to(
            &worker,
            &draft,
            "REQUESTED",
            json!({ "consentId": for_shelter })
        )
        .await
        .unwrap_err(),
        ["input.consentId:INVALID"]
    );
    let revoked = app
        .consent(&ana, &marta, &[&pantry])
        .by(&worker)
        .returning("id version")
        .await;
    let revoke = "mutation($input: RevokeConsentInput!) { revokeConsent(input: $input) {
        consent { inForce revokedAt } userErrors { field code } } }";
    let input = json!({ "input": { "id": revoked["id"], "version": revoked["version"] } });
    let answer = worker
        .query(revoke, input.clone())
        .await
        .payload("revokeConsent");
    assert_eq!(answer["consent"]["inForce"], false);
    assert_eq!(
        worker
            .query(revoke, input)
            .await
            .user_errors("revokeConsent"),
        ["input.id:INVALID_TRANSITION"]
    );
    assert_eq!(
        move_to(
            &worker,
            &draft,
            "REQUESTED",
            json!({ "consentId": revoked["id"] })
        )
        .await
        .unwrap_err(),
        ["input.consentId:INVALID"]
    );
    // The agency sees no draft.
    let unseen = agency
        .query(
            "mutation($input: MoveAgencyReferralInput!) { moveAgencyReferral(input: $input) {
                referral { id } } }",
            json!({ "input": { "id": draft["id"], "version": 1, "status": "ACCEPTED" } }),
        )
        .await;
    assert_eq!(unseen.code(), "NOT_FOUND");

    let consent = app
        .consent(&ana, &marta, &[&pantry, &shelter])
        .by(&worker)
        .await;
    let sent = move_to(
        &worker,
        &draft,
        "REQUESTED",
        json!({ "consentId": consent }),
    )
    .await
    .unwrap();
    assert_eq!(sent["status"], "REQUESTED");
    assert_eq!(sent["consent"]["id"], consent);
    let today = crate::helpers::district_today();
    assert_eq!(sent["requestedOn"], today.to_string());
    assert!(sent["answerDueOn"].as_str().unwrap() > today.to_string().as_str());
    assert_eq!(app.count_rows("disclosure").await, 1);

    // Each side makes only its own moves, along the lifecycle.
    assert_eq!(
        move_to(&worker, &sent, "ACCEPTED", json!({}))
            .await
            .unwrap_err(),
        ["input.status:INVALID_TRANSITION"]
    );
    assert_eq!(
        move_to(&agency, &sent, "COMPLETED", json!({}))
            .await
            .unwrap_err(),
        ["input.status:INVALID_TRANSITION"]
    );
    assert_eq!(
        move_to(&agency, &sent, "ENTERED_IN_ERROR", json!({}))
            .await
            .unwrap_err(),
        ["input.status:INVALID_TRANSITION"]
    );
    assert_eq!(
        move_to(&agency, &sent, "ACCEPTED", json!({ "outcome": "GOT_HELP" }))
            .await
            .unwrap_err(),
        ["input.outcome:INVALID"]
    );
    let accepted = move_to(
        &agency,
        &sent,
        "ACCEPTED",
        json!({ "note": "We will call Friday" }),
    )
    .await
    .unwrap();
    let working = move_to(&agency, &accepted, "IN_PROGRESS", json!({}))
        .await
        .unwrap();
    let paused = move_to(&agency, &working, "ON_HOLD", json!({}))
        .await
        .unwrap();
    let working = move_to(&agency, &paused, "IN_PROGRESS", json!({}))
        .await
        .unwrap();
    let done = move_to(
        &agency,
        &working,
        "COMPLETED",
        json!({ "outcome": "GOT_HELP" }),
    )
    .await
    .unwrap();
    assert_eq!(
        (&done["status"], &done["outcome"]),
        (&json!("COMPLETED"), &json!("GOT_HELP"))
    );
    assert_eq!(done["answerDueOn"], Value::Null);
    let moves: Vec<(Value, Value, Value)> = done["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["from"].clone(), t["to"].clone(), t["role"].clone()))
        .collect();
    assert_eq!(
        moves,
        [
            (json!(null), json!("DRAFT"), json!("SOCIAL_WORKER")),
            (json!("DRAFT"), json!("REQUESTED"), json!("SOCIAL_WORKER")),
            (
                json!("REQUESTED"),
                json!("ACCEPTED"),
                json!("AGENCY_PARTNER")
            ),
            (
                json!("ACCEPTED"),
                json!("IN_PROGRESS"),
                json!("AGENCY_PARTNER")
            ),
            (
                json!("IN_PROGRESS"),
                json!("ON_HOLD"),
                json!("AGENCY_PARTNER")
            ),
            (
                json!("ON_HOLD"),
                json!("IN_PROGRESS"),
                json!("AGENCY_PARTNER")
            ),
            (
                json!("IN_PROGRESS"),
                json!("COMPLETED"),
                json!("AGENCY_PARTNER")
            ),
        ]
    );
    // Who moved it and why: every move's to the district, only its own to the agency.
    let notes = "query($id: ID!) { node(id: $id) { ... on AgencyReferral {
        transitions { note actorId } } } }";
    let id = json!({ "id": done["id"] });
    let seen = worker.query(notes, id.clone()).await.data();
    assert_eq!(
        seen["node"]["transitions"][2]["note"],
        "We will call Friday"
    );
    assert_eq!(
        seen["node"]["transitions"][0]["actorId"],
        "test-SocialWorker"
    );
    assert_eq!(agency.query(notes, id).await.code(), "FORBIDDEN");
    // Its own side's notes are the agency's: the district's moves answer FORBIDDEN (null),
    // its own carry their words.
    let mixed = agency.query(notes, json!({ "id": done["id"] })).await.body;
    let moves = mixed["data"]["node"]["transitions"].as_array().unwrap();
    assert_eq!(moves[2]["note"], "We will call Friday");
    assert_eq!(moves[2]["actorId"], "test-AgencyPartner");
    assert_eq!(
        (&moves[0]["note"], &moves[1]["actorId"]),
        (&Value::Null, &Value::Null)
    );
    let refused = mixed["errors"].as_array().unwrap();
    assert_eq!(
        refused.len(),
        4,
        "two fields of the district's two moves: {mixed}"
    );
    // Done is done; only the district can say it should never have been.
    assert_eq!(
        move_to(&agency, &done, "IN_PROGRESS", json!({}))
            .await
            .unwrap_err(),
        ["input.status:INVALID_TRANSITION"]
    );
    let voided = move_to(&worker, &done, "ENTERED_IN_ERROR", json!({}))
        .await
        .unwrap();
    assert_eq!(voided["status"], "ENTERED_IN_ERROR");
    assert_eq!(
        move_to(&worker, &voided, "CANCELLED", json!({}))
            .await
            .unwrap_err(),
        ["input.status:INVALID_TRANSITION"]
    );

    // Either side cancels; a school's staff does not refer at all.
    let other = app
        .agency_referral(&ana, &pantry)
        .with("consentId", consent.clone())
        .with("send", true)
        .by(&worker)
        .returning(REFERRAL)
        .await;
    assert_eq!(other["status"], "REQUESTED");
    let cancelled = move_to(
        &agency,
        &other,
        "CANCELLED",
        json!({ "outcome": "NO_CAPACITY" }),
    )
    .await
    .unwrap();
    assert_eq!(cancelled["outcome"], "NO_CAPACITY");
    let teacher = app.as_school_staff(None, &[&north]);
    let refused = app.agency_referral(&ana, &pantry).by(&teacher).send().await;
    assert_eq!(refused.code(), "FORBIDDEN");
}

async fn consent_names_a_guardian_of_the_student_fields_and_agencies(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let north = app.school("North").await;
    let worker = app.as_social_worker(None, &[&north]);
    let (ana, _) = family(&app, &north, "Ana").await;
    let stranger = app.guardian("Nobody").await;
    let pantry = app.agency("Pantry").await;
    let refused = app
        .consent(&ana, &stranger, &[&pantry])
        .with("fields", json!([]))
        .with("purpose", " ")
        .with("givenOn", "2026-06-01")
        .with("expiresOn", "2026-05-01")
        .with("agencyIds", json!([]))
        .by(&worker)
        .refused()
        .await;
    assert_eq!(
        refused,
        [
            "input.guardianId:NOT_FOUND",
            "input.fields:REQUIRED",
            "input.purpose:REQUIRED",
            "input.expiresOn:DATES_OUT_OF_ORDER",
            "input.agencyIds:REQUIRED",
        ]
    );
    // Nothing was written; no guardian a restriction keeps from contact signs, even for the
    // admin who sees the restriction; and a school's staff records no consent.
    assert_eq!(app.count_rows("consent").await, 0);
    let kept_away = app.guardian("Kept").await;
    app.guardian_link(&ana, &kept_away)
        .with("restriction", "NO_CONTACT")
        .await;
    let restricted = app.consent(&ana, &kept_away, &[&pantry]).refused().await;
    assert_eq!(restricted, ["input.guardianId:NOT_FOUND"]);
    let teacher = app.as_school_staff(None, &[&north]);
    let (_, marta) = (ana.clone(), app.guardian("Marta").await);
    let answer = app
        .consent(&ana, &marta, &[&pantry])
        .by(&teacher)
        .send()
        .await;
    assert_eq!(answer.code(), "FORBIDDEN");
}

async fn unanswered_referrals_and_due_follow_ups_need_the_worker(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let north = app.school("North").await;
    let worker = app.as_social_worker(None, &[&north]);
    let (ana, marta) = family(&app, &north, "Ana").await;
    let pantry = app.agency("Pantry").await;
    let consent = app.consent(&ana, &marta, &[&pantry]).by(&worker).await;
    let send = |app: &TestApp| {
        app.agency_referral(&ana, &pantry)
            .with("consentId", consent.clone())
            .with("send", true)
            .by(&worker)
            .returning("id version")
    };
    let late = send(&app).await;
    let fresh = send(&app).await;
    let scheduled = app
        .agency_referral(&ana, &pantry)
        .by(&worker)
        .returning("id version")
        .await;
    // The late one was sent three weeks ago.
    sent_days_ago(&app, &late, 21).await;
    let follow = "mutation($input: FollowUpInput!) { setAgencyReferralFollowUp(input: $input) {
        referral { followUpOn } userErrors { field code } } }";
    let today = crate::helpers::district_today().to_string();
    let input =
        json!({ "id": scheduled["id"], "version": scheduled["version"], "followUpOn": today });
    let answer = worker.query(follow, json!({ "input": input })).await;
    assert_eq!(
        answer.payload("setAgencyReferralFollowUp")["referral"]["followUpOn"],
        today
    );

    let needing = worker
        .query(
            "{ referralsNeedingFollowUp(first: 10) { nodes { id status } } }",
            json!({}),
        )
        .await
        .data();
    let ids: Vec<&Value> = needing["referralsNeedingFollowUp"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| &n["id"])
        .collect();
    assert_eq!(ids, [&late["id"], &scheduled["id"]]);
    assert!(!ids.contains(&&fresh["id"]));
    let agency = app.as_agency(Some(&pantry));
    let theirs = agency
        .query("{ referralsNeedingFollowUp { totalCount } }", json!({}))
        .await;
    assert_eq!(theirs.code(), "FORBIDDEN");
}

on_both_backends!(
    a_referral_is_sent_under_consent_answered_and_closed,
    consent_names_a_guardian_of_the_student_fields_and_agencies,
    unanswered_referrals_and_due_follow_ups_need_the_worker,
);
