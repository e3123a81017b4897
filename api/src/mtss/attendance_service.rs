//! Recording attendance days, without GraphQL: every write of attendance (the API's, an SIS
//! push's) goes through [`record`], so what is derived from the days can be kept up to date in
//! one place.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use entity::{
    attendance_day, school, student,
    values::{AttendanceStatus, AuditAction},
};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, EntityTrait, IdenStatic, QueryFilter, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use super::attendance_rollup;
use crate::{
    auth::policy::{self, Educational},
    db::{BATCH_ROWS, Recorded, Write, insert_batches},
    errors::AppResult,
    roster::bulk::Effect,
    validation::{Check, Outcome, UserErrorCode},
};

/// Days looked up per query (three bound parameters each).
const LOOKUP_DAYS: usize = 200;

/// One day of one student at one school.
pub struct Day {
    pub student_id: Uuid,
    pub school_id: Uuid,
    pub date: NaiveDate,
    pub status: AttendanceStatus,
}

impl Day {
    /// A day is known by its student, school and date.
    pub fn key(&self) -> (Uuid, Uuid, NaiveDate) {
        (self.student_id, self.school_id, self.date)
    }
}

/// The rules of one day (problems go to `check`): attendance is never recorded ahead.
pub fn check_day(check: &mut Check, day: &Day, today: NaiveDate) {
    if day.date > today {
        check.fail(
            "date",
            UserErrorCode::OutOfRange,
            "attendance cannot be recorded for a future day",
        );
    }
}

/// Problems with the days, each naming its day as `days.N`.
async fn check_days(write: &Write<'_>, days: &[Day]) -> AppResult<Outcome<()>> {
    let actor = write.actor();
    let mut check = Check::default();
    let mut seen = HashSet::new();
    for (i, day) in days.iter().enumerate() {
        check.part(&format!("days.{i}"), |check| {
            check_day(check, day, actor.today)
        });
        if !seen.insert(day.key()) {
            check.fail(
                &format!("days.{i}.date"),
                UserErrorCode::Duplicate,
                "this student's day at this school is listed twice",
            );
        }
    }
    let students = days.iter().map(|d| d.student_id);
    let students = write
        .existing::<student::Entity>(students, policy::student_rows(actor)?)
        .await?;
    let schools = days.iter().map(|d| d.school_id);
    let schools = write
        .existing::<school::Entity>(schools, policy::school_rows(actor)?)
        .await?;
    for (i, day) in days.iter().enumerate() {
        if !students.contains(&day.student_id) {
            check.fail(
                &format!("days.{i}.studentId"),
                UserErrorCode::NotFound,
                "no such student",
            );
        }
        if !schools.contains(&day.school_id) {
            check.fail(
                &format!("days.{i}.schoolId"),
                UserErrorCode::NotFound,
                "no such school",
            );
        }
    }
    Ok(check.finish())
}

/// The ids and statuses of the days already recorded, by student, school and date.
async fn recorded(
    write: &Write<'_>,
    days: &[Day],
) -> AppResult<HashMap<(Uuid, Uuid, NaiveDate), (Uuid, AttendanceStatus)>> {
    let mut existing = HashMap::new();
    for chunk in days.chunks(LOOKUP_DAYS) {
        let mut any = Condition::any();
        for day in chunk {
            any = any.add(
                Condition::all()
                    .add(attendance_day::Column::StudentId.eq(day.student_id))
                    .add(attendance_day::Column::SchoolId.eq(day.school_id))
                    .add(attendance_day::Column::Date.eq(day.date)),
            );
        }
        let found = attendance_day::Entity::find()
            .select_only()
            .columns([
                attendance_day::Column::Id,
                attendance_day::Column::StudentId,
                attendance_day::Column::SchoolId,
                attendance_day::Column::Date,
                attendance_day::Column::Status,
            ])
            .filter(any)
            .into_tuple::<(Uuid, Uuid, Uuid, NaiveDate, AttendanceStatus)>()
            .all(write.txn())
            .await?;
        existing.extend(
            found
                .into_iter()
                .map(|(id, student, school, date, status)| ((student, school, date), (id, status))),
        );
    }
    Ok(existing)
}

/// What recording each of `days` would do, in order (an SIS push's dry run): a day not yet
/// recorded is created, one recorded with another status updated.
pub async fn preview(write: &Write<'_>, days: &[Day]) -> AppResult<Vec<Effect>> {
    let existing = recorded(write, days).await?;
    Ok(days.iter().map(|day| effect(&existing, day).1).collect())
}

/// A day's stored id (or a new one) and what recording it does.
fn effect(
    existing: &HashMap<(Uuid, Uuid, NaiveDate), (Uuid, AttendanceStatus)>,
    day: &Day,
) -> (Uuid, Effect) {
    match existing.get(&day.key()) {
        Some((id, status)) if *status == day.status => (*id, Effect::Unchanged),
        Some((id, _)) => (*id, Effect::Updated),
        None => (Uuid::now_v7(), Effect::Created),
    }
}

/// Records `days`, all or none, and says what each did (in order): a day already recorded for
/// the student and school gets the new status, and one with the same status is left alone.
/// New days are inserted and changed ones updated (one statement per status) a batch at a
/// time, with their audit and change rows, so a call costs the same few statements for 10
/// days or 10,000.
pub async fn record(write: &Write<'_>, days: Vec<Day>) -> AppResult<Outcome<Vec<Effect>>> {
    let actor = write.actor();
    policy::write_educational(actor, Educational::Attendance)?;
    if let Err(errors) = check_days(write, &days).await? {
        return Ok(Err(errors));
    }
    let existing = recorded(write, &days).await?;
    // The rollup rows of these students, over the school years these days fall in.
    let years = days
        .iter()
        .map(|day| attendance_rollup::school_year(day.date));
    let years = years.clone().min().unwrap_or_default()..=years.max().unwrap_or_default();
    let mut students: Vec<Uuid> = days.iter().map(|day| day.student_id).collect();
    students.sort();
    students.dedup();
    let now = Utc::now();
    let mut inserts = Vec::new();
    let mut updates: HashMap<AttendanceStatus, Vec<Uuid>> = HashMap::new();
    let mut written = Vec::with_capacity(days.len());
    let mut effects = Vec::with_capacity(days.len());
    for day in days {
        let (id, effect) = effect(&existing, &day);
        effects.push(effect);
        let action = match effect {
            Effect::Unchanged => continue,
            Effect::Updated => {
                updates.entry(day.status).or_default().push(id);
                AuditAction::Update
            }
            Effect::Created => {
                inserts.push(attendance_day::ActiveModel {
                    id: Set(id),
                    district_id: Set(actor.district_id),
                    student_id: Set(day.student_id),
                    school_id: Set(day.school_id),
                    date: Set(day.date),
                    status: Set(day.status),
                    created_at: Set(now),
                    updated_at: Set(now),
                    version: Set(1),
                });
                AuditAction::Create
            }
        };
        written.push(Recorded::of::<attendance_day::Entity>(
            action,
            id,
            Some(day.student_id),
            vec![attendance_day::Column::Status.as_str()],
        ));
    }
    insert_batches(write.txn(), inserts).await?;
    for (status, ids) in updates {
        for ids in ids.chunks(BATCH_ROWS) {
            attendance_day::Entity::update_many()
                .col_expr(attendance_day::Column::Status, Expr::value(status))
                .col_expr(attendance_day::Column::UpdatedAt, Expr::value(now))
                .col_expr(
                    attendance_day::Column::Version,
                    Expr::col(attendance_day::Column::Version).add(1),
                )
                .filter(attendance_day::Column::Id.is_in(ids.iter().copied()))
                .exec(write.txn())
                .await?;
        }
    }
    if !written.is_empty() {
        write.record_many(written).await?;
        attendance_rollup::refresh(write.txn(), years, Some(&students)).await?;
    }
    Ok(Ok(effects))
}
