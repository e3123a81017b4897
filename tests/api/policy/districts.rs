//! A district sees nothing of another, and "today" is the district's own date.

use serde_json::json;
use ssw_api::auth::{Actor, Role};

use super::ALL_STUDENTS;
use crate::helpers::{Backend, Client, TestApp, on_both_backends, uuid_of};

/// A second district in the same database, with a school, a student and a guardian of its own.
struct OtherDistrict {
    admin: Client,
    school: String,
    student: String,
    guardian: String,
}

async fn other_district(app: &TestApp) -> OtherDistrict {
    let district = app.district("Other District").state("WI").await.unwrap();
    let admin = app.as_actor(Actor {
        district_id: district,
        ..app.actor(Role::DistrictAdmin)
    });
    let school = app.school("Far Away Elementary").by(&admin).await;
    let student = app
        .student("Zed", "Other")
        .with("gradeLevel", "02")
        .by(&admin)
        .await;
    app.enrollment(&student, &school)
        .with("gradeLevel", "02")
        .by(&admin)
        .await;
    let guardian = app
        .guardian("Gail")
        .with("lastName", "Other")
        .by(&admin)
        .await;
    OtherDistrict {
        admin,
        school,
        student,
        guardian,
    }
}

async fn a_district_sees_nothing_of_another(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let other = other_district(&app).await;
    let mine = app.student("Mia", "Mine").with("gradeLevel", "03").await;
    let admin = app.as_admin();

    let list = admin.query(ALL_STUDENTS, json!({})).await.data();
    assert_eq!(list["students"]["totalCount"], 1);
    assert_eq!(list["students"]["nodes"][0]["id"], mine);
    let theirs = other.admin.query(ALL_STUDENTS, json!({})).await.data();
    assert_eq!(
        theirs["students"]["totalCount"], 1,
        "the other district sees its own"
    );

    let nodes = admin
        .query(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": [other.student, other.school, other.guardian, mine] }),
        )
        .await
        .data();
    assert_eq!(nodes["nodes"], json!([null, null, null, { "id": mine }]));

    assert_eq!(
        admin
            .query(
                "query($id: ID!) { student(id: $id) { id } }",
                json!({ "id": other.student })
            )
            .await
            .code(),
        "NOT_FOUND"
    );
    assert_eq!(
        admin
            .query(
                "query($id: ID!) { school(id: $id) { id } }",
                json!({ "id": other.school })
            )
            .await
            .code(),
        "NOT_FOUND"
    );

    let filtered = admin
        .query(
            "query($school: ID!) { students(filter: { schoolId: $school }) { totalCount } }",
            json!({ "school": other.school }),
        )
        .await
        .data();
    assert_eq!(filtered["students"]["totalCount"], 0);

    let schools = admin
        .query("{ schools { totalCount } staff { totalCount } }", json!({}))
        .await
        .data();
    assert_eq!(schools["schools"]["totalCount"], 0);

    let write = admin
        .query("mutation($id: ID!) { updateStudent(input: { id: $id, version: 1, legalLastName: \"Mine\" }) { student { id } } }", json!({ "id": other.student }))
        .await
        .code();
    assert_eq!(write, "NOT_FOUND");
    let enroll = app.enrollment(&mine, &other.school).send().await.data();
    assert_eq!(
        enroll["createEnrollment"]["userErrors"][0]["field"], "input.schoolId",
        "cannot enroll into another district's school"
    );
}

/// "Today" is the district's date: a student whose enrollment ends or starts at the UTC date
/// boundary is (not) current by the district's calendar, and attendance for the district's
/// today is not "in the future".
async fn today_is_the_districts_date(backend: Backend) {
    use chrono::{Duration, Timelike, Utc};
    let app = TestApp::spawn(backend).await;
    let now = Utc::now();
    // At any moment one of these is on another date than UTC.
    let zone = if now.hour() >= 10 {
        "Pacific/Kiritimati"
    } else {
        "Pacific/Pago_Pago"
    };
    let local_today = now
        .with_timezone(&zone.parse::<chrono_tz::Tz>().unwrap())
        .date_naive();
    let utc_today = now.date_naive();
    assert_ne!(local_today, utc_today);
    assert!(
        app.district("Nowhere")
            .time_zone("Mars/Olympus_Mons")
            .await
            .is_err(),
        "time zones are checked"
    );
    let district = app
        .district("Island District")
        .state("HI")
        .time_zone(zone)
        .await
        .unwrap();
    let actor = |role, school_ids| Actor {
        district_id: district,
        school_ids,
        ..app.actor(role)
    };
    let admin = app.as_actor(actor(Role::DistrictAdmin, vec![]));
    let school = app.school("Atoll Elementary").by(&admin).await;
    let student = app
        .student("Ika", "Reef")
        .with("gradeLevel", "03")
        .by(&admin)
        .await;
    // Enrolled through the UTC date (ahead zone: the district's yesterday) or from it (behind
    // zone: the district's tomorrow): by the district's calendar, not current either way.
    let (entry, exit) = if local_today > utc_today {
        ("2025-08-20".to_string(), Some(utc_today.to_string()))
    } else {
        (utc_today.to_string(), None)
    };
    app.enrollment(&student, &school)
        .with("entryDate", entry)
        .with("exitDate", exit)
        .by(&admin)
        .await;
    let worker = app.as_actor(actor(Role::SocialWorker, vec![uuid_of(&school)]));
    assert_eq!(
        worker.query(ALL_STUDENTS, json!({})).await.data()["students"]["totalCount"],
        0,
        "{zone}"
    );

    // Attendance for the district's today is accepted; for the day after it, refused.
    let record = |date: String| json!({ "input": { "days": [{ "studentId": student, "schoolId": school, "date": date, "status": "PRESENT" }] } });
    let mutation = "mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { created userErrors { code } } }";
    assert_eq!(
        admin
            .query(mutation, record(local_today.to_string()))
            .await
            .data()["recordAttendance"]["created"],
        1,
        "{zone}"
    );
    let refused = admin
        .query(
            mutation,
            record((local_today + Duration::days(1)).to_string()),
        )
        .await
        .data();
    assert_eq!(
        refused["recordAttendance"]["userErrors"][0]["code"], "OUT_OF_RANGE",
        "{zone}"
    );
}

on_both_backends!(
    a_district_sees_nothing_of_another,
    today_is_the_districts_date,
);
