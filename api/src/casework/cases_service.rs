//! The rules of cases, without GraphQL: opening one for a student and a social worker, and
//! closing it.

use chrono::NaiveDate;
use entity::{
    ssw_case, staff,
    values::{CaseClosingReason, StaffRole},
};
use sea_orm::Set;
use uuid::Uuid;

use crate::{
    auth::policy,
    db::Write,
    errors::{AppError, AppResult},
    roster::students::service::check_visible,
    validation::{Check, Outcome, UserErrorCode},
};

/// Pupil-services staff: who may carry a case.
const CARRIES_CASES: &[StaffRole] = &[
    StaffRole::SocialWorker,
    StaffRole::Counselor,
    StaffRole::Psychologist,
    StaffRole::Nurse,
];

/// The staff member named at `field` must be of the district and of pupil services;
/// answers them (a contact keeps their license).
pub async fn check_worker(
    write: &Write<'_>,
    check: &mut Check,
    field: &str,
    id: Uuid,
) -> AppResult<Option<staff::Model>> {
    let scope = policy::staff_rows(write.actor())?;
    let found = write.find::<staff::Entity>(id, scope).await?;
    let worker = check.found(field, found, "staff member");
    if worker
        .as_ref()
        .is_some_and(|worker| !CARRIES_CASES.contains(&worker.role))
    {
        check.fail(
            field,
            UserErrorCode::Invalid,
            format!(
                "{field} must be pupil-services staff (a social worker, counselor, psychologist or nurse)"
            ),
        );
    }
    Ok(worker)
}

/// Opens case `row` for its student (whom the writer must see) and worker.
pub async fn open(write: &Write<'_>, row: ssw_case::Model) -> AppResult<Outcome<ssw_case::Model>> {
    policy::work_cases(write.actor())?;
    let mut check = Check::default();
    check_visible(write, &mut check, row.student_id).await?;
    check_worker(write, &mut check, "socialWorkerId", row.social_worker_id).await?;
    check.not_in_future("openedOn", Some(row.opened_on), write.actor().today);
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    Ok(Ok(write.insert_new::<ssw_case::Entity>(row).await?))
}

/// Closes case `id` (if still at `version`) on `closed_on`, not before it opened, for `reason`.
/// A closed case is not closed again: INVALID_TRANSITION.
pub async fn close(
    write: &Write<'_>,
    (id, version): (Uuid, i32),
    closed_on: NaiveDate,
    reason: CaseClosingReason,
) -> AppResult<Outcome<ssw_case::Model>> {
    let actor = write.actor();
    policy::work_cases(actor)?;
    let scope = policy::case_rows(actor)?;
    let case = write
        .find::<ssw_case::Entity>(id, scope.clone())
        .await?
        .ok_or_else(|| AppError::not_found("Case", id))?;
    let mut check = Check::default();
    if case.closed_on.is_some() {
        check.fail(
            "id",
            UserErrorCode::InvalidTransition,
            "the case is closed already",
        );
    }
    check.dates_in_order(
        Some(case.opened_on),
        Some(closed_on),
        "closedOn",
        "openedOn",
    );
    check.not_in_future("closedOn", Some(closed_on), write.actor().today);
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    let changes = ssw_case::ActiveModel {
        closed_on: Set(Some(closed_on)),
        closing_reason: Set(Some(reason)),
        ..Default::default()
    };
    Ok(Ok(write
        .update::<ssw_case::Entity>(changes, (id, version), scope)
        .await?))
}
