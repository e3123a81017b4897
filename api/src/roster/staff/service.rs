//! The rules of writing staff and their school assignments, without GraphQL: the API's
//! mutations and an SIS import run them alike, inside a [`Write`] they commit.

use entity::{school, staff, staff_school_assignment as assignment};
use uuid::Uuid;

use crate::{
    auth::policy,
    db::Write,
    errors::{AppError, AppResult},
    roster::writes::{insert_sourced, trim, update_checked},
    validation::{Check, Outcome},
};

fn check_staff(check: &mut Check, first: Option<&str>, last: Option<&str>, email: Option<&str>) {
    check.text("firstName", first, 100);
    check.text("lastName", last, 100);
    check.email("email", email);
}

/// Adds `row` to the writer's district; names are trimmed, and a taken `sourcedId` is a
/// DUPLICATE.
pub async fn create(write: &Write<'_>, mut row: staff::Model) -> AppResult<Outcome<staff::Model>> {
    policy::write_roster(write.actor())?;
    row.first_name = row.first_name.trim().into();
    row.last_name = row.last_name.trim().into();
    let mut check = Check::default();
    check_staff(
        &mut check,
        Some(&row.first_name),
        Some(&row.last_name),
        row.email.as_deref(),
    );
    insert_sourced::<staff::Entity>(write, check, row, "a staff member").await
}

/// Applies `changes` to staff member `id` if it is still at `version`; names are trimmed.
pub async fn update(
    write: &Write<'_>,
    (id, version): (Uuid, i32),
    mut changes: staff::ActiveModel,
) -> AppResult<Outcome<staff::Model>> {
    let actor = write.actor();
    policy::write_roster(actor)?;
    trim([&mut changes.first_name, &mut changes.last_name]);
    let mut check = Check::default();
    check_staff(
        &mut check,
        changes.first_name.try_as_ref().map(String::as_str),
        changes.last_name.try_as_ref().map(String::as_str),
        changes.email.try_as_ref().and_then(Option::as_deref),
    );
    let scope = policy::staff_rows(actor)?;
    update_checked::<staff::Entity>(write, check, changes, (id, version), scope).await
}

/// Assigns a staff member to a school (`row`); both must be the writer's to see.
pub async fn assign(
    write: &Write<'_>,
    row: assignment::Model,
) -> AppResult<Outcome<assignment::Model>> {
    let actor = write.actor();
    policy::write_roster(actor)?;
    let mut check = Check::default();
    let staff = write
        .find::<staff::Entity>(row.staff_id, policy::staff_rows(actor)?)
        .await?;
    check.found("staffId", staff, "staff member");
    let school = write
        .find::<school::Entity>(row.school_id, policy::school_rows(actor)?)
        .await?;
    check.found("schoolId", school, "school");
    check.dates_in_order(Some(row.start_date), row.end_date, "endDate", "startDate");
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    // An assignment's only key is its new id: a collision is the server's, not the caller's.
    let row = write.insert::<assignment::Entity>(row).await?;
    Ok(Ok(row.ok_or_else(|| {
        AppError::Conflict("the record already exists".into())
    })?))
}

/// Applies `changes` (its end date) to assignment `id` if it is still at `version`; the end may
/// not come before the stored start.
pub async fn update_assignment(
    write: &Write<'_>,
    (id, version): (Uuid, i32),
    changes: assignment::ActiveModel,
) -> AppResult<Outcome<assignment::Model>> {
    let actor = write.actor();
    policy::write_roster(actor)?;
    let scope = policy::assignment_rows(actor)?;
    let current = write
        .find::<assignment::Entity>(id, scope.clone())
        .await?
        .ok_or_else(|| AppError::not_found("StaffAssignment", id))?;
    let mut check = Check::default();
    check.dates_in_order(
        Some(current.start_date),
        changes.end_date.try_as_ref().copied().flatten(),
        "endDate",
        "startDate",
    );
    update_checked::<assignment::Entity>(write, check, changes, (id, version), scope).await
}
