//! No N+1: the SQL statements of a page do not grow with its size.

use crate::helpers::district_today;
use serde_json::json;
use ssw_api::auth::{Actor, Role};

use crate::helpers::{Backend, Client, TestApp, on_both_backends};

const PAGE: &str = "query($first: Int!) { students(first: $first) { totalCount edges { node {
    id legalLastName gradeLevel
    currentSchool { name }
    enrollments { totalCount nodes { entryDate school { name } } }
    guardians { totalCount nodes { relationship guardian { firstName phone } } }
    currentTiers { domain tier }
    interventionPlans(statuses: [ACTIVE]) { nodes { decision trend intervention { name } progressPoints(last: 5) { nodes { date value expected } } } }
    hasIepOr504 homelessStatus { current } attendance { daysAbsent chronicallyAbsent }
    referrals { totalCount nodes { status urgency } } cases { totalCount nodes { areaOfFocus } }
    serviceContacts { totalCount nodes { minutes } } needsSafetyPlan
    truancySteps { totalCount nodes { step date } }
} } } }";

/// Statements one request runs, read from the app's own counter in `/metrics`.
async fn statements_for(app: &TestApp, client: &Client, first: usize) -> u64 {
    let before = app.statements().await;
    let data = client.query(PAGE, json!({ "first": first })).await.data();
    let after = app.statements().await;
    assert_eq!(data["students"]["edges"].as_array().unwrap().len(), first);
    assert!(
        data["students"]["edges"][0]["node"]["enrollments"]["totalCount"]
            .as_u64()
            .unwrap()
            >= 1
    );
    after - before
}

async fn a_page_of_200_costs_the_statements_of_a_page_of_10(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let demo = ssw_api::demo::seed(&app.db, 1300).await.expect("demo data");
    for role in [Role::DistrictAdmin, Role::SocialWorker] {
        let (schools, staff_id) = match role {
            Role::SocialWorker => (demo.social_worker.1.clone(), Some(demo.social_worker.0)),
            _ => (vec![], None),
        };
        let client = app.as_actor(Actor {
            district_id: demo.district_id,
            staff_id,
            school_ids: schools,
            ..app.actor(role)
        });
        let visible = client
            .query("{ students { totalCount } }", json!({}))
            .await
            .data()["students"]["totalCount"]
            .as_u64()
            .unwrap() as usize;
        let large = visible.min(200);
        let small_count = statements_for(&app, &client, 10).await;
        let large_count = statements_for(&app, &client, large).await;
        eprintln!(
            "{backend:?} {role:?}: page of 10 -> {small_count} statements, page of {large} -> {large_count}"
        );
        // One statement per relation selected: the page, its count, enrollments with their
        // schools, guardian links with their guardians, current tiers, plans with their
        // interventions, progress points, IEP existence, homeless status, attendance,
        // referrals, cases, the service log, unanswered screenings and truancy steps.
        assert_eq!(
            small_count, large_count,
            "{role:?}: statements must not grow with page size"
        );
        assert_eq!(small_count, 15, "{role:?}: statements for one page");
        assert!(
            large >= 50,
            "the page is large enough to show N+1 ({large})"
        );
    }
}

const SCHOOLS: &str = "query($first: Int!) { schools(first: $first) { nodes {
    name
    staff { nodes { lastName role } }
    students(first: 20) { totalCount nodes { legalLastName currentSchool { name } guardians { nodes { guardian { firstName } } } } }
} } }";

async fn a_page_of_schools_with_students_costs_the_same_for_2_or_6_schools(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let demo = ssw_api::demo::seed(&app.db, 600).await.expect("demo data");
    let client = app.as_actor(Actor {
        district_id: demo.district_id,
        ..app.actor(Role::DistrictAdmin)
    });
    let mut counts = Vec::new();
    for first in [2, 6] {
        let before = app.statements().await;
        let data = client
            .query(SCHOOLS, json!({ "first": first }))
            .await
            .data();
        counts.push(app.statements().await - before);
        let schools = data["schools"]["nodes"].as_array().unwrap();
        assert_eq!(schools.len(), first);
        for school in schools {
            assert_eq!(
                school["students"]["nodes"].as_array().unwrap().len(),
                20,
                "{}",
                school["name"]
            );
            assert_eq!(
                school["students"]["nodes"][0]["currentSchool"]["name"],
                school["name"]
            );
        }
    }
    eprintln!(
        "{backend:?}: 2 schools -> {} statements, 6 schools -> {}",
        counts[0], counts[1]
    );
    // More schools may even cost one statement less: the schools of the page are already in the
    // loaders' cache when students' enrollment schools are looked up.
    assert!(
        counts[1] <= counts[0],
        "statements must not grow with the number of schools: {counts:?}"
    );
    assert!(counts[1] <= 10, "{counts:?}");
}

/// Writes are batched too: recording 150 attendance days (with their audit and change rows)
/// costs the statements of recording 10.
async fn recording_attendance_costs_the_same_for_10_or_150_days(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let school = app.school("Batch Elementary").await;
    let mut counts = Vec::new();
    for (name, days) in [("Ten", 10), ("Many", 150)] {
        let student = app.student(name, "Days").await;
        let today = district_today();
        let entries: Vec<_> = (1..=days)
            .map(|n| json!({ "studentId": student, "schoolId": school, "date": (today - chrono::Duration::days(n)).to_string(), "status": if n % 7 == 0 { "EXCUSED" } else { "PRESENT" } }))
            .collect();
        let audits = app.count_rows("audit_event").await;
        let before = app.statements().await;
        let data = admin
            .query("mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { created userErrors { field } } }", json!({ "input": { "days": entries } }))
            .await
            .data();
        counts.push(app.statements().await - before);
        assert_eq!(data["recordAttendance"]["created"], days);
        assert_eq!(
            app.count_rows("audit_event").await - audits,
            days,
            "one audit event per day"
        );
    }
    eprintln!(
        "{backend:?}: 10 days -> {} statements, 150 days -> {}",
        counts[0], counts[1]
    );
    assert_eq!(
        counts[0], counts[1],
        "statements must not grow with the number of days"
    );
}

on_both_backends!(
    recording_attendance_costs_the_same_for_10_or_150_days,
    a_page_of_200_costs_the_statements_of_a_page_of_10,
    a_page_of_schools_with_students_costs_the_same_for_2_or_6_schools,
);
