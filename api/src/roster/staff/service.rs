//! The rules of writing staff and their school assignments, without GraphQL: the API's
//! mutations and an SIS import run them alike, inside a [`Write`] they commit.

use entity::{school, staff, staff_school_assignment as assignment};
use uuid::Uuid;

use crate::{
    auth::policy,
    db::Write,
    errors::{AppError, AppResult},
    roster::{people, writes::update_checked},
    validation::{Check, Outcome},
};

/// Adds `row` to the writer's district (see [`people`]: the rules of staff and guardians).
pub async fn create(write: &Write<'_>, row: staff::Model) -> AppResult<Outcome<staff::Model>> {
    people::create::<staff::Entity>(write, row).await
}

/// Applies `changes` to staff member `id` if it is still at `version`.
pub async fn update(
    write: &Write<'_>,
    at: (Uuid, i32),
    changes: staff::ActiveModel,
) -> AppResult<Outcome<staff::Model>> {
    people::update::<staff::Entity>(write, at, changes).await
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

/// Holds a new or pushed `row` to the rules of staff (see [`people::prepare`]).
pub fn prepare(check: &mut Check, row: &mut staff::Model) {
    people::prepare::<staff::Entity>(check, row);
}
