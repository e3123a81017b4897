//! The rules of abuse reports, without GraphQL: a concern recorded, then filed once.

use chrono::Utc;
use entity::abuse_report;
use uuid::Uuid;

use crate::{
    auth::policy,
    db::Write,
    errors::{AppError, AppResult},
    roster::students::service::check_visible,
    validation::{Check, Outcome, UserErrorCode},
};

/// Records concern `row` about a student the writer sees, learned of no later than now.
pub async fn record(
    write: &Write<'_>,
    row: abuse_report::Model,
) -> AppResult<Outcome<abuse_report::Model>> {
    policy::write_crisis_records(write.actor())?;
    let mut check = Check::default();
    check_visible(write, &mut check, row.student_id).await?;
    check.text("concern", Some(&row.concern), 8000);
    check.not_in_future("learnedAt", Some(row.learned_at), Utc::now());
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    Ok(Ok(write.insert_new::<abuse_report::Entity>(row).await?))
}

/// Files report `id` (if still at `version`): not twice, not before the concern was learned
/// of, not in the future, with an agency and a report number.
pub async fn file(
    write: &Write<'_>,
    (id, version): (Uuid, i32),
    changes: abuse_report::ActiveModel,
) -> AppResult<Outcome<abuse_report::Model>> {
    let actor = write.actor();
    policy::write_crisis_records(actor)?;
    let scope = policy::crisis_rows(actor, abuse_report::Column::StudentId)?;
    let report = write
        .find::<abuse_report::Entity>(id, scope.clone())
        .await?
        .ok_or_else(|| AppError::not_found("AbuseReport", id))?;
    let mut check = Check::default();
    if report.filed_at.is_some() {
        check.fail(
            "id",
            UserErrorCode::InvalidTransition,
            "the report was filed already",
        );
    }
    let filed_at = changes.filed_at.try_as_ref().copied().flatten();
    check.dates_in_order(Some(report.learned_at), filed_at, "filedAt", "learnedAt");
    check.not_in_future("filedAt", filed_at, Utc::now());
    for (field, value) in [
        ("agency", &changes.agency),
        ("reportNumber", &changes.report_number),
    ] {
        let text = value.try_as_ref().cloned().flatten();
        check.text(field, Some(text.as_deref().unwrap_or_default()), 200);
    }
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    Ok(Ok(write
        .update::<abuse_report::Entity>(changes, (id, version), scope)
        .await?))
}
