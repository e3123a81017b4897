//! The access policy through every path: lists, `node(id)`, `student(id)`, nested relations,
//! filters and writes.

use serde_json::json;
use ssw_api::auth::{Actor, Role};

use crate::helpers::{Backend, Client, TestApp, on_both_backends, uuid_of};

const ALL_STUDENTS: &str = "{ students(first: 100) { totalCount nodes { id } } }";

/// A second district in the same database, with a school, a student and a guardian of its own.
struct OtherDistrict {
    admin: Client,
    school: String,
    student: String,
    guardian: String,
}

async fn other_district(app: &TestApp) -> OtherDistrict {
    let district =
        ssw_api::roster::district::create(&app.db, "Other District", "WI", "America/Chicago")
            .await
            .unwrap();
    let admin = app.as_actor(Actor {
        district_id: district.id,
        ..app.actor(Role::DistrictAdmin)
    });
    let school = admin.query( "mutation { createSchool(input: { name: \"Far Away Elementary\", lowestGrade: \"KG\", highestGrade: \"05\" }) { school { id } } }", json!({})).await.data()["createSchool"]["school"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let student = admin.query( "mutation { createStudent(input: { legalFirstName: \"Zed\", legalLastName: \"Other\", gradeLevel: \"02\" }) { student { id } } }", json!({})).await.data()["createStudent"]["student"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    admin.query(
        "mutation($input: CreateEnrollmentInput!) { createEnrollment(input: $input) { enrollment { id } } }",
        json!({ "input": { "studentId": student, "schoolId": school, "entryDate": "2025-08-20", "gradeLevel": "02" } })).await.data();
    let guardian = admin.query( "mutation { createGuardian(input: { firstName: \"Gail\", lastName: \"Other\" }) { guardian { id } } }", json!({})).await.data()["createGuardian"]["guardian"]["id"]
        .as_str()
        .unwrap()
        .to_string();
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
    let mine = app.create_student("Mia", "Mine", "03").await;
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

    let write = admin.query( "mutation($id: ID!) { updateStudent(input: { id: $id, version: 1, legalLastName: \"Mine\" }) { student { id } } }", json!({ "id": other.student })).await.code();
    assert_eq!(write, "NOT_FOUND");
    let enroll = admin.query(
            "mutation($input: CreateEnrollmentInput!) { createEnrollment(input: $input) { enrollment { id } userErrors { field code } } }",
            json!({ "input": { "studentId": mine, "schoolId": other.school, "entryDate": "2025-08-20", "gradeLevel": "03" } })).await.data();
    assert_eq!(
        enroll["createEnrollment"]["userErrors"][0]["field"], "input.schoolId",
        "cannot enroll into another district's school"
    );
}

/// A school with a current student, a school with another, and a student who left.
struct TwoSchools {
    mine: String,
    elsewhere: String,
    current: String,
    other: String,
    left: String,
}

async fn two_schools(app: &TestApp) -> TwoSchools {
    let mine = app.create_school("Mine Elementary").await;
    let elsewhere = app.create_school("Elsewhere Elementary").await;
    let current = app.create_student("Cara", "Current", "03").await;
    let other = app.create_student("Otto", "Other", "03").await;
    let left = app.create_student("Lena", "Left", "03").await;
    app.enroll(&current, &mine, "2025-08-20", None).await;
    app.enroll(&other, &elsewhere, "2025-08-20", None).await;
    app.enroll(&left, &mine, "2023-08-20", Some("2024-06-01"))
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
    assert_eq!(
        bi.query(&field("englishLearner"), id.clone()).await.data()["student"]["gradeLevel"],
        "03"
    );
    for denied in ["legalLastName", "preferredName", "birthDate", "localId"] {
        assert_eq!(
            bi.query(&field(denied), id.clone()).await.code(),
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
        bi.query(
            &format!(
                "{{ student(id: \"{}\") {{ guardians {{ totalCount }} }} }}",
                s.current
            ),
            json!({})
        )
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
    app.add_guardian(&s.current, "Open", None).await;
    let restricted = app
        .add_guardian(&s.current, "Barred", Some("NO_CONTACT"))
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
        let cursor = String::from_utf8(bytes).unwrap();
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

async fn students_pre_registered_for_later_are_not_yet_visible(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let s = two_schools(&app).await;
    let future = app.create_student("Fay", "Future", "08").await;
    let next_year = (chrono::Utc::now().date_naive() + chrono::Duration::days(200)).to_string();
    app.enroll(&future, &s.mine, &next_year, None).await;
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
        ssw_api::roster::district::create(&app.db, "Nowhere", "HI", "Mars/Olympus_Mons")
            .await
            .is_err(),
        "time zones are checked"
    );
    let district = ssw_api::roster::district::create(&app.db, "Island District", "HI", zone)
        .await
        .unwrap();
    let actor = |role, school_ids| Actor {
        district_id: district.id,
        school_ids,
        ..app.actor(role)
    };
    let admin = app.as_actor(actor(Role::DistrictAdmin, vec![]));
    let school = admin.query( "mutation { createSchool(input: { name: \"Atoll Elementary\", lowestGrade: \"KG\", highestGrade: \"05\" }) { school { id } } }", json!({})).await.data()["createSchool"]["school"]["id"].as_str().unwrap().to_string();
    let student = admin.query( "mutation { createStudent(input: { legalFirstName: \"Ika\", legalLastName: \"Reef\", gradeLevel: \"03\" }) { student { id } } }", json!({})).await.data()["createStudent"]["student"]["id"].as_str().unwrap().to_string();
    // Enrolled through the UTC date (ahead zone: the district's yesterday) or from it (behind
    // zone: the district's tomorrow): by the district's calendar, not current either way.
    let (entry, exit) = if local_today > utc_today {
        ("2025-08-20".to_string(), Some(utc_today.to_string()))
    } else {
        (utc_today.to_string(), None)
    };
    admin.query( "mutation($input: CreateEnrollmentInput!) { createEnrollment(input: $input) { enrollment { id } } }", json!({ "input": { "studentId": student, "schoolId": school, "entryDate": entry, "exitDate": exit, "gradeLevel": "03" } })).await.data();
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
    today_is_the_districts_date,
    names_and_identifiers_do_not_leak_through_order_search_or_cursors,
    students_pre_registered_for_later_are_not_yet_visible,
    a_district_sees_nothing_of_another,
    school_roles_see_only_students_of_their_schools,
    sensitive_fields_are_denied_by_role,
    restricted_guardians_are_never_shown_as_contacts,
);
