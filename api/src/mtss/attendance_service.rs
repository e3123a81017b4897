//! Recording attendance days, without GraphQL: every write of attendance goes through
//! [`record`], so what is derived from the days can be kept up to date in one place.

use std::collections::HashMap;

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
    db::{Recorded, Write, insert_batches},
    errors::{AppError, AppResult},
    validation::{Check, Outcome, UserErrorCode},
};

/// Most days one call records.
pub const MAX_DAYS_PER_CALL: usize = 1000;

/// Days looked up per query (three bound parameters each).
const LOOKUP_DAYS: usize = 200;

/// One day of one student at one school.
pub struct Day {
    pub student_id: Uuid,
    pub school_id: Uuid,
    pub date: NaiveDate,
    pub status: AttendanceStatus,
}

/// How many days a call added, and how many it changed.
pub struct Counts {
    pub created: usize,
    pub updated: usize,
}

/// Problems with the days, each naming its day as `days.N`.
async fn check_days(write: &Write<'_>, days: &[Day]) -> AppResult<Outcome<()>> {
    let actor = write.actor();
    let mut check = Check::default();
    for (i, day) in days.iter().enumerate() {
        if day.date > actor.today {
            check.fail(
                &format!("days.{i}.date"),
                UserErrorCode::OutOfRange,
                "attendance cannot be recorded for a future day",
            );
        }
        let key = |d: &Day| (d.student_id, d.school_id, d.date);
        if days[..i].iter().any(|earlier| key(earlier) == key(day)) {
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

/// The ids of the days already recorded, by student, school and date.
async fn recorded_ids(
    write: &Write<'_>,
    days: &[Day],
) -> AppResult<HashMap<(Uuid, Uuid, NaiveDate), Uuid>> {
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
    Ok(existing)
}

/// Records `days`, all or none: a day already recorded for the student and school gets the new
/// status. New days are inserted and known ones updated (one statement per status) a batch at
/// a time, with their audit and change rows, so a call costs the same few statements for 10
/// days or 1000.
pub async fn record(write: &Write<'_>, days: Vec<Day>) -> AppResult<Outcome<Counts>> {
    let actor = write.actor();
    policy::write_educational(actor, Educational::Attendance)?;
    if days.len() > MAX_DAYS_PER_CALL {
        return Err(AppError::bad_input(
            "input.days",
            format!("at most {MAX_DAYS_PER_CALL} days per call"),
        ));
    }
    if let Err(errors) = check_days(write, &days).await? {
        return Ok(Err(errors));
    }
    let existing = recorded_ids(write, &days).await?;
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
    let mut recorded = Vec::with_capacity(days.len());
    for day in days {
        let (id, action) = match existing.get(&(day.student_id, day.school_id, day.date)) {
            Some(id) => {
                updates.entry(day.status).or_default().push(*id);
                (*id, AuditAction::Update)
            }
            None => {
                let id = Uuid::now_v7();
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
                (id, AuditAction::Create)
            }
        };
        recorded.push(Recorded::of::<attendance_day::Entity>(
            action,
            id,
            Some(day.student_id),
            vec![attendance_day::Column::Status.as_str()],
        ));
    }
    let counts = Counts {
        created: inserts.len(),
        updated: updates.values().map(Vec::len).sum(),
    };
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
    Ok(Ok(counts))
}
