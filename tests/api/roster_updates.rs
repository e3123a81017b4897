//! Roster writes past creation: updates checked against the stored record, links between
//! records the writer must be able to see, and names stored trimmed.

use serde_json::{Value, json};
use ssw_api::auth::{Actor, Role};

use crate::helpers::{Backend, Client, Response, TestApp, on_both_backends};

/// Runs mutation `name` with `input`, selecting `fields` of the changed record `node`.
async fn write(client: &Client, name: &str, node: &str, fields: &str, input: Value) -> Response {
    let input_type = format!("{}Input", capitalised(name));
    let query = format!(
        "mutation($input: {input_type}!) {{ {name}(input: $input) {{ {node} {{ {fields} }} userErrors {{ field code message }} }} }}"
    );
    client.query(&query, json!({ "input": input })).await
}

fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// An admin of a second district in the same database.
async fn other_admin(app: &TestApp) -> Client {
    let district = app.district("Other District").await.unwrap();
    app.as_actor(Actor {
        district_id: district,
        ..app.actor(Role::DistrictAdmin)
    })
}

async fn a_school_update_checks_grades_against_the_stored_range(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let school = app.school("Hill Elementary").await;
    let fields = "name version lowestGrade highestGrade";
    let refused = write(
        &admin,
        "updateSchool",
        "school",
        fields,
        json!({ "id": school, "version": 1, "lowestGrade": "08" }),
    )
    .await
    .user_errors("updateSchool");
    assert_eq!(refused, ["input.highestGrade:OUT_OF_RANGE"], "KG-05 stored");

    let done = write(&admin, "updateSchool", "school", fields,
        json!({ "id": school, "version": 1, "name": "  Hill Middle ", "lowestGrade": "06", "highestGrade": "08" }))
    .await
    .payload("updateSchool");
    assert_eq!(
        done["school"],
        json!({ "name": "Hill Middle", "version": 2, "lowestGrade": "06", "highestGrade": "08" })
    );

    let code = write(
        &other_admin(&app).await,
        "updateSchool",
        "school",
        fields,
        json!({ "id": school, "version": 2, "targeted": true }),
    )
    .await
    .code();
    assert_eq!(code, "NOT_FOUND", "another district's school");
}

async fn staff_updates_and_assignments_are_checked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let staff = app.staff("Rosa", "Diaz").await;
    let refused = write(
        &admin,
        "updateStaff",
        "staff",
        "version",
        json!({ "id": staff, "version": 1, "firstName": " ", "email": "rosa.example.org" }),
    )
    .await
    .user_errors("updateStaff");
    assert_eq!(refused, ["input.firstName:REQUIRED", "input.email:INVALID"]);
    let done = write(
        &admin,
        "updateStaff",
        "staff",
        "lastName version",
        json!({ "id": staff, "version": 1, "lastName": " Diaz-Ruiz " }),
    )
    .await
    .payload("updateStaff");
    assert_eq!(
        done["staff"],
        json!({ "lastName": "Diaz-Ruiz", "version": 2 })
    );

    let school = app.school("Hill Elementary").await;
    let assignment = app.assignment(&staff, &school).await;
    let fields = "endDate version";
    let refused = write(
        &admin,
        "updateStaffAssignment",
        "assignment",
        fields,
        json!({ "id": assignment, "version": 1, "endDate": "2026-07-31" }),
    )
    .await
    .user_errors("updateStaffAssignment");
    assert_eq!(
        refused,
        ["input.endDate:DATES_OUT_OF_ORDER"],
        "starts 2026-08-01"
    );
    let done = write(
        &admin,
        "updateStaffAssignment",
        "assignment",
        fields,
        json!({ "id": assignment, "version": 1, "endDate": "2027-06-30" }),
    )
    .await
    .payload("updateStaffAssignment");
    assert_eq!(
        done["assignment"],
        json!({ "endDate": "2027-06-30", "version": 2 })
    );

    let other = other_admin(&app).await;
    let far = app.school("Far Elementary").by(&other).await;
    let refused = app.assignment(&staff, &far).refused().await;
    assert_eq!(
        refused,
        ["input.schoolId:NOT_FOUND"],
        "another district's school"
    );
    assert_eq!(app.count_rows("staff_school_assignment").await, 1);
}

async fn guardian_updates_and_links_are_checked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let guardian = app.guardian("Gail").await;
    let refused = write(
        &admin,
        "updateGuardian",
        "guardian",
        "version",
        json!({ "id": guardian, "version": 1, "lastName": "", "email": "@example.org" }),
    )
    .await
    .user_errors("updateGuardian");
    assert_eq!(refused, ["input.lastName:REQUIRED", "input.email:INVALID"]);
    let done = write(
        &admin,
        "updateGuardian",
        "guardian",
        "firstName version",
        json!({ "id": guardian, "version": 1, "firstName": " Abigail " }),
    )
    .await
    .payload("updateGuardian");
    assert_eq!(
        done["guardian"],
        json!({ "firstName": "Abigail", "version": 2 })
    );

    let student = app.student("Ana", "Reyes").await;
    let link = app.guardian_link(&student, &guardian).await;
    let again = app.guardian_link(&student, &guardian).refused().await;
    assert_eq!(again, ["input.guardianId:DUPLICATE"]);
    let other = other_admin(&app).await;
    let theirs = app.guardian("Zoe").by(&other).await;
    let refused = app.guardian_link(&student, &theirs).refused().await;
    assert_eq!(
        refused,
        ["input.guardianId:NOT_FOUND"],
        "another district's guardian"
    );
    assert_eq!(app.count_rows("student_guardian").await, 1);

    let fields = "relationship contactPriority version";
    let refused = write(
        &admin,
        "updateGuardianLink",
        "link",
        fields,
        json!({ "id": link, "version": 1, "relationship": " ", "contactPriority": 0 }),
    )
    .await
    .user_errors("updateGuardianLink");
    assert_eq!(
        refused,
        [
            "input.relationship:REQUIRED",
            "input.contactPriority:OUT_OF_RANGE"
        ]
    );
    let done = write(
        &admin,
        "updateGuardianLink",
        "link",
        fields,
        json!({ "id": link, "version": 1, "relationship": " Aunt ", "contactPriority": 2 }),
    )
    .await
    .payload("updateGuardianLink");
    assert_eq!(
        done["link"],
        json!({ "relationship": "Aunt", "contactPriority": 2, "version": 2 })
    );
}

async fn enrollment_updates_are_checked_against_the_entry_date(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let school = app.school("Hill Elementary").await;
    let student = app.student("Ana", "Reyes").await;
    let enrollment = app
        .enrollment(&student, &school)
        .with("sourceSystem", "sis")
        .with("sourcedId", "E-1")
        .await;
    let fields = "exitDate gradeLevel version";
    let refused = write(
        &admin,
        "updateEnrollment",
        "enrollment",
        fields,
        json!({ "id": enrollment, "version": 1, "gradeLevel": "14", "exitDate": "2025-08-19" }),
    )
    .await
    .user_errors("updateEnrollment");
    assert_eq!(
        refused,
        [
            "input.gradeLevel:INVALID",
            "input.exitDate:DATES_OUT_OF_ORDER"
        ],
        "entered 2025-08-20"
    );
    let done = write(
        &admin,
        "updateEnrollment",
        "enrollment",
        fields,
        json!({ "id": enrollment, "version": 1, "exitDate": "2026-06-05" }),
    )
    .await
    .payload("updateEnrollment");
    assert_eq!(
        done["enrollment"],
        json!({ "exitDate": "2026-06-05", "gradeLevel": "03", "version": 2 })
    );

    let again = app
        .enrollment(&student, &school)
        .with("sourceSystem", "sis")
        .with("sourcedId", "E-1")
        .refused()
        .await;
    assert_eq!(again, ["input.sourcedId:DUPLICATE"]);
    let other = other_admin(&app).await;
    let theirs = app.student("Zed", "Other").by(&other).await;
    let refused = app.enrollment(&theirs, &school).refused().await;
    assert_eq!(
        refused,
        ["input.studentId:NOT_FOUND"],
        "another district's student"
    );
    assert_eq!(app.count_rows("enrollment").await, 1);
}

on_both_backends!(
    a_school_update_checks_grades_against_the_stored_range,
    staff_updates_and_assignments_are_checked,
    guardian_updates_and_links_are_checked,
    enrollment_updates_are_checked_against_the_entry_date,
);
