//! Attendance months: a student's days at one school in one calendar month, counted in SQL
//! from the days the SIS reported (the rows of the `attendance_months` export), paged by
//! student, month and school. A page reads the days of the students it can show and no
//! others: the groups are counted only for the first students past the cursor that have any.

use async_graphql::{Context, Object};
use chrono::{Months, NaiveDate, Utc};
use entity::attendance_day as day;
use sea_orm::{
    ColumnTrait, Condition, DbBackend, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
    sea_query::{Alias, Expr, ExprTrait, SelectStatement},
};
use serde_json::{Value, json};
use uuid::Uuid;

use super::filter::{Columns, ExtractFilter, Owner, first_day};
use crate::{
    auth::{Actor, policy::Educational},
    db,
    errors::AppResult,
    graphql::{
        pagination::{GroupKey, Rows, connection_type},
        scalars::DateTime,
    },
    mtss::DAY_COUNTS,
    roster::{School, Student, schools, students},
};

/// One month of one student's days at one school.
#[derive(Clone, FromQueryResult)]
pub struct MonthRow {
    student_id: Uuid,
    school_id: Uuid,
    year: i32,
    month: i32,
    days: i64,
    absent: i64,
    unexcused: i64,
    tardy: i64,
    updated_at: chrono::DateTime<Utc>,
}

impl MonthRow {
    fn month(&self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

/// A student's attendance at one school in one calendar month, counted from the days the SIS
/// reported.
#[derive(Clone)]
pub struct AttendanceMonth(MonthRow);

/// A student's attendance at one school in one calendar month, counted from the days the SIS
/// reported.
#[Object]
impl AttendanceMonth {
    /// The student.
    async fn student(&self, ctx: &Context<'_>) -> AppResult<Student> {
        students::load(ctx, self.0.student_id).await
    }
    /// The school the days were recorded at.
    async fn school(&self, ctx: &Context<'_>) -> AppResult<School> {
        schools::load(ctx, self.0.school_id).await
    }
    /// The calendar month, `YYYY-MM`.
    async fn month(&self) -> String {
        self.0.month()
    }
    /// Days with an attendance record.
    async fn days(&self) -> i64 {
        self.0.days
    }
    /// Days absent, excused or not (those that count toward chronic absence).
    async fn absent(&self) -> i64 {
        self.0.absent
    }
    /// Days absent without an excuse.
    async fn unexcused(&self) -> i64 {
        self.0.unexcused
    }
    /// Days present but late.
    async fn tardy(&self) -> i64 {
        self.0.tardy
    }
    /// When one of its days last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}

connection_type!(
    AttendanceMonthConnection,
    AttendanceMonthEdge,
    AttendanceMonth,
    "A page of attendance months.",
    "An attendance month in a page."
);

impl AttendanceMonth {
    pub(super) fn new(row: MonthRow) -> Self {
        Self(row)
    }
}

/// The order of the months: student, month, school (the order of the days' unique index,
/// `(student_id, date, school_id)`, so a page can be read along it).
pub(super) fn order() -> GroupKey<MonthRow> {
    GroupKey {
        name: "extract.attendanceMonth",
        order: ["student_id", "year", "month", "school_id"]
            .map(|column| Expr::col(Alias::new(column)))
            .into(),
        key_of: |row| (row.student_id, json!([row.month(), row.school_id])),
        after,
    }
}

/// The days of the months after (`student`, `[month, school]`).
fn after(student: Uuid, key: &Value) -> Option<Condition> {
    let [month, school] = key.as_array()?.as_slice() else {
        return None;
    };
    let month = NaiveDate::parse_from_str(&format!("{}-01", month.as_str()?), "%Y-%m-%d").ok()?;
    let next = first_day(month).checked_add_months(Months::new(1))?;
    let school: Uuid = serde_json::from_value(school.clone()).ok()?;
    let this_student = || Condition::all().add(day::Column::StudentId.eq(student));
    // The range first, which both backends read along the index (neither does it for the
    // alternatives alone).
    Some(
        Condition::all()
            .add(day::Column::StudentId.gte(student))
            .add(
                Condition::any()
                    .add(day::Column::StudentId.gt(student))
                    .add(this_student().add(day::Column::Date.gte(next)))
                    .add(
                        this_student()
                            .add(day::Column::Date.gte(month))
                            .add(day::Column::Date.lt(next))
                            .add(day::Column::SchoolId.gt(school)),
                    ),
            ),
    )
}

/// The statement of the month rows `rows` asks for: the days of whole months of the students
/// whose attendance the actor reads, matching `filter`, grouped; a month changed since
/// `updatedSince` when one of its days did.
pub(super) fn rows(
    actor: &Actor,
    backend: DbBackend,
    filter: &ExtractFilter,
) -> AppResult<impl Fn(Rows) -> SelectStatement + use<>> {
    let months = filter.whole_months();
    let columns = Columns {
        owner: Owner::Student(day::Column::StudentId),
        district: day::Column::DistrictId,
        date: day::Column::Date,
        updated_at: day::Column::UpdatedAt,
    };
    let days = months.rows(actor, Educational::Attendance, columns)?;
    let since = filter.updated_since.map(|since| since.0);
    let (year, month) = db::year_and_month(backend, "date");
    Ok(move |asked: Rows| {
        let mut select = day::Entity::find()
            .select_only()
            .column(day::Column::StudentId)
            .column(day::Column::SchoolId)
            .expr_as(Expr::cust(year.clone()), "year")
            .expr_as(Expr::cust(month.clone()), "month");
        for (name, count) in DAY_COUNTS {
            select = select.expr_as(Expr::cust(count), name);
        }
        select = select
            .expr_as(Expr::cust("MAX(updated_at)"), "updated_at")
            .filter(days.clone());
        if let Rows::Page { after, limit } = asked {
            // The first `limit` students past the cursor with a day to show: each has a row.
            let mut bound = day::Entity::find()
                .select_only()
                .column(day::Column::StudentId)
                .distinct()
                .filter(days.clone());
            if let Some(since) = since {
                bound = bound.filter(day::Column::UpdatedAt.gte(since));
            }
            if let Some(after) = after {
                bound = bound.filter(after.clone());
                select = select.filter(after);
            }
            let bound = bound
                .order_by_asc(day::Column::StudentId)
                .limit(limit)
                .into_query();
            select = select.filter(day::Column::StudentId.in_subquery(bound));
        }
        let mut query = select
            .group_by(day::Column::StudentId)
            .group_by(Expr::cust(year.clone()))
            .group_by(Expr::cust(month.clone()))
            .group_by(day::Column::SchoolId)
            .into_query();
        if let Some(since) = since {
            query.and_having(Expr::cust("MAX(updated_at)").gte(since));
        }
        query
    })
}
