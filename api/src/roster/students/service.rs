//! The rules of writing students, without GraphQL: the API's mutations, a command or an SIS
//! import run them alike, inside a [`Write`] they commit.

use chrono::NaiveDate;
use entity::student;
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use crate::{
    auth::policy,
    db::Write,
    errors::AppResult,
    roster::check_source,
    validation::{Check, Outcome, UserErrorCode, duplicate},
};

fn check_student(
    check: &mut Check,
    first: Option<&str>,
    last: Option<&str>,
    grade: Option<&str>,
    birth: Option<NaiveDate>,
    today: NaiveDate,
) {
    check.text("legalFirstName", first, 100);
    check.text("legalLastName", last, 100);
    check.grade("gradeLevel", grade);
    if birth.is_some_and(|b| b > today) {
        check.fail(
            "birthDate",
            UserErrorCode::OutOfRange,
            "birthDate may not be in the future",
        );
    }
}

/// Adds `row` to the writer's district; names are trimmed, and a taken `sourcedId` is a
/// DUPLICATE.
pub async fn create(
    write: &Write<'_>,
    mut row: student::Model,
) -> AppResult<Outcome<student::Model>> {
    let actor = write.actor();
    policy::write_roster(actor)?;
    row.legal_first_name = row.legal_first_name.trim().into();
    row.legal_last_name = row.legal_last_name.trim().into();
    let mut check = Check::default();
    check_student(
        &mut check,
        Some(&row.legal_first_name),
        Some(&row.legal_last_name),
        Some(&row.grade_level),
        row.birth_date,
        actor.today,
    );
    check_source(
        &mut check,
        row.source_system.as_deref(),
        row.sourced_id.as_deref(),
    );
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    Ok(write.insert::<student::Entity>(row).await?.ok_or_else(|| {
        duplicate(
            "sourcedId",
            "a student with this sourceSystem and sourcedId",
        )
    }))
}

/// Applies `changes` to student `id` if it is still at `version`; names are trimmed.
pub async fn update(
    write: &Write<'_>,
    (id, version): (Uuid, i32),
    mut changes: student::ActiveModel,
) -> AppResult<Outcome<student::Model>> {
    let actor = write.actor();
    policy::write_roster(actor)?;
    for name in [&mut changes.legal_first_name, &mut changes.legal_last_name] {
        if let Some(value) = name.try_as_ref() {
            *name = Set(value.trim().to_string());
        }
    }
    let mut check = Check::default();
    check_student(
        &mut check,
        changes.legal_first_name.try_as_ref().map(String::as_str),
        changes.legal_last_name.try_as_ref().map(String::as_str),
        changes.grade_level.try_as_ref().map(String::as_str),
        changes.birth_date.try_as_ref().copied().flatten(),
        actor.today,
    );
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    let scope = policy::student_rows(actor)?;
    Ok(Ok(write
        .update::<student::Entity>(changes, (id, version), scope)
        .await?))
}
