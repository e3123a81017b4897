//! The rules of IEP/504 participation and meetings, without GraphQL.

use chrono::NaiveDate;
use entity::{iep_meeting, iep_participation as iep};
use sea_orm::{ActiveValue, Condition};
use uuid::Uuid;

use crate::{
    auth::policy::{self, Educational},
    db::Write,
    errors::AppResult,
    mtss::{
        descriptors_service::{DISABILITY, check_codes},
        references,
    },
    roster::students::service::check_visible,
    validation::{Check, Outcome, UserErrorCode},
};

fn check_minutes(check: &mut Check, minutes: Option<i32>) {
    if minutes.is_some_and(|m| !(0..=1200).contains(&m)) {
        check.fail(
            "socialWorkMinutesPerWeek",
            UserErrorCode::OutOfRange,
            "minutes per week is from 0 to 1200",
        );
    }
}

/// A primary disability must be a DisabilityDescriptor code.
async fn check_disability(
    write: &Write<'_>,
    check: &mut Check,
    disability: Option<&str>,
) -> AppResult<()> {
    let uris: Vec<&str> = disability.into_iter().collect();
    check_codes(write, check, "primaryDisability", DISABILITY, &uris).await
}

/// A record the writer may change or add a meeting to, with the records it may change; or
/// NOT_FOUND.
async fn writable(write: &Write<'_>, id: Uuid) -> AppResult<(iep::Model, Condition)> {
    let data = (Educational::SpecialEducation, iep::Column::StudentId);
    references::writable::<iep::Entity>(write, data, id, "IepParticipation").await
}

/// Records a student's IEP or 504 plan; its dates come in order and its disability is a
/// DisabilityDescriptor code.
pub async fn create(write: &Write<'_>, row: iep::Model) -> AppResult<Outcome<iep::Model>> {
    let actor = write.actor();
    policy::write_educational(actor, Educational::SpecialEducation)?;
    let mut check = Check::default();
    check_visible(write, &mut check, row.student_id).await?;
    check.dates_in_order(
        row.iep_begin_date,
        row.iep_end_date,
        "iepEndDate",
        "iepBeginDate",
    );
    check.dates_in_order(
        row.iep_last_review_date,
        row.iep_review_due_date,
        "iepReviewDueDate",
        "iepLastReviewDate",
    );
    check_minutes(&mut check, Some(row.social_work_minutes_per_week));
    check_disability(write, &mut check, row.primary_disability.as_deref()).await?;
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    Ok(Ok(write.insert_new::<iep::Entity>(row).await?))
}

/// Applies `changes` to record `id` if it is still at `version`; new dates are checked against
/// those the record keeps.
pub async fn update(
    write: &Write<'_>,
    (id, version): (Uuid, i32),
    changes: iep::ActiveModel,
) -> AppResult<Outcome<iep::Model>> {
    let (current, scope) = writable(write, id).await?;
    let new = |date: &ActiveValue<Option<NaiveDate>>| date.try_as_ref().copied().flatten();
    let mut check = Check::default();
    check.dates_in_order(
        current.iep_begin_date,
        new(&changes.iep_end_date),
        "iepEndDate",
        "iepBeginDate",
    );
    check.dates_in_order(
        new(&changes.iep_last_review_date).or(current.iep_last_review_date),
        new(&changes.iep_review_due_date),
        "iepReviewDueDate",
        "iepLastReviewDate",
    );
    check_minutes(
        &mut check,
        changes.social_work_minutes_per_week.try_as_ref().copied(),
    );
    let disability = changes.primary_disability.try_as_ref();
    check_disability(write, &mut check, disability.and_then(Option::as_deref)).await?;
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    Ok(Ok(write
        .update::<iep::Entity>(changes, (id, version), scope)
        .await?))
}

/// Records a meeting about a plan. Its attendees (one a line) are trimmed; at least one.
pub async fn record_meeting(
    write: &Write<'_>,
    mut row: iep_meeting::Model,
) -> AppResult<Outcome<iep_meeting::Model>> {
    writable(write, row.participation_id).await?;
    row.attendees = row
        .attendees
        .split('\n')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    let mut check = Check::default();
    if row.attendees.is_empty() {
        check.fail(
            "attendees",
            UserErrorCode::Required,
            "name at least one attendee",
        );
    }
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    Ok(Ok(write.insert_new::<iep_meeting::Entity>(row).await?))
}
