//! The rules of the truancy ladder, without GraphQL: steps in order, once per school year.

use entity::truancy_step;
use sea_orm::{ActiveEnum, ColumnTrait, EntityTrait, QueryFilter};

use super::truancy::LADDER;
use crate::{
    auth::policy,
    db::Write,
    errors::AppResult,
    roster::students::service::check_visible,
    validation::{Check, Outcome, UserErrorCode, duplicate},
};

/// Records step `row`: every earlier step of its school year taken, on or after the day of
/// the one before; a step already taken that year is a DUPLICATE.
pub async fn record(
    write: &Write<'_>,
    row: truancy_step::Model,
) -> AppResult<Outcome<truancy_step::Model>> {
    let actor = write.actor();
    policy::write_truancy(actor)?;
    let mut check = Check::default();
    check_visible(write, &mut check, row.student_id).await?;
    check.not_in_future("date", Some(row.date), actor.today);
    check.text("outcome", row.outcome.as_deref(), 4000);
    let taken = truancy_step::Entity::find()
        .filter(policy::truancy_rows(actor)?)
        .filter(truancy_step::Column::StudentId.eq(row.student_id))
        .filter(truancy_step::Column::SchoolYear.eq(row.school_year))
        .all(write.txn())
        .await?;
    if taken.iter().any(|step| step.step == row.step) {
        let message = "this step was taken already this school year";
        check.fail("step", UserErrorCode::Duplicate, message);
    }
    let place = LADDER
        .iter()
        .position(|kind| *kind == row.step)
        .unwrap_or(0);
    if let Some(missing) = LADDER[..place]
        .iter()
        .find(|kind| taken.iter().all(|step| step.step != **kind))
    {
        let message = format!(
            "take {} first: the ladder goes in order",
            missing.to_value()
        );
        check.fail("step", UserErrorCode::InvalidTransition, message);
    }
    let latest = taken.iter().map(|step| step.date).max();
    check.dates_in_order(latest, Some(row.date), "date", "the previous step's date");
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    // Two writers recording the same step at once: the unique index settles it.
    let taken_already = || duplicate("step", "this step of the school year");
    Ok(write
        .insert::<truancy_step::Entity>(row)
        .await?
        .ok_or_else(taken_already))
}
