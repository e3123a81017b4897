//! Staff members and guardians are people the roster writes alike: names stored trimmed, an
//! e-mail address that looks like one, and the key of the SIS that owns the record.

use entity::{guardian, staff};
use sea_orm::{ActiveValue, Condition, IntoActiveModel};
use uuid::Uuid;

use super::writes::{Sourced, insert_sourced, trim, update_checked};
use crate::{
    auth::{Actor, policy},
    db::{Write, loader::Keyed},
    errors::AppResult,
    validation::{Check, Outcome},
};

/// A person's names and e-mail address in a change: what it sets of them.
type PersonChanges<'a> = (
    &'a mut ActiveValue<String>,
    &'a mut ActiveValue<String>,
    &'a ActiveValue<Option<String>>,
);

/// A table of people: where a row keeps its names and e-mail address, and which rows a writer
/// may change.
pub trait People: Keyed {
    /// One record, for a DUPLICATE message ("a guardian").
    const WHAT: &'static str;
    fn person(row: &mut Self::Model) -> (&mut String, &mut String, Option<&str>);
    fn changes(changes: &mut Self::ActiveModel) -> PersonChanges<'_>;
    fn rows(actor: &Actor) -> AppResult<Condition>;
}

macro_rules! people {
    ($($entity:ident: $what:literal, $rows:path;)+) => {$(
        impl People for $entity::Entity {
            const WHAT: &'static str = $what;
            fn person(row: &mut Self::Model) -> (&mut String, &mut String, Option<&str>) {
                (&mut row.first_name, &mut row.last_name, row.email.as_deref())
            }
            fn changes(changes: &mut Self::ActiveModel) -> PersonChanges<'_> {
                (&mut changes.first_name, &mut changes.last_name, &changes.email)
            }
            fn rows(actor: &Actor) -> AppResult<Condition> {
                $rows(actor)
            }
        }
    )+};
}
people! {
    staff: "a staff member", policy::staff_rows;
    guardian: "a guardian", policy::guardian_rows;
}

fn check_person(check: &mut Check, first: Option<&str>, last: Option<&str>, email: Option<&str>) {
    check.text("firstName", first, 100);
    check.text("lastName", last, 100);
    check.email("email", email);
}

/// Adds `row` to the writer's district; names are trimmed, and a taken `sourcedId` is a
/// DUPLICATE.
pub async fn create<E>(write: &Write<'_>, mut row: E::Model) -> AppResult<Outcome<E::Model>>
where
    E: People,
    E::Model: Sourced + IntoActiveModel<E::ActiveModel> + Clone,
{
    policy::write_roster(write.actor())?;
    let mut check = Check::default();
    prepare::<E>(&mut check, &mut row);
    insert_sourced::<E>(write, check, row, E::WHAT).await
}

/// Holds a new or pushed `row` to the rules of people: names trimmed, names and e-mail
/// address checked (problems go to `check`).
pub fn prepare<E: People>(check: &mut Check, row: &mut E::Model) {
    let (first, last, email) = E::person(row);
    for name in [&mut *first, &mut *last] {
        *name = name.trim().to_string();
    }
    check_person(check, Some(first), Some(last), email);
}

/// Applies `changes` to person `id` if it is still at `version`; names are trimmed.
pub async fn update<E>(
    write: &Write<'_>,
    (id, version): (Uuid, i32),
    mut changes: E::ActiveModel,
) -> AppResult<Outcome<E::Model>>
where
    E: People,
    E::Model: Sync,
{
    let actor = write.actor();
    policy::write_roster(actor)?;
    let (first, last, email) = E::changes(&mut changes);
    trim([&mut *first, &mut *last]);
    let mut check = Check::default();
    check_person(
        &mut check,
        first.try_as_ref().map(String::as_str),
        last.try_as_ref().map(String::as_str),
        email.try_as_ref().and_then(Option::as_deref),
    );
    update_checked::<E>(write, check, changes, (id, version), E::rows(actor)?).await
}
