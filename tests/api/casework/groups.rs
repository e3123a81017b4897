//! Counseling groups: members of the group's school who join and leave, a session logged once
//! that gives each member present a contact in the service log (and so IEP minutes and group
//! readiness), attendance with the absent, and who reads and runs groups.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::helpers::{Backend, Client, TestApp, on_both_backends};

/// Runs `mutation` with `input` as `client`: the record at `node` with `fields`, or the user
/// errors as `field:CODE`.
async fn write(
    client: &Client,
    (mutation, node, fields): (&str, &str, &str),
    input: Value,
) -> Result<Value, Vec<String>> {
    let kind = format!("{}{}Input", mutation[..1].to_uppercase(), &mutation[1..]);
    let query = format!(
        "mutation($input: {kind}!) {{ {mutation}(input: $input) {{
            {node} {{ {fields} }} userErrors {{ field code }} }} }}"
    );
    let answer = client.query(&query, json!({ "input": input })).await;
    answer.written(mutation, node)
}

const CREATE: (&str, &str, &str) = (
    "createCounselingGroup",
    "group",
    "id name topic facilitator { id } school { id }",
);
const JOIN: (&str, &str, &str) = ("addGroupMember", "member", "id version joinedOn");
const LEAVE: (&str, &str, &str) = ("endGroupMembership", "member", "leftOn");
const SESSION: (&str, &str, &str) = (
    "logGroupSession",
    "session",
    "id minutes presentCount attendance { student { id } present contact {
        contactType minutes groupSession { id } medicaidReadiness { missing } } }",
);

struct Setting {
    app: TestApp,
    north: String,
    south: String,
    /// Ana, Ben and Cy of North; Dee of South.
    students: [String; 4],
    sam: String,
    worker: Client,
    group: String,
}

async fn setting(backend: Backend) -> Setting {
    let app = TestApp::spawn(backend).await;
    let north = app.school("North").await;
    let south = app.school("South").await;
    let mut students = Vec::new();
    for (first, school) in [
        ("Ana", &north),
        ("Ben", &north),
        ("Cy", &north),
        ("Dee", &south),
    ] {
        let student = app.student(first, "Lopez").await;
        app.enrollment(&student, school).await;
        students.push(student);
    }
    let sam = app.staff("Sam", "Social").with("license", "LCSW-1").await;
    let worker = app.as_social_worker(Some(&sam), &[&north]);
    let input = json!({ "schoolId": north, "name": "Friendship group", "topic": "SOCIAL_SKILLS",
        "startsOn": "2026-09-01" });
    let group = write(&worker, CREATE, input).await.unwrap();
    assert_eq!(
        (&group["facilitator"]["id"], &group["school"]["id"]),
        (&json!(sam), &json!(north)),
        "the facilitator defaults to the caller"
    );
    let group = group["id"].as_str().unwrap().to_string();
    Setting {
        app,
        north,
        south,
        students: students.try_into().unwrap(),
        sam,
        worker,
        group,
    }
}

/// A session's attendance: each student, present or not, and their contact's type and minutes.
fn attendance(session: &Value) -> Vec<(String, bool, String)> {
    let rows = session["attendance"].as_array().unwrap();
    let mut rows: Vec<_> = rows
        .iter()
        .map(|row| {
            let student = row["student"]["id"].as_str().unwrap().to_string();
            let present = row["present"].as_bool().unwrap();
            let contact = &row["contact"];
            (
                student,
                present,
                json!([contact["contactType"], contact["minutes"]]).to_string(),
            )
        })
        .collect();
    rows.sort();
    rows
}

async fn a_session_is_logged_once_and_counts_for_each_member_present(backend: Backend) {
    let Setting {
        app,
        students: [ana, ben, cy, dee],
        worker,
        group,
        ..
    } = setting(backend).await;
    let iep = app
        .iep(&ana)
        .with("socialWorkMinutesPerWeek", 60)
        .with("iepBeginDate", "2026-09-01")
        .await;
    let join = |student: &str, day: &str| json!({ "groupId": group, "studentId": student, "joinedOn": day });
    for student in [&ana, &ben, &cy] {
        write(&worker, JOIN, join(student, "2026-09-01"))
            .await
            .unwrap();
    }
    let refused = write(&worker, JOIN, join(&dee, "2026-09-01")).await;
    assert_eq!(
        refused.unwrap_err(),
        ["input.studentId:NOT_FOUND"],
        "Dee is not the worker's"
    );
    let admin = app.as_admin();
    let refused = write(&admin, JOIN, join(&dee, "2026-09-01")).await;
    assert_eq!(
        refused.unwrap_err(),
        ["input.studentId:INVALID"],
        "Dee is of South"
    );
    let again = write(&worker, JOIN, join(&ana, "2026-09-02")).await;
    assert_eq!(again.unwrap_err(), ["input.studentId:DUPLICATE"]);

    let day = |date: &str, present: Value| {
        json!({ "groupId": group, "date": date, "startTime": "10:00", "endTime": "10:45",
            "present": present })
    };
    let first = write(
        &worker,
        SESSION,
        day(
            "2026-09-08",
            json!([{ "studentId": ana, "iepId": iep }, { "studentId": ben }]),
        ),
    )
    .await
    .unwrap();
    assert_eq!(
        (&first["minutes"], &first["presentCount"]),
        (&json!(45), &json!(2))
    );
    let group_contact = json!(["GROUP_COUNSELING", 45]).to_string();
    assert_eq!(
        attendance(&first),
        {
            let mut expected = vec![
                (ana.clone(), true, group_contact.clone()),
                (ben.clone(), true, group_contact.clone()),
                (cy.clone(), false, json!([null, null]).to_string()),
            ];
            expected.sort();
            expected
        },
        "one contact per member present, the absent recorded"
    );
    let contact = first["attendance"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["student"]["id"] == json!(ana))
        .unwrap()["contact"]
        .clone();
    assert_eq!(contact["groupSession"]["id"], first["id"]);
    let missing = contact["medicaidReadiness"]["missing"].as_array().unwrap();
    assert!(
        !missing.contains(&json!("GROUP_SIZE")),
        "two were present: {missing:?}"
    );

    // One present: a group claim would miss its group size.
    let alone = write(
        &worker,
        SESSION,
        day("2026-09-10", json!([{ "studentId": ben }])),
    )
    .await
    .unwrap();
    let ben_row = alone["attendance"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["present"] == json!(true))
        .unwrap()
        .clone();
    let missing = &ben_row["contact"]["medicaidReadiness"]["missing"];
    assert!(
        missing.as_array().unwrap().contains(&json!("GROUP_SIZE")),
        "{missing}"
    );

    // The session counts toward Ana's IEP minutes, as her own contact.
    let query = "query($id: ID!) { node(id: $id) { ... on Student {
        relatedServiceMinutes(from: \"2026-09-07\", to: \"2026-09-13\") { weeks { delivered } }
        serviceContacts { totalCount } } } }";
    let ana_now = worker.query(query, json!({ "id": ana })).await.data()["node"].clone();
    assert_eq!(
        ana_now["relatedServiceMinutes"][0]["weeks"][0]["delivered"],
        45
    );
    assert_eq!(ana_now["serviceContacts"]["totalCount"], 1);

    // Bad sessions write nothing: a non-member, twice the same, another student's IEP.
    let bad = [
        (
            json!([{ "studentId": dee }]),
            "input.present.0.studentId:INVALID",
        ),
        (
            json!([{ "studentId": ben }, { "studentId": ben }]),
            "input.present.1.studentId:DUPLICATE",
        ),
        (
            json!([{ "studentId": ana }, { "studentId": ben, "iepId": iep }]),
            "input.present.1.iepId:INVALID",
        ),
    ];
    for (present, error) in bad {
        let refused = write(&worker, SESSION, day("2026-09-11", present)).await;
        assert_eq!(refused.unwrap_err(), [error]);
    }
    let soon = (Utc::now() + Duration::days(3)).date_naive().to_string();
    let future = write(&worker, SESSION, day(&soon, json!([{ "studentId": ana }]))).await;
    assert!(
        future
            .unwrap_err()
            .contains(&"input.date:OUT_OF_RANGE".to_string())
    );
    let sessions = "query($id: ID!) { node(id: $id) { ... on CounselingGroup {
        sessions { totalCount } members(on: \"2026-09-15\") { nodes { student { id } } } } } }";
    let answer = worker.query(sessions, json!({ "id": group })).await.data();
    assert_eq!(answer["node"]["sessions"]["totalCount"], 2);
    assert_eq!(
        ben_contacts(&worker, &ben).await,
        2,
        "the refused sessions left no contact behind"
    );

    // Cy leaves; a later session no longer counts him.
    let cy_member = answer["node"]["members"]["nodes"].as_array().unwrap().len();
    assert_eq!(cy_member, 3);
    let members = "query($id: ID!) { node(id: $id) { ... on CounselingGroup {
        members { nodes { id version student { id } } } } } }";
    let all = worker.query(members, json!({ "id": group })).await.data();
    let cy_row = all["node"]["members"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["student"]["id"] == json!(cy))
        .unwrap()
        .clone();
    let leave = json!({ "id": cy_row["id"], "version": cy_row["version"], "leftOn": "2026-09-12" });
    let left = write(&worker, LEAVE, leave.clone()).await.unwrap();
    assert_eq!(left["leftOn"], "2026-09-12");
    let leave = json!({ "id": cy_row["id"], "version": 2, "leftOn": "2026-09-13" });
    let twice = write(&worker, LEAVE, leave).await;
    assert_eq!(twice.unwrap_err(), ["input.id:INVALID_TRANSITION"]);
    let later = write(
        &worker,
        SESSION,
        day("2026-09-15", json!([{ "studentId": ana }])),
    )
    .await
    .unwrap();
    assert_eq!(
        later["attendance"].as_array().unwrap().len(),
        2,
        "Ana and Ben"
    );
    let now = worker.query(sessions, json!({ "id": group })).await.data();
    assert_eq!(now["node"]["members"]["nodes"].as_array().unwrap().len(), 2);
}

/// How many contacts `student` has in the service log.
async fn ben_contacts(worker: &Client, student: &str) -> i64 {
    let query = "query($id: ID!) { node(id: $id) { ... on Student {
        serviceContacts { totalCount } } } }";
    let answer = worker.query(query, json!({ "id": student })).await.data();
    answer["node"]["serviceContacts"]["totalCount"]
        .as_i64()
        .unwrap()
}

async fn groups_are_pupil_services_of_their_school_and_admins(backend: Backend) {
    let Setting {
        app,
        north,
        south,
        students: [ana, ..],
        sam,
        worker,
        group,
    } = setting(backend).await;
    let list = "{ counselingGroups { nodes { id name } } }";
    let listed = worker.query(list, json!({})).await.data();
    assert_eq!(listed["counselingGroups"]["nodes"][0]["id"], json!(group));
    let admin = app.as_admin();
    let listed = admin.query(list, json!({})).await.data();
    assert_eq!(
        listed["counselingGroups"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // A social worker of South neither sees North's group nor runs it, nor makes one there.
    let other = app.as_social_worker(Some(&sam), &[&south]);
    let listed = other.query(list, json!({})).await.data();
    assert_eq!(listed["counselingGroups"]["nodes"], json!([]));
    let node = "query($id: ID!) { node(id: $id) { id } }";
    let found = other.query(node, json!({ "id": group })).await.data();
    assert_eq!(found["node"], Value::Null);
    let join = json!({ "groupId": group, "studentId": ana, "joinedOn": "2026-09-01" });
    let query = "mutation($input: AddGroupMemberInput!) { addGroupMember(input: $input) {
        member { id } } }";
    let refused = other.query(query, json!({ "input": join })).await;
    assert_eq!(refused.code(), "NOT_FOUND");
    let elsewhere = json!({ "schoolId": north, "name": "Grief", "topic": "GRIEF" });
    let query = "mutation($input: CreateCounselingGroupInput!) {
        createCounselingGroup(input: $input) { group { id } } }";
    let refused = other.query(query, json!({ "input": elsewhere })).await;
    assert_eq!(refused.code(), "FORBIDDEN");

    // Teachers, the SIS and BI readers read no groups.
    let readers = [
        ("teacher", app.as_school_staff(None, &[&north])),
        ("SIS", app.as_sis()),
        ("BI", app.as_bi()),
    ];
    for (who, client) in readers {
        let answer = client.query(list, json!({})).await;
        assert_eq!(answer.code(), "FORBIDDEN", "{who}");
    }
}

on_both_backends!(
    a_session_is_logged_once_and_counts_for_each_member_present,
    groups_are_pupil_services_of_their_school_and_admins,
);
