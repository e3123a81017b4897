//! The rules of writing guardians and their links to students, without GraphQL: the API's
//! mutations and an SIS import run them alike, inside a [`Write`] they commit.

use entity::{guardian, student, student_guardian as link};
use uuid::Uuid;

use crate::{
    auth::policy,
    db::Write,
    errors::AppResult,
    roster::{
        people,
        writes::{insert_checked, trim, update_checked},
    },
    validation::{Check, Outcome, UserErrorCode, duplicate},
};

fn check_link(check: &mut Check, relationship: Option<&str>, priority: Option<i32>) {
    check.text("relationship", relationship, 50);
    if priority.is_some_and(|p| !(1..=99).contains(&p)) {
        check.fail(
            "contactPriority",
            UserErrorCode::OutOfRange,
            "contactPriority is from 1 to 99",
        );
    }
}

/// Holds a new or pushed link to the rules of links: the relationship trimmed, and it and
/// the contact order checked (problems go to `check`).
pub fn prepare_link(check: &mut Check, row: &mut link::Model) {
    row.relationship = row.relationship.trim().into();
    check_link(check, Some(&row.relationship), Some(row.contact_priority));
}

/// Adds `row` to the writer's district (see [`people`]: the rules of staff and guardians).
pub async fn create(
    write: &Write<'_>,
    row: guardian::Model,
) -> AppResult<Outcome<guardian::Model>> {
    people::create::<guardian::Entity>(write, row).await
}

/// Applies `changes` to guardian `id` if it is still at `version`.
pub async fn update(
    write: &Write<'_>,
    at: (Uuid, i32),
    changes: guardian::ActiveModel,
) -> AppResult<Outcome<guardian::Model>> {
    people::update::<guardian::Entity>(write, at, changes).await
}

/// Links a guardian to a student (`row`), both the writer's to see; the relationship is
/// trimmed, and a second link of the same pair is a DUPLICATE.
pub async fn link(write: &Write<'_>, mut row: link::Model) -> AppResult<Outcome<link::Model>> {
    let actor = write.actor();
    policy::write_roster(actor)?;
    let mut check = Check::default();
    prepare_link(&mut check, &mut row);
    let student = write
        .find::<student::Entity>(row.student_id, policy::student_rows(actor)?)
        .await?;
    check.found("studentId", student, "student");
    let guardian = write
        .find::<guardian::Entity>(row.guardian_id, policy::guardian_rows(actor)?)
        .await?;
    check.found("guardianId", guardian, "guardian");
    insert_checked::<link::Entity>(write, check, row, || {
        duplicate("guardianId", "a link between this guardian and student")
    })
    .await
}

/// Applies `changes` to link `id` if it is still at `version`; the relationship is trimmed.
pub async fn update_link(
    write: &Write<'_>,
    (id, version): (Uuid, i32),
    mut changes: link::ActiveModel,
) -> AppResult<Outcome<link::Model>> {
    let actor = write.actor();
    policy::write_roster(actor)?;
    trim([&mut changes.relationship]);
    let mut check = Check::default();
    check_link(
        &mut check,
        changes.relationship.try_as_ref().map(String::as_str),
        changes.contact_priority.try_as_ref().copied(),
    );
    let scope = policy::guardian_link_rows(actor)?;
    update_checked::<link::Entity>(write, check, changes, (id, version), scope).await
}

/// Holds a new or pushed `row` to the rules of guardians (see [`people::prepare`]).
pub fn prepare(check: &mut Check, row: &mut guardian::Model) {
    people::prepare::<guardian::Entity>(check, row);
}
