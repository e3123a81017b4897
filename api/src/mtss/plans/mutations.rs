//! Creating and changing intervention plans, and recording their progress points and sessions.

use super::{
    InterventionPlan, InterventionPlanPayload, InterventionSession, InterventionSessionPayload,
    ProgressPoint, ProgressPointPayload, service,
};
use crate::mtss::{PlanOutcome, PlanStatus, interventions::Intervention};
use crate::{
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids::InputIds,
        mutation::{ChangeTo, apply_changes},
        scalars::Date,
    },
    roster::{Staff, Student},
};
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use chrono::Utc;
use entity::{intervention_session, progress_point, student_intervention as plan};
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

/// A new intervention plan for a student.
#[derive(InputObject)]
pub struct CreateInterventionPlanInput {
    /// The student.
    pub student_id: ID,
    /// The intervention.
    pub intervention_id: ID,
    /// The staff member responsible.
    pub responsible_staff_id: Option<ID>,
    /// The tier (default: the intervention's).
    pub tier: Option<i32>,
    /// First day.
    pub start_date: Date,
    /// Planned last day.
    pub planned_end_date: Date,
    /// The goal, in words.
    pub goal: String,
    /// What is measured.
    pub measure: String,
    /// The measure at the start.
    pub baseline: f64,
    /// The measure aimed for by the planned end.
    pub target: f64,
    /// Sessions per week (default: the intervention's).
    pub sessions_per_week: Option<i32>,
    /// Minutes per session (default: the intervention's).
    pub minutes_per_session: Option<i32>,
    /// PLANNED or ACTIVE (default ACTIVE).
    pub status: Option<PlanStatus>,
}

/// Changes to a plan: its status and outcome, its end, its goal.
#[derive(InputObject)]
pub struct UpdateInterventionPlanInput {
    /// The plan.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// New status.
    pub status: Option<PlanStatus>,
    /// How it ended (null clears).
    pub outcome: MaybeUndefined<PlanOutcome>,
    /// Actual last day (null clears).
    pub actual_end_date: MaybeUndefined<Date>,
    /// New planned last day.
    pub planned_end_date: Option<Date>,
    /// New target.
    pub target: Option<f64>,
    /// New goal.
    pub goal: Option<String>,
}

/// A progress point for a plan.
#[derive(InputObject)]
pub struct RecordProgressPointInput {
    /// The plan.
    pub plan_id: ID,
    /// When it was measured (within the plan's dates).
    pub date: Date,
    /// The value.
    pub value: f64,
    /// A note.
    pub note: Option<String>,
}

/// A session of a plan.
#[derive(InputObject)]
pub struct RecordInterventionSessionInput {
    /// The plan.
    pub plan_id: ID,
    /// When (within the plan's dates).
    pub date: Date,
    /// Whether the student attended.
    pub attended: bool,
    /// Minutes delivered (0 when absent).
    #[graphql(default)]
    pub minutes: i32,
}

#[derive(Default)]
pub struct PlanMutation;

#[Object]
impl PlanMutation {
    /// Starts an intervention plan for a student.
    async fn create_intervention_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: CreateInterventionPlanInput,
    ) -> AppResult<InterventionPlanPayload> {
        let mut sent = InputIds::default();
        let student_id = sent.of::<Student>("studentId", &input.student_id);
        let intervention_id = sent.of::<Intervention>("interventionId", &input.intervention_id);
        let staff_id = input
            .responsible_staff_id
            .as_ref()
            .map(|id| sent.of::<Staff>("responsibleStaffId", id));
        let now = Utc::now();
        let mut row = plan::ActiveModel {
            id: Set(Uuid::now_v7()),
            district_id: Set(ctx.actor()?.district_id),
            student_id: Set(student_id),
            intervention_id: Set(intervention_id),
            staff_id: Set(staff_id),
            start_date: Set(input.start_date.0),
            planned_end_date: Set(input.planned_end_date.0),
            actual_end_date: Set(None),
            goal: Set(input.goal),
            measure: Set(input.measure),
            baseline: Set(input.baseline),
            target: Set(input.target),
            outcome: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        };
        // Left unset, the service takes the intervention's.
        apply_changes!(row;
            input.tier => tier,
            input.sessions_per_week => sessions_per_week,
            input.minutes_per_session => minutes_per_session,
            input.status.map(Into::into) => status,
        );
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = service::create(&write, row).await?;
        Ok(write.finish(outcome).await?.map(InterventionPlan).into())
    }

    /// Changes a plan (status, outcome, end dates, goal), if nobody else changed it since `version`.
    async fn update_intervention_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateInterventionPlanInput,
    ) -> AppResult<InterventionPlanPayload> {
        let mut sent = InputIds::default();
        let id = sent.target::<InterventionPlan>("id", &input.id);
        let mut changes = plan::ActiveModel::default();
        apply_changes!(changes;
            input.status.map(Into::into) => status,
            input.outcome.change().map(|o| o.map(Into::into)) => outcome,
            input.actual_end_date.change().map(|d| d.map(|d| d.0)) => actual_end_date,
            input.planned_end_date.map(|d| d.0) => planned_end_date,
            input.target => target,
            input.goal => goal,
        );
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = sent.found(service::update(&write, (id, input.version), changes).await)?;
        Ok(write.finish(outcome).await?.map(InterventionPlan).into())
    }

    /// Records a progress point (its date within the plan's dates).
    async fn record_progress_point(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: RecordProgressPointInput,
    ) -> AppResult<ProgressPointPayload> {
        let mut sent = InputIds::default();
        let now = Utc::now();
        let row = progress_point::Model {
            id: Uuid::now_v7(),
            district_id: ctx.actor()?.district_id,
            plan_id: sent.target::<InterventionPlan>("planId", &input.plan_id),
            date: input.date.0,
            value: input.value,
            note: input.note,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = sent.found(service::record_point(&write, row).await)?;
        let point = |(plan, point): (_, progress_point::Model)| ProgressPoint {
            expected: InterventionPlan(plan).aim().expected(point.date),
            point,
        };
        Ok(write.finish(outcome).await?.map(point).into())
    }

    /// Records a session of a plan (its date within the plan's dates).
    async fn record_intervention_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: RecordInterventionSessionInput,
    ) -> AppResult<InterventionSessionPayload> {
        let mut sent = InputIds::default();
        let now = Utc::now();
        let row = intervention_session::Model {
            id: Uuid::now_v7(),
            district_id: ctx.actor()?.district_id,
            plan_id: sent.target::<InterventionPlan>("planId", &input.plan_id),
            date: input.date.0,
            attended: input.attended,
            minutes: input.minutes,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = sent.found(service::record_session(&write, row).await)?;
        Ok(write.finish(outcome).await?.map(InterventionSession).into())
    }
}
