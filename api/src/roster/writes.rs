//! What the roster's services share: names are stored trimmed, nothing is written while the
//! input has problems, and a taken unique key comes back as a user error, not a failure.

use entity::{enrollment, guardian, school, staff, student};
use sea_orm::{ActiveValue, Condition, IntoActiveModel};
use uuid::Uuid;

use super::check_source;
use crate::{
    db::{Write, loader::Keyed},
    errors::AppResult,
    validation::{Check, Outcome, UserError, duplicate},
};

/// Trims the names an update sets.
pub fn trim<const N: usize>(names: [&mut ActiveValue<String>; N]) {
    for name in names {
        if let Some(value) = name.try_as_ref() {
            *name = ActiveValue::Set(value.trim().to_string());
        }
    }
}

/// A record an SIS may own, known there by `sourceSystem` and `sourcedId`.
pub trait Sourced {
    fn source(&self) -> (Option<&str>, Option<&str>);
}

macro_rules! sourced {
    ($($model:ty),+) => {$(
        impl Sourced for $model {
            fn source(&self) -> (Option<&str>, Option<&str>) {
                (self.source_system.as_deref(), self.sourced_id.as_deref())
            }
        }
    )+};
}
sourced!(
    school::Model,
    staff::Model,
    student::Model,
    guardian::Model,
    enrollment::Model
);

/// Inserts `row` unless `check` or its source key found problems; a taken key is a DUPLICATE
/// of `what` (for example "a school").
pub async fn insert_sourced<E>(
    write: &Write<'_>,
    mut check: Check,
    row: E::Model,
    what: &str,
) -> AppResult<Outcome<E::Model>>
where
    E: Keyed,
    E::Model: Sourced + IntoActiveModel<E::ActiveModel> + Clone,
{
    let (system, sourced_id) = row.source();
    check_source(&mut check, system, sourced_id);
    insert_checked::<E>(write, check, row, || {
        duplicate(
            "sourcedId",
            &format!("{what} with this sourceSystem and sourcedId"),
        )
    })
    .await
}

/// Inserts `row` unless `check` found problems; `taken` is the user error of a row whose
/// unique key is already taken.
pub async fn insert_checked<E>(
    write: &Write<'_>,
    check: Check,
    row: E::Model,
    taken: impl FnOnce() -> Vec<UserError>,
) -> AppResult<Outcome<E::Model>>
where
    E: Keyed,
    E::Model: IntoActiveModel<E::ActiveModel> + Clone,
{
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    Ok(write.insert::<E>(row).await?.ok_or_else(taken))
}

/// Applies `changes` to the row `at` (id, version) within `scope` unless `check` found problems.
pub async fn update_checked<E>(
    write: &Write<'_>,
    check: Check,
    changes: E::ActiveModel,
    at: (Uuid, i32),
    scope: Condition,
) -> AppResult<Outcome<E::Model>>
where
    E: Keyed,
    E::Model: Sync,
{
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    Ok(Ok(write.update::<E>(changes, at, scope).await?))
}
