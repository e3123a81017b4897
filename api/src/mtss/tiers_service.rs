//! The rules of tier placements, without GraphQL.

use chrono::NaiveDate;
use entity::tier_placement;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::{
    auth::policy::{self, Educational},
    db::Write,
    errors::{AppError, AppResult},
    roster::students::service::check_visible,
    validation::{Check, Outcome, UserErrorCode},
};

/// Tiers run from 1 (universal) to 3 (intensive).
pub fn check_tier(check: &mut Check, tier: i32) {
    if !(1..=3).contains(&tier) {
        check.fail("tier", UserErrorCode::OutOfRange, "tier is 1, 2 or 3");
    }
}

/// Places the student of `row` in its tier for its domain. The current placement of that
/// domain, if any, ends the day before `row` starts, in the same transaction.
pub async fn place(
    write: &Write<'_>,
    mut row: tier_placement::Model,
) -> AppResult<Outcome<tier_placement::Model>> {
    let actor = write.actor();
    policy::write_educational(actor, Educational::Tiers)?;
    row.decided_by = row.decided_by.trim().into();
    let mut check = Check::default();
    check_visible(write, &mut check, row.student_id).await?;
    check_tier(&mut check, row.tier);
    // A placement takes effect when it is made: "current" means started and not ended.
    if row.effective_from > actor.today {
        check.fail(
            "effectiveFrom",
            UserErrorCode::OutOfRange,
            "a placement cannot start in the future",
        );
    }
    check.text("decidedBy", Some(&row.decided_by), 200);
    let scope =
        policy::educational_rows(actor, Educational::Tiers, tier_placement::Column::StudentId)?;
    let current = tier_placement::Entity::find()
        .filter(scope.clone())
        .filter(tier_placement::Column::StudentId.eq(row.student_id))
        .filter(tier_placement::Column::Domain.eq(row.domain))
        .filter(tier_placement::Column::EffectiveTo.is_null())
        .one(write.txn())
        .await?;
    if let Some(current) = &current
        && row.effective_from <= current.effective_from
    {
        check.fail(
            "effectiveFrom",
            UserErrorCode::DatesOutOfOrder,
            "effectiveFrom must come after the current placement's start",
        );
    }
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    if let Some(current) = current {
        // Closes the placement only if it is unchanged since it was read: a concurrent
        // writer that closed it first makes this a conflict, never a second current row.
        let closing = tier_placement::ActiveModel {
            effective_to: Set(Some(
                row.effective_from.pred_opt().unwrap_or(NaiveDate::MIN),
            )),
            ..Default::default()
        };
        write
            .update::<tier_placement::Entity>(closing, (current.id, current.version), scope)
            .await?;
    }
    let row = write
        .insert::<tier_placement::Entity>(row)
        .await?
        .ok_or_else(|| {
            AppError::Conflict("the current placement changed meanwhile; reload and retry".into())
        })?;
    Ok(Ok(row))
}
