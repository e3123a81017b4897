//! What MTSS writes refer to, checked in the write's own transaction.

use entity::student;
use uuid::Uuid;

use crate::{auth::policy, db::Write, errors::AppResult, validation::Check};

/// The student a record is about must exist and be the writer's to see (`studentId`).
pub async fn check_student(write: &Write<'_>, check: &mut Check, id: Uuid) -> AppResult<()> {
    let scope = policy::student_rows(write.actor())?;
    check.found(
        "studentId",
        write.find::<student::Entity>(id, scope).await?,
        "student",
    );
    Ok(())
}
