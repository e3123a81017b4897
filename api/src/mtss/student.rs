//! MTSS's part of `Student`: its fields (flattened into the one `Student` type by `schema`),
//! and the page-level prefetch of the relations they read.

use async_graphql::{Context, Lookahead, Object};
use chrono::NaiveDate;
use entity::values::{IepStatus as DbIepStatus, PlanStatus as DbStatus};
use uuid::Uuid;

use super::{
    AttendanceSummary, HomelessStatus, IepParticipation, InterventionPlan, MtssContext, PlanStatus,
    TierPlacement,
    attendance_rollup::{school_year, school_year_start},
    plans::{InterventionPlanConnection, prefetch_points},
    special_education::IepParticipationConnection,
    tiers::TierPlacementConnection,
};
use crate::{
    db::loader::{warm, warm_joined},
    errors::AppResult,
    graphql::{
        context::ContextExt,
        pagination::{self, PageArgs, on_nodes, paginate_loaded, selects, selects_nested},
        scalars::Date,
    },
};

/// MTSS's fields of a student (tiers, plans, IEP/504, McKinney-Vento, attendance).
pub struct StudentMtss(pub Uuid);

#[Object]
impl StudentMtss {
    /// Current MTSS tier placements, at most one per domain.
    async fn current_tiers(&self, ctx: &Context<'_>) -> AppResult<Vec<TierPlacement>> {
        let rows = ctx.mtss().current_tiers_of_student.load_one(self.0).await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(TierPlacement)
            .collect())
    }
    /// Every tier placement, newest first.
    #[graphql(complexity = "pagination::cost_bounded(first, last, child_complexity)")]
    async fn tier_history(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<TierPlacementConnection> {
        let rows = ctx.mtss().tier_history_of_student.load_one(self.0).await?;
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let page = paginate_loaded(rows.unwrap_or_default(), |r| r.id, &args)?;
        Ok(TierPlacementConnection(page.map(TierPlacement)))
    }
    /// Intervention plans, newest first.
    #[graphql(complexity = "pagination::cost_bounded(first, last, child_complexity)")]
    async fn intervention_plans(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only plans in these statuses.")] statuses: Option<Vec<PlanStatus>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<InterventionPlanConnection> {
        let mut rows = ctx
            .mtss()
            .plans_of_student
            .load_one(self.0)
            .await?
            .unwrap_or_default();
        if let Some(statuses) = statuses {
            let statuses: Vec<DbStatus> = statuses.into_iter().map(Into::into).collect();
            rows.retain(|row| statuses.contains(&row.status));
        }
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let page = paginate_loaded(rows, |r| r.id, &args)?;
        Ok(InterventionPlanConnection(page.map(InterventionPlan)))
    }
    /// IEP and Section 504 records (pupil services and admins).
    #[graphql(complexity = "pagination::cost_bounded(first, last, child_complexity)")]
    async fn special_education(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<IepParticipationConnection> {
        let rows = ctx.mtss().ieps_of_student.load_one(self.0).await?;
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let page = paginate_loaded(rows.unwrap_or_default(), |r| r.id, &args)?;
        Ok(IepParticipationConnection(page.map(IepParticipation)))
    }
    /// Whether an IEP or 504 plan is in effect (or the student is found eligible). School staff
    /// may see this, and nothing else of special education.
    #[graphql(name = "hasIepOr504")]
    async fn has_iep_or_504(&self, ctx: &Context<'_>) -> AppResult<bool> {
        let rows = ctx.mtss().iep_existence_of_student.load_one(self.0).await?;
        Ok(rows
            .unwrap_or_default()
            .iter()
            .any(|row| matches!(row.status, DbIepStatus::Active | DbIepStatus::Eligible)))
    }
    /// The current McKinney-Vento identification, if any.
    async fn homeless_status(&self, ctx: &Context<'_>) -> AppResult<Option<HomelessStatus>> {
        let rows = ctx.mtss().homeless_of_student.load_one(self.0).await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .find(|row| row.end_date.is_none())
            .map(HomelessStatus))
    }
    /// Attendance over a date range, computed in SQL (default: the school year so far).
    async fn attendance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day (default: August 1 of the school year).")] from: Option<Date>,
        #[graphql(desc = "Last day (default: today).")] to: Option<Date>,
    ) -> AppResult<AttendanceSummary> {
        let (from, to) = attendance_range(ctx.actor()?.today, from.map(|d| d.0), to.map(|d| d.0));
        let counts = ctx.mtss().attendance.load_one((self.0, from, to)).await?;
        Ok(AttendanceSummary::new(from, to, counts.unwrap_or_default()))
    }
}

/// The date range of `attendance(from, to)`: by default the school year up to today.
fn attendance_range(
    today: NaiveDate,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> (NaiveDate, NaiveDate) {
    let to = to.unwrap_or(today);
    (
        from.unwrap_or_else(|| school_year_start(school_year(to))),
        to,
    )
}

/// The date ranges the query asks `attendance` for (its `from`/`to` arguments); a range given
/// in a form not read here is simply not prefetched (the loader still batches it).
fn attendance_ranges(nodes: &[Lookahead<'_>], today: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let date = |arguments: &[(async_graphql::Name, async_graphql::Value)], name: &str| {
        arguments
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .and_then(|(_, v)| match v {
                async_graphql::Value::String(text) => {
                    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
                }
                _ => None,
            })
    };
    let mut ranges: Vec<(NaiveDate, NaiveDate)> = nodes
        .iter()
        .flat_map(|node| node.field("attendance").selection_fields())
        .filter_map(|field| field.arguments().ok())
        .map(|arguments| attendance_range(today, date(&arguments, "from"), date(&arguments, "to")))
        .collect();
    ranges.sort();
    ranges.dedup();
    ranges
}

/// Loads the MTSS relations a page of students selects (`nodes`), for the whole page at once
/// (as `roster::students::prefetch` does for the roster's).
pub async fn prefetch(
    ctx: &Context<'_>,
    nodes: &[Lookahead<'_>],
    students: &[Uuid],
) -> AppResult<()> {
    let loaders = ctx.mtss();
    let students = || students.iter().copied();
    let on_plans = |fields: &[&str]| {
        fields
            .iter()
            .any(|field| selects_nested(nodes, "interventionPlans", field))
    };
    let plans = async {
        let plans = warm_joined(
            &loaders.plans_of_student,
            &loaders.intervention,
            (
                selects(nodes, "interventionPlans"),
                on_plans(&["intervention"]),
            ),
            students(),
        )
        .await?;
        let ids = || plans.values().flatten().map(|p| p.id);
        futures::try_join!(
            async {
                let plans: Vec<_> = nodes
                    .iter()
                    .flat_map(|node| on_nodes(node.field("interventionPlans")))
                    .collect();
                let ids: Vec<Uuid> = ids().collect();
                prefetch_points(ctx, &plans, &ids).await
            },
            warm(
                &loaders.sessions_of_plan,
                on_plans(&["sessions", "dosage"]),
                ids(),
            ),
        )
    };
    let attendance = futures::future::try_join_all(
        attendance_ranges(nodes, ctx.actor()?.today)
            .into_iter()
            .map(|(from, to)| {
                warm(
                    &loaders.attendance,
                    true,
                    students().map(move |id| (id, from, to)),
                )
            }),
    );
    futures::try_join!(
        warm(
            &loaders.current_tiers_of_student,
            selects(nodes, "currentTiers"),
            students(),
        ),
        warm(
            &loaders.tier_history_of_student,
            selects(nodes, "tierHistory"),
            students(),
        ),
        plans,
        warm(
            &loaders.ieps_of_student,
            selects(nodes, "specialEducation"),
            students(),
        ),
        warm(
            &loaders.iep_existence_of_student,
            selects(nodes, "hasIepOr504"),
            students(),
        ),
        warm(
            &loaders.homeless_of_student,
            selects(nodes, "homelessStatus"),
            students(),
        ),
        attendance,
    )?;
    Ok(())
}
