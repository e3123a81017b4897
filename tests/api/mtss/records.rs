//! IEP/504 participation, McKinney-Vento status and attendance.

use crate::helpers::district_today;
use chrono::Duration;
use serde_json::json;

use crate::{
    fixtures::mtss::RECORD_ATTENDANCE,
    helpers::{Backend, TestApp, on_both_backends},
};

const TRANSPORTATION: &str = "uri://ed-fi.org/HomelessProgramServiceDescriptor#Transportation";

const AUTISM: &str = "uri://ed-fi.org/DisabilityDescriptor#Autism";

async fn iep_records_and_reviews_due(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let school = app.school("Review Elementary").await;
    let today = district_today();
    let mut ids = Vec::new();
    for (name, due_in) in [("Soon", 10), ("Overdue", -5), ("Later", 90)] {
        let student = app.student(name, "Iep").await;
        app.enrollment(&student, &school).await;
        let due = today + Duration::days(due_in);
        let created = app
            .iep(&student)
            .with("primaryDisability", AUTISM)
            .with("iepBeginDate", "2025-01-10")
            .with("iepLastReviewDate", (due - Duration::days(365)).to_string())
            .with("iepReviewDueDate", due.to_string())
            .with("socialWorkMinutesPerWeek", 30)
            .with(
                "socialWorkerRoles",
                ["SOCIAL_HISTORY", "COUNSELING_SERVICE"],
            )
            .returning("id reviewOverdue")
            .await;
        assert_eq!(created["reviewOverdue"], due_in < 0);
        ids.push(created["id"].as_str().unwrap().to_string());
    }
    let due = admin
        .query("query($school: ID!) { iepReviewsDue(within: 30, schoolId: $school) { totalCount nodes { student { legalFirstName } reviewOverdue socialWorkerRoles } } }", json!({ "school": school }))
        .await
        .data();
    let names: Vec<&str> = due["iepReviewsDue"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["student"]["legalFirstName"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Overdue", "Soon"],
        "overdue first, then by due date; later ones excluded"
    );
    assert_eq!(
        due["iepReviewsDue"]["nodes"][1]["socialWorkerRoles"],
        json!(["SOCIAL_HISTORY", "COUNSELING_SERVICE"])
    );

    let student = app.student("Bad", "Code").await;
    let grumpiness = "uri://ed-fi.org/DisabilityDescriptor#Grumpiness";
    assert_eq!(
        app.iep(&student)
            .with("primaryDisability", grumpiness)
            .refused()
            .await,
        ["input.primaryDisability:INVALID"]
    );

    let meeting = admin
        .query("mutation($id: ID!) { recordIepMeeting(input: { participationId: $id, meetingType: ANNUAL, date: \"2026-11-01\", attendees: [\"R. Diaz (social worker)\", \"Parent\"] }) { meeting { meetingType attendees } userErrors { field } } }", json!({ "id": ids[0] }))
        .await
        .data();
    assert_eq!(
        meeting["recordIepMeeting"]["meeting"]["attendees"],
        json!(["R. Diaz (social worker)", "Parent"])
    );
}

async fn mckinney_vento_with_descriptors(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let student = app.student("Hana", "Home").with("gradeLevel", "06").await;
    let created = app
        .homeless(&student)
        .with("services", [TRANSPORTATION])
        .returning("services")
        .await;
    assert_eq!(created["services"], json!([TRANSPORTATION]));
    let again = app.homeless(&student).with("identifiedDate", "2026-10-01");
    assert_eq!(again.refused().await, ["input.studentId:DUPLICATE"]);

    let other = app.student("Ivan", "Motel").with("gradeLevel", "06").await;
    let laundry = "uri://riverbend.example.org/HomelessProgramServiceDescriptor#Laundry vouchers";
    let unknown = || {
        app.homeless(&other)
            .with("identifiedDate", "2026-10-01")
            .with("services", [laundry])
    };
    assert_eq!(unknown().refused().await, ["input.services:INVALID"]);
    // The district adds its own service code; then it is accepted.
    let descriptor = admin
        .query("mutation { createDescriptor(input: { set: HOMELESS_PROGRAM_SERVICE, namespace: \"uri://riverbend.example.org\", codeValue: \"Laundry vouchers\", shortDescription: \"Laundromat vouchers\" }) { descriptor { uri districtDefined } userErrors { field } } }", json!({}))
        .await
        .data();
    assert_eq!(descriptor["createDescriptor"]["descriptor"]["uri"], laundry);
    unknown().await;

    let list = admin
        .query("{ homelessStudents { totalCount nodes { student { legalFirstName } primaryNighttimeResidence } } }", json!({}))
        .await
        .data();
    assert_eq!(list["homelessStudents"]["totalCount"], 2);
    let filtered = admin
        .query("{ students(filter: { homeless: true }) { totalCount } notHomeless: students(filter: { homeless: false }) { totalCount } }", json!({}))
        .await
        .data();
    assert_eq!(filtered["students"]["totalCount"], 2);
    assert_eq!(filtered["notHomeless"]["totalCount"], 0);
}

async fn one_current_homeless_record_and_no_future_placements(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let student = app.student("Rey", "Open").with("gradeLevel", "06").await;
    let first_id = app.homeless(&student).await;
    admin
        .query("mutation($id: ID!) { updateHomelessStatus(input: { id: $id, version: 1, endDate: \"2026-10-01\" }) { status { current } } }", json!({ "id": first_id }))
        .await
        .data();
    app.homeless(&student)
        .with("identifiedDate", "2026-11-01")
        .await;
    // Reopening the ended record would make two current ones: the database refuses.
    let code = admin
        .query("mutation($id: ID!) { updateHomelessStatus(input: { id: $id, version: 2, endDate: null }) { status { current } } }", json!({ "id": first_id }))
        .await
        .code();
    assert_eq!(code, "CONFLICT");
    let future = (district_today() + Duration::days(30)).to_string();
    assert_eq!(
        app.tier(&student, "BEHAVIOR", 3)
            .with("effectiveFrom", future)
            .refused()
            .await,
        ["input.effectiveFrom:OUT_OF_RANGE"]
    );
}

async fn attendance_rates_and_chronic_absence(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let school = app.school("Attendance Elementary").await;
    let chronic = app.student("Cal", "Chronic").await;
    let steady = app.student("Sam", "Steady").await;
    // 3 of 20 days absent is 15%: chronic. 1 of 20 is 5%: not. 2 of 20 is exactly 10%: chronic.
    assert_eq!(
        app.attendance(&admin, &chronic, &school, 20, 3).await["created"],
        20
    );
    app.attendance(&admin, &steady, &school, 20, 1).await;
    let edge = app.student("Eve", "Edge").await;
    app.attendance(&app.as_sis(), &edge, &school, 20, 2).await;

    let query = "query($id: ID!) { student(id: $id) { attendance { enrolledDays daysPresent daysAbsent unexcusedAbsences attendanceRate chronicallyAbsent } } }";
    let summary =
        admin.query(query, json!({ "id": chronic })).await.data()["student"]["attendance"].clone();
    assert_eq!(
        summary,
        json!({ "enrolledDays": 20, "daysPresent": 17, "daysAbsent": 3, "unexcusedAbsences": 3, "attendanceRate": 0.85, "chronicallyAbsent": true })
    );
    assert_eq!(
        admin.query(query, json!({ "id": steady })).await.data()["student"]["attendance"]["chronicallyAbsent"],
        false
    );
    assert_eq!(
        admin.query(query, json!({ "id": edge })).await.data()["student"]["attendance"]["chronicallyAbsent"],
        true,
        "exactly 10% counts"
    );

    let lists = admin
        .query("{ yes: students(first: 1, filter: { chronicallyAbsent: true }) { totalCount nodes { legalLastName } } no: students(filter: { chronicallyAbsent: false }) { totalCount } }", json!({}))
        .await
        .data();
    assert_eq!(
        lists["yes"]["totalCount"], 2,
        "pages and counts agree: the condition is in SQL"
    );
    assert_eq!(lists["yes"]["nodes"].as_array().unwrap().len(), 1);
    assert_eq!(lists["no"]["totalCount"], 1);

    // Recording a day again replaces it; future days are refused.
    let today = district_today();
    let replace = json!({ "days": [{ "studentId": steady, "schoolId": school, "date": (today - Duration::days(1)).to_string(), "status": "EXCUSED" }] });
    assert_eq!(
        admin
            .query(RECORD_ATTENDANCE, json!({ "input": replace }))
            .await
            .data()["recordAttendance"]["updated"],
        1
    );
    let future = json!({ "days": [{ "studentId": steady, "schoolId": school, "date": (today + Duration::days(2)).to_string(), "status": "PRESENT" }] });
    assert_eq!(
        admin
            .query(RECORD_ATTENDANCE, json!({ "input": future }))
            .await
            .user_errors("recordAttendance"),
        ["input.days.0.date:OUT_OF_RANGE"]
    );
    let day = json!({ "studentId": steady, "schoolId": school, "date": (today - Duration::days(3)).to_string(), "status": "PRESENT" });
    let twice = json!({ "days": [day.clone(), day] });
    assert_eq!(
        admin
            .query(RECORD_ATTENDANCE, json!({ "input": twice }))
            .await
            .user_errors("recordAttendance"),
        ["input.days.1.date:DUPLICATE"],
        "a day listed twice is refused, nothing written"
    );
    assert_eq!(
        app.as_social_worker(None, &[])
            .query(RECORD_ATTENDANCE, json!({ "input": { "days": [] } }))
            .await
            .code(),
        "FORBIDDEN"
    );
}

on_both_backends!(
    iep_records_and_reviews_due,
    mckinney_vento_with_descriptors,
    one_current_homeless_record_and_no_future_placements,
    attendance_rates_and_chronic_absence,
);
