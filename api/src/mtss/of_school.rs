//! The students of one school that the actor may see, as the condition a school's aggregates
//! (`mtssSummary`, `earlyWarning`) filter by.

use async_graphql::Context;
use chrono::NaiveDate;
use entity::student;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect};
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

/// The students of one school on one date that the actor may see, read once (one statement,
/// by the school's enrollments, each student looked up by id) and then named by id in each of
/// the school's aggregates. Each aggregate repeating the lookup as a subquery read the
/// school's enrollments and students again per statement (three times for early warning);
/// the policy's district-wide condition before that made SQLite walk every student of the
/// district per count. A school's ids are bound as parameters, well within both databases'
/// limits for any school (SQLite takes 32,766).
pub(super) struct OfSchool {
    ids: Vec<Uuid>,
}

impl OfSchool {
    pub(super) async fn load(ctx: &Context<'_>, school: Uuid, date: NaiveDate) -> AppResult<Self> {
        let backend = ctx.db().get_database_backend();
        let ids = student::Entity::find()
            .select_only()
            .column(student::Column::Id)
            .filter(policy::student_rows(ctx.actor()?)?)
            .filter(db::in_ids(
                backend,
                student::Column::Id,
                students::enrolled_ids(school, date),
            ))
            .into_tuple()
            .all(ctx.db())
            .await?;
        Ok(Self { ids })
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
        Ok(policy::educational_rows_of_held(actor, data, district_id)?
            .add(student_id.is_in(self.ids.iter().copied())))
    }
}
