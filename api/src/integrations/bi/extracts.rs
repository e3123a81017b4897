//! Flat extracts: the district's tier placements and intervention plans as top-level
//! connections, for BI tools that page records instead of walking students. Each is filtered
//! by school, a date range and `updatedSince`, paged by id (creation order) up to 500 a page,
//! and costs its page size times its fields, so a flat page of 500 fits the cost limit.

use async_graphql::{Context, ID, InputObject, Object};
use entity::{student_intervention as plan, tier_placement};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, Select};

use crate::{
    auth::policy::{self, Educational},
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids,
        pagination::{self, PageArgs, SortKey, paginate},
        scalars::{Date, DateTime},
    },
    mtss::{
        InterventionPlan, TierPlacement, plans::InterventionPlanConnection,
        tiers::TierPlacementConnection,
    },
    roster::{School, students::enrolled_ids},
};

/// What an extract is limited to; every condition is applied in SQL.
#[derive(InputObject, Default)]
pub struct ExtractFilter {
    /// Only records about students enrolled in this school today.
    pub school_id: Option<ID>,
    /// Only records whose date (a placement's start, a plan's start) is on or after this day.
    pub from: Option<Date>,
    /// Only records whose date is on or before this day.
    pub to: Option<Date>,
    /// Only records changed at or after this time.
    pub updated_since: Option<DateTime>,
}

/// The columns an extract filters on.
struct Columns<C> {
    student: C,
    district: C,
    date: C,
    updated_at: C,
}

impl ExtractFilter {
    /// The rows of `select` the actor may read (`data` of the students it holds) that match.
    fn apply<E: EntityTrait>(
        self,
        ctx: &Context<'_>,
        select: Select<E>,
        (data, columns): (Educational, Columns<E::Column>),
    ) -> AppResult<Select<E>> {
        let actor = ctx.actor()?;
        let visible = policy::students_holding(actor, data)?;
        let mut rows = Condition::all()
            .add(columns.district.eq(actor.district_id))
            .add(columns.student.in_subquery(visible));
        if let Some(school) = &self.school_id {
            let school = ids::decode_as::<School>(school, "filter.schoolId")?;
            rows = rows.add(
                columns
                    .student
                    .in_subquery(enrolled_ids(school, actor.today)),
            );
        }
        if let Some(from) = self.from {
            rows = rows.add(columns.date.gte(from.0));
        }
        if let Some(to) = self.to {
            rows = rows.add(columns.date.lte(to.0));
        }
        if let Some(since) = self.updated_since {
            rows = rows.add(columns.updated_at.gte(since.0));
        }
        Ok(select.filter(rows))
    }
}

/// Pages in creation order: ids are UUIDv7.
fn by_id<E: EntityTrait>() -> SortKey<E> {
    SortKey {
        name: "extract.id",
        column: None,
        key_of: |_| None,
        descending: false,
    }
}

#[derive(Default)]
pub struct ExtractsQuery;

#[Object]
impl ExtractsQuery {
    /// The district's tier placements, flat, oldest first (for the feed's roles).
    #[graphql(complexity = "pagination::cost(first, None, child_complexity)")]
    async fn tier_placement_extract(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Up to 500 (50 by default).")] first: Option<i32>,
        #[graphql(desc = "The cursor to page on from.")] after: Option<String>,
        #[graphql(desc = "What to limit the extract to.")] filter: Option<ExtractFilter>,
    ) -> AppResult<TierPlacementConnection> {
        let columns = Columns {
            student: tier_placement::Column::StudentId,
            district: tier_placement::Column::DistrictId,
            date: tier_placement::Column::EffectiveFrom,
            updated_at: tier_placement::Column::UpdatedAt,
        };
        let select = filter.unwrap_or_default().apply(
            ctx,
            tier_placement::Entity::find(),
            (Educational::Tiers, columns),
        )?;
        let args = PageArgs::new(ctx.cursor_seal(), first, after, None, None);
        let page = paginate(ctx.read_db(), select, &by_id(), &args).await?;
        Ok(TierPlacementConnection(page.map(TierPlacement)))
    }

    /// The district's intervention plans, flat, oldest first (for the feed's roles).
    #[graphql(complexity = "pagination::cost(first, None, child_complexity)")]
    async fn intervention_plan_extract(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Up to 500 (50 by default).")] first: Option<i32>,
        #[graphql(desc = "The cursor to page on from.")] after: Option<String>,
        #[graphql(desc = "What to limit the extract to.")] filter: Option<ExtractFilter>,
    ) -> AppResult<InterventionPlanConnection> {
        let columns = Columns {
            student: plan::Column::StudentId,
            district: plan::Column::DistrictId,
            date: plan::Column::StartDate,
            updated_at: plan::Column::UpdatedAt,
        };
        let select = filter.unwrap_or_default().apply(
            ctx,
            plan::Entity::find(),
            (Educational::Interventions, columns),
        )?;
        let args = PageArgs::new(ctx.cursor_seal(), first, after, None, None);
        let page = paginate(ctx.read_db(), select, &by_id(), &args).await?;
        Ok(InterventionPlanConnection(page.map(InterventionPlan)))
    }
}
