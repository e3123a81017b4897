//! What the audit log says a write did: the entity and the columns written, read from the
//! entity itself, and dates a write fills in taken from the district's calendar.

use chrono::{Timelike, Utc};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;
use ssw_api::auth::{Actor, Role};

use crate::helpers::{Backend, TestApp, on_both_backends, uuid_of};

/// The entity and fields of every audit event about record `id`, oldest first.
async fn audit_of(app: &TestApp, id: &str) -> Vec<(String, String, String)> {
    let backend = app.db.get_database_backend();
    let id = uuid_of(id);
    let rows = app
        .db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            match backend {
                sea_orm::DbBackend::Postgres => {
                    "SELECT entity, action, fields FROM audit_event WHERE entity_id = $1 ORDER BY id"
                }
                _ => "SELECT entity, action, fields FROM audit_event WHERE entity_id = ? ORDER BY id",
            },
            [id.into()],
        ))
        .await
        .expect("audit rows");
    rows.iter()
        .map(|row| {
            (
                row.try_get("", "entity").unwrap(),
                row.try_get("", "action").unwrap(),
                row.try_get("", "fields").unwrap(),
            )
        })
        .collect()
}

fn fields(list: &str) -> Vec<&str> {
    list.split(',').collect()
}

/// The audit fields are the columns written: a student's status on create and update, a
/// school's lowest and highest grade (once logged as `grades`, and status not at all).
async fn audit_fields_are_the_columns_written(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let student = app.student("Ana", "Ruiz").with("status", "INACTIVE").await;
    admin.query("mutation($id: ID!) { updateStudent(input: { id: $id, version: 1, status: ACTIVE }) { student { status } } }", json!({ "id": student })).await.data();
    let events = audit_of(&app, &student).await;
    assert_eq!(events.len(), 2, "{events:?}");
    let (entity, action, created) = &events[0];
    assert_eq!((entity.as_str(), action.as_str()), ("student", "CREATE"));
    for column in [
        "legal_first_name",
        "legal_last_name",
        "grade_level",
        "status",
    ] {
        assert!(fields(created).contains(&column), "{column} in {created}");
    }
    assert!(
        !fields(created).contains(&"version"),
        "bookkeeping columns are not audit fields: {created}"
    );
    assert_eq!(events[1].1, "UPDATE");
    assert_eq!(fields(&events[1].2), ["status"]);

    let school = app.school("Lincoln Elementary").await;
    admin.query("mutation($id: ID!) { updateSchool(input: { id: $id, version: 1, lowestGrade: \"PK\", highestGrade: \"06\" }) { school { lowestGrade } } }", json!({ "id": school })).await.data();
    let events = audit_of(&app, &school).await;
    assert_eq!(events.last().unwrap().0, "school");
    let mut updated = fields(&events.last().unwrap().2);
    updated.sort();
    assert_eq!(updated, ["highest_grade", "lowest_grade"]);
}

/// `placeInTier` without `decidedOn` records the district's date, not UTC's.
async fn a_tier_decision_defaults_to_the_districts_date(backend: Backend) {
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
    assert_ne!(local_today, now.date_naive());
    let district = app
        .district("Island District")
        .state("HI")
        .time_zone(zone)
        .await
        .unwrap();
    let admin = app.as_actor(Actor {
        district_id: district,
        ..app.actor(Role::DistrictAdmin)
    });
    let student = app.student("Ika", "Reef").by(&admin).await;
    let placed = admin
        .query(
            "mutation($student: ID!) { placeInTier(input: { studentId: $student, domain: BEHAVIOR, tier: 2, effectiveFrom: \"2025-09-01\", decidedBy: \"MTSS team\" }) { placement { decidedOn } userErrors { code } } }",
            json!({ "student": student }),
        )
        .await
        .data();
    assert_eq!(
        placed["placeInTier"]["placement"]["decidedOn"],
        local_today.to_string(),
        "{placed}"
    );
}

on_both_backends!(
    audit_fields_are_the_columns_written,
    a_tier_decision_defaults_to_the_districts_date,
);
