//! The rules of referrals to the social worker, without GraphQL: filing one, assigning it
//! (which opens the case), and its statuses: NEW -> ASSIGNED -> IN_PROGRESS -> CLOSED.

use chrono::{NaiveDate, Utc};
use entity::{
    ssw_case, ssw_referral,
    values::{AreaOfFocus, ReferralStatus},
};
use sea_orm::{ActiveEnum, Set};
use uuid::Uuid;

use super::cases_service::check_worker;
use crate::{
    auth::policy,
    db::Write,
    errors::{AppError, AppResult},
    roster::students::service::check_visible,
    validation::{Check, Outcome, UserErrorCode},
};

/// Longest description kept.
const DESCRIPTION_MAX: usize = 4000;

/// Files `row` (status NEW) for a student the writer sees: school staff, for students of
/// their schools.
pub async fn file(
    write: &Write<'_>,
    row: ssw_referral::Model,
) -> AppResult<Outcome<ssw_referral::Model>> {
    let actor = write.actor();
    policy::file_referrals(actor)?;
    let mut check = Check::default();
    check_visible(write, &mut check, row.student_id).await?;
    if row.reasons.is_empty() {
        check.fail(
            "reasons",
            UserErrorCode::Required,
            "give at least one reason",
        );
    }
    check.text("description", Some(&row.description), DESCRIPTION_MAX);
    check.not_in_future("referredOn", Some(row.referred_on), actor.today);
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    Ok(Ok(write.insert_new::<ssw_referral::Entity>(row).await?))
}

/// What assigning a referral opens.
pub struct Assignment {
    pub social_worker_id: Uuid,
    pub area_of_focus: AreaOfFocus,
    pub opened_on: NaiveDate,
}

/// Assigns NEW referral `id` (if still at `version`) to a worker, opening the worker's case
/// for the student in the same transaction; the referral is ASSIGNED and names the case.
pub async fn assign(
    write: &Write<'_>,
    (id, version): (Uuid, i32),
    assignment: Assignment,
) -> AppResult<Outcome<ssw_referral::Model>> {
    let (referral, scope) = workable(write, id).await?;
    let mut check = Check::default();
    if referral.status != ReferralStatus::New {
        check.fail(
            "id",
            UserErrorCode::InvalidTransition,
            format!(
                "only a NEW referral is assigned; this one is {}",
                name(referral.status)
            ),
        );
    }
    check_worker(
        write,
        &mut check,
        "socialWorkerId",
        assignment.social_worker_id,
    )
    .await?;
    check.not_in_future("openedOn", Some(assignment.opened_on), write.actor().today);
    check.dates_in_order(
        Some(referral.referred_on),
        Some(assignment.opened_on),
        "openedOn",
        "the referral's referredOn",
    );
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    let now = Utc::now();
    let case = write
        .insert_new::<ssw_case::Entity>(ssw_case::Model {
            id: Uuid::now_v7(),
            district_id: referral.district_id,
            student_id: referral.student_id,
            social_worker_id: assignment.social_worker_id,
            area_of_focus: assignment.area_of_focus,
            opened_on: assignment.opened_on,
            closed_on: None,
            closing_reason: None,
            created_at: now,
            updated_at: now,
            version: 1,
        })
        .await?;
    let changes = ssw_referral::ActiveModel {
        status: Set(ReferralStatus::Assigned),
        assigned_to_staff_id: Set(Some(assignment.social_worker_id)),
        case_id: Set(Some(case.id)),
        ..Default::default()
    };
    Ok(Ok(write
        .update::<ssw_referral::Entity>(changes, (id, version), scope)
        .await?))
}

/// Moves referral `id` (if still at `version`) to `status`: ASSIGNED -> IN_PROGRESS -> CLOSED,
/// or NEW -> CLOSED (declined at intake, no case opened). Any other move is
/// INVALID_TRANSITION (ASSIGNED comes from `assign`, which opens the case).
pub async fn move_to(
    write: &Write<'_>,
    (id, version): (Uuid, i32),
    status: ReferralStatus,
) -> AppResult<Outcome<ssw_referral::Model>> {
    let (referral, scope) = workable(write, id).await?;
    let next = match referral.status {
        ReferralStatus::New | ReferralStatus::InProgress => Some(ReferralStatus::Closed),
        ReferralStatus::Assigned => Some(ReferralStatus::InProgress),
        ReferralStatus::Closed => None,
    };
    if next != Some(status) {
        let mut check = Check::default();
        let allowed = match (referral.status, next) {
            (ReferralStatus::New, _) => "assign it (assignReferral) or close it".to_string(),
            (_, Some(next)) => format!("it can move to {} only", name(next)),
            (_, None) => "it is closed".to_string(),
        };
        check.fail(
            "status",
            UserErrorCode::InvalidTransition,
            format!(
                "a referral does not move from {} to {}: {allowed}",
                name(referral.status),
                name(status)
            ),
        );
        return Ok(Err(check.into_errors()));
    }
    let changes = ssw_referral::ActiveModel {
        status: Set(status),
        ..Default::default()
    };
    Ok(Ok(write
        .update::<ssw_referral::Entity>(changes, (id, version), scope)
        .await?))
}

/// Referral `id`, if the writer works cases and reads it; else FORBIDDEN or NOT_FOUND.
async fn workable(
    write: &Write<'_>,
    id: Uuid,
) -> AppResult<(ssw_referral::Model, sea_orm::Condition)> {
    let actor = write.actor();
    policy::work_cases(actor)?;
    let scope = policy::referral_rows(actor)?;
    let referral = write
        .find::<ssw_referral::Entity>(id, scope.clone())
        .await?
        .ok_or_else(|| AppError::not_found("Referral", id))?;
    Ok((referral, scope))
}

/// A status as the API spells it.
fn name(status: ReferralStatus) -> String {
    status.to_value()
}
