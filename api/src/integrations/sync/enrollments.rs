//! `syncEnrollments`: students' school enrollments as the SIS keeps them, referring to schools
//! and students the same system pushed before.

use std::collections::HashMap;

use async_graphql::{Context, InputObject, Object};
use entity::{enrollment, enrollment::Column, school, student};
use uuid::Uuid;

use super::{
    Begun, CloseLimit, Pushed, SyncMode, SyncOptions, SyncPayload, begin, full::Closing, once,
    outcomes, pushed_before, record_check,
};
use crate::{
    auth::{Actor, policy},
    errors::AppResult,
    graphql::mutation::user_errors,
    roster::{Enrollment, EnrollmentFields, bulk::ids_by_source, enrollments_service},
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
        let options = input.options;
        let call = ("syncEnrollments", true);
        let (write, claimed) = match begin(ctx, &options, call).await? {
            Begun::Run(write, claimed) => (write, claimed),
            Begun::Replay(payload) => return Ok(payload),
        };
        let actor = write.actor();
        let system = options.source_system.as_str();
        let keys = |key: fn(&SyncEnrollmentRecord) -> &str| -> Vec<&str> {
            input.records.iter().map(key).collect()
        };
        let school_keys = keys(|r| &r.school_sourced_id);
        let schools = ids_by_source::<school::Entity>(
            &write,
            &policy::school_rows(actor)?,
            system,
            &school_keys,
        )
        .await?;
        let student_keys = keys(|r| &r.student_sourced_id);
        let students = ids_by_source::<student::Entity>(
            &write,
            &policy::student_rows(actor)?,
            system,
            &student_keys,
        )
        .await?;
        let sent: Vec<String> = input.records.iter().map(|r| r.sourced_id.clone()).collect();
        let pushed = input
            .records
            .into_iter()
            .enumerate()
            .map(|(index, record)| to_row(actor, system, (&schools, &students), index, record))
            .collect();
        let scope = policy::enrollment_rows(actor)?;
        let mut outcomes =
            outcomes::<enrollment::Entity, Enrollment>(&write, &options, &scope, &OWNED, pushed)
                .await?;
        let closing = match options.mode {
            SyncMode::Full => {
                let sent = sent.iter().map(String::as_str).collect();
                let guard = (*ctx.data_unchecked::<CloseLimit>(), input.confirm_closures);
                Closing::plan(&write, system, &schools, &sent, guard).await?
            }
            SyncMode::Delta => Closing::default(),
        };
        outcomes.summary.closed = closing.count() as i32;
        let applied = outcomes.applies(&options) && closing.refusals.is_empty();
        if applied {
            outcomes.write(&write, &OWNED).await?;
            closing.apply(&write, actor.today).await?;
        }
        let payload = SyncPayload {
            closed_sourced_ids: closing.sourced_ids(),
            user_errors: user_errors(closing.refusals),
            ..outcomes.payload(applied)
        };
        once::finish(claimed, write, payload).await
    }
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
