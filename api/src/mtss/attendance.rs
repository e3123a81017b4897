//! Attendance days (the SIS pushes them; a mutation records them) and what is derived from
//! them in SQL: days absent, attendance rate and chronic absence (missing 10% or more of the
//! days enrolled, the federal definition).

use crate::roster::RosterContext;
use crate::roster::{School, Student};
use sea_orm::IdenStatic;
use std::collections::HashMap;

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{NaiveDate, Utc};
use entity::{
    attendance_day,
    values::{AttendanceStatus as DbStatus, AuditAction},
};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use super::{AttendanceStatus, attendance_rollup, loaders::AttendanceCounts};
use crate::{
    auth::policy::{self, Educational},
    db::{Recorded, insert_batches},
    errors::{AppError, AppResult},
    graphql::{
        context::ContextExt,
        ids,
        mutation::{Check, UserErrorCode, UserErrorType, user_errors},
        scalars::Date,
    },
};

/// Most days one `recordAttendance` call takes.
pub const MAX_DAYS_PER_CALL: usize = 1000;

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
    /// Problems, each naming its day as `input.days.N`; when any, nothing was written.
    pub user_errors: Vec<UserErrorType>,
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
        let actor = ctx.actor()?;
        policy::write_educational(actor, Educational::Attendance)?;
        if input.days.len() > MAX_DAYS_PER_CALL {
            return Err(AppError::bad_input(
                "input.days",
                format!("at most {MAX_DAYS_PER_CALL} days per call"),
            ));
        }
        let mut check = Check::default();
        let mut days = Vec::with_capacity(input.days.len());
        for (i, day) in input.days.iter().enumerate() {
            let student =
                ids::decode_as::<Student>(&day.student_id, &format!("input.days.{i}.studentId"))?;
            let school =
                ids::decode_as::<School>(&day.school_id, &format!("input.days.{i}.schoolId"))?;
            if day.date.0 > actor.today {
                check.fail(
                    &format!("days.{i}.date"),
                    UserErrorCode::OutOfRange,
                    "attendance cannot be recorded for a future day",
                );
            }
            if days
                .iter()
                .any(|(s, c, d, _)| (*s, *c, *d) == (student, school, day.date.0))
            {
                check.fail(
                    &format!("days.{i}.date"),
                    UserErrorCode::Duplicate,
                    "this student's day at this school is listed twice",
                );
            }
            days.push((student, school, day.date.0, DbStatus::from(day.status)));
        }
        let students = ctx
            .roster()
            .student
            .load_many(days.iter().map(|d| d.0))
            .await?;
        let schools = ctx
            .roster()
            .school
            .load_many(days.iter().map(|d| d.1))
            .await?;
        for (i, (student, school, ..)) in days.iter().enumerate() {
            if !students.contains_key(student) {
                check.fail(
                    &format!("days.{i}.studentId"),
                    UserErrorCode::NotFound,
                    "no such student",
                );
            }
            if !schools.contains_key(school) {
                check.fail(
                    &format!("days.{i}.schoolId"),
                    UserErrorCode::NotFound,
                    "no such school",
                );
            }
        }
        if !check.is_empty() {
            return Ok(RecordAttendancePayload {
                user_errors: user_errors(check.into_errors()),
                ..Default::default()
            });
        }
        let write = ctx.write().await?;
        let mut existing: HashMap<(Uuid, Uuid, NaiveDate), Uuid> = HashMap::new();
        for chunk in days.chunks(200) {
            let mut any = Condition::any();
            for (student, school, date, _) in chunk {
                any = any.add(
                    Condition::all()
                        .add(attendance_day::Column::StudentId.eq(*student))
                        .add(attendance_day::Column::SchoolId.eq(*school))
                        .add(attendance_day::Column::Date.eq(*date)),
                );
            }
            let found = attendance_day::Entity::find()
                .select_only()
                .columns([
                    attendance_day::Column::Id,
                    attendance_day::Column::StudentId,
                    attendance_day::Column::SchoolId,
                    attendance_day::Column::Date,
                ])
                .filter(any)
                .into_tuple::<(Uuid, Uuid, Uuid, NaiveDate)>()
                .all(write.txn())
                .await?;
            existing.extend(
                found
                    .into_iter()
                    .map(|(id, student, school, date)| ((student, school, date), id)),
            );
        }
        // New days are inserted, and known days updated (one statement per status), a batch at
        // a time; their audit and change rows too.
        let now = Utc::now();
        let mut inserts = Vec::new();
        let mut updates: HashMap<DbStatus, Vec<Uuid>> = HashMap::new();
        let mut recorded = Vec::with_capacity(days.len());
        let years = days
            .iter()
            .map(|(_, _, date, _)| attendance_rollup::school_year(*date));
        let years = years.clone().min().unwrap_or_default()..=years.max().unwrap_or_default();
        let mut students: Vec<Uuid> = days.iter().map(|(student, ..)| *student).collect();
        students.sort();
        students.dedup();
        for (student, school, date, status) in days {
            let (id, action) = match existing.get(&(student, school, date)) {
                Some(id) => {
                    updates.entry(status).or_default().push(*id);
                    (*id, AuditAction::Update)
                }
                None => {
                    let id = Uuid::now_v7();
                    inserts.push(attendance_day::ActiveModel {
                        id: Set(id),
                        district_id: Set(actor.district_id),
                        student_id: Set(student),
                        school_id: Set(school),
                        date: Set(date),
                        status: Set(status),
                        created_at: Set(now),
                        updated_at: Set(now),
                        version: Set(1),
                    });
                    (id, AuditAction::Create)
                }
            };
            recorded.push(Recorded::of::<attendance_day::Entity>(
                action,
                id,
                Some(student),
                vec![attendance_day::Column::Status.as_str()],
            ));
        }
        let created = inserts.len() as i32;
        let updated = updates.values().map(Vec::len).sum::<usize>() as i32;
        insert_batches(write.txn(), inserts).await?;
        for (status, ids) in updates {
            attendance_day::Entity::update_many()
                .col_expr(attendance_day::Column::Status, Expr::value(status))
                .col_expr(attendance_day::Column::UpdatedAt, Expr::value(now))
                .col_expr(
                    attendance_day::Column::Version,
                    Expr::col(attendance_day::Column::Version).add(1),
                )
                .filter(attendance_day::Column::Id.is_in(ids))
                .exec(write.txn())
                .await?;
        }
        write.record_many(recorded).await?;
        attendance_rollup::refresh(write.txn(), years, Some(&students)).await?;
        write.commit().await?;
        Ok(RecordAttendancePayload {
            created,
            updated,
            user_errors: Vec::new(),
        })
    }
}
