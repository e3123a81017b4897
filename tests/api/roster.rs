//! Roster mutations: validation as userErrors, optimistic concurrency, and an audit event and a
//! change row written with every write.

use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::helpers::{Backend, TestApp, on_both_backends};

const CREATE_STUDENT: &str = "mutation($input: CreateStudentInput!) {
    createStudent(input: $input) { student { id version legalLastName } userErrors { field code message } } }";
const UPDATE_STUDENT: &str = "mutation($input: UpdateStudentInput!) {
    updateStudent(input: $input) { student { id version legalLastName preferredName } userErrors { field code message } } }";

async fn creating_a_student_writes_audit_and_change_rows(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (audits, changes) = (
        app.count_rows("audit_event").await,
        app.count_rows("change").await,
    );
    let data = app
        .as_admin()
        .query(CREATE_STUDENT, json!({ "input": { "legalFirstName": "Ana", "legalLastName": "Reyes", "gradeLevel": "04", "sourceSystem": "sis", "sourcedId": "S-1" } }))
        .await
        .data();
    let student = &data["createStudent"]["student"];
    assert_eq!(student["legalLastName"], "Reyes");
    assert_eq!(student["version"], 1);
    assert_eq!(app.count_rows("audit_event").await, audits + 1);
    assert_eq!(app.count_rows("change").await, changes + 1);

    let row = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT entity, natural_key, operation FROM change ORDER BY seq DESC LIMIT 1",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<String>("", "entity").unwrap(), "student");
    assert_eq!(row.try_get::<String>("", "natural_key").unwrap(), "sis:S-1");
    assert_eq!(row.try_get::<String>("", "operation").unwrap(), "UPSERT");
}

async fn invalid_input_is_reported_as_user_errors_and_writes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let before = app.count_rows("student").await;
    let data = app
        .as_admin()
        .query(CREATE_STUDENT, json!({ "input": { "legalFirstName": "  ", "legalLastName": "Reyes", "gradeLevel": "14", "birthDate": "2199-01-01", "sourcedId": "x" } }))
        .await
        .data();
    let errors = data["createStudent"]["userErrors"].as_array().unwrap();
    let fields: Vec<&str> = errors
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"input.legalFirstName"), "{errors:?}");
    assert!(fields.contains(&"input.gradeLevel"), "{errors:?}");
    assert!(fields.contains(&"input.birthDate"), "{errors:?}");
    assert!(
        fields.contains(&"input.sourcedId"),
        "sourcedId without sourceSystem: {errors:?}"
    );
    assert!(data["createStudent"]["student"].is_null());
    assert_eq!(app.count_rows("student").await, before);
    assert_eq!(app.count_rows("audit_event").await, 0);
}

async fn a_malformed_date_is_a_bad_user_input_error(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let code = app
        .as_admin()
        .query(CREATE_STUDENT, json!({ "input": { "legalFirstName": "A", "legalLastName": "B", "gradeLevel": "04", "birthDate": "03/04/2016" } }))
        .await
        .code();
    assert_eq!(code, "BAD_USER_INPUT");
}

async fn a_duplicate_sourced_id_is_a_user_error(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let input = json!({ "input": { "legalFirstName": "Ana", "legalLastName": "Reyes", "gradeLevel": "04", "sourceSystem": "sis", "sourcedId": "S-1" } });
    app.as_admin()
        .query(CREATE_STUDENT, input.clone())
        .await
        .data();
    let data = app.as_admin().query(CREATE_STUDENT, input).await.data();
    assert_eq!(data["createStudent"]["userErrors"][0]["code"], "DUPLICATE");
    assert_eq!(
        data["createStudent"]["userErrors"][0]["field"],
        "input.sourcedId"
    );
    assert_eq!(app.count_rows("student").await, 1);
}

async fn a_stale_version_is_a_conflict(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let id = app.student("Ana", "Reyes").await;
    let first = app
        .as_admin()
        .query(
            UPDATE_STUDENT,
            json!({ "input": { "id": id, "version": 1, "preferredName": "Annie" } }),
        )
        .await
        .data();
    assert_eq!(first["updateStudent"]["student"]["version"], 2);
    assert_eq!(first["updateStudent"]["student"]["preferredName"], "Annie");
    assert_eq!(
        first["updateStudent"]["student"]["legalLastName"], "Reyes",
        "fields left out stay"
    );

    let code = app
        .as_admin()
        .query(
            UPDATE_STUDENT,
            json!({ "input": { "id": id, "version": 1, "legalLastName": "Other" } }),
        )
        .await
        .code();
    assert_eq!(code, "CONFLICT");
    let now = app
        .as_admin()
        .query(
            "query($id: ID!) { student(id: $id) { legalLastName version preferredName } }",
            json!({ "id": id }),
        )
        .await
        .data();
    assert_eq!(
        now["student"]["legalLastName"], "Reyes",
        "the stale write changed nothing"
    );
    assert_eq!(now["student"]["version"], 2);

    let cleared = app
        .as_admin()
        .query(
            UPDATE_STUDENT,
            json!({ "input": { "id": id, "version": 2, "preferredName": null } }),
        )
        .await
        .data();
    assert!(
        cleared["updateStudent"]["student"]["preferredName"].is_null(),
        "null clears an optional field"
    );
}

async fn updating_a_missing_record_is_not_found(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let id = app.student("Ana", "Reyes").await;
    let other = TestApp::spawn(backend).await;
    // The id is well formed but names no student of this district.
    let code = other
        .as_admin()
        .query(
            UPDATE_STUDENT,
            json!({ "input": { "id": id, "version": 1, "legalLastName": "X" } }),
        )
        .await
        .code();
    assert_eq!(code, "NOT_FOUND");
    // A malformed id is the input's problem, like any other field's.
    let refused = app
        .as_admin()
        .query(
            UPDATE_STUDENT,
            json!({ "input": { "id": "bm90LWFuLWlk", "version": 1 } }),
        )
        .await
        .user_errors("updateStudent");
    assert_eq!(refused, ["input.id:INVALID"]);
}

async fn schools_staff_and_assignments_round_trip(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let north = app.school("North Elementary").await;
    let south = app.school("South Elementary").await;
    let staff_id = app
        .staff("Rosa", "Diaz")
        .with("email", "rosa@example.org")
        .await;
    for school in [&north, &south] {
        // The fixture asserts that the assignment has no user errors.
        app.assignment(&staff_id, school).await;
    }
    let data = admin
        .query("query($id: ID!) { node(id: $id) { ... on Staff { lastName schools { totalCount nodes { name } } } } }", json!({ "id": staff_id }))
        .await
        .data();
    assert_eq!(data["node"]["schools"]["totalCount"], 2);

    let data = admin
        .query(
            "query($id: ID!) { school(id: $id) { staff { nodes { lastName role } } } }",
            json!({ "id": north }),
        )
        .await
        .data();
    assert_eq!(data["school"]["staff"]["nodes"][0]["lastName"], "Diaz");

    let bad = admin.query(
            "mutation($input: CreateSchoolInput!) { createSchool(input: $input) { school { id } userErrors { field code } } }",
            json!({ "input": { "name": "Upside Down", "lowestGrade": "08", "highestGrade": "KG", "chronicAbsenceRate": 140.0 } })).await.data();
    let codes: Vec<String> = bad["createSchool"]["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}:{}",
                e["field"].as_str().unwrap(),
                e["code"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            "input.highestGrade:OUT_OF_RANGE",
            "input.chronicAbsenceRate:OUT_OF_RANGE"
        ]
    );
}

async fn enrollments_validate_dates_and_give_the_current_school(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let old = app.school("Old Elementary").await;
    let new = app.school("New Elementary").await;
    let student = app.student("Ana", "Reyes").await;
    app.enrollment(&student, &old)
        .with("entryDate", "2024-08-20")
        .with("exitDate", "2025-06-01")
        .await;
    app.enrollment(&student, &new).await;

    let data = admin
        .query("query($id: ID!) { student(id: $id) { currentSchool { name } enrollments { totalCount nodes { school { name } exitDate } } } }", json!({ "id": student }))
        .await
        .data();
    assert_eq!(data["student"]["currentSchool"]["name"], "New Elementary");
    assert_eq!(data["student"]["enrollments"]["totalCount"], 2);
    assert_eq!(
        data["student"]["enrollments"]["nodes"][0]["school"]["name"], "New Elementary",
        "newest first"
    );

    let bad = admin.query(
            "mutation($input: CreateEnrollmentInput!) { createEnrollment(input: $input) { enrollment { id } userErrors { field code } } }",
            json!({ "input": { "studentId": student, "schoolId": new, "entryDate": "2026-01-10", "exitDate": "2025-12-01", "gradeLevel": "04" } })).await.data();
    assert_eq!(
        bad["createEnrollment"]["userErrors"][0]["field"],
        "input.exitDate"
    );
    assert_eq!(
        bad["createEnrollment"]["userErrors"][0]["code"],
        "DATES_OUT_OF_ORDER"
    );
}

async fn only_admins_and_the_sis_change_the_roster(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let school = app.school("Hill Elementary").await;
    for role in [
        app.as_social_worker(None, &[&school]),
        app.as_school_staff(None, &[&school]),
        app.as_bi(),
        app.as_agency(None),
    ] {
        let code = role
            .query(CREATE_STUDENT, json!({ "input": { "legalFirstName": "A", "legalLastName": "B", "gradeLevel": "04" } }))
            .await
            .code();
        assert_eq!(code, "FORBIDDEN", "{role:?}");
    }
    let sis = app.as_sis();
    let data = sis
        .query(
            CREATE_STUDENT,
            json!({ "input": { "legalFirstName": "A", "legalLastName": "B", "gradeLevel": "04" } }),
        )
        .await
        .data();
    assert!(data["createStudent"]["student"]["id"].is_string());
    assert_eq!(app.count_rows("student").await, 1);
}

async fn a_staff_member_assigned_twice_is_listed_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let north = app.school("North Elementary").await;
    let south = app.school("South Elementary").await;
    let staff = app.staff("Rosa", "Diaz").await;
    for (school, start) in [
        (&north, "2026-08-01"),
        (&south, "2026-08-02"),
        (&north, "2026-08-03"),
    ] {
        app.assignment(&staff, school)
            .with("startDate", start)
            .await;
    }
    let data = admin
        .query(
            "query($id: ID!) { node(id: $id) { ... on Staff { schools { totalCount } } } }",
            json!({ "id": staff }),
        )
        .await
        .data();
    assert_eq!(data["node"]["schools"]["totalCount"], 2);
    let data = admin
        .query(
            "query($id: ID!) { school(id: $id) { staff { totalCount } } }",
            json!({ "id": north }),
        )
        .await
        .data();
    assert_eq!(data["school"]["staff"]["totalCount"], 1);
}

on_both_backends!(
    a_staff_member_assigned_twice_is_listed_once,
    creating_a_student_writes_audit_and_change_rows,
    invalid_input_is_reported_as_user_errors_and_writes_nothing,
    a_malformed_date_is_a_bad_user_input_error,
    a_duplicate_sourced_id_is_a_user_error,
    a_stale_version_is_a_conflict,
    updating_a_missing_record_is_not_found,
    schools_staff_and_assignments_round_trip,
    enrollments_validate_dates_and_give_the_current_school,
    only_admins_and_the_sis_change_the_roster,
);
