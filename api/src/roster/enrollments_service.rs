//! The rules of writing enrollments, without GraphQL: the API's mutations and an SIS import
//! run them alike, inside a [`Write`] they commit.

use entity::{enrollment, school, student};
use uuid::Uuid;

use super::writes::{insert_sourced, update_checked};
use crate::{
    auth::policy,
    db::Write,
    errors::{AppError, AppResult},
    validation::{Check, Outcome},
};

/// Enrolls a student in a school (`row`), both the writer's to see; a taken `sourcedId` is a
/// DUPLICATE.
pub async fn create(
    write: &Write<'_>,
    row: enrollment::Model,
) -> AppResult<Outcome<enrollment::Model>> {
    let actor = write.actor();
    policy::write_roster(actor)?;
    let mut check = Check::default();
    let student = write
        .find::<student::Entity>(row.student_id, policy::student_rows(actor)?)
        .await?;
    check.found("studentId", student, "student");
    let school = write
        .find::<school::Entity>(row.school_id, policy::school_rows(actor)?)
        .await?;
    check.found("schoolId", school, "school");
    check_fields(&mut check, &row);
    insert_sourced::<enrollment::Entity>(write, check, row, "an enrollment").await
}

/// Checks a whole enrollment's own fields (its student and school are the caller's to find):
/// what a created and a pushed (synced) enrollment are held to alike.
pub fn check_fields(check: &mut Check, row: &enrollment::Model) {
    check.grade("gradeLevel", Some(&row.grade_level));
    check.dates_in_order(Some(row.entry_date), row.exit_date, "exitDate", "entryDate");
}

/// Applies `changes` to enrollment `id` if it is still at `version`; the exit may not come
/// before the stored entry.
pub async fn update(
    write: &Write<'_>,
    (id, version): (Uuid, i32),
    changes: enrollment::ActiveModel,
) -> AppResult<Outcome<enrollment::Model>> {
    let actor = write.actor();
    policy::write_roster(actor)?;
    let scope = policy::enrollment_rows(actor)?;
    let current = write
        .find::<enrollment::Entity>(id, scope.clone())
        .await?
        .ok_or_else(|| AppError::not_found("Enrollment", id))?;
    let mut check = Check::default();
    check.grade(
        "gradeLevel",
        changes.grade_level.try_as_ref().map(String::as_str),
    );
    check.dates_in_order(
        Some(current.entry_date),
        changes.exit_date.try_as_ref().copied().flatten(),
        "exitDate",
        "entryDate",
    );
    update_checked::<enrollment::Entity>(write, check, changes, (id, version), scope).await
}
