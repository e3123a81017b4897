//! IEP and Section 504 participation (Ed-Fi StudentSpecialEducationProgramAssociation, with
//! Data Standard 6.0 date names), IEP meetings, and the reviews coming due.

mod mutations;
mod service;

pub use mutations::SpecialEducationMutation;

use super::MtssContext;
use crate::roster::School;
use async_graphql::{Context, Enum, ID, Object};
use chrono::{Duration, NaiveDate};
use entity::{iep_meeting, iep_participation as iep, values::IepStatus as DbStatus};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{IepMeetingType, IepStatus, PlanType};
use crate::{
    auth::policy::{self, Educational},
    errors::{AppError, AppResult},
    graphql::{
        context::ContextExt,
        ids,
        mutation::payload_type,
        pagination::{self, PageArgs, connection_type, paginate_loaded},
        scalars::Date,
    },
    roster::{Student, students},
};

/// What the social worker does for a student's plan.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum SocialWorkerRole {
    /// Writes the social/developmental history for the evaluation.
    SocialHistory,
    /// Provides counseling as a related service.
    CounselingService,
    /// Attends the plan's meetings.
    MeetingAttendance,
    /// Works with the family and community agencies.
    FamilyLiaison,
}

const ROLES: [(SocialWorkerRole, &str); 4] = [
    (SocialWorkerRole::SocialHistory, "SOCIAL_HISTORY"),
    (SocialWorkerRole::CounselingService, "COUNSELING_SERVICE"),
    (SocialWorkerRole::MeetingAttendance, "MEETING_ATTENDANCE"),
    (SocialWorkerRole::FamilyLiaison, "FAMILY_LIAISON"),
];

pub(super) fn roles_text(roles: &[SocialWorkerRole]) -> String {
    ROLES
        .iter()
        .filter(|(role, _)| roles.contains(role))
        .map(|(_, code)| *code)
        .collect::<Vec<_>>()
        .join(",")
}

/// A student's IEP or Section 504 plan.
#[derive(Clone)]
pub struct IepParticipation(pub iep::Model);
crate::graphql::ids::node_type!(IepParticipation);

/// Whether a plan's review date has passed while the plan is in effect.
pub fn review_overdue(row: &iep::Model, today: NaiveDate) -> bool {
    row.status == DbStatus::Active && row.iep_review_due_date.is_some_and(|due| due < today)
}

/// A student's IEP or Section 504 plan. Date fields follow Ed-Fi Data Standard 6.0 names.
#[Object]
impl IepParticipation {
    /// The record's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<IepParticipation>(self.0.id)
    }
    /// The student.
    async fn student(&self, ctx: &Context<'_>) -> AppResult<Student> {
        students::load(ctx, self.0.student_id).await
    }
    /// IEP or Section 504.
    async fn plan_type(&self) -> PlanType {
        self.0.plan_type.into()
    }
    /// Where the student stands.
    async fn status(&self) -> IepStatus {
        self.0.status.into()
    }
    /// The primary disability, a DisabilityDescriptor URI.
    async fn primary_disability(&self) -> Option<&str> {
        self.0.primary_disability.as_deref()
    }
    /// When the plan took effect (Ed-Fi iepBeginDate).
    async fn iep_begin_date(&self) -> Option<Date> {
        self.0.iep_begin_date.map(Date)
    }
    /// When the plan ends (Ed-Fi iepEndDate).
    async fn iep_end_date(&self) -> Option<Date> {
        self.0.iep_end_date.map(Date)
    }
    /// The last annual review (Ed-Fi iepLastReviewDate).
    async fn iep_last_review_date(&self) -> Option<Date> {
        self.0.iep_last_review_date.map(Date)
    }
    /// When the next review is due (Ed-Fi iepReviewDueDate).
    async fn iep_review_due_date(&self) -> Option<Date> {
        self.0.iep_review_due_date.map(Date)
    }
    /// When the next evaluation is due (Ed-Fi iepEvaluationDueDate).
    async fn iep_evaluation_due_date(&self) -> Option<Date> {
        self.0.iep_evaluation_due_date.map(Date)
    }
    /// Whether the plan is ACTIVE and its review due date has passed.
    async fn review_overdue(&self, ctx: &Context<'_>) -> AppResult<bool> {
        Ok(review_overdue(&self.0, ctx.actor()?.today))
    }
    /// Social-work related-service minutes per week.
    async fn social_work_minutes_per_week(&self) -> i32 {
        self.0.social_work_minutes_per_week
    }
    /// What the social worker does for this plan.
    async fn social_worker_roles(&self) -> Vec<SocialWorkerRole> {
        let codes: Vec<&str> = self.0.social_worker_roles.split(',').collect();
        ROLES
            .iter()
            .filter(|(_, code)| codes.contains(code))
            .map(|(role, _)| *role)
            .collect()
    }
    /// Meetings about the plan, newest first.
    #[graphql(complexity = "pagination::cost_bounded(first, last, child_complexity)")]
    async fn meetings(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<IepMeetingConnection> {
        let rows = ctx
            .mtss()
            .meetings_of_iep
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        let page = paginate_loaded(
            rows,
            |m| m.id,
            &PageArgs::new(ctx.cursor_seal(), first, after, last, before),
        )?;
        Ok(IepMeetingConnection(page.map(IepMeeting)))
    }
    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A meeting about an IEP or 504 plan.
#[derive(Clone)]
pub struct IepMeeting(iep_meeting::Model);
crate::graphql::ids::node_type!(IepMeeting);

impl IepMeeting {
    /// Meeting `id` for `node`, if the caller may read its IEP or 504 record.
    pub async fn node(ctx: &Context<'_>, id: Uuid) -> AppResult<Option<Self>> {
        let Some(meeting) = ctx.mtss().meeting.load_one(id).await? else {
            return Ok(None);
        };
        let iep = ctx.mtss().iep.load_one(meeting.participation_id).await?;
        Ok(iep.map(|_| Self(meeting)))
    }
}

/// A meeting about an IEP or 504 plan.
#[Object]
impl IepMeeting {
    /// The meeting's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<IepMeeting>(self.0.id)
    }
    /// The kind of meeting.
    async fn meeting_type(&self) -> IepMeetingType {
        self.0.meeting_type.into()
    }
    /// When.
    async fn date(&self) -> Date {
        Date(self.0.date)
    }
    /// Who attended (`name (role)`).
    async fn attendees(&self) -> Vec<&str> {
        self.0
            .attendees
            .lines()
            .filter(|line| !line.is_empty())
            .collect()
    }
}

connection_type!(
    IepParticipationConnection,
    IepParticipationEdge,
    IepParticipation,
    "A page of IEP/504 records.",
    "An IEP/504 record in a page."
);
connection_type!(
    IepMeetingConnection,
    IepMeetingEdge,
    IepMeeting,
    "A page of IEP meetings.",
    "An IEP meeting in a page."
);
payload_type!(
    IepParticipationPayload,
    participation,
    IepParticipation,
    "The result of creating or changing an IEP/504 record."
);
payload_type!(
    IepMeetingPayload,
    meeting,
    IepMeeting,
    "The result of recording an IEP meeting."
);

#[derive(Default)]
pub struct SpecialEducationQuery;

#[Object]
impl SpecialEducationQuery {
    /// Plans in effect whose review is due within `within` days (overdue ones included), by
    /// due date; in one school when `schoolId` is given.
    #[graphql(complexity = "pagination::cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)] // the connection arguments plus the two filters
    async fn iep_reviews_due(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many days ahead to look.")] within: i32,
        #[graphql(desc = "Only students enrolled in this school today.")] school_id: Option<ID>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<IepParticipationConnection> {
        if !(0..=366).contains(&within) {
            return Err(AppError::bad_input(
                "within",
                "within is from 0 to 366 days",
            ));
        }
        let actor = ctx.actor()?;
        let horizon = actor.today + Duration::days(i64::from(within));
        let mut select = iep::Entity::find()
            .filter(policy::educational_rows(
                actor,
                Educational::SpecialEducation,
                iep::Column::StudentId,
            )?)
            .filter(iep::Column::Status.eq(DbStatus::Active))
            .filter(iep::Column::IepReviewDueDate.lte(horizon));
        if let Some(school_id) = school_id {
            let school_id = ids::decode_as::<School>(&school_id, "schoolId")?;
            select = select.filter(students::enrolled_in(
                school_id,
                actor.today,
                iep::Column::StudentId,
            ));
        }
        let mut rows = select.all(ctx.db()).await?;
        rows.sort_by_key(|row| (row.iep_review_due_date, row.id));
        let page = paginate_loaded(
            rows,
            |row| row.id,
            &PageArgs::new(ctx.cursor_seal(), first, after, last, before),
        )?;
        Ok(IepParticipationConnection(page.map(IepParticipation)))
    }
}
