//! A bulk set over HTTP: every mapped column lands where it belongs; the same set again
//! changes nothing; a dry run writes nothing; only the SIS and admins may upload.

use serde_json::json;

use super::set::{SESSIONS, Set, enrollments, figure, figures, upload};
use crate::helpers::{Backend, TestApp, on_both_backends};

const STUDENTS: &str = "{ students(first: 10, orderBy: { field: LAST_NAME }) { nodes {
    legalFirstName legalLastName preferredName localId stateId birthDate gradeLevel status
    currentSchool { name lowestGrade highestGrade }
    enrollments { nodes { entryDate exitDate school { name } } }
    guardians { nodes { relationship contactPriority guardian { firstName lastName phone email } } } } } }";

const STAFF: &str = "{ staff(first: 10) { nodes { firstName lastName email role
    schools { nodes { name } } } } }";

async fn district_name(app: &TestApp) -> String {
    let data = app
        .as_admin()
        .query("{ district { name } }", json!({}))
        .await
        .data();
    data["district"]["name"].as_str().unwrap().to_string()
}

async fn a_bulk_set_lands_in_every_mapped_column(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sis = app.as_sis();
    let answer = upload(&sis, &Set::bulk(), "").await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body["applied"], true);
    assert_eq!(
        figures(&answer.body),
        [
            ("district".into(), 0, 1, 0, 0, 0),
            ("schools".into(), 2, 0, 0, 0, 0),
            ("students".into(), 3, 0, 0, 0, 0),
            ("staff".into(), 1, 0, 0, 0, 0),
            ("guardians".into(), 1, 0, 0, 0, 0),
            ("enrollments".into(), 3, 0, 0, 0, 0),
        ]
    );
    // The district takes the name of the set's district org.
    assert_eq!(district_name(&app).await, "Riverside District");
    let admin = app.as_admin();
    let students = admin.query(STUDENTS, json!({})).await.data();
    let nodes = students["students"]["nodes"].as_array().unwrap();
    let names: Vec<_> = nodes
        .iter()
        .map(|s| s["legalLastName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Nguyễn", "Okafor, Jr.", "Ruiz"]);
    let ana = &nodes[2];
    assert_eq!(
        (
            &ana["legalFirstName"],
            &ana["preferredName"],
            &ana["localId"],
            &ana["stateId"]
        ),
        (&json!("Ana"), &json!("Annie"), &json!("L-1"), &json!("S-1"))
    );
    assert_eq!(
        (&ana["birthDate"], &ana["gradeLevel"]),
        (&json!("2016-05-04"), &json!("03"))
    );
    assert_eq!(
        ana["currentSchool"],
        json!({ "name": "Lincoln Elementary", "lowestGrade": "03", "highestGrade": "04" })
    );
    // Two class enrollments at one school are one school enrollment, from the earliest begin.
    assert_eq!(
        ana["enrollments"]["nodes"],
        json!([{ "entryDate": "2026-08-20", "exitDate": null, "school": { "name": "Lincoln Elementary" } }])
    );
    assert_eq!(
        ana["guardians"]["nodes"],
        json!([{ "relationship": "parent", "contactPriority": 1,
                 "guardian": { "firstName": "María", "lastName": "Ruiz", "phone": "555-0100",
                               "email": "maria@example.org" } }])
    );
    assert_eq!(nodes[0]["legalFirstName"], "Zoë");
    assert_eq!(
        nodes[0]["guardians"]["nodes"][0]["guardian"]["firstName"],
        "María"
    );
    let staff = admin.query(STAFF, json!({})).await.data();
    let sam = &staff["staff"]["nodes"][0];
    assert_eq!(
        (&sam["role"], &sam["email"]),
        (&json!("SOCIAL_WORKER"), &json!("sam@example.org"))
    );
    assert_eq!(sam["schools"]["nodes"].as_array().unwrap().len(), 2);
}

async fn the_same_bulk_again_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sis = app.as_sis();
    assert_eq!(upload(&sis, &Set::bulk(), "").await.status, 200);
    let audit = app.count_rows("audit_event").await;
    let changes = app.count_rows("change").await;
    let again = upload(&sis, &Set::bulk(), "").await;
    assert_eq!(again.status, 200, "{}", again.body);
    let unchanged = figures(&again.body)
        .iter()
        .map(|f| (f.1, f.2, f.4, f.5))
        .collect::<Vec<_>>();
    assert_eq!(unchanged, vec![(0, 0, 0, 0); 6], "{}", again.body);
    assert_eq!(app.count_rows("audit_event").await, audit);
    assert_eq!(app.count_rows("change").await, changes);
}

async fn a_dry_run_reports_and_writes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let answer = upload(&app.as_sis(), &Set::bulk(), "?dryRun=true").await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body["applied"], false);
    // Enrollments name students the same dry run pushed: they are found, not errors.
    assert_eq!(
        figure(&answer.body, "enrollments"),
        ("enrollments".into(), 3, 0, 0, 0, 0)
    );
    assert_ne!(
        district_name(&app).await,
        "Riverside District",
        "the district keeps its name"
    );
    for table in [
        "school",
        "student",
        "staff",
        "guardian",
        "enrollment",
        "audit_event",
    ] {
        assert_eq!(app.count_rows(table).await, 0, "{table}");
    }
}

async fn only_the_sis_and_admins_upload(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.as_social_worker(None, &[]);
    let refused = upload(&worker, &Set::bulk(), "").await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(refused.body["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let anonymous = upload(&app.with_authorization(None), &Set::bulk(), "").await;
    assert_eq!(anonymous.status, 401);
    let admin = upload(&app.as_admin(), &Set::bulk(), "").await;
    assert_eq!(admin.status, 200, "{}", admin.body);
    assert_eq!(app.count_rows("student").await, 3);
}

/// An enrollment without dates takes them from its class's term.
async fn enrollments_are_dated_by_their_class_terms(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sessions = format!("{SESSIONS}t1,,,Fall,term,2026-08-24,2026-12-18,y1,2027\n");
    let classes = "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,\
classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods
c3,,,Science 7,07,k1,SCI-7,scheduled,Room 2,s2,t1,,,1
";
    let undated = enrollments().replace(
        "e4,,,c3,s2,st3,student,true,2026-08-21,",
        "e4,,,c3,s2,st3,student,true,,",
    );
    let set = Set::bulk()
        .file("academicSessions", "bulk", sessions)
        .file("classes", "bulk", classes)
        .file("enrollments", "bulk", undated);
    let answer = upload(&app.as_sis(), &set, "").await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let data = app
        .as_admin()
        .query(
            "{ students(filter: { search: \"Okafor\" }) { nodes { enrollments { nodes { entryDate exitDate } } } } }",
            json!({}),
        )
        .await
        .data();
    assert_eq!(
        data["students"]["nodes"][0]["enrollments"]["nodes"],
        json!([{ "entryDate": "2026-08-24", "exitDate": "2026-12-18" }])
    );
}

on_both_backends!(
    a_bulk_set_lands_in_every_mapped_column,
    the_same_bulk_again_changes_nothing,
    a_dry_run_reports_and_writes_nothing,
    only_the_sis_and_admins_upload,
    enrollments_are_dated_by_their_class_terms,
);
