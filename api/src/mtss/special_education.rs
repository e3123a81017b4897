//! IEP and Section 504 participation (Ed-Fi StudentSpecialEducationProgramAssociation, with
//! Data Standard 6.0 date names), IEP meetings, and the reviews coming due.

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object};
use chrono::{Duration, NaiveDate, Utc};
use entity::{
    iep_meeting, iep_participation as iep,
    values::{AuditAction, IepStatus as DbStatus},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{
    IepMeetingType, IepStatus, PlanType,
    descriptors::{DescriptorSet, check_codes},
};
use crate::{
    auth::policy::{self, Educational},
    db::Recorded,
    errors::{AppError, AppResult},
    graphql::{
        context::ContextExt,
        mutation::{
            ChangeTo, Check, UserErrorCode, apply_changes, insert_new, payload_type,
            update_recorded,
        },
        node::{self, Kind},
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

fn roles_text(roles: &[SocialWorkerRole]) -> String {
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

/// Whether a plan's review date has passed while the plan is in effect.
pub fn review_overdue(row: &iep::Model, today: NaiveDate) -> bool {
    row.status == DbStatus::Active && row.iep_review_due_date.is_some_and(|due| due < today)
}

/// A student's IEP or Section 504 plan. Date fields follow Ed-Fi Data Standard 6.0 names.
#[Object]
impl IepParticipation {
    /// The record's opaque global id.
    pub async fn id(&self) -> ID {
        node::encode(Kind::IepParticipation, self.0.id)
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
        let page = paginate_loaded(rows, |m| m.id, &PageArgs::new(first, after, last, before))?;
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

/// A meeting about an IEP or 504 plan.
#[Object]
impl IepMeeting {
    /// The meeting's opaque global id.
    async fn id(&self) -> ID {
        node::encode(Kind::IepMeeting, self.0.id)
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
            let school_id = node::decode_as(&school_id, Kind::School, "schoolId")?;
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
            &PageArgs::new(first, after, last, before),
        )?;
        Ok(IepParticipationConnection(page.map(IepParticipation)))
    }
}

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
        let student_id = node::decode_as(&input.student_id, Kind::Student, "input.studentId")?;
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
        let recorded = Recorded::new(
            AuditAction::Create,
            "iep_participation",
            row.id,
            vec![
                "planType",
                "status",
                "primaryDisability",
                "iepDates",
                "socialWork",
            ],
        )
        .about_student(student_id);
        let row = insert_new::<iep::Entity>(ctx, row, recorded).await?;
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
        let id = node::decode_as(&input.id, Kind::IepParticipation, "input.id")?;
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
        let mut fields = Vec::new();
        apply_changes!(changes, fields;
            input.status.map(Into::into) => status as "status",
            input.primary_disability.change() => primary_disability as "primaryDisability",
            date(input.iep_end_date.change()) => iep_end_date as "iepEndDate",
            date(input.iep_last_review_date.change()) => iep_last_review_date as "iepLastReviewDate",
            date(input.iep_review_due_date.change()) => iep_review_due_date as "iepReviewDueDate",
            date(input.iep_evaluation_due_date.change()) => iep_evaluation_due_date as "iepEvaluationDueDate",
            input.social_work_minutes_per_week => social_work_minutes_per_week as "socialWorkMinutesPerWeek",
            input.social_worker_roles.map(|r| roles_text(&r)) => social_worker_roles as "socialWorkerRoles",
        );
        let scope =
            policy::educational_rows(actor, Educational::SpecialEducation, iep::Column::StudentId)?;
        let row = update_recorded::<iep::Entity>(
            ctx,
            changes,
            (id, input.version),
            scope,
            "IepParticipation",
            |row| {
                Recorded::new(AuditAction::Update, "iep_participation", id, fields)
                    .about_student(row.student_id)
            },
        )
        .await?;
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
        let participation_id = node::decode_as(
            &input.participation_id,
            Kind::IepParticipation,
            "input.participationId",
        )?;
        let participation = ctx
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
        let recorded = Recorded::new(
            AuditAction::Create,
            "iep_meeting",
            row.id,
            vec!["meetingType", "date", "attendees"],
        )
        .about_student(participation.student_id);
        let row = insert_new::<iep_meeting::Entity>(ctx, row, recorded).await?;
        Ok(IepMeetingPayload::done(IepMeeting(row)))
    }
}
