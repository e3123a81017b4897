//! The attendance rollup: each student's days, absences, unexcused absences and tardies per
//! school year, so that chronic absence is an index lookup rather than an aggregate over every
//! day of the year (730,000 rows at 10,000 students). Every attendance write refreshes the
//! rows of the students and years it touched, in its own transaction; `ssw-api rollups`
//! rebuilds them all (after a bulk load, or to repair).

use std::ops::RangeInclusive;

use chrono::{Datelike, NaiveDate};
use entity::{attendance_day, attendance_rollup as rollup};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QuerySelect, QueryTrait,
    sea_query::{Expr, ExprTrait, OnConflict, Query, SelectStatement},
};
use uuid::Uuid;

use super::loaders::DAY_COUNTS;
use crate::{db::BATCH_ROWS, errors::AppResult};

/// The school year a date belongs to, named by the year it starts in (August 1).
pub fn school_year(date: NaiveDate) -> i32 {
    if date.month() >= 8 {
        date.year()
    } else {
        date.year() - 1
    }
}

/// The first day of school year `year`.
pub fn school_year_start(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 8, 1).unwrap_or(NaiveDate::MIN)
}

/// The rollup rows of the chronically absent, in the words of the partial index that holds
/// only them (`ix_attendance_rollup_chronic`; literal numbers and the column first, since both
/// databases match a partial index by its condition's text).
const CHRONIC: &str = "days > 0 AND days <= absent * 10";

/// Rollup rows of students chronically absent (10% or more of their recorded days missed) in
/// the school year of `today`, so far.
pub fn chronic_in_year(today: NaiveDate) -> Condition {
    Condition::all()
        .add(rollup::Column::SchoolYear.eq(school_year(today)))
        .add(Expr::cust(CHRONIC))
}

/// Students of `district` chronically absent in the school year of `today`, so far.
pub fn chronically_absent(district: Uuid, today: NaiveDate) -> SelectStatement {
    Query::select()
        .column(rollup::Column::StudentId)
        .from(rollup::Entity)
        .and_where(rollup::Column::DistrictId.eq(district))
        .cond_where(chronic_in_year(today))
        .to_owned()
}

/// Recomputes the rows of `students` (every student when `None`) for the school years
/// `years` from their days, replacing what was there: one statement per thousand students,
/// whatever the number of days or years.
pub async fn refresh(
    db: &impl ConnectionTrait,
    years: RangeInclusive<i32>,
    students: Option<&[Uuid]>,
) -> AppResult<()> {
    let backend = db.get_database_backend();
    let (year, month) = crate::db::year_and_month(backend, "date");
    let school_year = format!("{year} - CASE WHEN {month} < 8 THEN 1 ELSE 0 END");
    let batches: Vec<Option<&[Uuid]>> = match students {
        Some(students) => students.chunks(BATCH_ROWS).map(Some).collect(),
        None => vec![None],
    };
    for batch in batches {
        let mut sums = attendance_day::Entity::find()
            .select_only()
            .column(attendance_day::Column::StudentId)
            .expr(Expr::cust(school_year.clone()))
            .column(attendance_day::Column::DistrictId)
            .exprs(DAY_COUNTS.map(|(_, count)| Expr::cust(count)))
            .group_by(attendance_day::Column::StudentId)
            .group_by(attendance_day::Column::DistrictId)
            .group_by(Expr::cust(school_year.clone()))
            .into_query();
        // SQLite parses `INSERT .. SELECT .. ON CONFLICT` only when the SELECT has a WHERE.
        sums.and_where(attendance_day::Column::Date.gte(school_year_start(*years.start())))
            .and_where(attendance_day::Column::Date.lt(school_year_start(years.end() + 1)));
        if let Some(batch) = batch {
            sums.and_where(attendance_day::Column::StudentId.is_in(batch.iter().copied()));
        }
        let upsert = Query::insert()
            .into_table(rollup::Entity)
            .columns([
                rollup::Column::StudentId,
                rollup::Column::SchoolYear,
                rollup::Column::DistrictId,
                rollup::Column::Days,
                rollup::Column::Absent,
                rollup::Column::Unexcused,
                rollup::Column::Tardy,
            ])
            .select_from(sums)
            .map_err(crate::errors::AppError::internal)?
            .on_conflict(
                OnConflict::columns([rollup::Column::StudentId, rollup::Column::SchoolYear])
                    .update_columns([
                        rollup::Column::Days,
                        rollup::Column::Absent,
                        rollup::Column::Unexcused,
                        rollup::Column::Tardy,
                    ])
                    .to_owned(),
            )
            .to_owned();
        db.execute_raw(backend.build(&upsert)).await?;
    }
    Ok(())
}

/// Rebuilds the whole rollup from the attendance days; returns the school years rebuilt.
pub async fn rebuild(db: &impl ConnectionTrait) -> AppResult<Vec<i32>> {
    let clear = Query::delete().from_table(rollup::Entity).to_owned();
    db.execute_raw(db.get_database_backend().build(&clear))
        .await?;
    let range: Option<(Option<NaiveDate>, Option<NaiveDate>)> = attendance_day::Entity::find()
        .select_only()
        .expr(Expr::col(attendance_day::Column::Date).min())
        .expr(Expr::col(attendance_day::Column::Date).max())
        .into_tuple()
        .one(db)
        .await?;
    let Some((Some(first), Some(last))) = range else {
        return Ok(Vec::new());
    };
    let years = school_year(first)..=school_year(last);
    refresh(db, years.clone(), None).await?;
    Ok(years.collect())
}
