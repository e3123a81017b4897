//! `seed --demo` shows casework: a newcomer's first queries find real work.

use serde_json::json;
use ssw_api::auth::{Actor, Role};

use crate::helpers::{Backend, TestApp, on_both_backends};

async fn the_demo_district_has_casework_to_show(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let demo = ssw_api::demo::seed(&app.db, 400).await.expect("demo data");
    assert!(
        (40..=60).contains(&demo.referrals),
        "every tenth of each school: {}",
        demo.referrals
    );
    let as_role = |role: Role, staff: Option<uuid::Uuid>, schools: Vec<uuid::Uuid>| {
        app.as_actor(Actor {
            district_id: demo.district_id,
            staff_id: staff,
            school_ids: schools,
            ..app.actor(role)
        })
    };
    let admin = as_role(Role::DistrictAdmin, None, vec![]);
    let mut statuses = Vec::new();
    for status in ["NEW", "ASSIGNED", "IN_PROGRESS", "CLOSED"] {
        let query = format!("{{ referrals(filter: {{ statuses: [{status}] }}) {{ totalCount }} }}");
        let data = admin.query(&query, json!({})).await.data();
        statuses.push(data["referrals"]["totalCount"].as_u64().unwrap());
    }
    assert!(
        statuses.iter().all(|n| *n > 0),
        "every status: {statuses:?}"
    );
    let worklists = "{ studentsNeedingSafetyPlans { totalCount }
        safetyPlansDueForReview { totalCount } abuseReportsOverdue { totalCount } }";
    let data = admin.query(worklists, json!({})).await.data();
    assert_eq!(data["studentsNeedingSafetyPlans"]["totalCount"], 1);
    assert_eq!(data["safetyPlansDueForReview"]["totalCount"], 1);
    assert_eq!(data["abuseReportsOverdue"]["totalCount"], 1);
    let groups = "{ counselingGroups { totalCount nodes { sessions { nodes { presentCount
        attendance { present contact { contactType } } } } } } }";
    let data = admin.query(groups, json!({})).await.data();
    let listed = &data["counselingGroups"];
    assert!(demo.groups > 0);
    assert_eq!(listed["totalCount"], demo.groups);
    let sessions = listed["nodes"][0]["sessions"]["nodes"].as_array().unwrap();
    assert_eq!(sessions.len(), 4, "a month of weekly sessions");
    for session in sessions {
        let attendance = session["attendance"].as_array().unwrap();
        let present: Vec<_> = attendance.iter().filter(|a| a["present"] == true).collect();
        assert_eq!(attendance.len() - present.len(), 1, "one member absent");
        assert_eq!(session["presentCount"], present.len());
        let kinds = present.iter().map(|a| &a["contact"]["contactType"]);
        assert!(kinds.into_iter().all(|kind| kind == "GROUP_COUNSELING"));
    }

    // The worker the seed names has a caseload with a month of contacts.
    let (worker, schools) = demo.social_worker.clone();
    let client = as_role(Role::SocialWorker, Some(worker), schools);
    let caseload = "{ viewer { caseload(first: 50) { totalCount nodes { student {
        serviceContacts { totalCount nodes { minutes missedReason signedAt } } } } } } }";
    let data = client.query(caseload, json!({})).await.data();
    let cases = data["viewer"]["caseload"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    assert!(!cases.is_empty(), "{data}");
    let contacts: Vec<_> = cases
        .iter()
        .flat_map(|c| {
            c["student"]["serviceContacts"]["nodes"]
                .as_array()
                .unwrap()
                .clone()
        })
        .collect();
    assert!(
        contacts
            .iter()
            .any(|c| c["missedReason"] == "STUDENT_ABSENT")
    );
    assert!(
        contacts.iter().any(|c| c["signedAt"].is_null()),
        "some unsigned"
    );
}

on_both_backends!(the_demo_district_has_casework_to_show);
