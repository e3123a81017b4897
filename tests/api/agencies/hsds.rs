//! The directory as Open Referral HSDS 3.0 JSON: `import hsds` loads a regional directory
//! (matched by HSDS id, so a second import changes nothing), `export hsds` writes it back
//! without losing anything HSDS carries that the model holds, and a bad file writes nothing.

use clap::Parser;
use serde_json::{Value, json};
use ssw_api::auth::{Actor, Role};

use crate::helpers::{Backend, TestApp, on_both_backends};

/// A small regional directory, in the form `export hsds` writes (so a round trip is equal).
fn directory() -> Value {
    json!([
        {
            "id": "org-harbor",
            "name": "Harbor Family Shelter",
            "description": "Emergency shelter for families",
            "email": "intake@harbor.example",
            "website": "https://harbor.example",
            "phones": [{ "number": "555-0101" }],
            "services": [{
                "id": "svc-beds",
                "name": "Family beds",
                "description": "Beds for a family for up to 30 nights",
                "status": "active",
                "eligibility_description": "Families with children under 18",
                "fees_description": "Free",
                "assured_date": "2026-10-01",
                "languages": [{ "code": "en" }, { "code": "es" }],
                "schedules": [{ "description": "Intake daily 8am-8pm" }],
                "capacities": [{ "available": 3, "unit": { "name": "beds" },
                    "updated": "2026-11-30T14:00:00Z" }],
                "attributes": [{ "taxonomy_term": { "code": "housing" } },
                    { "taxonomy_term": { "code": "shelter" } }]
            }],
            "locations": [{
                "id": "loc-harbor",
                "location_type": "physical",
                "name": "Main house",
                "addresses": [{ "address_1": "1 Harbor Way", "city": "Springfield",
                    "state_province": "IL", "postal_code": "62701" }]
            }],
            "contacts": [{ "id": "con-rosa", "name": "Rosa Díaz", "title": "Intake lead",
                "email": "rosa@harbor.example", "phones": [{ "number": "555-0102" }] }]
        },
        {
            "id": "org-pantry",
            "name": "Ñandú Community Pantry",
            "description": "Groceries, no questions asked",
            "services": [{
                "id": "svc-bags",
                "name": "Weekend food bags",
                "status": "temporarily closed",
                "languages": [{ "code": "en" }],
                "schedules": [],
                "capacities": [],
                "attributes": [{ "taxonomy_term": { "code": "food" } }]
            }],
            "locations": [{ "id": "loc-online", "location_type": "virtual",
                "url": "https://pantry.example/order", "addresses": [] }],
            "contacts": []
        }
    ])
}

/// Runs `ssw-api <args>` against the app's database and district.
async fn cli(app: &TestApp, args: &[&str]) -> Result<(), String> {
    let district = app.district_id.to_string();
    let mut all = vec!["ssw-api", "--database-url", &app.database_url];
    all.extend(args);
    all.extend(["--district", district.as_str()]);
    let cli = ssw_api::cli::Cli::try_parse_from(all).map_err(|e| e.to_string())?;
    ssw_api::cli::run(cli).await.map_err(|e| e.to_string())
}

async fn a_regional_directory_round_trips_through_hsds(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let folder = tempfile::TempDir::new().unwrap();
    let file = folder.path().join("directory.json");
    std::fs::write(&file, directory().to_string()).unwrap();
    let path = file.to_str().unwrap();

    cli(&app, &["import", "hsds", path, "--dry-run"])
        .await
        .unwrap();
    assert_eq!(app.count_rows("agency").await, 0);
    cli(&app, &["import", "hsds", path]).await.unwrap();
    assert_eq!(app.count_rows("agency").await, 2);
    assert_eq!(app.count_rows("agency_service").await, 2);

    let found = app
        .as_social_worker(None, &[])
        .query(
            "{ agencyServices(filter: { category: \"shelter\", language: \"es\", hasCapacity: true }) {
                nodes { name status hours capacity { unit available }
                    agency { name locations { city } contacts { name phone } } } } }",
            json!({}),
        )
        .await
        .data();
    assert_eq!(
        found["agencyServices"]["nodes"],
        json!([{ "name": "Family beds", "status": "ACTIVE", "hours": "Intake daily 8am-8pm",
            "capacity": { "unit": "beds", "available": 3 },
            "agency": { "name": "Harbor Family Shelter", "locations": [{ "city": "Springfield" }],
                "contacts": [{ "name": "Rosa Díaz", "phone": "555-0102" }] } }])
    );

    // A second import of the same file changes nothing, and writes nothing to the log.
    let logged = app.count_rows("audit_event").await;
    cli(&app, &["import", "hsds", path]).await.unwrap();
    assert_eq!(app.count_rows("agency").await, 2);
    assert_eq!(app.count_rows("audit_event").await, logged);

    let out = folder.path().join("out.json");
    let out_path = out.to_str().unwrap();
    cli(&app, &["export", "hsds", "--out", out_path])
        .await
        .unwrap();
    let exported: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(exported, directory());

    // An edited file updates in place: one service changed, nothing added.
    let mut edited = directory();
    edited[0]["services"][0]["capacities"][0]["available"] = json!(0);
    std::fs::write(&file, edited.to_string()).unwrap();
    cli(&app, &["import", "hsds", path]).await.unwrap();
    assert_eq!(app.count_rows("agency_service").await, 2);
    assert_eq!(app.count_rows("audit_event").await, logged + 1);
}

async fn an_entry_made_here_exports_and_loads_into_another_district(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let pantry = app
        .agency("Pantry")
        .with("contacts", json!([{ "name": "Lee", "phone": "555-0111" }]))
        .await;
    app.agency_service(&pantry, "Food bags").await;
    let folder = tempfile::TempDir::new().unwrap();
    let out = folder.path().join("out.json");
    let out_path = out.to_str().unwrap();
    cli(&app, &["export", "hsds", "--out", out_path])
        .await
        .unwrap();
    // Re-importing its own export matches by the ids the export wrote: nothing is added.
    cli(&app, &["import", "hsds", out_path]).await.unwrap();
    assert_eq!(app.count_rows("agency").await, 1);
    assert_eq!(app.count_rows("agency_contact").await, 1);

    let elsewhere = app.district("Elsewhere").await.unwrap();
    let other = elsewhere.to_string();
    let args = [
        "ssw-api",
        "--database-url",
        &app.database_url,
        "import",
        "hsds",
        out_path,
        "--district",
        other.as_str(),
    ];
    ssw_api::cli::run(ssw_api::cli::Cli::try_parse_from(args).unwrap())
        .await
        .unwrap();
    let admin = app.as_actor(Actor {
        district_id: elsewhere,
        ..app.actor(Role::DistrictAdmin)
    });
    let theirs = admin
        .query(
            "{ agencies { nodes { name contacts { name phone }
                services { name categories languages capacity { available } } } } }",
            json!({}),
        )
        .await
        .data();
    assert_eq!(
        theirs["agencies"]["nodes"],
        json!([{ "name": "Pantry", "contacts": [{ "name": "Lee", "phone": "555-0111" }],
            "services": [{ "name": "Food bags", "categories": ["food"], "languages": ["en", "es"],
                "capacity": { "available": 5 } }] }])
    );
}

async fn a_bad_directory_is_refused_where_it_is_wrong_and_writes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let folder = tempfile::TempDir::new().unwrap();
    let file = folder.path().join("bad.json");
    let mut bad = directory();
    bad[0]["services"][0]["status"] = json!("open");
    bad[1]["id"] = json!("org-harbor");
    bad[1]["locations"][0]["location_type"] = json!("moon");
    std::fs::write(&file, bad.to_string()).unwrap();
    let error = cli(&app, &["import", "hsds", file.to_str().unwrap()])
        .await
        .unwrap_err();
    assert_eq!(error, "3 problem(s): nothing was written");
    assert_eq!(app.count_rows("agency").await, 0);
    std::fs::write(&file, "{ \"not\": \"a list\" }").unwrap();
    let error = cli(&app, &["import", "hsds", file.to_str().unwrap()])
        .await
        .unwrap_err();
    assert!(
        error.contains("not a list of HSDS organizations"),
        "{error}"
    );
    let organizations: Vec<ssw_api::agencies::hsds::Organization> =
        serde_json::from_value(bad).unwrap();
    let problems = ssw_api::agencies::hsds::check(&organizations);
    assert_eq!(
        problems,
        [
            "organizations[0].services[0].status: \"open\" is not active, inactive, defunct or temporarily closed",
            "organizations[1].id: org-harbor is also organizations[0]'s",
            "organizations[1].locations[0].location_type: \"moon\" is not physical, postal or virtual",
        ]
    );
}

on_both_backends!(
    a_regional_directory_round_trips_through_hsds,
    an_entry_made_here_exports_and_loads_into_another_district,
    a_bad_directory_is_refused_where_it_is_wrong_and_writes_nothing,
);
