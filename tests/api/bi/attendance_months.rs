//! The attendance month extract: a student's days at a school per calendar month, counted in
//! SQL; each filter, its order and pages (500 at a time), who sees which rows, and what a BI
//! reader sees.

use chrono::Utc;
use serde_json::{Value, json};

use super::extract_records::{as_bi_reader, only_for_district_readers, walk};
use crate::{
    fixtures::mtss::RECORD_ATTENDANCE,
    helpers::{Backend, Client, TestApp, on_both_backends},
};

const EXTRACT: &str = "attendanceMonthExtract";
const MONTH: &str = "month days absent unexcused tardy student { id } school { id } updatedAt";

/// Records `days` (student, school, date, status) as the district admin.
async fn record(admin: &Client, days: &[(&str, &str, &str, &str)]) {
    let days: Vec<Value> = days
        .iter()
        .map(|(student, school, date, status)| {
            json!({ "studentId": student, "schoolId": school, "date": date, "status": status })
        })
        .collect();
    admin
        .query(RECORD_ATTENDANCE, json!({ "input": { "days": days } }))
        .await
        .payload("recordAttendance");
}

/// A month row as `(month, days, absent, unexcused, tardy)`.
fn counts(row: &Value) -> (&str, i64, i64, i64, i64) {
    let n = |key: &str| row[key].as_i64().unwrap();
    let month = row["month"].as_str().unwrap();
    (month, n("days"), n("absent"), n("unexcused"), n("tardy"))
}

struct District {
    north: String,
    south: String,
    ana: String,
    ben: String,
    /// A time after Ana's days were recorded and before Ben's.
    between: String,
}

/// Ana, enrolled at North: three days there in September (one unexcused, one tardy), two in
/// October (one excused), and one at South in October. Then Ben, enrolled at South: a day in
/// September and an unexcused one in November.
async fn district(app: &TestApp) -> District {
    let admin = app.as_admin();
    let (north, south) = (app.school("North").await, app.school("South").await);
    let ana = app.student("Ana", "Reyes").await;
    app.enrollment(&ana, &north).await;
    let (a, n, s) = (ana.as_str(), north.as_str(), south.as_str());
    record(
        &admin,
        &[
            (a, n, "2026-09-01", "PRESENT"),
            (a, n, "2026-09-02", "UNEXCUSED"),
            (a, n, "2026-09-03", "TARDY"),
            (a, n, "2026-10-01", "EXCUSED"),
            (a, n, "2026-10-02", "PRESENT"),
            (a, s, "2026-10-05", "PRESENT"),
        ],
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let between = Utc::now().to_rfc3339();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let ben = app.student("Ben", "Okafor").await;
    app.enrollment(&ben, &south).await;
    let b = ben.as_str();
    record(
        &admin,
        &[
            (b, s, "2026-09-10", "PRESENT"),
            (b, s, "2026-11-02", "UNEXCUSED"),
        ],
    )
    .await;
    District {
        north,
        south,
        ana,
        ben,
        between,
    }
}

async fn attendance_months_are_counted_and_filtered_in_sql(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let d = district(&app).await;
    let admin = app.as_admin();
    let read = |filter: Value| walk(&admin, EXTRACT, MONTH, filter);

    // By student, month and school.
    let all = read(json!({})).await;
    let rows: Vec<_> = all
        .iter()
        .map(|r| {
            (
                r["student"]["id"].as_str().unwrap(),
                r["school"]["id"].as_str().unwrap(),
                counts(r),
            )
        })
        .collect();
    let (ana, ben, north, south) = (&*d.ana, &*d.ben, &*d.north, &*d.south);
    assert_eq!(
        rows,
        [
            (ana, north, ("2026-09", 3, 1, 1, 1)),
            (ana, north, ("2026-10", 2, 1, 0, 0)),
            (ana, south, ("2026-10", 1, 0, 0, 0)),
            (ben, south, ("2026-09", 1, 0, 0, 0)),
            (ben, south, ("2026-11", 1, 1, 1, 0)),
        ]
    );
    let months = |rows: &[Value]| -> Vec<String> {
        rows.iter()
            .map(|r| {
                format!(
                    "{}@{}",
                    r["month"].as_str().unwrap(),
                    r["school"]["id"].as_str().unwrap() == north
                )
            })
            .collect()
    };

    // Students enrolled at North today: all of Ana's months, South's October too.
    let at_north = read(json!({ "schoolId": d.north })).await;
    assert_eq!(
        months(&at_north),
        ["2026-09@true", "2026-10@true", "2026-10@false"]
    );
    // `from` and `to` select whole months.
    let from = read(json!({ "from": "2026-10-15" })).await;
    assert_eq!(
        from.iter().map(counts).collect::<Vec<_>>(),
        [
            ("2026-10", 2, 1, 0, 0),
            ("2026-10", 1, 0, 0, 0),
            ("2026-11", 1, 1, 1, 0),
        ]
    );
    let to = read(json!({ "to": "2026-09-30" })).await;
    assert_eq!(
        to.iter().map(counts).collect::<Vec<_>>(),
        [("2026-09", 3, 1, 1, 1), ("2026-09", 1, 0, 0, 0),]
    );
    let october = read(json!({ "from": "2026-10-31", "to": "2026-10-01" })).await;
    assert_eq!(
        october.len(),
        2,
        "the months of both days: October's two rows"
    );

    // A month changed since a time is one with a day changed since: counted whole.
    let changed = read(json!({ "updatedSince": d.between })).await;
    assert_eq!(
        changed
            .iter()
            .map(|r| r["student"]["id"].clone())
            .collect::<Vec<_>>(),
        [ben, ben]
    );
    let mark = Utc::now().to_rfc3339();
    record(&admin, &[(ana, north, "2026-09-01", "EXCUSED")]).await;
    let changed = read(json!({ "updatedSince": mark })).await;
    assert_eq!(
        changed.iter().map(counts).collect::<Vec<_>>(),
        [("2026-09", 3, 2, 1, 1)]
    );
    let time = |text: &str| chrono::DateTime::parse_from_rfc3339(text).expect("RFC 3339");
    assert!(time(changed[0]["updatedAt"].as_str().unwrap()) >= time(&mark));

    // Small pages follow the same order, from any cursor.
    let query = "query($after: String) { attendanceMonthExtract(first: 2, after: $after) {
        nodes { month school { id } } pageInfo { hasNextPage endCursor } totalCount } }";
    let (mut paged, mut after) = (Vec::new(), Value::Null);
    loop {
        let page = admin.query(query, json!({ "after": after })).await.data()[EXTRACT].clone();
        assert_eq!(page["totalCount"], 5);
        paged.extend(page["nodes"].as_array().unwrap().clone());
        if page["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(months(&paged), months(&all));
    let bad = "{ attendanceMonthExtract(first: 1, after: \"nonsense\") { nodes { month } } }";
    admin
        .query(bad, json!({}))
        .await
        .assert_bad_user_input("not a valid cursor");
}

async fn attendance_months_page_500_at_a_time(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let school = app.school("North").await;
    let mut days = Vec::new();
    for i in 0..17 {
        let student = app.student("Student", &format!("N{i}")).await;
        // One day in each of 30 months, June 2024 to November 2026.
        for m in 0..30 {
            let (year, month) = (2024 + (5 + m) / 12, 1 + (5 + m) % 12);
            let date = format!("{year}-{month:02}-10");
            days.push(json!({ "studentId": student, "schoolId": school, "date": date, "status": "PRESENT" }));
        }
    }
    let admin = app.as_admin();
    admin
        .query(RECORD_ATTENDANCE, json!({ "input": { "days": days } }))
        .await
        .payload("recordAttendance");
    let rows = walk(&admin, EXTRACT, "month days student { id }", json!({})).await;
    assert_eq!(rows.len(), 510, "pages of 500 and 10");
    assert!(rows.iter().all(|r| r["days"] == 1));
    let mut order: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r["student"]["id"].to_string(), r["month"].to_string()))
        .collect();
    let walked = order.clone();
    order.sort_by_key(|(student, month)| (ssw_uuid(student), month.clone()));
    assert_eq!(walked, order, "by student, then month");
}

/// The UUID of a quoted global id (UUIDv7s sort as they were made).
fn ssw_uuid(quoted: &str) -> uuid::Uuid {
    crate::helpers::uuid_of(quoted.trim_matches('"'))
}

async fn attendance_months_for_the_roles_that_read_them(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let d = district(&app).await;
    let months = "{ attendanceMonthExtract { nodes { month student { id } } } }";
    only_for_district_readers(&app, &d.north, months).await;
    // A BI reader: the same rows, students by pseudonym, never by name.
    let nodes = as_bi_reader(&app, months, &["Reyes", "Okafor"], "legalFirstName").await;
    assert_eq!(nodes.len(), 5);
    let ana = super::pseudonyms::pseudonym_of(&app, &d.ana).await;
    assert_eq!(nodes[0]["student"]["id"], ana.as_str());
}

on_both_backends!(
    attendance_months_are_counted_and_filtered_in_sql,
    attendance_months_page_500_at_a_time,
    attendance_months_for_the_roles_that_read_them,
);
