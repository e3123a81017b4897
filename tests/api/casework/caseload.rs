//! `viewer.caseload`: a worker's open cases, filtered, ordered and paged; closing a case.

use serde_json::{Value, json};

use crate::helpers::{Backend, Client, TestApp, on_both_backends};

const CASELOAD: &str =
    "query($filter: CaseloadFilter, $orderBy: CaseOrder, $first: Int, $after: String) {
    viewer { caseload(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
        totalCount nodes { id } pageInfo { hasNextPage endCursor } } } }";

/// The ids of the caseload page `variables` asks for.
async fn caseload(worker: &Client, variables: Value) -> (Vec<String>, Value) {
    let data = worker.query(CASELOAD, variables).await.data();
    let page = data["viewer"]["caseload"].clone();
    let ids = page["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect();
    (ids, page)
}

async fn close(client: &Client, case: &str, version: i64, closed_on: &str) -> Value {
    let query = "mutation($input: CloseCaseInput!) { closeCase(input: $input) {
        case { id open closedOn closingReason version } userErrors { field code } } }";
    let input = json!({ "id": case, "version": version, "closedOn": closed_on,
        "closingReason": "GOALS_MET" });
    client.query(query, json!({ "input": input })).await.data()["closeCase"].clone()
}

async fn a_caseload_is_a_workers_open_cases_filtered_and_ordered(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (north, south) = (app.school("North").await, app.school("South").await);
    let sam = app.staff("Sam", "Social").await;
    let other = app.staff("Olu", "Other").await;
    let mut students = Vec::new();
    for (name, school) in [
        ("Ana", &north),
        ("Ben", &south),
        ("Cy", &north),
        ("Di", &north),
    ] {
        let student = app.student(name, "Student").await;
        app.enrollment(&student, school).await;
        students.push(student);
    }
    let [ana, ben, cy, di] = [0, 1, 2, 3].map(|i| students[i].clone());
    let crisis = app
        .case(&ana, &sam)
        .with("areaOfFocus", "CRISIS_INTERVENTION")
        .with("openedOn", "2026-10-01")
        .await;
    let general = app.case(&ben, &sam).with("openedOn", "2026-09-01").await;
    let vento = app
        .case(&cy, &sam)
        .with("areaOfFocus", "MCKINNEY_VENTO")
        .with("openedOn", "2026-09-15")
        .await;
    let closing = app.case(&di, &sam).await;
    app.case(&di, &other).await; // another worker's
    assert_eq!(
        app.case(&ana, &sam)
            .with("socialWorkerId", north.clone())
            .refused()
            .await,
        ["input.socialWorkerId:INVALID"]
    );

    let admin = app.as_admin();
    let closed = close(&admin, &closing, 1, "2026-08-01").await;
    assert_eq!(
        closed["userErrors"],
        json!([{ "field": "input.closedOn", "code": "DATES_OUT_OF_ORDER" }])
    );
    let closed = close(&admin, &closing, 1, "2026-10-20").await;
    assert_eq!(
        (&closed["case"]["open"], &closed["case"]["closingReason"]),
        (&json!(false), &json!("GOALS_MET"))
    );
    let again = close(&admin, &closing, 2, "2026-10-21").await;
    assert_eq!(
        again["userErrors"],
        json!([{ "field": "input.id", "code": "INVALID_TRANSITION" }])
    );

    let worker = app.as_social_worker(Some(&sam), &[&north, &south]);
    let (ids, page) = caseload(&worker, json!({})).await;
    assert_eq!(
        ids,
        [general.as_str(), vento.as_str(), crisis.as_str()],
        "opened first, oldest first"
    );
    assert_eq!(page["totalCount"], 3);
    let by = |field: &str, direction: &str| json!({ "orderBy": { "field": field, "direction": direction } });
    assert_eq!(
        caseload(&worker, by("OPENED_ON", "DESC")).await.0,
        [crisis.as_str(), vento.as_str(), general.as_str()]
    );
    assert_eq!(
        caseload(&worker, by("AREA_OF_FOCUS", "ASC")).await.0,
        [crisis.as_str(), general.as_str(), vento.as_str()]
    );
    let filter = |f: Value| json!({ "filter": f });
    assert_eq!(
        caseload(&worker, filter(json!({ "areaOfFocus": "MCKINNEY_VENTO" })))
            .await
            .0,
        [vento.as_str()]
    );
    assert_eq!(
        caseload(&worker, filter(json!({ "schoolId": south })))
            .await
            .0,
        [general.as_str()]
    );
    assert_eq!(
        caseload(&worker, filter(json!({ "openedSince": "2026-09-10" })))
            .await
            .0,
        [vento.as_str(), crisis.as_str()]
    );

    // Paged by keyset: the second page starts after the first.
    let (first, page) = caseload(
        &worker,
        json!({ "first": 2, "orderBy": { "field": "AREA_OF_FOCUS" } }),
    )
    .await;
    assert_eq!(first, [crisis.as_str(), general.as_str()]);
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let after = page["pageInfo"]["endCursor"].clone();
    let next = json!({ "first": 2, "after": after, "orderBy": { "field": "AREA_OF_FOCUS" } });
    assert_eq!(caseload(&worker, next).await.0, [vento.as_str()]);

    // A worker of North alone sees only North's students' cases; a token naming no staff
    // member has no caseload; school staff read no cases.
    let north_only = app.as_social_worker(Some(&sam), &[&north]);
    assert_eq!(
        caseload(&north_only, json!({})).await.0,
        [vento.as_str(), crisis.as_str()]
    );
    assert!(
        caseload(&app.as_social_worker(None, &[&north]), json!({}))
            .await
            .0
            .is_empty()
    );
    let teacher = app.as_school_staff(None, &[&north]);
    assert_eq!(teacher.query(CASELOAD, json!({})).await.code(), "FORBIDDEN");
    let cases = "{ students { nodes { legalFirstName cases { totalCount } } } }";
    let answer = teacher.query(cases, json!({})).await;
    assert_eq!(answer.code(), "FORBIDDEN", "{}", answer.body);
}

on_both_backends!(a_caseload_is_a_workers_open_cases_filtered_and_ordered);
