//! What an extract is limited to, as one condition in SQL on the extract's rows: the actor's
//! district, the students whose records it reads (the policy's), and the filter's school, date
//! range and change time.

use async_graphql::{ID, InputObject};
use chrono::{Datelike, Months, NaiveDate};
use entity::student_intervention as plan;
use sea_orm::{
    ColumnTrait, Condition,
    sea_query::{Query, SelectStatement},
};

use crate::{
    auth::{
        Actor,
        policy::{self, Educational},
    },
    errors::AppResult,
    graphql::{
        ids,
        scalars::{Date, DateTime},
    },
    roster::{School, students::enrolled_ids},
};

/// What an extract is limited to; every condition is applied in SQL.
#[derive(InputObject, Default)]
pub struct ExtractFilter {
    /// Only records about students enrolled in this school today.
    pub school_id: Option<ID>,
    /// Only records whose date is on or after this day: a placement's or plan's start, a
    /// progress point's or session's date; for attendance months, the months from this day's.
    pub from: Option<Date>,
    /// Only records whose date is on or before this day (for attendance months, the months up
    /// to this day's).
    pub to: Option<Date>,
    /// Only records changed at or after this time (an attendance month: any of its days).
    pub updated_since: Option<DateTime>,
}

/// Whose records an extract's rows are.
pub(super) enum Owner<C> {
    /// The column holding the record's student.
    Student(C),
    /// The column holding the record's intervention plan (a plan is one student's).
    Plan(C),
}

/// The columns an extract filters on.
pub(super) struct Columns<C> {
    pub owner: Owner<C>,
    pub district: C,
    pub date: C,
    pub updated_at: C,
}

impl ExtractFilter {
    /// The rows about students whose `data` the actor reads that match the filter.
    pub(super) fn rows<C: ColumnTrait>(
        &self,
        actor: &Actor,
        data: Educational,
        columns: Columns<C>,
    ) -> AppResult<Condition> {
        let mut students = vec![policy::students_holding(actor, data)?];
        if let Some(school) = &self.school_id {
            let school = ids::decode_as::<School>(school, "filter.schoolId")?;
            students.push(enrolled_ids(school, actor.today));
        }
        let mut rows = Condition::all()
            .add(columns.district.eq(actor.district_id))
            .add(match columns.owner {
                Owner::Student(column) => among(column, students),
                Owner::Plan(column) => {
                    let plans = Query::select()
                        .column(plan::Column::Id)
                        .from(plan::Entity)
                        .cond_where(among(plan::Column::StudentId, students))
                        .to_owned();
                    Condition::all().add(column.in_subquery(plans))
                }
            });
        if let Some(from) = self.from {
            rows = rows.add(columns.date.gte(from.0));
        }
        if let Some(to) = self.to {
            rows = rows.add(columns.date.lte(to.0));
        }
        if let Some(since) = self.updated_since {
            rows = rows.add(columns.updated_at.gte(since.0));
        }
        Ok(rows)
    }

    /// The filter of the days of whole months: `from` back to the first day of its month, `to`
    /// on to the last day of its month; `updatedSince` is left to the caller (a month changed
    /// when one of its days did, but counts all of them).
    pub(super) fn whole_months(&self) -> Self {
        let last_day = |date: NaiveDate| {
            first_day(date)
                .checked_add_months(Months::new(1))
                .and_then(|next| next.pred_opt())
                .unwrap_or(date)
        };
        Self {
            school_id: self.school_id.clone(),
            from: self.from.map(|from| Date(first_day(from.0))),
            to: self.to.map(|to| Date(last_day(to.0))),
            updated_since: None,
        }
    }
}

/// The first day of `date`'s month.
pub(super) fn first_day(date: NaiveDate) -> NaiveDate {
    date.with_day0(0).unwrap_or(date)
}

/// `student` is in every one of `students`.
fn among<C: ColumnTrait>(student: C, students: Vec<SelectStatement>) -> Condition {
    students.into_iter().fold(Condition::all(), |rows, ids| {
        rows.add(student.in_subquery(ids))
    })
}
