//! Roles limited to schools see only the students of those schools, and fields, guardians,
//! searches and cursors reveal no more than each role may see.

use crate::helpers::district_today;
use serde_json::json;

use super::ALL_STUDENTS;
use crate::helpers::{Backend, TestApp, on_both_backends};

/// A school with a current student, a school with another, and a student who left.
struct TwoSchools {
    mine: String,
    elsewhere: String,
    current: String,
    other: String,
    left: String,
}

async fn two_schools(app: &TestApp) -> TwoSchools {
    let mine = app.school("Mine Elementary").await;
    let elsewhere = app.school("Elsewhere Elementary").await;
    let current = app
        .student("Cara", "Current")
        .with("gradeLevel", "03")
        .await;
    let other = app.student("Otto", "Other").with("gradeLevel", "03").await;
    let left = app.student("Lena", "Left").with("gradeLevel", "03").await;
    app.enrollment(&current, &mine).await;
    app.enrollment(&other, &elsewhere).await;
    app.enrollment(&left, &mine)
        .with("entryDate", "2023-08-20")
        .with("exitDate", "2024-06-01")
        .await;
    TwoSchools {
        mine,
        elsewhere,
        current,
        other,
        left,
    }
}

async fn school_roles_see_only_students_of_their_schools(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let s = two_schools(&app).await;
    for role in [
        app.as_social_worker(None, &[&s.mine]),
        app.as_school_staff(None, &[&s.mine]),
    ] {
        let list = role.query(ALL_STUDENTS, json!({})).await.data();
        assert_eq!(list["students"]["totalCount"], 1, "{role:?}");
        assert_eq!(list["students"]["nodes"][0]["id"], s.current, "{role:?}");
        for hidden in [&s.other, &s.left] {
            assert_eq!(
                role.query(
                    "query($id: ID!) { student(id: $id) { id } }",
                    json!({ "id": hidden })
                )
                .await
                .code(),
                "NOT_FOUND",
                "{role:?}"
            );
            let node = role
                .query(
                    "query($id: ID!) { node(id: $id) { id } }",
                    json!({ "id": hidden }),
                )
                .await
                .data();
            assert!(node["node"].is_null(), "{role:?}");
        }
        let nested = role
            .query(
                "query($id: ID!) { school(id: $id) { students { totalCount } } }",
                json!({ "id": s.elsewhere }),
            )
            .await
            .data();
        assert_eq!(
            nested["school"]["students"]["totalCount"], 0,
            "{role:?} via school.students"
        );
    }
    // A token limited to no school sees no student.
    let nowhere = app.as_social_worker(None, &[]);
    assert_eq!(
        nowhere.query(ALL_STUDENTS, json!({})).await.data()["students"]["totalCount"],
        0
    );
    // Admins and the SIS see the whole district.
    for role in [app.as_admin(), app.as_sis()] {
        assert_eq!(
            role.query(ALL_STUDENTS, json!({})).await.data()["students"]["totalCount"],
            3,
            "{role:?}"
        );
    }
}

async fn students_pre_registered_for_later_are_not_yet_visible(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let s = two_schools(&app).await;
    let future = app.student("Fay", "Future").with("gradeLevel", "08").await;
    let next_year = (district_today() + chrono::Duration::days(200)).to_string();
    app.enrollment(&future, &s.mine)
        .with("entryDate", next_year)
        .await;
    let worker = app.as_social_worker(None, &[&s.mine]);
    assert_eq!(
        worker
            .query(
                "query($id: ID!) { student(id: $id) { id } }",
                json!({ "id": future })
            )
            .await
            .code(),
        "NOT_FOUND"
    );
    assert_eq!(
        worker.query(ALL_STUDENTS, json!({})).await.data()["students"]["totalCount"],
        1
    );
}

async fn sensitive_fields_are_denied_by_role(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let s = two_schools(&app).await;
    let field =
        |name: &str| format!("query($id: ID!) {{ student(id: $id) {{ gradeLevel {name} }} }}");
    let staff = app.as_school_staff(None, &[&s.mine]);
    let worker = app.as_social_worker(None, &[&s.mine]);
    let bi = app.as_bi();
    let id = json!({ "id": s.current });

    assert_eq!(
        staff
            .query(&field("legalLastName"), id.clone())
            .await
            .data()["student"]["legalLastName"],
        "Current"
    );
    for denied in [
        "birthDate",
        "localId",
        "englishLearner",
        "source { sourcedId }",
    ] {
        let body = staff.query(&field(denied), id.clone()).await.body;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "FORBIDDEN",
            "school staff, {denied}: {body}"
        );
    }
    for allowed in ["birthDate", "localId", "englishLearner"] {
        worker.query(&field(allowed), id.clone()).await.data();
    }
    // A BI reader lists students (by pseudonym), never looks one up by its global id.
    let listed =
        |name: &str| format!("{{ students(first: 50) {{ nodes {{ gradeLevel {name} }} }} }}");
    let grades = bi.query(&listed("englishLearner"), json!({})).await.data();
    let grades = grades["students"]["nodes"].as_array().unwrap().clone();
    assert!(grades.iter().any(|n| n["gradeLevel"] == "03"), "{grades:?}");
    assert_eq!(
        bi.query(&field("gradeLevel"), id.clone()).await.code(),
        "NOT_FOUND"
    );
    for denied in ["legalLastName", "preferredName", "birthDate", "localId"] {
        assert_eq!(
            bi.query(&listed(denied), json!({})).await.code(),
            "FORBIDDEN",
            "BI, {denied}"
        );
    }
    assert_eq!(
        bi.query(
            "{ students(filter: { search: \"cur\" }) { totalCount } }",
            json!({})
        )
        .await
        .code(),
        "FORBIDDEN",
        "BI may not search by name"
    );
    assert_eq!(
        bi.query("{ staff { totalCount } }", json!({})).await.code(),
        "FORBIDDEN"
    );
    assert_eq!(
        bi.query(&listed("guardians { totalCount }"), json!({}))
            .await
            .code(),
        "FORBIDDEN"
    );

    let agency = app.as_agency(None);
    assert_eq!(
        agency.query(ALL_STUDENTS, json!({})).await.code(),
        "FORBIDDEN"
    );
    assert_eq!(
        agency
            .query("{ schools { totalCount } }", json!({}))
            .await
            .code(),
        "FORBIDDEN"
    );
}

async fn restricted_guardians_are_never_shown_as_contacts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let s = two_schools(&app).await;
    let open = app.guardian("Open").await;
    app.guardian_link(&s.current, &open).await;
    let restricted = app.guardian("Barred").await;
    app.guardian_link(&s.current, &restricted)
        .with("restriction", "NO_CONTACT")
        .await;
    let query = "query($id: ID!) { student(id: $id) { guardians { totalCount nodes { restriction guardian { firstName } } } } }";

    for role in [
        app.as_social_worker(None, &[&s.mine]),
        app.as_school_staff(None, &[&s.mine]),
    ] {
        let data = role.query(query, json!({ "id": s.current })).await.data();
        assert_eq!(data["student"]["guardians"]["totalCount"], 1, "{role:?}");
        assert_eq!(
            data["student"]["guardians"]["nodes"][0]["guardian"]["firstName"], "Open",
            "{role:?}"
        );
        let node = role
            .query(
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": restricted }),
            )
            .await
            .data();
        assert!(
            node["node"].is_null(),
            "{role:?} cannot fetch the restricted guardian by id"
        );
    }
    for role in [app.as_admin(), app.as_sis()] {
        let data = role.query(query, json!({ "id": s.current })).await.data();
        assert_eq!(
            data["student"]["guardians"]["totalCount"], 2,
            "{role:?} keeps the records"
        );
        let flagged: Vec<_> = data["student"]["guardians"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["restriction"] == "NO_CONTACT")
            .collect();
        assert_eq!(flagged.len(), 1, "{role:?} sees the restriction flagged");
    }
    // A social worker of another school sees none of this student's guardians.
    let outsider = app.as_social_worker(None, &[&s.elsewhere]);
    let node = outsider
        .query(
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": s.current }),
        )
        .await
        .data();
    assert!(node["node"].is_null());
}

async fn names_and_identifiers_do_not_leak_through_order_search_or_cursors(backend: Backend) {
    use base64::Engine;
    let app = TestApp::spawn(backend).await;
    let s = two_schools(&app).await;
    let bi = app.as_bi();
    // BI pages in creation order, so its cursors carry ids, never names.
    let page = bi
        .query("{ students(first: 2) { edges { cursor } } }", json!({}))
        .await
        .data();
    for edge in page["students"]["edges"].as_array().unwrap() {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(edge["cursor"].as_str().unwrap())
            .unwrap();
        let cursor = String::from_utf8_lossy(&bytes);
        assert!(
            !cursor.contains("Current") && !cursor.contains("Other") && !cursor.contains("Left"),
            "{cursor}"
        );
    }
    assert_eq!(
        bi.query(
            "{ students(orderBy: { field: LAST_NAME }) { totalCount } }",
            json!({})
        )
        .await
        .code(),
        "FORBIDDEN"
    );
    // School staff may search names, not local ids (create_student gives localId L-<last>-<first>).
    let teacher = app.as_school_staff(None, &[&s.mine]);
    let worker = app.as_social_worker(None, &[&s.mine]);
    let by_id = "{ students(filter: { search: \"l-current\" }) { totalCount } }";
    assert_eq!(
        worker.query(by_id, json!({})).await.data()["students"]["totalCount"],
        1
    );
    assert_eq!(
        teacher.query(by_id, json!({})).await.data()["students"]["totalCount"],
        0
    );
    assert_eq!(
        teacher
            .query(
                "{ students(filter: { search: \"cara\" }) { totalCount } }",
                json!({})
            )
            .await
            .data()["students"]["totalCount"],
        1
    );
}

on_both_backends!(
    school_roles_see_only_students_of_their_schools,
    students_pre_registered_for_later_are_not_yet_visible,
    sensitive_fields_are_denied_by_role,
    restricted_guardians_are_never_shown_as_contacts,
    names_and_identifiers_do_not_leak_through_order_search_or_cursors,
);
