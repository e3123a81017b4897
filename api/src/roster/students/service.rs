//! The rules of writing students, without GraphQL: the API's mutations, a command or an SIS
//! import run them alike, inside a [`Write`] they commit.

use std::collections::HashSet;

use chrono::NaiveDate;
use entity::{student, values};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::{
    auth::policy,
    db::Write,
    errors::AppResult,
    roster::{
        bulk,
        writes::{insert_sourced, trim, update_checked},
    },
    validation::{Check, Outcome},
};

fn check_student(
    check: &mut Check,
    first: Option<&str>,
    last: Option<&str>,
    grade: Option<&str>,
    birth: Option<NaiveDate>,
    today: NaiveDate,
) {
    check.text("legalFirstName", first, 100);
    check.text("legalLastName", last, 100);
    check.grade("gradeLevel", grade);
    check.not_in_future("birthDate", birth, today);
}

/// The student a record (of any domain) is about must exist and be the writer's to see
/// (`studentId`), checked in the write's own transaction.
pub async fn check_visible(write: &Write<'_>, check: &mut Check, id: Uuid) -> AppResult<()> {
    let scope = policy::student_rows(write.actor())?;
    check.found(
        "studentId",
        write.find::<student::Entity>(id, scope).await?,
        "student",
    );
    Ok(())
}

/// Adds `row` to the writer's district; names are trimmed, and a taken `sourcedId` is a
/// DUPLICATE.
pub async fn create(
    write: &Write<'_>,
    mut row: student::Model,
) -> AppResult<Outcome<student::Model>> {
    let actor = write.actor();
    policy::write_roster(actor)?;
    let mut check = Check::default();
    prepare(&mut check, &mut row, actor.today);
    insert_sourced::<student::Entity>(write, check, row, "a student").await
}

/// Trims a whole student's names and checks its fields: what a created and a pushed (synced)
/// student are held to alike.
pub fn prepare(check: &mut Check, row: &mut student::Model, today: NaiveDate) {
    row.legal_first_name = row.legal_first_name.trim().into();
    row.legal_last_name = row.legal_last_name.trim().into();
    check_student(
        check,
        Some(&row.legal_first_name),
        Some(&row.legal_last_name),
        Some(&row.grade_level),
        row.birth_date,
        today,
    );
}

/// Applies `changes` to student `id` if it is still at `version`; names are trimmed.
pub async fn update(
    write: &Write<'_>,
    at: (Uuid, i32),
    mut changes: student::ActiveModel,
) -> AppResult<Outcome<student::Model>> {
    let actor = write.actor();
    policy::write_roster(actor)?;
    trim([&mut changes.legal_first_name, &mut changes.legal_last_name]);
    let mut check = Check::default();
    check_student(
        &mut check,
        changes.legal_first_name.try_as_ref().map(String::as_str),
        changes.legal_last_name.try_as_ref().map(String::as_str),
        changes.grade_level.try_as_ref().map(String::as_str),
        changes.birth_date.try_as_ref().copied().flatten(),
        actor.today,
    );
    let scope = policy::student_rows(actor)?;
    update_checked::<student::Entity>(write, check, changes, at, scope).await
}

/// The active students `system` pushed that `sent` (sourced ids) lacks, made INACTIVE (never
/// deleted) with their audit and change rows, for a source that sends the whole of its
/// students (a OneRoster bulk `users.csv`). `allowed` says, given how many would be
/// deactivated of how many active, whether they may be; the answer is (deactivated, active).
pub async fn deactivate_missing(
    write: &Write<'_>,
    system: &str,
    sent: &HashSet<&str>,
    allowed: impl FnOnce(usize, usize) -> bool,
) -> AppResult<(usize, usize)> {
    let actor = write.actor();
    policy::write_roster(actor)?;
    let active = student::Entity::find()
        .filter(policy::student_rows(actor)?)
        .filter(student::Column::SourceSystem.eq(system))
        .filter(student::Column::Status.eq(values::StudentStatus::Active))
        .all(write.txn())
        .await?;
    let total = active.len();
    let missing: Vec<student::Model> = active
        .into_iter()
        .filter(|row| !sent.contains(row.sourced_id.as_deref().unwrap_or_default()))
        .collect();
    let count = missing.len();
    if count == 0 || !allowed(count, total) {
        return Ok((count, total));
    }
    let stored = missing.iter().map(|row| (row.id, row.clone())).collect();
    let inactive = missing.into_iter().map(|row| student::Model {
        status: values::StudentStatus::Inactive,
        ..row
    });
    let planned = bulk::plan_by::<student::Entity, _>(
        &stored,
        inactive.collect(),
        &[student::Column::Status],
        |row| row.id,
    );
    bulk::apply::<student::Entity>(write, &planned, &[student::Column::Status]).await?;
    Ok((count, total))
}
