//! The directory: agencies with locations and contacts, services searched by category,
//! language, words and free capacity, entries not checked lately, capacity published by the
//! agency itself, and who may keep it.

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, on_both_backends};

const SERVICES: &str = "query($filter: ServiceFilter) {
    agencyServices(filter: $filter, first: 50) {
        totalCount nodes { name categories languages capacity { unit available } agency { name } }
    }
}";

/// Names of the services `filter` finds, in order.
fn names(answer: &Value) -> Vec<&str> {
    answer["agencyServices"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect()
}

async fn workers_find_services_by_category_language_words_and_room(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let pantry = app
        .agency("Northside Pantry")
        .with(
            "locations",
            json!([{ "locationType": "PHYSICAL", "address": "12 Elm St", "city": "Springfield",
                "region": "IL", "postalCode": "62701" }]),
        )
        .with(
            "contacts",
            json!([{ "name": "Rosa Diaz", "title": "Intake", "email": "rosa@pantry.example" }]),
        )
        .await;
    let shelter = app.agency("Harbor Shelter").await;
    app.agency_service(&pantry, "Weekend food bags").await;
    app.agency_service(&pantry, "Hot meals")
        .with("languages", json!(["en"]))
        .with("capacityAvailable", 0)
        .await;
    app.agency_service(&shelter, "Family beds")
        .with("categories", json!(["Housing", "shelter"]))
        .with("languages", json!(["en", "ESt"]))
        .with("capacityUnit", "beds")
        .with("capacityAvailable", 2)
        .with("description", "Emergency beds for families with children")
        .await;

    let find = |filter: Value| {
        let admin = admin.clone();
        async move {
            admin
                .query(SERVICES, json!({ "filter": filter }))
                .await
                .data()
        }
    };
    assert_eq!(
        names(&find(json!({ "category": "FOOD" })).await),
        ["Hot meals", "Weekend food bags"]
    );
    // A language is a whole code: `es` is not `est`.
    assert_eq!(
        names(&find(json!({ "language": "es" })).await),
        ["Weekend food bags"]
    );
    assert_eq!(
        names(&find(json!({ "language": "est" })).await),
        ["Family beds"]
    );
    assert_eq!(
        names(&find(json!({ "search": "CHILDREN" })).await),
        ["Family beds"]
    );
    assert_eq!(
        names(&find(json!({ "hasCapacity": true })).await),
        ["Family beds", "Weekend food bags"]
    );
    assert_eq!(
        names(&find(json!({ "hasCapacity": false })).await),
        ["Hot meals"]
    );
    let beds = find(json!({ "category": "housing" })).await;
    assert_eq!(
        beds["agencyServices"]["nodes"][0],
        json!({ "name": "Family beds", "categories": ["housing", "shelter"],
            "languages": ["en", "est"], "capacity": { "unit": "beds", "available": 2 },
            "agency": { "name": "Harbor Shelter" } })
    );

    let agencies = admin
        .query(
            "{ agencies(first: 10) { nodes { name phone assuredDate
                locations { locationType city postalCode } contacts { name email }
                services { name } } } }",
            json!({}),
        )
        .await
        .data();
    let today = crate::helpers::district_today().to_string();
    assert_eq!(
        agencies["agencies"]["nodes"],
        json!([
            { "name": "Harbor Shelter", "phone": "555-0199", "assuredDate": today,
              "locations": [], "contacts": [], "services": [{ "name": "Family beds" }] },
            { "name": "Northside Pantry", "phone": "555-0199", "assuredDate": today,
              "locations": [{ "locationType": "PHYSICAL", "city": "Springfield",
                  "postalCode": "62701" }],
              "contacts": [{ "name": "Rosa Diaz", "email": "rosa@pantry.example" }],
              "services": [{ "name": "Hot meals" }, { "name": "Weekend food bags" }] }
        ])
    );
}

async fn entries_not_checked_lately_are_listed_and_confirmed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let stale = app
        .agency("Old Clinic")
        .with("assuredDate", "2025-01-15")
        .await;
    app.agency("New Clinic").await;
    let unchecked = "{ agencies(first: 10, filter: { notCheckedForDays: 180 }) {
        nodes { id name version } } }";
    let found = admin.query(unchecked, json!({})).await.data();
    let nodes = found["agencies"]["nodes"].as_array().unwrap().clone();
    assert_eq!(nodes.len(), 1);
    assert_eq!(
        (&nodes[0]["id"], &nodes[0]["name"]),
        (&json!(stale), &json!("Old Clinic"))
    );

    let confirm = "mutation($input: ConfirmEntryInput!) { confirmAgency(input: $input) {
        agency { assuredDate } userErrors { field code } } }";
    let input = json!({ "id": stale, "version": nodes[0]["version"] });
    let confirmed = admin.query(confirm, json!({ "input": input })).await;
    let today = crate::helpers::district_today().to_string();
    assert_eq!(
        confirmed.payload("confirmAgency")["agency"]["assuredDate"],
        today
    );
    let found = admin.query(unchecked, json!({})).await.data();
    assert_eq!(found["agencies"]["nodes"], json!([]));
    // Further back than any day a database holds is the caller's mistake, named as such.
    let too_far = "{ agencyServices(filter: { notCheckedForDays: 2147483647 }) { totalCount } }";
    admin
        .query(too_far, json!({}))
        .await
        .assert_bad_user_input("notCheckedForDays is at most 36500");
    // A worker reads the directory but does not keep it.
    let worker = app.as_social_worker(None, &[]);
    let again = worker.query(confirm, json!({ "input": input })).await;
    assert_eq!(again.code(), "FORBIDDEN");
}

async fn an_agency_publishes_its_own_capacity_and_no_one_elses(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let pantry = app.agency("Pantry").await;
    let shelter = app.agency("Shelter").await;
    let bags = app
        .agency_service(&pantry, "Food bags")
        .returning("id version")
        .await;
    let publish = "mutation($input: PublishCapacityInput!) { publishCapacity(input: $input) {
        service { version capacity { unit available updated } } userErrors { field code } } }";
    let input = |available: i64| json!({ "serviceId": bags["id"], "version": bags["version"], "available": available });

    let own = app.as_agency(Some(&pantry));
    let published = own.query(publish, json!({ "input": input(9) })).await;
    let service = published.payload("publishCapacity")["service"].clone();
    assert_eq!(service["capacity"]["available"], 9);
    assert_eq!(service["capacity"]["unit"], "slots");
    assert!(service["capacity"]["updated"].is_string());

    let other = app.as_agency(Some(&shelter));
    let refused = other.query(publish, json!({ "input": input(100) })).await;
    assert_eq!(refused.code(), "FORBIDDEN");
    let negative = app
        .as_admin()
        .query(publish, json!({ "input": input(-1) }))
        .await;
    assert_eq!(
        negative.user_errors("publishCapacity"),
        ["input.capacityAvailable:OUT_OF_RANGE"]
    );
    // Creating directory entries is the admin's; the SIS does not read the directory.
    let worker = app.as_social_worker(None, &[]);
    assert_eq!(
        app.agency("Mine").by(&worker).send().await.code(),
        "FORBIDDEN"
    );
    let sis = app
        .as_sis()
        .query("{ agencies { totalCount } }", json!({}))
        .await;
    assert_eq!(sis.code(), "FORBIDDEN");
}

on_both_backends!(
    workers_find_services_by_category_language_words_and_room,
    entries_not_checked_lately_are_listed_and_confirmed,
    an_agency_publishes_its_own_capacity_and_no_one_elses,
);
