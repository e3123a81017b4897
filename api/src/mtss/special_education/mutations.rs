//! Recording IEP/504 participation and meetings.

use super::{
    IepMeeting, IepMeetingPayload, IepParticipation, IepParticipationPayload, SocialWorkerRole,
    roles_text, service,
};
use crate::mtss::{IepMeetingType, IepStatus, PlanType};
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
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use chrono::Utc;
use entity::{iep_meeting, iep_participation as iep};
use uuid::Uuid;

/// A student's IEP or 504 plan.
#[derive(InputObject)]
pub struct CreateIepParticipationInput {
    /// The student.
    pub student_id: ID,
    /// IEP or Section 504.
    pub plan_type: PlanType,
    /// Where the student stands.
    pub status: IepStatus,
    /// A DisabilityDescriptor URI.
    pub primary_disability: Option<String>,
    /// Ed-Fi iepBeginDate.
    pub iep_begin_date: Option<Date>,
    /// Ed-Fi iepEndDate.
    pub iep_end_date: Option<Date>,
    /// Ed-Fi iepLastReviewDate.
    pub iep_last_review_date: Option<Date>,
    /// Ed-Fi iepReviewDueDate.
    pub iep_review_due_date: Option<Date>,
    /// Ed-Fi iepEvaluationDueDate.
    pub iep_evaluation_due_date: Option<Date>,
    /// Social-work related-service minutes per week.
    #[graphql(default)]
    pub social_work_minutes_per_week: i32,
    /// What the social worker does for the plan.
    #[graphql(default)]
    pub social_worker_roles: Vec<SocialWorkerRole>,
}

/// Changes to an IEP/504 record; fields left out stay as they are, null clears.
#[derive(InputObject)]
pub struct UpdateIepParticipationInput {
    /// The record.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// New status.
    pub status: Option<IepStatus>,
    /// New primary disability.
    pub primary_disability: MaybeUndefined<String>,
    /// Ed-Fi iepEndDate.
    pub iep_end_date: MaybeUndefined<Date>,
    /// Ed-Fi iepLastReviewDate.
    pub iep_last_review_date: MaybeUndefined<Date>,
    /// Ed-Fi iepReviewDueDate.
    pub iep_review_due_date: MaybeUndefined<Date>,
    /// Ed-Fi iepEvaluationDueDate.
    pub iep_evaluation_due_date: MaybeUndefined<Date>,
    /// New related-service minutes.
    pub social_work_minutes_per_week: Option<i32>,
    /// New social-worker roles.
    pub social_worker_roles: Option<Vec<SocialWorkerRole>>,
}

/// A meeting about a plan.
#[derive(InputObject)]
pub struct RecordIepMeetingInput {
    /// The plan.
    pub participation_id: ID,
    /// The kind of meeting.
    pub meeting_type: IepMeetingType,
    /// When.
    pub date: Date,
    /// Who attended (`name (role)`), at least one.
    pub attendees: Vec<String>,
}

#[derive(Default)]
pub struct SpecialEducationMutation;

#[Object]
impl SpecialEducationMutation {
    /// Records a student's IEP or 504 plan.
    async fn create_iep_participation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: CreateIepParticipationInput,
    ) -> AppResult<IepParticipationPayload> {
        let mut sent = InputIds::default();
        let student_id = sent.of::<Student>("studentId", &input.student_id);
        let date = |d: Option<Date>| d.map(|d| d.0);
        let now = Utc::now();
        let row = iep::Model {
            id: Uuid::now_v7(),
            district_id: ctx.actor()?.district_id,
            student_id,
            plan_type: input.plan_type.into(),
            status: input.status.into(),
            primary_disability: input.primary_disability,
            iep_begin_date: date(input.iep_begin_date),
            iep_end_date: date(input.iep_end_date),
            iep_last_review_date: date(input.iep_last_review_date),
            iep_review_due_date: date(input.iep_review_due_date),
            iep_evaluation_due_date: date(input.iep_evaluation_due_date),
            social_work_minutes_per_week: input.social_work_minutes_per_week,
            social_worker_roles: roles_text(&input.social_worker_roles),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = service::create(&write, row).await?;
        Ok(write.finish(outcome).await?.map(IepParticipation).into())
    }

    /// Changes an IEP/504 record, if nobody else changed it since `version`.
    async fn update_iep_participation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateIepParticipationInput,
    ) -> AppResult<IepParticipationPayload> {
        let mut sent = InputIds::default();
        let id = sent.target::<IepParticipation>("id", &input.id);
        let date = |d: Option<Option<Date>>| d.map(|d| d.map(|d| d.0));
        let mut changes = iep::ActiveModel::default();
        apply_changes!(changes;
            input.status.map(Into::into) => status,
            input.primary_disability.change() => primary_disability,
            date(input.iep_end_date.change()) => iep_end_date,
            date(input.iep_last_review_date.change()) => iep_last_review_date,
            date(input.iep_review_due_date.change()) => iep_review_due_date,
            date(input.iep_evaluation_due_date.change()) => iep_evaluation_due_date,
            input.social_work_minutes_per_week => social_work_minutes_per_week,
            input.social_worker_roles.map(|r| roles_text(&r)) => social_worker_roles,
        );
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = sent.found(service::update(&write, (id, input.version), changes).await)?;
        Ok(write.finish(outcome).await?.map(IepParticipation).into())
    }

    /// Records a meeting about a plan.
    async fn record_iep_meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: RecordIepMeetingInput,
    ) -> AppResult<IepMeetingPayload> {
        let mut sent = InputIds::default();
        let participation_id =
            sent.target::<IepParticipation>("participationId", &input.participation_id);
        let now = Utc::now();
        let row = iep_meeting::Model {
            id: Uuid::now_v7(),
            district_id: ctx.actor()?.district_id,
            participation_id,
            meeting_type: input.meeting_type.into(),
            date: input.date.0,
            // One attendee a line.
            attendees: input
                .attendees
                .iter()
                .map(|a| a.replace('\n', " "))
                .collect::<Vec<_>>()
                .join("\n"),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = sent.found(service::record_meeting(&write, row).await)?;
        Ok(write.finish(outcome).await?.map(IepMeeting).into())
    }
}
