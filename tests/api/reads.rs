//! Reads bounded by the page: what one page of students with its relations costs does not grow
//! with the district. The same page is read in a small and in an eight times larger district;
//! the statements must be the same, and (on PostgreSQL, from `EXPLAIN ANALYZE` of the very
//! statements the request ran) so must the rows each statement reads.

use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};
use serde_json::{Value, json};
use ssw_api::auth::{Actor, Role};

use crate::helpers::{Backend, TestApp, on_both_backends};

/// A caseload screen: a page of students with every relation the front end shows.
const SCREEN: &str = "{ students(first: 20) { edges { node {
    id legalLastName gradeLevel
    currentSchool { name }
    enrollments { nodes { entryDate school { name } } }
    guardians { nodes { relationship guardian { firstName phone } } }
    currentTiers { domain tier }
    interventionPlans(statuses: [ACTIVE]) { nodes { decision trend intervention { name } progressPoints(last: 5) { nodes { date value expected } } } }
    hasIepOr504 homelessStatus { current } attendance { daysAbsent chronicallyAbsent }
} } } }";

/// The school page: one school's first students with their relations (`School.students`).
const SCHOOL_PAGE: &str = "query($school: ID!) { school(id: $school) { name
    students(first: 20) { totalCount nodes {
        legalLastName currentSchool { name } currentTiers { domain tier }
        interventionPlans(statuses: [ACTIVE]) { nodes { intervention { name } progressPoints(last: 5) { nodes { date value } } } }
        guardians { nodes { relationship guardian { firstName phone } } }
} } } }";

/// The screens whose reads are checked, each with its variables in a demo district.
#[derive(Clone, Copy, Debug)]
enum Screen {
    Caseload,
    SchoolPage,
}

impl Screen {
    fn request(self, demo: &ssw_api::demo::DemoSummary) -> (&'static str, Value) {
        match self {
            Screen::Caseload => (SCREEN, json!({})),
            Screen::SchoolPage => {
                let school = demo.social_worker.1[0];
                let id = ssw_api::graphql::ids::encode::<ssw_api::roster::School>(school);
                (SCHOOL_PAGE, json!({ "school": id.to_string() }))
            }
        }
    }
}

/// A statement's text without its values' placeholders, which vary with how many ids a list
/// holds (`IN ($1, $2, $3)` and `IN (?, ?)` are both `IN (..)`).
fn shape(sql: &str) -> String {
    let mut shape = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' | '?' => {
                while chars.peek().is_some_and(|c| c.is_ascii_digit()) {
                    chars.next();
                }
                shape.push('?');
            }
            _ => shape.push(c),
        }
    }
    while shape.contains("?, ?") {
        shape = shape.replace("?, ?", "?");
    }
    shape
}

/// Rows a plan reads: every scan node's rows, those it filtered out, over all its loops.
fn rows_read(plan: &Value) -> f64 {
    let loops = plan["Actual Loops"].as_f64().unwrap_or(1.0);
    let own = if plan.get("Relation Name").is_some() {
        (plan["Actual Rows"].as_f64().unwrap_or(0.0)
            + plan["Rows Removed by Filter"].as_f64().unwrap_or(0.0)
            + plan["Rows Removed by Index Recheck"]
                .as_f64()
                .unwrap_or(0.0))
            * loops
    } else {
        0.0
    };
    own + plan["Plans"]
        .as_array()
        .map_or(0.0, |children| children.iter().map(rows_read).sum())
}

/// The SQL the screen ran for a district admin of a demo district of `students`, and the rows
/// each statement read (PostgreSQL; zero on SQLite, which has no such count).
async fn screen_reads(
    backend: Backend,
    screen: Screen,
    students: usize,
) -> (Vec<(String, f64)>, Value) {
    let app = TestApp::spawn(backend).await;
    let demo = ssw_api::demo::seed(&app.db, students)
        .await
        .expect("demo data");
    let admin = app.as_actor(Actor {
        district_id: demo.district_id,
        ..app.actor(Role::DistrictAdmin)
    });
    let (query, variables) = screen.request(&demo);
    // Once to warm the process-wide caches (the district's time zone), then recorded.
    admin.query(query, variables.clone()).await.data();
    app.sql.record();
    let data = admin.query(query, variables).await.data();
    let ran = app.sql.recorded();
    let page = match screen {
        Screen::Caseload => &data["students"]["edges"],
        Screen::SchoolPage => &data["school"]["students"]["nodes"],
    };
    assert_eq!(page.as_array().unwrap().len(), 20, "{screen:?}");
    let data = data.clone();
    let mut reads = Vec::new();
    for statement in ran {
        let read = match backend {
            Backend::Postgres => {
                let explain = Statement {
                    sql: format!("EXPLAIN (ANALYZE, FORMAT JSON) {}", statement.sql),
                    ..statement.clone()
                };
                // The planner scans a table of a few hundred rows rather than use its index;
                // forbidding that shows the reads the indexes allow, as in a large district.
                let txn = app.db.begin().await.expect("a transaction");
                txn.execute_unprepared("SET LOCAL enable_seqscan = off")
                    .await
                    .expect("SET LOCAL");
                let row = txn
                    .query_one_raw(explain)
                    .await
                    .expect("EXPLAIN runs")
                    .expect("a plan");
                txn.rollback().await.expect("rollback");
                let plan: Value = row.try_get("", "QUERY PLAN").expect("a JSON plan");
                rows_read(&plan[0]["Plan"])
            }
            Backend::Sqlite => 0.0,
        };
        reads.push((shape(&statement.sql), read));
    }
    // The page's relations load concurrently, so their order varies from run to run.
    reads.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        app.db.get_database_backend() == DbBackend::Postgres,
        backend == Backend::Postgres
    );
    (reads, data)
}

/// One school's page reads what that school holds, not the district: in a district of eight
/// schools, no statement reads more rows than a few times the school's students (a scan of
/// the district's students would read eight times them).
/// SQLite reports no rows read, so there it only checks that the page loads.
async fn a_school_pages_reads_are_bounded_by_the_school(backend: Backend) {
    let (reads, data) = screen_reads(backend, Screen::SchoolPage, 2400).await;
    let enrolled = data["school"]["students"]["totalCount"].as_f64().unwrap();
    assert!(enrolled <= 400.0, "the school is one of eight ({enrolled})");
    for (sql, read) in reads {
        eprintln!("{backend:?}: {read} rows for a school of {enrolled}: {sql}");
        assert!(
            read <= enrolled * 3.0 + 100.0,
            "{read} rows read for a school of {enrolled} students: {sql}"
        );
    }
}

async fn a_pages_reads_do_not_grow_with_the_district(backend: Backend) {
    let screen = Screen::Caseload;
    let (small, _) = screen_reads(backend, screen, 300).await;
    let (large, _) = screen_reads(backend, screen, 2400).await;
    let statements =
        |reads: &[(String, f64)]| reads.iter().map(|(sql, _)| sql.clone()).collect::<Vec<_>>();
    assert_eq!(
        statements(&small),
        statements(&large),
        "the same statements in a district eight times larger"
    );
    for ((sql, small), (_, large)) in small.iter().zip(&large) {
        eprintln!("{backend:?} {screen:?}: {small} -> {large} rows: {sql}");
        // Twenty students' relations vary with the demo's dice; a scan of the district would
        // read about eight times as many rows.
        assert!(
            *large <= small * 2.0 + 100.0,
            "reads grew with the district ({small} -> {large} rows): {sql}"
        );
    }
}

/// The worklist's conditions read the partial indexes made for them: both databases use a
/// partial index only when the query states its condition in the index's words, so a change
/// of wording (or of index) would quietly bring back a scan of the district.
async fn the_worklist_reads_its_partial_indexes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let demo = ssw_api::demo::seed(&app.db, 300).await.expect("demo data");
    let admin = app.as_actor(Actor {
        district_id: demo.district_id,
        ..app.actor(Role::DistrictAdmin)
    });
    let query = "{ students(first: 20, filter: { tier: { domain: BEHAVIOR, tier: 3 }, chronicallyAbsent: true }) { totalCount nodes { id } } }";
    admin.query(query, json!({})).await.data();
    app.sql.record();
    admin.query(query, json!({})).await.data();
    let mut plans = String::new();
    for statement in app.sql.recorded() {
        let sql = match backend {
            Backend::Postgres => format!("EXPLAIN {}", statement.sql),
            Backend::Sqlite => format!("EXPLAIN QUERY PLAN {}", statement.sql),
        };
        // Small tables are scanned whatever their indexes; forbid that, as in a large district.
        let txn = app.db.begin().await.expect("a transaction");
        if backend == Backend::Postgres {
            txn.execute_unprepared("SET LOCAL enable_seqscan = off")
                .await
                .expect("SET LOCAL");
        }
        let rows = txn
            .query_all_raw(Statement { sql, ..statement })
            .await
            .expect("EXPLAIN runs");
        txn.rollback().await.expect("rollback");
        for row in rows {
            let line: String = match backend {
                Backend::Postgres => row.try_get("", "QUERY PLAN").expect("a plan line"),
                Backend::Sqlite => row.try_get("", "detail").expect("a plan line"),
            };
            plans.push_str(&line);
            plans.push('\n');
        }
    }
    for index in [
        "ix_attendance_rollup_chronic",
        "ix_tier_placement_current_tier",
    ] {
        assert!(
            plans.contains(index),
            "{backend:?} plans without {index}:\n{plans}"
        );
    }
}

on_both_backends!(
    a_pages_reads_do_not_grow_with_the_district,
    a_school_pages_reads_are_bounded_by_the_school,
    the_worklist_reads_its_partial_indexes,
);
