//! The rules of writing schools, without GraphQL: the API's mutations and an SIS import run
//! them alike, inside a [`Write`] they commit.

use entity::school;
use sea_orm::ActiveValue;
use uuid::Uuid;

use crate::{
    auth::policy,
    db::Write,
    errors::{AppError, AppResult},
    roster::writes::{insert_sourced, trim, update_checked},
    validation::{Check, GRADE_LEVELS, Outcome, UserErrorCode},
};

fn check_school(
    check: &mut Check,
    name: Option<&str>,
    grades: (&str, &str),
    rates: [(&str, Option<f64>); 2],
) {
    check.text("name", name, 200);
    check.grade("lowestGrade", Some(grades.0));
    check.grade("highestGrade", Some(grades.1));
    let rank = |grade: &str| GRADE_LEVELS.iter().position(|g| *g == grade);
    if let (Some(low), Some(high)) = (rank(grades.0), rank(grades.1))
        && low > high
    {
        check.fail(
            "highestGrade",
            UserErrorCode::OutOfRange,
            "highestGrade may not be below lowestGrade",
        );
    }
    for (field, rate) in rates {
        if rate.is_some_and(|r| !(0.0..=100.0).contains(&r)) {
            check.fail(
                field,
                UserErrorCode::OutOfRange,
                format!("{field} is a percentage from 0 to 100"),
            );
        }
    }
}

/// Adds `row` to the writer's district; the name is trimmed, and a taken `sourcedId` is a
/// DUPLICATE.
pub async fn create(
    write: &Write<'_>,
    mut row: school::Model,
) -> AppResult<Outcome<school::Model>> {
    policy::write_roster(write.actor())?;
    let mut check = Check::default();
    prepare(&mut check, &mut row);
    insert_sourced::<school::Entity>(write, check, row, "a school").await
}

/// Trims a whole school's name and checks its fields: what a created and a pushed (synced)
/// school are held to alike.
pub fn prepare(check: &mut Check, row: &mut school::Model) {
    row.name = row.name.trim().into();
    check_school(
        check,
        Some(&row.name),
        (&row.lowest_grade, &row.highest_grade),
        [
            (
                "economicallyDisadvantagedPct",
                row.economically_disadvantaged_pct,
            ),
            ("chronicAbsenceRate", row.chronic_absence_rate),
        ],
    );
}

/// Applies `changes` to school `id` if it is still at `version`; the name is trimmed. The
/// grade range is checked as it will be after the change, so the school is read first.
pub async fn update(
    write: &Write<'_>,
    (id, version): (Uuid, i32),
    mut changes: school::ActiveModel,
) -> AppResult<Outcome<school::Model>> {
    let actor = write.actor();
    policy::write_roster(actor)?;
    let scope = policy::school_rows(actor)?;
    let current = write
        .find::<school::Entity>(id, scope.clone())
        .await?
        .ok_or_else(|| AppError::not_found("School", id))?;
    trim([&mut changes.name]);
    let grade = |change: &ActiveValue<String>, now| change.try_as_ref().cloned().unwrap_or(now);
    let lowest = grade(&changes.lowest_grade, current.lowest_grade);
    let highest = grade(&changes.highest_grade, current.highest_grade);
    let mut check = Check::default();
    check_school(
        &mut check,
        changes.name.try_as_ref().map(String::as_str),
        (&lowest, &highest),
        [
            (
                "economicallyDisadvantagedPct",
                changes
                    .economically_disadvantaged_pct
                    .try_as_ref()
                    .copied()
                    .flatten(),
            ),
            (
                "chronicAbsenceRate",
                changes.chronic_absence_rate.try_as_ref().copied().flatten(),
            ),
        ],
    );
    update_checked::<school::Entity>(write, check, changes, (id, version), scope).await
}
