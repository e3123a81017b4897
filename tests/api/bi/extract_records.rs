//! Flat extracts of the records under intervention plans: progress points and sessions, each
//! filter, pages of 500, who sees which rows, and what a BI reader sees of their students.

use chrono::Utc;
use serde_json::{Value, json};
use ssw_api::auth::{Actor, Role};

use crate::helpers::{Backend, Client, TestApp, on_both_backends};

/// Every node of `extract` matching `filter`, read as `client` 500 at a time; asserts that no
/// node comes twice and that each page but the last is full.
pub async fn walk(client: &Client, extract: &str, nodes: &str, filter: Value) -> Vec<Value> {
    let query = format!(
        "query($after: String, $filter: ExtractFilter) {{ {extract}(first: 500, after: $after, filter: $filter) {{
            nodes {{ {nodes} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    );
    let (mut all, mut after) = (Vec::new(), Value::Null);
    loop {
        let variables = json!({ "after": after, "filter": filter });
        let page = client.query(&query, variables).await.data()[extract].clone();
        let nodes = page["nodes"].as_array().expect("nodes").clone();
        let more = page["pageInfo"]["hasNextPage"] == true;
        assert!(
            !more || nodes.len() == 500,
            "{extract}: a short page before the end"
        );
        all.extend(nodes);
        if !more {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    let mut seen: Vec<String> = all.iter().map(Value::to_string).collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), all.len(), "{extract}: a node came twice");
    all
}

/// The dates of `nodes`.
fn dates(nodes: &[Value]) -> Vec<&str> {
    nodes.iter().map(|n| n["date"].as_str().unwrap()).collect()
}

struct District {
    north: String,
    ana: String,
    ana_plan: String,
    /// A time after Ana's records were written and before Ben's.
    between: String,
}

/// Ana at North, with points on Sep 8 and 15 and sessions on Sep 9 and 16; then Ben at South,
/// with a point on Sep 22 and a session on Sep 23. Both on reading plans from Sep 1.
async fn district(app: &TestApp) -> District {
    let (north, south) = (app.school("North").await, app.school("South").await);
    let reading = app.intervention("Reading").await;
    let ana = app.student("Ana", "Reyes").await;
    app.enrollment(&ana, &north).await;
    let ana_plan = app.plan(&ana, &reading).await;
    app.progress_points(&ana_plan, &[("2026-09-08", 12.0), ("2026-09-15", 15.5)])
        .await;
    for date in ["2026-09-09", "2026-09-16"] {
        app.session(&ana_plan, date).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let between = Utc::now().to_rfc3339();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let ben = app.student("Ben", "Okafor").await;
    app.enrollment(&ben, &south).await;
    let ben_plan = app.plan(&ben, &reading).await;
    app.progress_point(&ben_plan, "2026-09-22", 20.0).await;
    app.session(&ben_plan, "2026-09-23").await;
    District {
        north,
        ana,
        ana_plan,
        between,
    }
}

async fn point_and_session_extracts_filter_in_sql(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let district = district(&app).await;
    let admin = app.as_admin();
    for (extract, all, nodes) in [
        (
            "progressPointExtract",
            ["2026-09-08", "2026-09-15", "2026-09-22"],
            "id date value expected plan { id student { id } }",
        ),
        (
            "interventionSessionExtract",
            ["2026-09-09", "2026-09-16", "2026-09-23"],
            "id date attended minutes plan { id student { id } }",
        ),
    ] {
        let read = |filter: Value| walk(&admin, extract, nodes, filter);
        let every = read(json!({})).await;
        assert_eq!(dates(&every), all, "{extract}: oldest first");
        let north = read(json!({ "schoolId": district.north })).await;
        assert_eq!(dates(&north), all[..2], "{extract}: Ana's, at North");
        assert!(
            north
                .iter()
                .all(|n| n["plan"]["id"] == district.ana_plan.as_str()
                    && n["plan"]["student"]["id"] == district.ana.as_str())
        );
        let from = read(json!({ "from": all[1] })).await;
        assert_eq!(dates(&from), all[1..], "{extract}: from");
        let to = read(json!({ "to": all[1] })).await;
        assert_eq!(dates(&to), all[..2], "{extract}: to");
        let day = read(json!({ "from": all[1], "to": all[1] })).await;
        assert_eq!(dates(&day), [all[1]], "{extract}: one day");
        let changed = read(json!({ "updatedSince": district.between })).await;
        assert_eq!(dates(&changed), [all[2]], "{extract}: Ben's, written later");
        let later = (Utc::now() + chrono::Duration::days(1)).to_rfc3339();
        assert!(read(json!({ "updatedSince": later })).await.is_empty());
    }
    // A point is valued against its plan's aim line: 10 to 40 over Sep 1-29.
    let points = walk(
        &admin,
        "progressPointExtract",
        "date value expected",
        json!({}),
    )
    .await;
    assert_eq!(
        (&points[1]["value"], &points[1]["expected"]),
        (&json!(15.5), &json!(25.0))
    );
}

/// Records `count` of `mutation` (`recordProgressPoint` or `recordInterventionSession`) for
/// `plan`, dated within it, 25 to a request.
async fn record_many(admin: &Client, mutation: &str, input: &str, plan: &str, count: usize) {
    for first in (0..count).step_by(25) {
        let fields: String = (first..count.min(first + 25))
            .map(|i| {
                let date = format!("2026-09-{:02}", 1 + i % 28);
                format!(
                    "r{i}: {mutation}(input: {{ planId: \"{plan}\", date: \"{date}\", {input} }}) {{ userErrors {{ code }} }} "
                )
            })
            .collect();
        let data = admin
            .query(&format!("mutation {{ {fields} }}"), json!({}))
            .await
            .data();
        let refused: Vec<&Value> = data
            .as_object()
            .unwrap()
            .values()
            .filter(|payload| payload["userErrors"] != json!([]))
            .collect();
        assert!(refused.is_empty(), "{refused:?}");
    }
}

async fn extracts_page_500_at_a_time(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let student = app.student("Ana", "Reyes").await;
    let plan = app.plan(&student, &app.intervention("Reading").await).await;
    let admin = app.as_admin();
    record_many(&admin, "recordProgressPoint", "value: 12.5", &plan, 501).await;
    record_many(
        &admin,
        "recordInterventionSession",
        "attended: true, minutes: 20",
        &plan,
        501,
    )
    .await;
    for extract in ["progressPointExtract", "interventionSessionExtract"] {
        let nodes = walk(&admin, extract, "id date", json!({})).await;
        assert_eq!(nodes.len(), 501, "{extract}: two pages, 500 and 1");
        let query = format!("{{ {extract}(first: 500) {{ totalCount }} }}");
        let data = admin.query(&query, json!({})).await.data();
        assert_eq!(data[extract]["totalCount"], 501);
    }
    let too_many = "{ progressPointExtract(first: 501) { nodes { id } } }";
    admin
        .query(too_many, json!({}))
        .await
        .assert_bad_user_input("at most 500");
}

const POINTS: &str = "{ progressPointExtract { nodes { id plan { student { id } } } } }";
const SESSIONS: &str = "{ interventionSessionExtract { nodes { id plan { student { id } } } } }";

/// The nodes of the one extract `query` selects, as `client` reads them.
async fn nodes(client: &Client, query: &str) -> Vec<Value> {
    let data = client.query(query, json!({})).await.data();
    let (_, extract) = data.as_object().unwrap().iter().next().unwrap();
    extract["nodes"].as_array().unwrap().clone()
}

/// Asserts that the extract `query` shows an admin of another district none of this one's
/// records, and is FORBIDDEN (not shown less) to the roles that do not read the district's
/// records, a social worker and a teacher of `school` among them.
pub async fn only_for_district_readers(app: &TestApp, school: &str, query: &str) {
    let elsewhere = app.district("Elsewhere").await.expect("a district");
    let other = app.as_actor(Actor {
        district_id: elsewhere,
        ..app.actor(Role::DistrictAdmin)
    });
    assert!(nodes(&other, query).await.is_empty(), "{query}");
    for client in [
        app.as_social_worker(None, &[school]),
        app.as_school_staff(None, &[school]),
        app.as_sis(),
        app.as_agency(None),
    ] {
        let answer = client.query(query, json!({})).await;
        assert_eq!(answer.code(), "FORBIDDEN", "{client:?}: {query}");
    }
}

/// The nodes of the extract `query` as a BI reader reads them, asserting that none of `names`
/// is in the answer, and that asking for `field` of the students is FORBIDDEN to it.
pub async fn as_bi_reader(app: &TestApp, query: &str, names: &[&str], field: &str) -> Vec<Value> {
    let bi = app.as_bi();
    let answer = bi.query(query, json!({})).await;
    let text = answer.body.to_string();
    assert!(names.iter().all(|name| !text.contains(name)), "{text}");
    let named = bi
        .query(
            &query.replace("student { id", &format!("student {{ id {field}")),
            json!({}),
        )
        .await;
    assert_eq!(named.code(), "FORBIDDEN", "{field}");
    assert!(
        names
            .iter()
            .all(|name| !named.body.to_string().contains(name)),
        "{}",
        named.body
    );
    nodes(&bi, query).await
}

async fn extracts_show_only_the_students_a_role_reads(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let district = district(&app).await;
    for query in [POINTS, SESSIONS] {
        only_for_district_readers(&app, &district.north, query).await;
    }
}

async fn a_bi_reader_sees_students_by_pseudonym_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let district = district(&app).await;
    let ana = super::pseudonyms::pseudonym_of(&app, &district.ana).await;
    for (query, field) in [(POINTS, "legalLastName"), (SESSIONS, "localId")] {
        let nodes = as_bi_reader(&app, query, &["Reyes", "Okafor"], field).await;
        assert_eq!(nodes.len(), 3, "{query}");
        assert_eq!(nodes[0]["plan"]["student"]["id"], ana.as_str());
    }
}

on_both_backends!(
    point_and_session_extracts_filter_in_sql,
    extracts_page_500_at_a_time,
    extracts_show_only_the_students_a_role_reads,
    a_bi_reader_sees_students_by_pseudonym_only,
);
