//! Recording assessments and crisis incidents, and making and revising safety plans.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use chrono::Utc;
use entity::{assessment, crisis_incident, safety_plan};
use uuid::Uuid;

use super::{
    safety::{
        Assessment, AssessmentPayload, AssessmentType, CrisisIncident, CrisisIncidentPayload,
        CrisisType, RiskLevel, SafetyPlan, SafetyPlanPayload,
    },
    safety_service as service,
};
use crate::{
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids::InputIds,
        mutation::{ChangeTo, apply_changes},
        scalars::Date,
    },
    roster::Student,
};

/// An assessment of a student.
#[derive(InputObject)]
pub struct RecordAssessmentInput {
    /// The student.
    pub student_id: ID,
    /// The kind.
    pub assessment_type: AssessmentType,
    /// The day (today by default; never in the future).
    pub date: Option<Date>,
    /// The risk it found, when it rates one.
    pub risk_level: Option<RiskLevel>,
    /// What it found.
    pub summary: String,
}

/// A crisis incident.
#[derive(InputObject)]
pub struct RecordCrisisIncidentInput {
    /// The student.
    pub student_id: ID,
    /// The kind.
    pub crisis_type: CrisisType,
    /// The day (today by default; never in the future).
    pub date: Option<Date>,
    /// What the school did.
    pub response: String,
    /// What follows.
    pub follow_up: Option<String>,
}

/// A safety plan.
#[derive(InputObject)]
pub struct CreateSafetyPlanInput {
    /// The student.
    pub student_id: ID,
    /// The crisis it answers.
    pub crisis_incident_id: Option<ID>,
    /// The day it was made (today by default).
    pub created_on: Option<Date>,
    /// When it is to be reviewed (not before it was made).
    pub review_date: Date,
    /// The plan: warning signs, coping steps, people and places.
    pub plan: String,
}

/// Changes to a safety plan.
#[derive(InputObject)]
pub struct UpdateSafetyPlanInput {
    /// The plan.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// A new review date.
    pub review_date: Option<Date>,
    /// When it ended (null: in effect again).
    pub ended_on: MaybeUndefined<Date>,
    /// The plan's new words.
    pub plan: Option<String>,
}

#[derive(Default)]
pub struct SafetyMutation;

#[Object]
impl SafetyMutation {
    /// Records an assessment (pupil services and admins).
    async fn record_assessment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: RecordAssessmentInput,
    ) -> AppResult<AssessmentPayload> {
        let actor = ctx.actor()?;
        let mut sent = InputIds::default();
        let now = Utc::now();
        let row = assessment::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            student_id: sent.of::<Student>("studentId", &input.student_id),
            staff_id: actor.staff_id,
            assessment_type: input.assessment_type.into(),
            date: input.date.map_or(actor.today, |d| d.0),
            risk_level: input.risk_level.map(Into::into),
            summary: input.summary.trim().to_string(),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = service::assess(&write, row).await?;
        Ok(write.finish(outcome).await?.map(Assessment).into())
    }

    /// Records a crisis incident and the school's response (pupil services and admins).
    async fn record_crisis_incident(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: RecordCrisisIncidentInput,
    ) -> AppResult<CrisisIncidentPayload> {
        let actor = ctx.actor()?;
        let mut sent = InputIds::default();
        let now = Utc::now();
        let row = crisis_incident::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            student_id: sent.of::<Student>("studentId", &input.student_id),
            staff_id: actor.staff_id,
            crisis_type: input.crisis_type.into(),
            date: input.date.map_or(actor.today, |d| d.0),
            response: input.response.trim().to_string(),
            follow_up: input.follow_up,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = service::record_crisis(&write, row).await?;
        Ok(write.finish(outcome).await?.map(CrisisIncident).into())
    }

    /// Makes a safety plan (pupil services and admins).
    async fn create_safety_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: CreateSafetyPlanInput,
    ) -> AppResult<SafetyPlanPayload> {
        let actor = ctx.actor()?;
        let mut sent = InputIds::default();
        let crisis = input
            .crisis_incident_id
            .as_ref()
            .map(|id| sent.of::<CrisisIncident>("crisisIncidentId", id));
        let now = Utc::now();
        let row = safety_plan::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            student_id: sent.of::<Student>("studentId", &input.student_id),
            staff_id: actor.staff_id,
            crisis_incident_id: crisis,
            created_on: input.created_on.map_or(actor.today, |d| d.0),
            review_date: input.review_date.0,
            ended_on: None,
            plan: input.plan.trim().to_string(),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = service::plan(&write, row).await?;
        Ok(write.finish(outcome).await?.map(SafetyPlan).into())
    }

    /// Revises a safety plan (a new review date, its end, its words), if nobody else changed
    /// it since `version`.
    async fn update_safety_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateSafetyPlanInput,
    ) -> AppResult<SafetyPlanPayload> {
        let mut sent = InputIds::default();
        let id = sent.target::<SafetyPlan>("id", &input.id);
        let mut changes = safety_plan::ActiveModel::default();
        apply_changes!(changes;
            input.review_date.map(|d| d.0) => review_date,
            input.ended_on.change().map(|d| d.map(|d| d.0)) => ended_on,
            input.plan.map(|p| p.trim().to_string()) => plan,
        );
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = sent.found(service::revise(&write, (id, input.version), changes).await)?;
        Ok(write.finish(outcome).await?.map(SafetyPlan).into())
    }
}
