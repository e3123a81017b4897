//! Relay connections: keyset pages that never overlap or skip, backwards paging, totalCount, and
//! filters and ordering applied in SQL (so pages and counts agree).

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, on_both_backends};

const PAGE: &str = "query($first: Int, $after: String, $last: Int, $before: String, $filter: StudentFilter, $order: StudentOrder) {
    students(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $order) {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { id legalLastName legalFirstName gradeLevel } } } }";

const LAST_NAMES: [&str; 7] = [
    "Adams", "Baker", "Chen", "Diaz", "Evans", "Flores", "Garcia",
];

/// Fourteen students: two per last name, grades alternating 03 and 05.
async fn fourteen_students(app: &TestApp) -> Vec<String> {
    let mut ids = Vec::new();
    for (i, last) in LAST_NAMES.iter().enumerate() {
        ids.push(app.student("Ann", last).with("gradeLevel", "03").await);
        ids.push(
            app.student(&format!("Bea{i}"), last)
                .with("gradeLevel", "05")
                .await,
        );
    }
    ids
}

fn names(page: &Value) -> Vec<String> {
    page["students"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["node"]["legalLastName"].as_str().unwrap(),
                e["node"]["legalFirstName"].as_str().unwrap()
            )
        })
        .collect()
}

async fn forward_pages_cover_every_row_once_in_order(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    fourteen_students(&app).await;
    let admin = app.as_admin();
    let mut seen = Vec::new();
    let mut after = Value::Null;
    let mut pages = 0;
    loop {
        let page = admin
            .query(PAGE, json!({ "first": 4, "after": after }))
            .await
            .data();
        assert_eq!(page["students"]["totalCount"], 14);
        seen.extend(names(&page));
        pages += 1;
        let info = &page["students"]["pageInfo"];
        if !info["hasNextPage"].as_bool().unwrap() {
            break;
        }
        after = info["endCursor"].clone();
    }
    assert_eq!(pages, 4);
    assert_eq!(seen.len(), 14);
    let mut sorted_last: Vec<&str> = seen.iter().map(|n| n.split(' ').next().unwrap()).collect();
    let unsorted = sorted_last.clone();
    sorted_last.sort();
    assert_eq!(unsorted, sorted_last, "ordered by last name");
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 14, "no row twice");
}

async fn backward_pages_mirror_forward_pages(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    fourteen_students(&app).await;
    let admin = app.as_admin();
    let all = names(&admin.query(PAGE, json!({ "first": 14 })).await.data());
    let last_five = admin.query(PAGE, json!({ "last": 5 })).await.data();
    assert_eq!(names(&last_five), all[9..].to_vec());
    assert!(
        last_five["students"]["pageInfo"]["hasPreviousPage"]
            .as_bool()
            .unwrap()
    );
    let before = last_five["students"]["pageInfo"]["startCursor"].clone();
    let previous = admin
        .query(PAGE, json!({ "last": 5, "before": before }))
        .await
        .data();
    assert_eq!(names(&previous), all[4..9].to_vec());
    assert!(
        previous["students"]["pageInfo"]["hasNextPage"]
            .as_bool()
            .unwrap()
    );
}

async fn descending_order_and_its_cursors(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    fourteen_students(&app).await;
    let admin = app.as_admin();
    let order = json!({ "field": "LAST_NAME", "direction": "DESC" });
    let first = admin
        .query(PAGE, json!({ "first": 3, "order": order }))
        .await
        .data();
    assert_eq!(names(&first)[0].split(' ').next().unwrap(), "Garcia");
    let after = first["students"]["pageInfo"]["endCursor"].clone();
    let second = admin
        .query(PAGE, json!({ "first": 3, "after": after, "order": order }))
        .await
        .data();
    assert_eq!(names(&second)[0].split(' ').next().unwrap(), "Flores");
    // A cursor of one ordering is refused by another.
    let code = admin
        .query(PAGE, json!({ "first": 3, "after": after }))
        .await
        .code();
    assert_eq!(code, "BAD_USER_INPUT");
}

async fn filters_apply_before_paging(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ids = fourteen_students(&app).await;
    let admin = app.as_admin();
    let school = app.school("Filter Elementary").await;
    let other = app.school("Other Elementary").await;
    for id in &ids[..5] {
        app.enrollment(id, &school).await;
    }
    app.enrollment(&ids[5], &school)
        .with("entryDate", "2020-08-20")
        .with("exitDate", "2021-06-01")
        .await;
    app.enrollment(&ids[6], &other).await;

    let grade = admin
        .query(
            PAGE,
            json!({ "first": 2, "filter": { "gradeLevels": ["05"] } }),
        )
        .await
        .data();
    assert_eq!(grade["students"]["totalCount"], 7);
    assert_eq!(names(&grade).len(), 2);
    assert!(
        grade["students"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["node"]["gradeLevel"] == "05")
    );

    let at_school = admin
        .query(
            PAGE,
            json!({ "first": 50, "filter": { "schoolId": school } }),
        )
        .await
        .data();
    assert_eq!(
        at_school["students"]["totalCount"], 5,
        "current enrollments only"
    );

    let in_2020 = admin
        .query(
            PAGE,
            json!({ "first": 50, "filter": { "schoolId": school, "enrolledOn": "2020-10-01" } }),
        )
        .await
        .data();
    assert_eq!(in_2020["students"]["totalCount"], 1);

    let nested = admin
        .query("query($id: ID!) { school(id: $id) { students(first: 2) { totalCount edges { node { id } } } } }", json!({ "id": school }))
        .await
        .data();
    assert_eq!(nested["school"]["students"]["totalCount"], 5);

    let search = admin
        .query(PAGE, json!({ "first": 50, "filter": { "search": "bea3" } }))
        .await
        .data();
    assert_eq!(search["students"]["totalCount"], 1);
    assert_eq!(names(&search), ["Diaz Bea3"]);

    let literal = admin
        .query(PAGE, json!({ "first": 50, "filter": { "search": "%" } }))
        .await
        .data();
    assert_eq!(
        literal["students"]["totalCount"], 0,
        "wildcards in a search are literal"
    );

    let statuses = admin
        .query(
            PAGE,
            json!({ "first": 50, "filter": { "statuses": ["WITHDRAWN"] } }),
        )
        .await
        .data();
    assert_eq!(statuses["students"]["totalCount"], 0);
}

async fn bad_page_arguments_are_bad_user_input(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    for (variables, field) in [
        (json!({ "first": 501 }), "first"),
        (json!({ "first": -1 }), "first"),
        (json!({ "first": 2, "last": 2 }), "last"),
        (json!({ "after": "not-a-cursor" }), "after"),
    ] {
        let body = admin.query(PAGE, variables.clone()).await.body;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{variables}: {body}"
        );
        assert_eq!(
            body["errors"][0]["extensions"]["field"], field,
            "{variables}: {body}"
        );
    }
}

async fn nested_connections_page_in_memory_with_cursors(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let student = app.student("Ana", "Reyes").await;
    for name in ["One", "Two", "Three"] {
        let guardian = app.guardian(name).await;
        app.guardian_link(&student, &guardian).await;
    }
    let query = "query($id: ID!, $after: String) { student(id: $id) { guardians(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { guardian { firstName } } } } }";
    let first = app
        .as_admin()
        .query(query, json!({ "id": student }))
        .await
        .data();
    let guardians = &first["student"]["guardians"];
    assert_eq!(guardians["totalCount"], 3);
    assert_eq!(guardians["nodes"].as_array().unwrap().len(), 2);
    assert!(guardians["pageInfo"]["hasNextPage"].as_bool().unwrap());
    let rest = app
        .as_admin()
        .query(
            query,
            json!({ "id": student, "after": guardians["pageInfo"]["endCursor"] }),
        )
        .await
        .data();
    assert_eq!(
        rest["student"]["guardians"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(
        !rest["student"]["guardians"]["pageInfo"]["hasNextPage"]
            .as_bool()
            .unwrap()
    );
}

async fn nested_school_students_page_per_school(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ids = fourteen_students(&app).await;
    let admin = app.as_admin();
    let north = app.school("North Elementary").await;
    let south = app.school("South Elementary").await;
    let empty = app.school("Empty Elementary").await;
    for (i, id) in ids.iter().enumerate() {
        app.enrollment(id, if i < 9 { &north } else { &south })
            .await;
    }
    let query = "query($after: String) { schools { nodes { id name students(first: 4, after: $after, filter: { gradeLevels: [\"03\", \"05\"] }) {
        totalCount pageInfo { hasNextPage endCursor } nodes { legalLastName legalFirstName } } } } }";
    let data = admin.query(query, json!({})).await.data();
    let schools = data["schools"]["nodes"].as_array().unwrap();
    let by_id = |id: &str| schools.iter().find(|s| s["id"] == id).unwrap()["students"].clone();
    assert_eq!(by_id(&north)["totalCount"], 9);
    assert_eq!(by_id(&south)["totalCount"], 5);
    assert_eq!(by_id(&empty)["totalCount"], 0);
    assert_eq!(by_id(&north)["nodes"].as_array().unwrap().len(), 4);
    assert!(by_id(&empty)["nodes"].as_array().unwrap().is_empty());

    // The nested pages agree with the top-level list filtered by school, page after page.
    let top = admin
        .query(
            PAGE,
            json!({ "first": 50, "filter": { "schoolId": north } }),
        )
        .await
        .data();
    let expected = names(&top);
    assert_eq!(expected.len(), 9);
    let nested_names = |page: &Value| -> Vec<String> {
        page["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                format!(
                    "{} {}",
                    n["legalLastName"].as_str().unwrap(),
                    n["legalFirstName"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(nested_names(&by_id(&north)), expected[..4].to_vec());
    let second = admin
        .query("query($id: ID!, $after: String) { school(id: $id) { students(first: 4, after: $after) { nodes { legalLastName legalFirstName } } } }", json!({ "id": north, "after": by_id(&north)["pageInfo"]["endCursor"] }))
        .await
        .data();
    assert_eq!(
        nested_names(&second["school"]["students"]),
        expected[4..8].to_vec()
    );
}

async fn both_backends_order_names_alike(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for last in ["van Dyke", "Vargas", "Adams", "de la Cruz"] {
        app.student("Ann", last).with("gradeLevel", "03").await;
    }
    let page = app
        .as_admin()
        .query(PAGE, json!({ "first": 10 }))
        .await
        .data();
    let order: Vec<String> = names(&page)
        .into_iter()
        .map(|n| n.trim_end_matches(" Ann").to_string())
        .collect();
    assert_eq!(
        order,
        ["Adams", "Vargas", "de la Cruz", "van Dyke"],
        "byte order on SQLite and PostgreSQL alike"
    );
}

on_both_backends!(
    both_backends_order_names_alike,
    nested_school_students_page_per_school,
    forward_pages_cover_every_row_once_in_order,
    backward_pages_mirror_forward_pages,
    descending_order_and_its_cursors,
    filters_apply_before_paging,
    bad_page_arguments_are_bad_user_input,
    nested_connections_page_in_memory_with_cursors,
);
