//! The rules every MTSS write keeps, whoever calls it: a record is about a student the writer
//! sees, dates come in order, attendees and descriptor codes are normalised and checked.

use crate::helpers::district_today;
use chrono::Duration;
use serde_json::json;
use ssw_api::auth::{Actor, Role};

use crate::{
    fixtures::mtss::RECORD_ATTENDANCE,
    helpers::{Backend, TestApp, on_both_backends},
};

const CREATE_DESCRIPTOR: &str = "mutation($input: CreateDescriptorInput!) { createDescriptor(input: $input) { descriptor { uri } userErrors { field code } } }";

async fn writes_refer_to_students_the_writer_sees(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mine = app.school("Mine Elementary").await;
    let elsewhere = app.school("Elsewhere Elementary").await;
    let here = app.student("Hal", "Here").await;
    let there = app.student("Tia", "There").await;
    app.enrollment(&here, &mine).await;
    app.enrollment(&there, &elsewhere).await;
    let intervention = app.intervention("Check-in/Check-out").await;
    let worker = app.as_social_worker(None, &[&mine]);

    let other_school = [
        app.tier(&there, "BEHAVIOR", 2).by(&worker).refused().await,
        app.homeless(&there).by(&worker).refused().await,
        app.iep(&there).by(&worker).refused().await,
        app.plan(&there, &intervention).by(&worker).refused().await,
    ];
    for refused in other_school {
        assert_eq!(refused, ["input.studentId:NOT_FOUND"]);
    }
    app.tier(&here, "BEHAVIOR", 2).by(&worker).await;
    app.homeless(&here).by(&worker).await;
    app.iep(&here).by(&worker).await;
    let plan = app
        .plan(&here, &intervention)
        .by(&worker)
        .returning("tier sessionsPerWeek minutesPerSession status")
        .await;
    assert_eq!(
        plan,
        json!({ "tier": 2, "sessionsPerWeek": 2, "minutesPerSession": 30, "status": "ACTIVE" }),
        "a plan's tier and dosage default to its intervention's"
    );

    // Attendance names each day whose student or school is not the writer's.
    let district = app.district("Other District").state("WI").await.unwrap();
    let stranger = app.as_actor(Actor {
        district_id: district,
        ..app.actor(Role::DistrictAdmin)
    });
    let yesterday = (district_today() - Duration::days(1)).to_string();
    let day =
        json!({ "studentId": here, "schoolId": mine, "date": yesterday, "status": "PRESENT" });
    assert_eq!(
        stranger
            .query(RECORD_ATTENDANCE, json!({ "input": { "days": [day] } }))
            .await
            .user_errors("recordAttendance"),
        [
            "input.days.0.studentId:NOT_FOUND",
            "input.days.0.schoolId:NOT_FOUND"
        ]
    );
}

async fn updates_keep_dates_in_order_and_meetings_name_attendees(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let student = app.student("Dee", "Dates").await;
    let iep = app
        .iep(&student)
        .with("iepBeginDate", "2026-01-10")
        .with("iepLastReviewDate", "2026-01-10")
        .await;
    let update_iep = "mutation($input: UpdateIepParticipationInput!) { updateIepParticipation(input: $input) { participation { id } userErrors { field code } } }";
    let early = json!({ "id": iep, "version": 1, "iepEndDate": "2025-12-31", "iepReviewDueDate": "2025-12-31" });
    assert_eq!(
        admin
            .query(update_iep, json!({ "input": early }))
            .await
            .user_errors("updateIepParticipation"),
        [
            "input.iepEndDate:DATES_OUT_OF_ORDER",
            "input.iepReviewDueDate:DATES_OUT_OF_ORDER"
        ]
    );

    let homeless = app.homeless(&student).await;
    let before = json!({ "id": homeless, "version": 1, "endDate": "2026-09-09" });
    assert_eq!(
        admin
            .query("mutation($input: UpdateHomelessStatusInput!) { updateHomelessStatus(input: $input) { status { id } userErrors { field code } } }", json!({ "input": before }))
            .await
            .user_errors("updateHomelessStatus"),
        ["input.endDate:DATES_OUT_OF_ORDER"]
    );

    let meeting = |attendees: serde_json::Value| {
        admin.query("mutation($id: ID!, $attendees: [String!]!) { recordIepMeeting(input: { participationId: $id, meetingType: ANNUAL, date: \"2026-11-01\", attendees: $attendees }) { meeting { attendees } userErrors { field code } } }", json!({ "id": iep, "attendees": attendees }))
    };
    assert_eq!(
        meeting(json!(["  ", ""]))
            .await
            .user_errors("recordIepMeeting"),
        ["input.attendees:REQUIRED"]
    );
    assert_eq!(
        meeting(json!([" Parent ", "", "R. Diaz\n(social worker)"]))
            .await
            .payload("recordIepMeeting")["meeting"]["attendees"],
        json!(["Parent", "R. Diaz (social worker)"])
    );
}

async fn district_codes_extend_the_ed_fi_defaults(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let create = |namespace: &str, code: &str| {
        let input = json!({ "set": "HOMELESS_PROGRAM_SERVICE", "namespace": namespace, "codeValue": code, "shortDescription": "A service" });
        admin.query(CREATE_DESCRIPTOR, json!({ "input": input }))
    };
    assert_eq!(
        create("uri://ed-fi.org", "Transportation")
            .await
            .user_errors("createDescriptor"),
        ["input.codeValue:DUPLICATE"],
        "a district code may not repeat an Ed-Fi default"
    );
    assert_eq!(
        create("https://riverbend.example.org", " ")
            .await
            .user_errors("createDescriptor"),
        ["input.codeValue:REQUIRED", "input.namespace:INVALID"]
    );
    assert_eq!(
        create("uri://riverbend.example.org/", " Bus passes ")
            .await
            .payload("createDescriptor")["descriptor"]["uri"],
        "uri://riverbend.example.org/HomelessProgramServiceDescriptor#Bus passes"
    );
    assert_eq!(
        create("uri://riverbend.example.org", "Bus passes")
            .await
            .user_errors("createDescriptor"),
        ["input.codeValue:DUPLICATE"]
    );
}

on_both_backends!(
    writes_refer_to_students_the_writer_sees,
    updates_keep_dates_in_order_and_meetings_name_attendees,
    district_codes_extend_the_ed_fi_defaults,
);
