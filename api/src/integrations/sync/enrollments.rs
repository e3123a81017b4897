//! `syncEnrollments`: students' school enrollments as the SIS keeps them, referring to schools
//! and students the same system pushed before.

use std::collections::HashMap;

use async_graphql::{Context, InputObject, Object};
use entity::{enrollment, enrollment::Column};
use uuid::Uuid;

use super::{
    Batch, CloseLimit, Pushed, SyncMode, SyncOptions, SyncPayload, full::Closing, outcomes,
    pushed_before, record_check, run, students_and_schools,
};
use crate::{
    auth::{Actor, policy},
    db::Write,
    errors::AppResult,
    graphql::mutation::user_errors,
    roster::{Enrollment, EnrollmentFields, enrollments_service},
};

/// The columns a pushed enrollment sets: all of an enrollment's own data.
const OWNED: [Column; 7] = [
    Column::StudentId,
    Column::SchoolId,
    Column::EntryDate,
    Column::ExitDate,
    Column::ExitReason,
    Column::GradeLevel,
    Column::IsPrimary,
];

/// An enrollment as the SIS has it; the whole record (a field left out is cleared).
#[derive(InputObject)]
pub struct SyncEnrollmentRecord {
    /// The enrollment's id in the source system.
    pub sourced_id: String,
    /// The `sourcedId` of the student, pushed before by the same system.
    pub student_sourced_id: String,
    /// The `sourcedId` of the school, pushed before by the same system.
    pub school_sourced_id: String,
    #[graphql(flatten)]
    pub enrollment: EnrollmentFields,
}

/// Enrollments to push.
#[derive(InputObject)]
pub struct SyncEnrollmentsInput {
    #[graphql(flatten)]
    pub options: SyncOptions,
    /// Up to 10,000 enrollments.
    pub records: Vec<SyncEnrollmentRecord>,
    /// Lets a FULL sync close more of a school's enrollments than the server's guardrail
    /// (`SSW_SYNC_MAX_CLOSE_PCT`, 20% by default) allows.
    #[graphql(default)]
    pub confirm_closures: bool,
}

#[derive(Default)]
pub struct EnrollmentSync;

#[Object]
impl EnrollmentSync {
    /// Upserts enrollments by `(sourceSystem, sourcedId)`, all or none unless `allowPartial`.
    /// A student or school the system has not pushed is an error of the record. With `mode:
    /// FULL` the system's open enrollments at the schools the batch lists that it lacks are
    /// closed (exit date today), within the guardrail.
    async fn sync_enrollments(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to push.")] input: SyncEnrollmentsInput,
    ) -> AppResult<SyncPayload> {
        let limit = *ctx.data_unchecked::<CloseLimit>();
        run(ctx, (input, limit)).await
    }
}

impl Batch for (SyncEnrollmentsInput, CloseLimit) {
    const CALL: (&'static str, bool) = ("syncEnrollments", true);
    const TABLES: &'static [&'static str] = &["enrollment"];
    fn options(&self) -> &SyncOptions {
        &self.0.options
    }
    async fn push(self, write: &Write<'_>) -> AppResult<SyncPayload> {
        let (input, limit) = self;
        let guard = (limit, input.confirm_closures);
        push(write, &input.options, input.records, guard).await
    }
}

/// Pushes enrollments in `write`'s transaction and, for a FULL sync, closes those the batch
/// lacks at its schools within the guardrail (`(limit, confirmed)`); uncommitted.
pub async fn push(
    write: &Write<'_>,
    options: &SyncOptions,
    records: Vec<SyncEnrollmentRecord>,
    guard: (CloseLimit, bool),
) -> AppResult<SyncPayload> {
    let actor = write.actor();
    let system = options.source_system.as_str();
    let (students, schools) = students_and_schools(
        write,
        system,
        records
            .iter()
            .map(|r| (&*r.student_sourced_id, &*r.school_sourced_id)),
    )
    .await?;
    let sent: Vec<String> = records.iter().map(|r| r.sourced_id.clone()).collect();
    let pushed = records
        .into_iter()
        .enumerate()
        .map(|(index, record)| to_row(actor, system, (&schools, &students), index, record))
        .collect();
    let scope = policy::enrollment_rows(actor)?;
    let mut outcomes =
        outcomes::<enrollment::Entity, Enrollment>(write, options, &scope, &OWNED, pushed).await?;
    let closing = match options.mode {
        SyncMode::Full => {
            let sent = sent.iter().map(String::as_str).collect();
            Closing::plan(write, system, &schools, &sent, guard).await?
        }
        SyncMode::Delta => Closing::default(),
    };
    outcomes.summary.closed = closing.count() as i32;
    let applied = outcomes.applies(options) && closing.refusals.is_empty();
    if applied {
        outcomes.write(write, &OWNED).await?;
        closing.apply(write, actor.today).await?;
    }
    Ok(SyncPayload {
        closed_sourced_ids: closing.sourced_ids(),
        user_errors: user_errors(closing.refusals),
        ..outcomes.payload(applied)
    })
}

/// A pushed enrollment's row, its student and school found among those `system` pushed
/// (schools and students by sourced id); one not found is the record's NOT_FOUND.
fn to_row(
    actor: &Actor,
    system: &str,
    (schools, students): (&HashMap<String, Uuid>, &HashMap<String, Uuid>),
    index: usize,
    record: SyncEnrollmentRecord,
) -> Pushed<enrollment::Model> {
    let mut check = record_check(index, &record.sourced_id);
    let student_id = pushed_before(
        &mut check,
        "studentSourcedId",
        students.get(&record.student_sourced_id),
        ("student", system),
    );
    let school_id = pushed_before(
        &mut check,
        "schoolSourcedId",
        schools.get(&record.school_sourced_id),
        ("school", system),
    );
    let source = (Some(system.to_string()), Some(record.sourced_id.clone()));
    let row = record
        .enrollment
        .into_row(actor.district_id, (student_id, school_id), source);
    enrollments_service::check_fields(&mut check, &row);
    Pushed {
        sourced_id: record.sourced_id,
        row: check.finish().map(|()| row),
    }
}
