//! What MTSS teams work from: a school's tier and plan summary, and the early-warning list
//! (`early_warning`).

use async_graphql::{Context, ID, Object, SimpleObject};
use entity::{
    student_intervention as plan, tier_placement,
    values::{MtssDomain as DbDomain, PlanOutcome as DbOutcome, PlanStatus as DbStatus},
};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect, sea_query::Expr};
use uuid::Uuid;

use super::{
    Intervention, MtssContext, MtssDomain, PlanOutcome,
    early_warning::{self, EarlyWarningConnection},
    of_school::OfSchool,
};
use crate::{
    auth::policy::Educational,
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids,
        pagination::{self, PageArgs},
        scalars::Date,
    },
    roster::School,
};

/// Students in one tier of one domain.
#[derive(SimpleObject)]
pub struct TierCount {
    /// The domain.
    pub domain: MtssDomain,
    /// The tier.
    pub tier: i32,
    /// Students placed there on the date.
    pub students: i64,
}

/// Active plans of one intervention.
#[derive(SimpleObject)]
pub struct InterventionCount {
    /// The intervention.
    pub intervention: Intervention,
    /// Plans active on the date.
    pub active_plans: i64,
}

/// Ended plans with one outcome.
#[derive(SimpleObject)]
pub struct OutcomeCount {
    /// The outcome.
    pub outcome: PlanOutcome,
    /// How many plans ended so.
    pub plans: i64,
}

/// A school's MTSS picture on a date, computed with SQL aggregates.
#[derive(SimpleObject)]
pub struct MtssSummary {
    /// The date the counts are for.
    pub date: Date,
    /// Students per tier per domain (students enrolled on the date).
    pub tier_counts: Vec<TierCount>,
    /// Active plans per intervention.
    pub active_plans: Vec<InterventionCount>,
    /// Outcomes of plans ended by the date.
    pub outcomes: Vec<OutcomeCount>,
}

#[derive(Default)]
pub struct WorklistQuery;

#[Object]
impl WorklistQuery {
    /// A school's MTSS picture on a date (default today): students per tier per domain, active
    /// plans per intervention, and outcomes of ended plans.
    async fn mtss_summary(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The school.")] school_id: ID,
        #[graphql(desc = "The date (default today).")] date: Option<Date>,
    ) -> AppResult<MtssSummary> {
        let actor = ctx.actor()?;
        let school = ids::decode_as::<School>(&school_id, "schoolId")?;
        let date = date.map_or(actor.today, |d| d.0);
        let db = ctx.db();
        let of_school = OfSchool::load(ctx, school, date).await?;

        // The three counts are independent: run at once, the summary waits for the slowest.
        let tiers = tier_placement::Entity::find()
            .select_only()
            .columns([tier_placement::Column::Domain, tier_placement::Column::Tier])
            .expr(Expr::cust("COUNT(*)"))
            .filter(of_school.rows(
                actor,
                Educational::Tiers,
                tier_placement::Column::StudentId,
                tier_placement::Column::DistrictId,
            )?)
            .filter(tier_placement::Column::EffectiveFrom.lte(date))
            .filter(
                Condition::any()
                    .add(tier_placement::Column::EffectiveTo.is_null())
                    .add(tier_placement::Column::EffectiveTo.gte(date)),
            )
            .group_by(tier_placement::Column::Domain)
            .group_by(tier_placement::Column::Tier)
            .into_tuple::<(DbDomain, i32, i64)>()
            .all(db);

        let plans = of_school.rows(
            actor,
            Educational::Interventions,
            plan::Column::StudentId,
            plan::Column::DistrictId,
        )?;
        let active = plan::Entity::find()
            .select_only()
            .column(plan::Column::InterventionId)
            .expr(Expr::cust("COUNT(*)"))
            .filter(plans.clone())
            .filter(plan::Column::Status.eq(DbStatus::Active))
            .filter(plan::Column::StartDate.lte(date))
            .group_by(plan::Column::InterventionId)
            .into_tuple::<(Uuid, i64)>()
            .all(db);
        let outcomes = plan::Entity::find()
            .select_only()
            .column(plan::Column::Outcome)
            .expr(Expr::cust("COUNT(*)"))
            .filter(plans)
            .filter(plan::Column::Status.is_in([DbStatus::Completed, DbStatus::Discontinued]))
            .filter(plan::Column::Outcome.is_not_null())
            .filter(plan::Column::ActualEndDate.lte(date))
            .group_by(plan::Column::Outcome)
            .into_tuple::<(DbOutcome, i64)>()
            .all(db);
        let (tiers, active, outcomes) = futures::try_join!(tiers, active, outcomes)?;
        let interventions = ctx
            .mtss()
            .intervention
            .load_many(active.iter().map(|(id, _)| *id))
            .await?;

        let mut tier_counts: Vec<TierCount> = tiers
            .into_iter()
            .map(|(domain, tier, students)| TierCount {
                domain: domain.into(),
                tier,
                students,
            })
            .collect();
        tier_counts.sort_by_key(|c| (c.domain as u8, c.tier));
        let mut active_plans: Vec<InterventionCount> = active
            .into_iter()
            .filter_map(|(id, n)| {
                interventions.get(&id).map(|i| InterventionCount {
                    intervention: Intervention(i.clone()),
                    active_plans: n,
                })
            })
            .collect();
        active_plans.sort_by(|a, b| {
            b.active_plans
                .cmp(&a.active_plans)
                .then_with(|| a.intervention.0.name.cmp(&b.intervention.0.name))
        });
        let mut outcomes: Vec<OutcomeCount> = outcomes
            .into_iter()
            .map(|(outcome, plans)| OutcomeCount {
                outcome: outcome.into(),
                plans,
            })
            .collect();
        outcomes.sort_by_key(|o| o.outcome as u8);
        Ok(MtssSummary {
            date: Date(date),
            tier_counts,
            active_plans,
            outcomes,
        })
    }

    /// Students of a school enrolled today with two or more warning signs (chronic absence,
    /// tier 3, a plan to intensify, an overdue IEP review), most signs first.
    #[graphql(complexity = "pagination::cost(first, last, child_complexity)")]
    async fn early_warning(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The school.")] school_id: ID,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<EarlyWarningConnection> {
        let school = ids::decode_as::<School>(&school_id, "schoolId")?;
        early_warning::list(
            ctx,
            school,
            &PageArgs::new(ctx.cursor_seal(), first, after, last, before),
        )
        .await
    }
}
