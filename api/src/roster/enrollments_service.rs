//! The rules of writing enrollments, without GraphQL: the API's mutations and an SIS import
//! run them alike, inside a [`Write`] they commit.

use chrono::{NaiveDate, Utc};
use entity::{enrollment, school, student, values::AuditAction};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use super::writes::{insert_sourced, update_checked};
use crate::{
    auth::policy,
    db::{BATCH_ROWS, Recorded, Write},
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

/// The enrollments at `schools` that `system` pushed and that are open on `today` (no exit
/// date, or one still to come): what a FULL sync of those schools may close.
pub async fn open_from(
    write: &Write<'_>,
    system: &str,
    schools: &[Uuid],
    today: NaiveDate,
) -> AppResult<Vec<enrollment::Model>> {
    let actor = write.actor();
    Ok(enrollment::Entity::find()
        .filter(policy::enrollment_rows(actor)?)
        .filter(enrollment::Column::SchoolId.is_in(schools.iter().copied()))
        .filter(enrollment::Column::SourceSystem.eq(system))
        .filter(still_open(today))
        .all(write.txn())
        .await?)
}

fn still_open(today: NaiveDate) -> Condition {
    Condition::any()
        .add(enrollment::Column::ExitDate.is_null())
        .add(enrollment::Column::ExitDate.gt(today))
}

/// Closes `rows` (never deletes them): their exit date becomes `on`, or their entry date for
/// one not begun yet, so the dates stay in order. A thousand rows per UPDATE, with the audit
/// and change rows; a row closed meanwhile makes it a CONFLICT to retry (a row changed
/// otherwise is still closed: only its exit date is written).
pub async fn close(write: &Write<'_>, rows: &[enrollment::Model], on: NaiveDate) -> AppResult<()> {
    let actor = write.actor();
    policy::write_roster(actor)?;
    let now = Utc::now();
    let exit = Expr::case(
        Expr::col(enrollment::Column::EntryDate).gt(on),
        Expr::col(enrollment::Column::EntryDate),
    )
    .finally(Expr::val(on));
    for chunk in rows.chunks(BATCH_ROWS) {
        let closed = enrollment::Entity::update_many()
            .col_expr(enrollment::Column::ExitDate, exit.clone().into())
            .col_expr(enrollment::Column::UpdatedAt, Expr::value(now))
            .col_expr(
                enrollment::Column::Version,
                Expr::col(enrollment::Column::Version).add(1),
            )
            .filter(enrollment::Column::Id.is_in(chunk.iter().map(|row| row.id)))
            .filter(still_open(on))
            .filter(policy::enrollment_rows(actor)?)
            .exec(write.txn())
            .await?;
        if closed.rows_affected != chunk.len() as u64 {
            return Err(AppError::Conflict(
                "enrollments to close were changed by someone else; send the sync again".into(),
            ));
        }
    }
    let recorded = rows
        .iter()
        .map(|row| {
            let mut after = row.clone();
            after.exit_date = Some(Ord::max(on, row.entry_date));
            after.version += 1;
            after.updated_at = now;
            let changes = enrollment::ActiveModel {
                exit_date: Set(after.exit_date),
                ..Default::default()
            };
            Recorded::written(AuditAction::Update, &after, &changes)
        })
        .collect();
    write.record_many(recorded).await
}
