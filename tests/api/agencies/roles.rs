//! Every role against every agency type and path: what it must be allowed and what it must be
//! refused (the matrix in `auth::policy`), and a second district that sees none of it.

use serde_json::{Value, json};
use ssw_api::auth::{Actor, Role};

use super::referrals::family;
use crate::helpers::{Backend, Client, TestApp, on_both_backends};

/// One read: what it is, the query and its variables, the path to the count it finds, and
/// what each role (in the order of `clients`) must get.
type Read<'a> = (&'a str, &'a str, Value, Vec<&'a str>, [&'a str; 6]);

/// What a read answered: `ok:<n>` with the count it found, or the error code.
async fn outcome(client: &Client, query: &str, variables: Value, count: &[&str]) -> String {
    let answer = client.query(query, variables).await;
    if answer.body.get("errors").is_some() {
        return answer.code();
    }
    let mut found = &answer.body["data"];
    for step in count {
        found = &found[*step];
    }
    let n = match found {
        Value::Null => 0,
        Value::Number(n) => n.as_i64().unwrap_or(-1),
        Value::Array(items) => items.len() as i64,
        _ => 1,
    };
    format!("ok:{n}")
}

async fn each_role_reads_and_writes_what_the_matrix_says(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let north = app.school("North").await;
    let sam = app.staff("Sam", "Social").await;
    let worker = app.as_social_worker(Some(&sam), &[&north]);
    let (ana, marta) = family(&app, &north, "Ana").await;
    let pantry = app.agency("Pantry").await;
    app.agency_service(&pantry, "Food bags").await;
    let consent = app.consent(&ana, &marta, &[&pantry]).by(&worker).await;
    let referral = app
        .agency_referral(&ana, &pantry)
        .with("consentId", consent.clone())
        .with("send", true)
        .by(&worker)
        .await;

    let clients: Vec<(&str, Client)> = vec![
        ("DISTRICT_ADMIN", app.as_admin()),
        ("SOCIAL_WORKER", worker.clone()),
        ("SCHOOL_STAFF", app.as_school_staff(None, &[&north])),
        ("SIS_INTEGRATION", app.as_sis()),
        ("BI_READER", app.as_bi()),
        ("AGENCY_PARTNER", app.as_agency(Some(&pantry))),
    ];
    let node = "query($id: ID!) { node(id: $id) { id } }";
    let reads: Vec<Read> = vec![
        (
            "agencies",
            "{ agencies { totalCount } }",
            json!({}),
            vec!["agencies", "totalCount"],
            ["ok:1", "ok:1", "ok:1", "FORBIDDEN", "ok:1", "ok:1"],
        ),
        (
            "services, nested",
            "{ agencyServices(filter: { category: \"food\" }) { totalCount nodes { agency { name } } } }",
            json!({}),
            vec!["agencyServices", "totalCount"],
            ["ok:1", "ok:1", "ok:1", "FORBIDDEN", "ok:1", "ok:1"],
        ),
        (
            "consents of a student",
            "query($s: ID!) { consents(studentId: $s) { totalCount } }",
            json!({ "s": ana }),
            vec!["consents", "totalCount"],
            [
                "ok:1",
                "ok:1",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "ok:1",
            ],
        ),
        (
            "consent by node",
            node,
            json!({ "id": consent }),
            vec!["node"],
            ["ok:1", "ok:1", "ok:0", "ok:0", "ok:0", "ok:1"],
        ),
        (
            "referrals",
            "{ agencyReferrals { totalCount } }",
            json!({}),
            vec!["agencyReferrals", "totalCount"],
            ["ok:1", "ok:1", "FORBIDDEN", "FORBIDDEN", "ok:1", "ok:1"],
        ),
        (
            "referrals by student filter",
            "query($s: ID!) { agencyReferrals(filter: { studentId: $s }) { totalCount } }",
            json!({ "s": ana }),
            vec!["agencyReferrals", "totalCount"],
            [
                "ok:1",
                "ok:1",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "ok:1",
            ],
        ),
        (
            "referral by node",
            node,
            json!({ "id": referral }),
            vec!["node"],
            ["ok:1", "ok:1", "ok:0", "ok:0", "ok:1", "ok:1"],
        ),
        (
            "referral's transitions, nested",
            "query($id: ID!) { node(id: $id) { ... on AgencyReferral { transitions { to } } } }",
            json!({ "id": referral }),
            vec!["node", "transitions"],
            ["ok:2", "ok:2", "ok:0", "ok:0", "ok:2", "ok:2"],
        ),
        (
            "follow-up worklist",
            "{ referralsNeedingFollowUp { totalCount } }",
            json!({}),
            vec!["referralsNeedingFollowUp", "totalCount"],
            [
                "ok:0",
                "ok:0",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
            ],
        ),
        (
            "disclosures",
            "query($s: ID!) { disclosures(studentId: $s) { totalCount } }",
            json!({ "s": ana }),
            vec!["disclosures", "totalCount"],
            [
                "ok:1",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
            ],
        ),
    ];
    for (what, query, variables, count, expected) in &reads {
        for ((role, client), expected) in clients.iter().zip(expected) {
            let got = outcome(client, query, variables.clone(), count).await;
            assert_eq!(&got, expected, "{role} reads {what}");
        }
    }

    // Writes: the admin keeps the directory; pupil services record consent and refer.
    for (role, client) in &clients {
        let agency = app.agency("Another").by(client).send().await;
        let allowed = *role == "DISTRICT_ADMIN";
        assert_eq!(
            agency.body.get("errors").is_none(),
            allowed,
            "{role} adds an agency"
        );
        let consented = app
            .consent(&ana, &marta, &[&pantry])
            .by(client)
            .send()
            .await;
        let allowed = ["DISTRICT_ADMIN", "SOCIAL_WORKER"].contains(role);
        assert_eq!(
            consented.body.get("errors").is_none(),
            allowed,
            "{role} records consent"
        );
        let referred = app.agency_referral(&ana, &pantry).by(client).send().await;
        assert_eq!(
            referred.body.get("errors").is_none(),
            allowed,
            "{role} refers"
        );
    }

    // A second district's admin sees none of it, by any path.
    let elsewhere = app.district("Elsewhere").await.unwrap();
    let other = app.as_actor(Actor {
        district_id: elsewhere,
        ..app.actor(Role::DistrictAdmin)
    });
    for (what, query, variables, count, _) in &reads {
        let got = outcome(&other, query, variables.clone(), count).await;
        assert_eq!(got, "ok:0", "another district reads {what}");
    }
    let theirs = app
        .agency_referral(&ana, &pantry)
        .by(&other)
        .refused()
        .await;
    assert_eq!(
        theirs,
        ["input.studentId:NOT_FOUND", "input.agencyId:NOT_FOUND"]
    );
}

on_both_backends!(each_role_reads_and_writes_what_the_matrix_says);
