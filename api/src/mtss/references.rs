//! What MTSS writes refer to, checked in the write's own transaction (the student:
//! `roster::students::service::check_visible`).

use sea_orm::Condition;
use uuid::Uuid;

use crate::{
    auth::policy::{self, Educational},
    db::{Write, loader::Keyed},
    errors::{AppError, AppResult},
};

/// Record `id` of `E`, EDUCATIONAL data of kind `data` about the student in its `student_id`
/// column, if the writer may change such data and sees the student; else NOT_FOUND (named
/// `what`). Answers the scope too, for the update that follows.
pub async fn writable<E: Keyed>(
    write: &Write<'_>,
    (data, student_id): (Educational, E::Column),
    id: Uuid,
    what: &'static str,
) -> AppResult<(E::Model, Condition)> {
    let actor = write.actor();
    policy::write_educational(actor, data)?;
    let scope = policy::educational_rows(actor, data, student_id)?;
    let row = write
        .find::<E>(id, scope.clone())
        .await?
        .ok_or_else(|| AppError::not_found(what, id))?;
    Ok((row, scope))
}
