//! Recording IEP/504 participation and meetings.

use super::{
    IepMeeting, IepMeetingPayload, IepParticipation, IepParticipationPayload, SocialWorkerRole,
    roles_text,
};
use crate::mtss::MtssContext;
use crate::mtss::{
    IepMeetingType, IepStatus, PlanType,
    descriptors::{DescriptorSet, check_codes},
};
use crate::roster::RosterContext;
use crate::{
    auth::policy::{self, Educational},
    errors::{AppError, AppResult},
    graphql::{
        context::ContextExt,
        ids,
        mutation::{ChangeTo, Check, UserErrorCode, apply_changes, insert_new, update_recorded},
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

fn check_minutes(check: &mut Check, minutes: Option<i32>) {
    if minutes.is_some_and(|m| !(0..=1200).contains(&m)) {
        check.fail(
            "socialWorkMinutesPerWeek",
            UserErrorCode::OutOfRange,
            "minutes per week is from 0 to 1200",
        );
    }
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
        let actor = ctx.actor()?;
        policy::write_educational(actor, Educational::SpecialEducation)?;
        let student_id = ids::decode_as::<Student>(&input.student_id, "input.studentId")?;
        let mut check = Check::default();
        check.found(
            "studentId",
            ctx.roster().student.load_one(student_id).await?,
            "student",
        );
        let date = |d: Option<Date>| d.map(|d| d.0);
        check.dates_in_order(
            date(input.iep_begin_date),
            date(input.iep_end_date),
            "iepEndDate",
            "iepBeginDate",
        );
        check.dates_in_order(
            date(input.iep_last_review_date),
            date(input.iep_review_due_date),
            "iepReviewDueDate",
            "iepLastReviewDate",
        );
        check_minutes(&mut check, Some(input.social_work_minutes_per_week));
        check_codes(
            ctx,
            &mut check,
            "primaryDisability",
            DescriptorSet::Disability,
            input.primary_disability.as_slice(),
        )
        .await?;
        if !check.is_empty() {
            return Ok(IepParticipationPayload::refused(check.into_errors()));
        }
        let now = Utc::now();
        let row = iep::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
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
        let row = insert_new::<iep::Entity>(ctx, row).await?;
        Ok(IepParticipationPayload::done(IepParticipation(row)))
    }

    /// Changes an IEP/504 record, if nobody else changed it since `version`.
    async fn update_iep_participation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateIepParticipationInput,
    ) -> AppResult<IepParticipationPayload> {
        let actor = ctx.actor()?;
        policy::write_educational(actor, Educational::SpecialEducation)?;
        let id = ids::decode_as::<IepParticipation>(&input.id, "input.id")?;
        let current = ctx
            .mtss()
            .iep
            .load_one(id)
            .await?
            .ok_or_else(|| AppError::not_found("IepParticipation", id))?;
        let mut check = Check::default();
        let end = input.iep_end_date.value().map(|d| d.0);
        check.dates_in_order(current.iep_begin_date, end, "iepEndDate", "iepBeginDate");
        let last_review = input
            .iep_last_review_date
            .value()
            .map(|d| d.0)
            .or(current.iep_last_review_date);
        check.dates_in_order(
            last_review,
            input.iep_review_due_date.value().map(|d| d.0),
            "iepReviewDueDate",
            "iepLastReviewDate",
        );
        check_minutes(&mut check, input.social_work_minutes_per_week);
        check_codes(
            ctx,
            &mut check,
            "primaryDisability",
            DescriptorSet::Disability,
            input.primary_disability.value().cloned().as_slice(),
        )
        .await?;
        if !check.is_empty() {
            return Ok(IepParticipationPayload::refused(check.into_errors()));
        }
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
        let scope =
            policy::educational_rows(actor, Educational::SpecialEducation, iep::Column::StudentId)?;
        let row = update_recorded::<iep::Entity>(ctx, changes, (id, input.version), scope).await?;
        Ok(IepParticipationPayload::done(IepParticipation(row)))
    }

    /// Records a meeting about a plan.
    async fn record_iep_meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: RecordIepMeetingInput,
    ) -> AppResult<IepMeetingPayload> {
        let actor = ctx.actor()?;
        policy::write_educational(actor, Educational::SpecialEducation)?;
        let participation_id =
            ids::decode_as::<IepParticipation>(&input.participation_id, "input.participationId")?;
        let _participation = ctx
            .mtss()
            .iep
            .load_one(participation_id)
            .await?
            .ok_or_else(|| AppError::not_found("IepParticipation", participation_id))?;
        let mut check = Check::default();
        let attendees: Vec<String> = input
            .attendees
            .iter()
            .map(|a| a.trim().replace('\n', " "))
            .filter(|a| !a.is_empty())
            .collect();
        if attendees.is_empty() {
            check.fail(
                "attendees",
                UserErrorCode::Required,
                "name at least one attendee",
            );
        }
        if !check.is_empty() {
            return Ok(IepMeetingPayload::refused(check.into_errors()));
        }
        let now = Utc::now();
        let row = iep_meeting::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            participation_id,
            meeting_type: input.meeting_type.into(),
            date: input.date.0,
            attendees: attendees.join("\n"),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let row = insert_new::<iep_meeting::Entity>(ctx, row).await?;
        Ok(IepMeetingPayload::done(IepMeeting(row)))
    }
}
