//! The students of one school that the actor may see, as the condition a school's aggregates
//! (`mtssSummary`, `earlyWarning`) filter by.

use async_graphql::Context;
use chrono::NaiveDate;
use entity::student;
use sea_orm::{ColumnTrait, Condition, DbBackend, sea_query::Query};
use uuid::Uuid;

use crate::{
    auth::{
        Actor,
        policy::{self, Educational},
    },
    db,
    errors::AppResult,
    graphql::context::ContextExt,
    roster::students,
};

/// The students of one school on one date that the actor may see, for a school's aggregates.
/// The school's enrollments come first and each student is looked up by id (`db::in_ids`), so
/// what a statement reads follows the school's size; the policy's district-wide condition
/// (`educational_rows`) made SQLite walk every student of the district for each count (89 ms
/// for the tier counts at 10,000 students).
pub(super) struct OfSchool {
    backend: DbBackend,
    /// The condition on `student` rows: visible to the actor and enrolled there.
    students: Condition,
}

impl OfSchool {
    pub(super) fn new(ctx: &Context<'_>, school: Uuid, date: NaiveDate) -> AppResult<Self> {
        let backend = ctx.db().get_database_backend();
        let enrolled = students::enrolled_ids(school, date);
        let students = policy::student_rows(ctx.actor()?)?.add(db::in_ids(
            backend,
            student::Column::Id,
            enrolled,
        ));
        Ok(Self { backend, students })
    }

    /// Students (rows of `student`) the actor may see who are enrolled there.
    pub(super) fn students(&self) -> Condition {
        self.students.clone()
    }

    /// Rows of `data` (placements, plans, IEPs) about those students: the policy's rows of
    /// held students, since every one of them is checked visible.
    pub(super) fn rows<C: ColumnTrait>(
        &self,
        actor: &Actor,
        data: Educational,
        student_id: C,
        district_id: C,
    ) -> AppResult<Condition> {
        let visible = Query::select()
            .column(student::Column::Id)
            .from(student::Entity)
            .cond_where(self.students())
            .to_owned();
        Ok(
            policy::educational_rows_of_held(actor, data, district_id)?.add(db::in_ids(
                self.backend,
                student_id,
                visible,
            )),
        )
    }
}
