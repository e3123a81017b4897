//! What MTSS teams work from: a school's tier and plan summary, and the early-warning list.

use super::MtssContext;
use crate::roster::RosterContext;
use crate::roster::School;
use std::collections::{HashMap, HashSet};

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use entity::{
    iep_participation as iep, student, student_intervention as plan, tier_placement,
    values::{
        IepStatus as DbIepStatus, MtssDomain as DbDomain, PlanOutcome as DbOutcome,
        PlanStatus as DbStatus,
    },
};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect, sea_query::Expr};
use uuid::Uuid;

use super::{
    Intervention, InterventionPlan, MtssDomain, PlanOutcome, attendance_rollup::chronically_absent,
    of_school::OfSchool, plans::Decision, special_education::review_overdue,
};
use crate::{
    auth::policy::Educational,
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids,
        pagination::{self, PageArgs, connection_type, paginate_loaded},
        scalars::Date,
    },
    roster::Student,
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
    /// Plans that ended so by the date.
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

/// Why a student is on the early-warning list.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EarlyWarningReason {
    /// Missed 10% or more of the school year's days so far.
    ChronicallyAbsent,
    /// In tier 3 in at least one domain.
    Tier3,
    /// An active plan whose decision rule says INTENSIFY.
    PlanNeedsIntensifying,
    /// An IEP or 504 plan in effect whose review date has passed.
    IepReviewOverdue,
}

/// A student flagged by two or more warning signs.
#[derive(SimpleObject, Clone)]
pub struct EarlyWarning {
    /// The student.
    pub student: Student,
    /// The warning signs, at least two.
    pub reasons: Vec<EarlyWarningReason>,
}

connection_type!(
    EarlyWarningConnection,
    EarlyWarningEdge,
    EarlyWarning,
    "A page of the early-warning list.",
    "A flagged student in a page."
);

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
        let of_school = OfSchool::new(ctx, school, date)?;

        let tiers: Vec<(DbDomain, i32, i64)> = tier_placement::Entity::find()
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
            .into_tuple()
            .all(db)
            .await?;

        let plans = of_school.rows(
            actor,
            Educational::Interventions,
            plan::Column::StudentId,
            plan::Column::DistrictId,
        )?;
        let active: Vec<(Uuid, i64)> = plan::Entity::find()
            .select_only()
            .column(plan::Column::InterventionId)
            .expr(Expr::cust("COUNT(*)"))
            .filter(plans.clone())
            .filter(plan::Column::Status.eq(DbStatus::Active))
            .filter(plan::Column::StartDate.lte(date))
            .group_by(plan::Column::InterventionId)
            .into_tuple()
            .all(db)
            .await?;
        let interventions = ctx
            .mtss()
            .intervention
            .load_many(active.iter().map(|(id, _)| *id))
            .await?;

        let outcomes: Vec<(DbOutcome, i64)> = plan::Entity::find()
            .select_only()
            .column(plan::Column::Outcome)
            .expr(Expr::cust("COUNT(*)"))
            .filter(plans)
            .filter(plan::Column::Status.is_in([DbStatus::Completed, DbStatus::Discontinued]))
            .filter(plan::Column::Outcome.is_not_null())
            .filter(plan::Column::ActualEndDate.lte(date))
            .group_by(plan::Column::Outcome)
            .into_tuple()
            .all(db)
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
        let actor = ctx.actor()?;
        let school = ids::decode_as::<School>(&school_id, "schoolId")?;
        let today = actor.today;
        let db = ctx.db();
        let of_school = OfSchool::new(ctx, school, today)?;
        // Every sign is EDUCATIONAL data; IEP review dates need the special-education grant.
        let ieps = of_school.rows(
            actor,
            Educational::SpecialEducation,
            iep::Column::StudentId,
            iep::Column::DistrictId,
        )?;
        let enrolled: Vec<Uuid> = student::Entity::find()
            .select_only()
            .column(student::Column::Id)
            .filter(of_school.students())
            .into_tuple()
            .all(db)
            .await?;
        let mut reasons: HashMap<Uuid, Vec<EarlyWarningReason>> = HashMap::new();
        let mut flag = |ids: &mut dyn Iterator<Item = Uuid>, reason| {
            for id in ids {
                reasons.entry(id).or_default().push(reason);
            }
        };

        let chronic: Vec<Uuid> = student::Entity::find()
            .select_only()
            .column(student::Column::Id)
            .filter(of_school.students())
            .filter(student::Column::Id.in_subquery(chronically_absent(actor.district_id, today)))
            .into_tuple()
            .all(db)
            .await?;
        flag(
            &mut chronic.into_iter(),
            EarlyWarningReason::ChronicallyAbsent,
        );

        let tier3: HashSet<Uuid> = tier_placement::Entity::find()
            .select_only()
            .column(tier_placement::Column::StudentId)
            .filter(of_school.rows(
                actor,
                Educational::Tiers,
                tier_placement::Column::StudentId,
                tier_placement::Column::DistrictId,
            )?)
            .filter(tier_placement::Column::EffectiveTo.is_null())
            .filter(tier_placement::Column::Tier.eq(3))
            .into_tuple()
            .all(db)
            .await?
            .into_iter()
            .collect();
        flag(&mut tier3.into_iter(), EarlyWarningReason::Tier3);

        let plans = ctx
            .mtss()
            .plans_of_student
            .load_many(enrolled.iter().copied())
            .await?;
        let active: Vec<InterventionPlan> = plans
            .into_values()
            .flatten()
            .filter(|p| p.status == DbStatus::Active)
            .map(InterventionPlan)
            .collect();
        ctx.mtss()
            .points_of_plan
            .load_many(active.iter().map(|p| p.0.id))
            .await?;
        let mut intensify = HashSet::new();
        for plan in &active {
            if plan.decision(ctx).await? == Decision::Intensify {
                intensify.insert(plan.0.student_id);
            }
        }
        flag(
            &mut intensify.into_iter(),
            EarlyWarningReason::PlanNeedsIntensifying,
        );

        let overdue: HashSet<Uuid> = iep::Entity::find()
            .filter(ieps)
            .filter(iep::Column::Status.eq(DbIepStatus::Active))
            .filter(iep::Column::IepReviewDueDate.lt(today))
            .all(db)
            .await?
            .into_iter()
            .filter(|row| review_overdue(row, today))
            .map(|row| row.student_id)
            .collect();
        flag(
            &mut overdue.into_iter(),
            EarlyWarningReason::IepReviewOverdue,
        );

        let mut flagged: Vec<(Uuid, Vec<EarlyWarningReason>)> =
            reasons.into_iter().filter(|(_, r)| r.len() >= 2).collect();
        for (_, r) in &mut flagged {
            r.sort();
        }
        flagged.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
        let found = ctx
            .roster()
            .student
            .load_many(flagged.iter().map(|(id, _)| *id))
            .await?;
        let entries: Vec<EarlyWarning> = flagged
            .into_iter()
            .filter_map(|(id, reasons)| {
                found.get(&id).map(|s| EarlyWarning {
                    student: Student(s.clone()),
                    reasons,
                })
            })
            .collect();
        let page = paginate_loaded(
            entries,
            |e| e.student.0.id,
            &PageArgs::new(ctx.cursor_seal(), first, after, last, before),
        )?;
        Ok(EarlyWarningConnection(page))
    }
}
