//! `auditEvents`: the district admin reads its district's log, newest first, by student,
//! actor, action and time; no one else reads it, and the API cannot change it.

use serde_json::{Value, json};
use ssw_api::auth::{Actor, Role};

use crate::helpers::{Backend, TestApp, on_both_backends};

const EVENTS: &str = "query($filter: AuditEventFilter, $first: Int, $after: String) {
    auditEvents(filter: $filter, first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { id occurredAt actorId role action entityType entityId studentId fields requestId }
    }
}";

/// Every event the filter selects, newest first, as (action, entity type, student, fields).
fn events(page: &Value) -> Vec<(String, String, Value, String)> {
    page["auditEvents"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| {
            (
                event["action"].as_str().unwrap().to_string(),
                event["entityType"].as_str().unwrap().to_string(),
                event["studentId"].clone(),
                event["fields"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn the_admin_reads_the_log_by_student_actor_action_and_time(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let before = chrono::Utc::now();
    let ana = app.student("Ana", "Ruiz").with("status", "INACTIVE").await;
    admin
        .query(
            "mutation($id: ID!) { updateStudent(input: { id: $id, version: 1, status: ACTIVE }) { student { id } } }",
            json!({ "id": ana }),
        )
        .await
        .data();
    let sis = app.as_sis();
    let ben = app.student("Ben", "Cole").by(&sis).await;
    let read = |filter: Value| admin.query(EVENTS, json!({ "filter": filter, "first": 50 }));

    // The whole log, newest first: Ben's creation (by the SIS), Ana's change, her creation.
    let all = read(json!({})).await.data();
    let whole = events(&all);
    assert_eq!(all["auditEvents"]["totalCount"], 3, "{all}");
    assert_eq!(
        whole
            .iter()
            .map(|(action, entity, student, _)| (action.as_str(), entity.as_str(), student))
            .collect::<Vec<_>>(),
        [
            ("CREATE", "student", &json!(ben)),
            ("UPDATE", "student", &json!(ana)),
            ("CREATE", "student", &json!(ana)),
        ]
    );
    assert_eq!(whole[1].3, "status", "the update wrote the status only");
    let first = &all["auditEvents"]["nodes"][0];
    assert_eq!(first["actorId"], "test-SisIntegration");
    assert_eq!(all["auditEvents"]["nodes"][1]["role"], "DISTRICT_ADMIN");
    assert_eq!(
        first["entityId"].as_str().unwrap(),
        crate::helpers::uuid_of(&ben).to_string()
    );

    // By student, by action, by actor.
    let anas = read(json!({ "studentId": ana })).await.data();
    assert_eq!(
        events(&anas)
            .iter()
            .map(|e| e.0.as_str())
            .collect::<Vec<_>>(),
        ["UPDATE", "CREATE"]
    );
    let updates = read(json!({ "action": "UPDATE" })).await.data();
    assert_eq!(events(&updates).len(), 1);
    assert_eq!(events(&updates)[0].2, json!(ana));
    let by_admin = read(json!({ "actorId": "test-DistrictAdmin" }))
        .await
        .data();
    assert_eq!(
        events(&by_admin).iter().map(|e| &e.2).collect::<Vec<_>>(),
        [&json!(ana), &json!(ana)]
    );
    let by_sis = read(json!({ "actorId": "test-SisIntegration" }))
        .await
        .data();
    assert_eq!(
        events(&by_sis).iter().map(|e| &e.2).collect::<Vec<_>>(),
        [&json!(ben)]
    );
    assert_eq!(by_sis["auditEvents"]["nodes"][0]["role"], "SIS_INTEGRATION");
    let nobody = read(json!({ "actorId": "someone-else" })).await.data();
    assert_eq!(nobody["auditEvents"]["totalCount"], 0);

    // By time: from is inclusive, to exclusive.
    let after_all = chrono::Utc::now() + chrono::Duration::seconds(1);
    let since = read(json!({ "from": before.to_rfc3339() })).await.data();
    assert_eq!(since["auditEvents"]["totalCount"], 3);
    let later = read(json!({ "from": after_all.to_rfc3339() })).await.data();
    assert_eq!(later["auditEvents"]["totalCount"], 0);
    let until = read(json!({ "to": before.to_rfc3339() })).await.data();
    assert_eq!(until["auditEvents"]["totalCount"], 0);
    let within = read(json!({ "from": before.to_rfc3339(), "to": after_all.to_rfc3339() }))
        .await
        .data();
    assert_eq!(within["auditEvents"]["totalCount"], 3);

    // Pages: one at a time, the same order.
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = admin
            .query(EVENTS, json!({ "first": 1, "after": after }))
            .await
            .data();
        seen.extend(events(&page).into_iter().map(|e| e.2));
        let info = &page["auditEvents"]["pageInfo"];
        if info["hasNextPage"] != true {
            break;
        }
        after = info["endCursor"].clone();
    }
    assert_eq!(seen, [json!(ben), json!(ana), json!(ana)]);

    // Bad filters are the caller's mistake, named.
    let backwards =
        read(json!({ "from": after_all.to_rfc3339(), "to": before.to_rfc3339() })).await;
    backwards.assert_bad_user_input("filter.to is before filter.from");
    assert_eq!(
        backwards.body["errors"][0]["extensions"]["field"],
        "filter.to"
    );
    let school = app.school("Lincoln Elementary").await;
    let wrong_kind = read(json!({ "studentId": school })).await;
    assert_eq!(wrong_kind.code(), "BAD_USER_INPUT");
    assert_eq!(
        wrong_kind.body["errors"][0]["extensions"]["field"],
        "filter.studentId"
    );
}

async fn only_the_district_admin_reads_the_log_and_only_its_districts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let school = app.school("Lincoln Elementary").await;
    app.student("Ana", "Ruiz").await;
    for client in [
        app.as_social_worker(None, &[&school]),
        app.as_school_staff(None, &[&school]),
        app.as_sis(),
        app.as_bi(),
        app.as_agency(None),
    ] {
        let refused = client.query(EVENTS, json!({})).await;
        assert_eq!(refused.code(), "FORBIDDEN", "{}", refused.body);
        assert_eq!(refused.body["data"], Value::Null, "{}", refused.body);
    }
    let other = app.district("Other District").state("WI").await.unwrap();
    let their_admin = app.as_actor(Actor {
        district_id: other,
        ..app.actor(Role::DistrictAdmin)
    });
    let theirs = their_admin.query(EVENTS, json!({})).await.data();
    assert_eq!(theirs["auditEvents"]["totalCount"], 0, "{theirs}");
    let ours = app.as_admin().query(EVENTS, json!({})).await.data();
    assert_eq!(
        ours["auditEvents"]["totalCount"], 2,
        "the school and the student"
    );
}

/// Append-only through the API: no mutation names the audit log.
async fn no_mutation_changes_the_log(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let schema = app
        .as_admin()
        .query(
            "{ __type(name: \"Mutation\") { fields { name } } }",
            json!({}),
        )
        .await
        .data();
    let fields = schema["__type"]["fields"].as_array().unwrap();
    assert!(fields.len() > 10, "{schema}");
    for field in fields {
        let name = field["name"].as_str().unwrap().to_lowercase();
        assert!(!name.contains("audit"), "{name} changes the audit log");
    }
}

on_both_backends!(
    the_admin_reads_the_log_by_student_actor_action_and_time,
    only_the_district_admin_reads_the_log_and_only_its_districts,
    no_mutation_changes_the_log,
);
