//! `syncStudents`: students as the SIS keeps them.

use async_graphql::{Context, InputObject, Object};
use entity::{student, student::Column};

use super::{Batch, Record, Scope, SyncOptions, SyncPayload, push_plain, run};
use crate::{
    auth::{Actor, policy},
    db::Write,
    errors::AppResult,
    roster::{
        Student,
        students::{StudentFields, service},
    },
    validation::Check,
};

/// The columns a pushed student sets: all of a student's own data.
const OWNED: [Column; 11] = [
    Column::LegalFirstName,
    Column::LegalLastName,
    Column::PreferredName,
    Column::LocalId,
    Column::StateId,
    Column::BirthDate,
    Column::GradeLevel,
    Column::Language,
    Column::EnglishLearner,
    Column::EconomicallyDisadvantaged,
    Column::Status,
];

/// A student as the SIS has it; the whole record (a field left out is cleared).
#[derive(InputObject)]
pub struct SyncStudentRecord {
    /// The student's id in the source system.
    pub sourced_id: String,
    #[graphql(flatten)]
    pub student: StudentFields,
}

impl Record for SyncStudentRecord {
    fn sourced_id(&self) -> &str {
        &self.sourced_id
    }
}

/// Students to push.
#[derive(InputObject)]
pub struct SyncStudentsInput {
    #[graphql(flatten)]
    pub options: SyncOptions,
    /// Up to 10,000 students.
    pub records: Vec<SyncStudentRecord>,
}

impl Batch for SyncStudentsInput {
    const CALL: (&'static str, bool) = ("syncStudents", false);
    const TABLES: &'static [&'static str] = &["student"];
    fn options(&self) -> &SyncOptions {
        &self.options
    }
    async fn push(self, write: &Write<'_>) -> AppResult<SyncPayload> {
        push(write, &self.options, self.records).await
    }
}

#[derive(Default)]
pub struct StudentSync;

#[Object]
impl StudentSync {
    /// Upserts students by `(sourceSystem, sourcedId)`, all or none unless `allowPartial`.
    async fn sync_students(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to push.")] input: SyncStudentsInput,
    ) -> AppResult<SyncPayload> {
        run(ctx, input).await
    }
}

/// Pushes students in `write`'s transaction (see `push_plain`).
pub async fn push(
    write: &Write<'_>,
    options: &SyncOptions,
    records: Vec<SyncStudentRecord>,
) -> AppResult<SyncPayload> {
    push_owning(write, options, records, &OWNED).await
}

/// [`push`], setting only the `owned` columns (a source that lacks some of a student's data,
/// as OneRoster lacks the program flags, leaves them as they are).
pub async fn push_owning(
    write: &Write<'_>,
    options: &SyncOptions,
    records: Vec<SyncStudentRecord>,
    owned: &[Column],
) -> AppResult<SyncPayload> {
    let scope: Scope = policy::student_rows;
    push_plain::<student::Entity, Student, _>(write, (options, records), (scope, owned), &to_row)
        .await
}

/// A pushed student's row, held to the rules of students.
fn to_row(
    actor: &Actor,
    system: &str,
    record: SyncStudentRecord,
    check: &mut Check,
) -> student::Model {
    let source = (Some(system.to_string()), Some(record.sourced_id));
    let mut row = record.student.into_row(actor.district_id, source);
    service::prepare(check, &mut row, actor.today);
    row
}
