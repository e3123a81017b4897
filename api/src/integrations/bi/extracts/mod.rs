//! Flat extracts: the district's tier placements, intervention plans, progress points,
//! intervention sessions, attendance months, service contacts, referrals and referrals to
//! agencies as top-level
//! connections, for BI tools that page records instead of walking students. Each is for the
//! feed's roles, of the students whose records the actor reads, filtered in SQL by school, a
//! date range and `updatedSince`, paged up to 500 a page, and costs its page size times its
//! fields, so a flat page of 500 fits the cost limit. Records are paged by id (creation
//! order); attendance months by student, month and school. Students appear as the GraphQL
//! view shows them to the actor (a BI reader: pseudonyms, never names or SIS keys).

mod filter;
mod months;

use async_graphql::{Context, Object};
use entity::{
    agency_referral, intervention_session, progress_point, service_contact, ssw_referral,
    student_intervention as plan, tier_placement,
};
use sea_orm::{EntityTrait, QueryFilter};

use self::{
    filter::{Columns, ExtractFilter, Owner},
    months::{AttendanceMonth, AttendanceMonthConnection},
};
use crate::{
    agencies::{AgencyReferral, AgencyReferralConnection},
    auth::policy::Educational,
    casework::{Referral, ReferralConnection, ServiceContact, ServiceContactConnection},
    db::loader::Keyed,
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids,
        pagination::{self, Connection, PageArgs, SortKey, paginate, paginate_grouped},
    },
    mtss::{
        InterventionPlan, InterventionSession, MtssContext, ProgressPoint, TierPlacement,
        plans::{
            InterventionPlanConnection, InterventionSessionConnection, ProgressPointConnection,
        },
        tiers::TierPlacementConnection,
    },
};

/// Pages in creation order: ids are UUIDv7.
fn by_id<E: EntityTrait>() -> SortKey<E> {
    SortKey {
        name: "extract.id",
        column: None,
        key_of: |_| None,
        descending: false,
    }
}

/// One page of the rows of `E` about students whose `data` the actor reads, matching `filter`.
async fn extract<E>(
    ctx: &Context<'_>,
    (data, columns): (Educational, Columns<E::Column>),
    (first, after): (Option<i32>, Option<String>),
    filter: Option<ExtractFilter>,
) -> AppResult<Connection<E::Model>>
where
    E: Keyed + Send + Sync + 'static,
    E::Model: Send + Sync + Clone + 'static,
{
    let rows = filter
        .unwrap_or_default()
        .rows(ctx.actor()?, data, columns)?;
    let args = PageArgs::new(ctx.cursor_seal(), first, after, None, None);
    paginate(ctx.read_db(), E::find().filter(rows), &by_id(), &args).await
}

#[derive(Default)]
pub struct ExtractsQuery;

#[Object]
impl ExtractsQuery {
    /// The district's tier placements, flat, oldest first (for the feed's roles); dated by
    /// their first day.
    #[graphql(complexity = "pagination::cost(first, None, child_complexity)")]
    async fn tier_placement_extract(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Up to 500 (50 by default).")] first: Option<i32>,
        #[graphql(desc = "The cursor to page on from.")] after: Option<String>,
        #[graphql(desc = "What to limit the extract to.")] filter: Option<ExtractFilter>,
    ) -> AppResult<TierPlacementConnection> {
        let columns = Columns {
            owner: Owner::Student(tier_placement::Column::StudentId),
            district: tier_placement::Column::DistrictId,
            date: tier_placement::Column::EffectiveFrom,
            updated_at: tier_placement::Column::UpdatedAt,
        };
        let page = extract::<tier_placement::Entity>(
            ctx,
            (Educational::Tiers, columns),
            (first, after),
            filter,
        )
        .await?;
        Ok(TierPlacementConnection(page.map(TierPlacement)))
    }

    /// The district's intervention plans, flat, oldest first (for the feed's roles); dated by
    /// their start.
    #[graphql(complexity = "pagination::cost(first, None, child_complexity)")]
    async fn intervention_plan_extract(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Up to 500 (50 by default).")] first: Option<i32>,
        #[graphql(desc = "The cursor to page on from.")] after: Option<String>,
        #[graphql(desc = "What to limit the extract to.")] filter: Option<ExtractFilter>,
    ) -> AppResult<InterventionPlanConnection> {
        let columns = Columns {
            owner: Owner::Student(plan::Column::StudentId),
            district: plan::Column::DistrictId,
            date: plan::Column::StartDate,
            updated_at: plan::Column::UpdatedAt,
        };
        let page = extract::<plan::Entity>(
            ctx,
            (Educational::Interventions, columns),
            (first, after),
            filter,
        )
        .await?;
        Ok(InterventionPlanConnection(page.map(InterventionPlan)))
    }

    /// The district's progress points, flat, oldest first (for the feed's roles); dated by
    /// the day measured. Each names its plan (`plan { id student { id } }`).
    #[graphql(complexity = "pagination::cost(first, None, child_complexity)")]
    async fn progress_point_extract(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Up to 500 (50 by default).")] first: Option<i32>,
        #[graphql(desc = "The cursor to page on from.")] after: Option<String>,
        #[graphql(desc = "What to limit the extract to.")] filter: Option<ExtractFilter>,
    ) -> AppResult<ProgressPointConnection> {
        let columns = Columns {
            owner: Owner::Plan(progress_point::Column::PlanId),
            district: progress_point::Column::DistrictId,
            date: progress_point::Column::Date,
            updated_at: progress_point::Column::UpdatedAt,
        };
        let page = extract::<progress_point::Entity>(
            ctx,
            (Educational::Interventions, columns),
            (first, after),
            filter,
        )
        .await?;
        // The page's plans, at once: each point is valued against its plan's aim line.
        let plans = ctx
            .mtss()
            .plan
            .load_many(page.edges.iter().map(|(_, point)| point.plan_id))
            .await?;
        let page = page.try_map(|point| {
            let plan = plans
                .get(&point.plan_id)
                .ok_or_else(|| ids::not_found::<InterventionPlan>(point.plan_id))?;
            AppResult::Ok(ProgressPoint::of_plan(point, plan))
        })?;
        Ok(ProgressPointConnection(page))
    }

    /// The district's intervention sessions, flat, oldest first (for the feed's roles); dated
    /// by the day of the session. Each names its plan (`plan { id student { id } }`).
    #[graphql(complexity = "pagination::cost(first, None, child_complexity)")]
    async fn intervention_session_extract(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Up to 500 (50 by default).")] first: Option<i32>,
        #[graphql(desc = "The cursor to page on from.")] after: Option<String>,
        #[graphql(desc = "What to limit the extract to.")] filter: Option<ExtractFilter>,
    ) -> AppResult<InterventionSessionConnection> {
        let columns = Columns {
            owner: Owner::Plan(intervention_session::Column::PlanId),
            district: intervention_session::Column::DistrictId,
            date: intervention_session::Column::Date,
            updated_at: intervention_session::Column::UpdatedAt,
        };
        let page = extract::<intervention_session::Entity>(
            ctx,
            (Educational::Interventions, columns),
            (first, after),
            filter,
        )
        .await?;
        Ok(InterventionSessionConnection(page.map(InterventionSession)))
    }

    /// The district's service log, flat, oldest first (for the feed's roles; a BI reader gets
    /// the numbers, types and dates, never the words); dated by the day of the contact.
    #[graphql(complexity = "pagination::cost(first, None, child_complexity)")]
    async fn service_contact_extract(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Up to 500 (50 by default).")] first: Option<i32>,
        #[graphql(desc = "The cursor to page on from.")] after: Option<String>,
        #[graphql(desc = "What to limit the extract to.")] filter: Option<ExtractFilter>,
    ) -> AppResult<ServiceContactConnection> {
        let columns = Columns {
            owner: Owner::Student(service_contact::Column::StudentId),
            district: service_contact::Column::DistrictId,
            date: service_contact::Column::Date,
            updated_at: service_contact::Column::UpdatedAt,
        };
        let data = (Educational::ServiceLog, columns);
        let page = extract::<service_contact::Entity>(ctx, data, (first, after), filter).await?;
        Ok(ServiceContactConnection(page.map(ServiceContact)))
    }

    /// The district's referrals to social work, flat, oldest first (for the feed's roles; a
    /// BI reader gets no descriptions); dated by the day referred.
    #[graphql(complexity = "pagination::cost(first, None, child_complexity)")]
    async fn referral_extract(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Up to 500 (50 by default).")] first: Option<i32>,
        #[graphql(desc = "The cursor to page on from.")] after: Option<String>,
        #[graphql(desc = "What to limit the extract to.")] filter: Option<ExtractFilter>,
    ) -> AppResult<ReferralConnection> {
        let columns = Columns {
            owner: Owner::Student(ssw_referral::Column::StudentId),
            district: ssw_referral::Column::DistrictId,
            date: ssw_referral::Column::ReferredOn,
            updated_at: ssw_referral::Column::UpdatedAt,
        };
        let data = (Educational::Referrals, columns);
        let page = extract::<ssw_referral::Entity>(ctx, data, (first, after), filter).await?;
        Ok(ReferralConnection(page.map(Referral)))
    }

    /// The district's referrals to community agencies, flat, oldest first (for the feed's
    /// roles; a BI reader gets no words and no names); dated by the day sent (a draft has
    /// none, so a date range leaves drafts out).
    #[graphql(complexity = "pagination::cost(first, None, child_complexity)")]
    async fn agency_referral_extract(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Up to 500 (50 by default).")] first: Option<i32>,
        #[graphql(desc = "The cursor to page on from.")] after: Option<String>,
        #[graphql(desc = "What to limit the extract to.")] filter: Option<ExtractFilter>,
    ) -> AppResult<AgencyReferralConnection> {
        let columns = Columns {
            owner: Owner::Student(agency_referral::Column::StudentId),
            district: agency_referral::Column::DistrictId,
            date: agency_referral::Column::RequestedOn,
            updated_at: agency_referral::Column::UpdatedAt,
        };
        let data = (Educational::AgencyReferrals, columns);
        let page = extract::<agency_referral::Entity>(ctx, data, (first, after), filter).await?;
        Ok(AgencyReferralConnection(page.map(AgencyReferral)))
    }

    /// Each student's attendance per school and calendar month (days recorded, absent,
    /// unexcused, tardy), counted from the days the SIS reported, for the feed's roles; in
    /// order of student, month and school. `from` and `to` select whole months (those of the
    /// two days and between); a month is changed since `updatedSince` when one of its days is.
    #[graphql(complexity = "pagination::cost(first, None, child_complexity)")]
    async fn attendance_month_extract(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Up to 500 (50 by default).")] first: Option<i32>,
        #[graphql(desc = "The cursor to page on from.")] after: Option<String>,
        #[graphql(desc = "What to limit the extract to.")] filter: Option<ExtractFilter>,
    ) -> AppResult<AttendanceMonthConnection> {
        let db = ctx.read_db();
        let filter = filter.unwrap_or_default();
        let rows = months::rows(ctx.actor()?, db.get_database_backend(), &filter)?;
        let args = PageArgs::new(ctx.cursor_seal(), first, after, None, None);
        let page = paginate_grouped(db, &months::order(), &args, rows).await?;
        Ok(AttendanceMonthConnection(page.map(AttendanceMonth::new)))
    }
}
