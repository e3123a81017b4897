//! Students' intervention plans, their progress points and sessions, and what the server
//! derives from them: the aim line, the trend, the decision rule and the dosage (see
//! `progress` for the arithmetic and the rule).

mod mutations;
mod points;
mod records;
pub mod service;

pub use mutations::PlanMutation;
pub(crate) use points::prefetch as prefetch_points;
pub use records::{
    InterventionSession, InterventionSessionConnection, InterventionSessionPayload, ProgressPoint,
    ProgressPointConnection, ProgressPointPayload,
};

use super::MtssContext;
use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use entity::{progress_point, student_intervention as plan};

use super::{
    PlanOutcome, PlanStatus,
    interventions::{self, Intervention},
    progress::{self, AimLine},
};
use crate::{
    auth::policy::{self, StudentField},
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids,
        mutation::payload_type,
        pagination::{self, PageArgs, connection_type, paginate_loaded},
        scalars::Date,
    },
    roster::{Staff, Student, staff, students},
};

/// What the four-point decision rule says about a plan.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Keep going: the last four points are not all on one side of the aim line.
    Continue,
    /// Change the plan: the last four points all fall short of the aim line.
    Intensify,
    /// Consider ending or raising the goal: the last four points all beat the aim line.
    ConsiderExit,
    /// Fewer than four progress points.
    InsufficientData,
}

impl From<progress::Decision> for Decision {
    fn from(decision: progress::Decision) -> Self {
        match decision {
            progress::Decision::Continue => Self::Continue,
            progress::Decision::Intensify => Self::Intensify,
            progress::Decision::ConsiderExit => Self::ConsiderExit,
            progress::Decision::InsufficientData => Self::InsufficientData,
        }
    }
}

/// A student's intervention plan (Ed-Fi StudentInterventionAssociation).
#[derive(Clone)]
pub struct InterventionPlan(pub plan::Model);
crate::graphql::ids::node_type!(InterventionPlan);

impl InterventionPlan {
    fn aim(&self) -> AimLine {
        AimLine {
            start: self.0.start_date,
            end: self.0.planned_end_date,
            baseline: self.0.baseline,
            target: self.0.target,
        }
    }

    async fn points(&self, ctx: &Context<'_>) -> AppResult<Vec<progress_point::Model>> {
        Ok(ctx
            .mtss()
            .points_of_plan
            .load_one(self.0.id)
            .await?
            .unwrap_or_default())
    }

    /// The decision rule's verdict (also used by the early-warning list).
    pub async fn decision(&self, ctx: &Context<'_>) -> AppResult<Decision> {
        let points: Vec<_> = self
            .points(ctx)
            .await?
            .iter()
            .map(|p| (p.date, p.value))
            .collect();
        Ok(progress::decide(&self.aim(), &points).into())
    }
}

/// The aim line's value on one date.
#[derive(SimpleObject)]
pub struct AimLinePoint {
    /// The date.
    pub date: Date,
    /// The value the student should have reached by then.
    pub expected: f64,
}

/// Sessions and minutes delivered against those planned so far.
#[derive(SimpleObject)]
pub struct Dosage {
    /// Sessions planned from the start to today (or the end of the plan).
    pub sessions_planned: i64,
    /// Sessions the student attended.
    pub sessions_delivered: i64,
    /// Minutes planned over the same period.
    pub minutes_planned: i64,
    /// Minutes the student received.
    pub minutes_delivered: i64,
    /// Delivered over planned sessions (null when none was planned yet).
    pub delivered_ratio: Option<f64>,
}

/// A student's intervention plan (Ed-Fi StudentInterventionAssociation), with progress
/// monitoring derived by the server.
#[Object]
impl InterventionPlan {
    /// The plan's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<InterventionPlan>(self.0.id)
    }
    /// The student.
    async fn student(&self, ctx: &Context<'_>) -> AppResult<Student> {
        students::load(ctx, self.0.student_id).await
    }
    /// The intervention.
    async fn intervention(&self, ctx: &Context<'_>) -> AppResult<Intervention> {
        interventions::load(ctx, self.0.intervention_id).await
    }
    /// The staff member responsible.
    async fn responsible_staff(&self, ctx: &Context<'_>) -> AppResult<Option<Staff>> {
        match self.0.staff_id {
            Some(id) => Ok(Some(staff::load(ctx, id).await?)),
            None => Ok(None),
        }
    }
    /// The tier the plan is delivered at.
    async fn tier(&self) -> i32 {
        self.0.tier
    }
    /// First day.
    async fn start_date(&self) -> Date {
        Date(self.0.start_date)
    }
    /// Planned last day (the aim line reaches the target then).
    async fn planned_end_date(&self) -> Date {
        Date(self.0.planned_end_date)
    }
    /// Actual last day, once ended.
    async fn actual_end_date(&self) -> Option<Date> {
        self.0.actual_end_date.map(Date)
    }
    /// The goal, in words (free text: not for roles that do not read notes about students).
    async fn goal(&self, ctx: &Context<'_>) -> AppResult<&str> {
        policy::student_field(ctx.actor()?, StudentField::Notes)?;
        Ok(&self.0.goal)
    }
    /// What is measured (for example "words correct per minute").
    async fn measure(&self) -> &str {
        &self.0.measure
    }
    /// The measure at the start.
    async fn baseline(&self) -> f64 {
        self.0.baseline
    }
    /// The measure the plan aims for by the planned end date.
    async fn target(&self) -> f64 {
        self.0.target
    }
    /// Planned sessions per week.
    async fn sessions_per_week(&self) -> i32 {
        self.0.sessions_per_week
    }
    /// Planned minutes per session.
    async fn minutes_per_session(&self) -> i32 {
        self.0.minutes_per_session
    }
    /// Where the plan stands.
    async fn status(&self) -> PlanStatus {
        self.0.status.into()
    }
    /// How it ended.
    async fn outcome(&self) -> Option<PlanOutcome> {
        self.0.outcome.map(Into::into)
    }
    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Progress points, oldest first (`last: 5` gives the five most recent).
    #[graphql(complexity = "pagination::cost_bounded(first, last, child_complexity)")]
    async fn progress_points(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<ProgressPointConnection> {
        let aim = self.aim();
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let page = points::page(ctx, self.0.id, &args).await?;
        Ok(ProgressPointConnection(page.map(|point| ProgressPoint {
            expected: aim.expected(point.date),
            point,
        })))
    }
    /// The aim line at the start, at each progress point's date, and at the planned end.
    async fn aim_line(&self, ctx: &Context<'_>) -> AppResult<Vec<AimLinePoint>> {
        let aim = self.aim();
        let mut dates = vec![aim.start];
        dates.extend(self.points(ctx).await?.iter().map(|p| p.date));
        dates.push(aim.end);
        dates.sort();
        dates.dedup();
        Ok(dates
            .into_iter()
            .map(|date| AimLinePoint {
                date: Date(date),
                expected: aim.expected(date),
            })
            .collect())
    }
    /// Least-squares slope of the progress points, in measure units per week (null with
    /// fewer than two dates).
    async fn trend(&self, ctx: &Context<'_>) -> AppResult<Option<f64>> {
        let points: Vec<_> = self
            .points(ctx)
            .await?
            .iter()
            .map(|p| (p.date, p.value))
            .collect();
        Ok(progress::trend_per_week(&points))
    }
    /// The four-point decision rule: with fewer than four points INSUFFICIENT_DATA; the last
    /// four all short of the aim line (below it when the target is above the baseline, above
    /// it when the target is below) INTENSIFY; all four beyond it CONSIDER_EXIT; otherwise
    /// CONTINUE. A point exactly on the line counts for neither side.
    #[graphql(name = "decision")]
    async fn decision_field(&self, ctx: &Context<'_>) -> AppResult<Decision> {
        self.decision(ctx).await
    }
    /// Sessions and minutes delivered against those planned from the start date to today (or
    /// the plan's end, if earlier).
    async fn dosage(&self, ctx: &Context<'_>) -> AppResult<Dosage> {
        let sessions = ctx
            .mtss()
            .sessions_of_plan
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        let until = ctx
            .actor()?
            .today
            .min(self.0.actual_end_date.unwrap_or(self.0.planned_end_date));
        let planned =
            progress::planned_sessions(self.0.start_date, until, self.0.sessions_per_week);
        let attended: Vec<_> = sessions
            .iter()
            .filter(|s| s.attended && s.date <= until)
            .collect();
        let delivered = attended.len() as i64;
        Ok(Dosage {
            sessions_planned: planned,
            sessions_delivered: delivered,
            minutes_planned: planned * i64::from(self.0.minutes_per_session),
            minutes_delivered: attended.iter().map(|s| i64::from(s.minutes)).sum(),
            delivered_ratio: (planned > 0).then(|| delivered as f64 / planned as f64),
        })
    }
    /// Sessions scheduled for the plan, oldest first.
    #[graphql(complexity = "pagination::cost_bounded(first, last, child_complexity)")]
    async fn sessions(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<InterventionSessionConnection> {
        let rows = ctx
            .mtss()
            .sessions_of_plan
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        let page = paginate_loaded(
            rows,
            |s| s.id,
            &PageArgs::new(ctx.cursor_seal(), first, after, last, before),
        )?;
        Ok(InterventionSessionConnection(page.map(InterventionSession)))
    }
}

connection_type!(
    InterventionPlanConnection,
    InterventionPlanEdge,
    InterventionPlan,
    "A page of intervention plans.",
    "A plan in a page."
);
payload_type!(
    InterventionPlanPayload,
    plan,
    InterventionPlan,
    "The result of creating or changing a plan."
);
