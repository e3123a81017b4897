//! Attendance days (the SIS pushes them; a mutation records them) and what is derived from
//! them in SQL: days absent, attendance rate and chronic absence (missing 10% or more of the
//! days enrolled, the federal definition).

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::NaiveDate;

use super::{AttendanceStatus, attendance_service as service, loaders::AttendanceCounts};
use crate::{
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids::InputIds,
        mutation::{UserErrorType, user_errors},
        scalars::Date,
    },
    roster::{School, Student, bulk::Effect},
    validation::Outcome,
};

/// A student's attendance over a date range.
#[derive(SimpleObject)]
pub struct AttendanceSummary {
    /// First day counted.
    pub from: Date,
    /// Last day counted.
    pub to: Date,
    /// School days with an attendance record.
    pub enrolled_days: i64,
    /// Days present (tardy counts as present).
    pub days_present: i64,
    /// Days absent, excused or not.
    pub days_absent: i64,
    /// Days absent without an excuse.
    pub unexcused_absences: i64,
    /// Days tardy.
    pub tardies: i64,
    /// Days present over days enrolled (null with no days).
    pub attendance_rate: Option<f64>,
    /// Missed 10% or more of the days enrolled.
    pub chronically_absent: bool,
}

impl AttendanceSummary {
    pub fn new(from: NaiveDate, to: NaiveDate, counts: AttendanceCounts) -> Self {
        Self {
            from: Date(from),
            to: Date(to),
            enrolled_days: counts.days,
            days_present: counts.days - counts.absent,
            days_absent: counts.absent,
            unexcused_absences: counts.unexcused,
            tardies: counts.tardy,
            attendance_rate: (counts.days > 0)
                .then(|| (counts.days - counts.absent) as f64 / counts.days as f64),
            chronically_absent: is_chronic(counts.absent, counts.days),
        }
    }
}

/// Chronic absence: absent on 10% or more of the days enrolled (integer arithmetic, as in SQL).
pub fn is_chronic(absent: i64, days: i64) -> bool {
    days > 0 && absent * 10 >= days
}

/// One day of one student.
#[derive(InputObject)]
pub struct AttendanceDayInput {
    /// The student.
    pub student_id: ID,
    /// The school.
    pub school_id: ID,
    /// The day.
    pub date: Date,
    /// Present, tardy, excused or unexcused.
    pub status: AttendanceStatus,
}

/// Attendance days to record; a day already recorded for the student and school is replaced.
#[derive(InputObject)]
pub struct RecordAttendanceInput {
    /// The days, at most 1000. All are recorded, or none (see userErrors).
    pub days: Vec<AttendanceDayInput>,
}

/// The result of recording attendance.
#[derive(SimpleObject, Default)]
pub struct RecordAttendancePayload {
    /// Days newly recorded.
    pub created: i32,
    /// Days whose status was replaced.
    pub updated: i32,
    /// Days already recorded with the status sent (nothing written).
    pub unchanged: i32,
    /// Problems, each naming its day as `input.days.N`; when any, nothing was written.
    pub user_errors: Vec<UserErrorType>,
}

impl From<Outcome<Vec<Effect>>> for RecordAttendancePayload {
    fn from(outcome: Outcome<Vec<Effect>>) -> Self {
        match outcome {
            Ok(effects) => {
                let count = |of| effects.iter().filter(|e| **e == of).count() as i32;
                Self {
                    created: count(Effect::Created),
                    updated: count(Effect::Updated),
                    unchanged: count(Effect::Unchanged),
                    user_errors: Vec::new(),
                }
            }
            Err(errors) => Self {
                user_errors: user_errors(errors),
                ..Default::default()
            },
        }
    }
}

#[derive(Default)]
pub struct AttendanceMutation;

#[Object]
impl AttendanceMutation {
    /// Records attendance days (district admins and the SIS), all or nothing.
    async fn record_attendance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: RecordAttendanceInput,
    ) -> AppResult<RecordAttendancePayload> {
        let mut sent = InputIds::default();
        let days = input
            .days
            .iter()
            .enumerate()
            .map(|(i, day)| {
                let field = |name: &str| format!("days.{i}.{name}");
                service::Day {
                    student_id: sent.of::<Student>(&field("studentId"), &day.student_id),
                    school_id: sent.of::<School>(&field("schoolId"), &day.school_id),
                    date: day.date.0,
                    status: day.status.into(),
                }
            })
            .collect();
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = service::record(&write, days).await?;
        Ok(write.finish(outcome).await?.into())
    }
}
