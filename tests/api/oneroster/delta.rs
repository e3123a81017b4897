//! A delta after a bulk (a student withdrawn, an enrollment deleted, a new student at a school
//! only the earlier import brought), then a second bulk that lacks enrollments: they are
//! closed, within the guardrail.

use serde_json::json;

use super::set::{
    ENROLLMENTS_HEADER, ROLES, Set, USERS_HEADER, enrollments, figure, figures, places, upload,
};
use crate::helpers::{Backend, TestApp, on_both_backends};

const WHEN: &str = "2026-11-20T08:00:00Z";

fn delta() -> Set {
    let users = format!(
        "{USERS_HEADER}
st2,tobedeleted,{WHEN},true,znguyen,,Zoë,Nguyễn,,L-2,,,,p1,04,,,,,,,s1,
st4,active,{WHEN},true,bsmith,,Bo,Smith,,L-4,,,,,05,,,,,,,s1,
"
    );
    let roles = format!(
        "{}
r2,active,{WHEN},st2,primary,student,,,s1,
r7,active,{WHEN},st4,primary,student,,,s1,
",
        ROLES.lines().next().unwrap()
    );
    let enrollments = format!(
        "{ENROLLMENTS_HEADER}
e4,tobedeleted,{WHEN},c3,s2,st3,student,true,2026-08-21,
e6,active,{WHEN},c1,s1,st4,student,true,2026-11-02,
"
    );
    Set::empty()
        .file("users", "delta", users)
        .file("roles", "delta", roles)
        .file("enrollments", "delta", enrollments)
}

const STUDENTS: &str = "{ students(first: 10, orderBy: { field: LAST_NAME }) { nodes {
    legalLastName status enrollments { nodes { exitDate school { name } } } } } }";

async fn a_delta_updates_closes_and_refers_to_an_earlier_import(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sis = app.as_sis();
    assert_eq!(upload(&sis, &Set::bulk(), "").await.status, 200);
    let answer = upload(&sis, &delta(), "").await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let figures = figures(&answer.body);
    assert_eq!(figures[1], ("students".into(), 1, 1, 0, 0, 0));
    assert_eq!(figures[4], ("enrollments".into(), 1, 1, 0, 0, 0));
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::America::Chicago)
        .date_naive()
        .to_string();
    let data = app.as_admin().query(STUDENTS, json!({})).await.data();
    let by_name = |name: &str| {
        let nodes = data["students"]["nodes"].as_array().unwrap();
        nodes
            .iter()
            .find(|s| s["legalLastName"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(by_name("Nguyễn")["status"], "INACTIVE");
    assert_eq!(
        by_name("Okafor, Jr.")["enrollments"]["nodes"][0]["exitDate"],
        json!(today)
    );
    assert_eq!(
        by_name("Smith")["enrollments"]["nodes"],
        json!([{ "exitDate": null, "school": { "name": "Lincoln Elementary" } }])
    );
}

async fn a_second_bulk_closes_what_it_lacks_within_the_guardrail(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sis = app.as_sis();
    assert_eq!(upload(&sis, &Set::bulk(), "").await.status, 200);
    // st2 (e3) is missing: 1 of Lincoln's 2 open enrollments, more than the 20% allowed.
    let all = enrollments();
    let without_st2 = all
        .lines()
        .filter(|l| !l.starts_with("e3,"))
        .collect::<Vec<_>>();
    let second = Set::bulk().file("enrollments", "bulk", without_st2.join("\n") + "\n");
    let held = upload(&sis, &second, "").await;
    assert_eq!(held.status, 422, "{}", held.body);
    assert_eq!(places(&held.body), ["enrollments.csv:0:-"]);
    assert!(
        held.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("confirmClosures")
    );
    assert_eq!(
        app.count_rows("audit_event").await,
        app.count_rows("change").await
    );
    let confirmed = upload(&sis, &second, "?confirmClosures=true").await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    assert_eq!(
        figure(&confirmed.body, "enrollments"),
        ("enrollments".into(), 0, 0, 2, 1, 0)
    );
    let data = app.as_admin().query(STUDENTS, json!({})).await.data();
    let zoe = &data["students"]["nodes"][0];
    assert_eq!(zoe["legalLastName"], "Nguyễn");
    assert!(
        zoe["enrollments"]["nodes"][0]["exitDate"].is_string(),
        "{zoe}"
    );
}

/// A bulk users.csv is the whole of the students: one it lacks becomes INACTIVE (within the
/// guardrail), never deleted.
async fn a_bulk_without_a_student_makes_it_inactive(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sis = app.as_sis();
    assert_eq!(upload(&sis, &Set::bulk(), "").await.status, 200);
    let drop = |text: String, prefix: &str| {
        let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with(prefix)).collect();
        kept.join("\n") + "\n"
    };
    let without_st3 = Set::bulk()
        .file("users", "bulk", drop(super::set::users(), "st3,"))
        .file("roles", "bulk", drop(ROLES.to_string(), "r3,"))
        .file("enrollments", "bulk", drop(enrollments(), "e4,"));
    let held = upload(&sis, &without_st3, "").await;
    assert_eq!(held.status, 422, "{}", held.body);
    assert_eq!(places(&held.body), ["users.csv:0:-"]);
    let confirmed = upload(&sis, &without_st3, "?confirmClosures=true").await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    assert_eq!(
        figure(&confirmed.body, "students"),
        ("students".into(), 0, 0, 2, 1, 0)
    );
    let data = app.as_admin().query(STUDENTS, json!({})).await.data();
    let statuses: Vec<_> = data["students"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(statuses, ["ACTIVE", "INACTIVE", "ACTIVE"]);
}

on_both_backends!(
    a_bulk_without_a_student_makes_it_inactive,
    a_delta_updates_closes_and_refers_to_an_earlier_import,
    a_second_bulk_closes_what_it_lacks_within_the_guardrail,
);
