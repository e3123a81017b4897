//! `syncAttendance`: students' days at school as the SIS records them. A day is known by its
//! student, school and date (it has no sourced id of its own), and is written by the MTSS
//! attendance service, which keeps the attendance rollup in the same transaction.

use std::collections::{HashMap, HashSet};

use async_graphql::{Context, InputObject, Object};
use uuid::Uuid;

use super::{
    Batch, SyncOptions, SyncPayload, SyncRecordResult, SyncStatus, SyncSummary, pushed_before, run,
    students_and_schools,
};
use crate::{
    auth::Actor,
    db::Write,
    errors::AppResult,
    graphql::{mutation::user_errors, scalars::Date},
    mtss::{
        AttendanceStatus,
        attendance_service::{self, Day},
    },
    roster::bulk::Effect,
    validation::{Check, UserError, UserErrorCode},
};

/// A student's day at a school, as the SIS has it.
#[derive(InputObject)]
pub struct SyncAttendanceRecord {
    /// The `sourcedId` of the student, pushed before by the same system.
    pub student_sourced_id: String,
    /// The `sourcedId` of the school, pushed before by the same system.
    pub school_sourced_id: String,
    /// The day.
    pub date: Date,
    /// Present, tardy, excused or unexcused.
    pub status: AttendanceStatus,
}

impl SyncAttendanceRecord {
    /// What the record's result calls it: `studentSourcedId/schoolSourcedId/date`.
    fn key(&self) -> String {
        format!(
            "{}/{}/{}",
            self.student_sourced_id, self.school_sourced_id, self.date.0
        )
    }
}

/// Attendance days to push.
#[derive(InputObject)]
pub struct SyncAttendanceInput {
    #[graphql(flatten)]
    pub options: SyncOptions,
    /// Up to 10,000 days.
    pub records: Vec<SyncAttendanceRecord>,
}

impl Batch for SyncAttendanceInput {
    const CALL: (&'static str, bool) = ("syncAttendance", false);
    const TABLES: &'static [&'static str] = &["attendance_day", "attendance_rollup"];
    fn options(&self) -> &SyncOptions {
        &self.options
    }
    async fn push(self, write: &Write<'_>) -> AppResult<SyncPayload> {
        push(write, &self.options, self.records).await
    }
}

#[derive(Default)]
pub struct AttendanceSync;

#[Object]
impl AttendanceSync {
    /// Records attendance days by student, school and date (a day recorded again gets the
    /// status sent), all or none unless `allowPartial`. A result's `sourcedId` is
    /// `studentSourcedId/schoolSourcedId/date`, and its `id` is null (a day is not a node).
    async fn sync_attendance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to push.")] input: SyncAttendanceInput,
    ) -> AppResult<SyncPayload> {
        run(ctx, input).await
    }
}

/// Pushes attendance days in `write`'s transaction (uncommitted).
pub async fn push(
    write: &Write<'_>,
    options: &SyncOptions,
    records: Vec<SyncAttendanceRecord>,
) -> AppResult<SyncPayload> {
    let actor = write.actor();
    let system = options.source_system.as_str();
    let refs = students_and_schools(
        write,
        system,
        records
            .iter()
            .map(|r| (&*r.student_sourced_id, &*r.school_sourced_id)),
    )
    .await?;
    let mut seen = HashSet::new();
    let mut results = Vec::with_capacity(records.len());
    let mut good = Vec::new();
    let mut summary = SyncSummary::default();
    for (index, record) in records.iter().enumerate() {
        let (day, errors) = to_day(actor, system, &refs, (index, record), &mut seen);
        if errors.is_empty() {
            good.push((index, day));
        } else {
            summary.failed += 1;
        }
        results.push(SyncRecordResult {
            index: index as i32,
            sourced_id: record.key(),
            status: SyncStatus::Error,
            id: None,
            errors: user_errors(errors),
            changed: Vec::new(),
        });
    }
    let (indexes, days): (Vec<usize>, Vec<Day>) = good.into_iter().unzip();
    let applied = !options.dry_run && (summary.failed == 0 || options.allow_partial);
    // The days were checked here as the service checks them; what it may still refuse (a
    // student removed meanwhile) refuses the batch.
    let (effects, refused) = if applied {
        match attendance_service::record(write, days).await? {
            Ok(effects) => (effects, Vec::new()),
            Err(errors) => (Vec::new(), errors),
        }
    } else {
        (attendance_service::preview(write, &days).await?, Vec::new())
    };
    for (index, effect) in indexes.into_iter().zip(effects) {
        results[index].status = effect.into();
        if effect == Effect::Updated {
            results[index].changed = vec!["status".into()];
        }
        summary.count(effect);
    }
    Ok(SyncPayload {
        applied: applied && refused.is_empty(),
        summary,
        results,
        closed_sourced_ids: Vec::new(),
        user_errors: user_errors(refused),
        replayed: false,
    })
}

/// A pushed day, its student and school found among those `system` pushed, and its problems.
fn to_day(
    actor: &Actor,
    system: &str,
    (students, schools): &(HashMap<String, Uuid>, HashMap<String, Uuid>),
    (index, record): (usize, &SyncAttendanceRecord),
    seen: &mut HashSet<(Uuid, Uuid, chrono::NaiveDate)>,
) -> (Day, Vec<UserError>) {
    let mut check = Check::within(&format!("records.{index}"));
    let day = Day {
        student_id: pushed_before(
            &mut check,
            "studentSourcedId",
            students.get(&record.student_sourced_id),
            ("student", system),
        ),
        school_id: pushed_before(
            &mut check,
            "schoolSourcedId",
            schools.get(&record.school_sourced_id),
            ("school", system),
        ),
        date: record.date.0,
        status: record.status.into(),
    };
    attendance_service::check_day(&mut check, &day, actor.today);
    if check.is_empty() && !seen.insert(day.key()) {
        check.fail(
            "date",
            UserErrorCode::Duplicate,
            "an earlier record of this batch is the same student's day at this school",
        );
    }
    (day, check.into_errors())
}
