//! Referrals of students to the social worker: the intake queue, filing, assigning (which
//! opens a case) and moving through statuses.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::Utc;
use entity::{ssw_referral, values};
use sea_orm::{ActiveEnum, ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{
    AreaOfFocus, Case, CaseworkContext, ReferralReason, ReferralStatus, ReferralUrgency,
    ReferrerType, confidential,
    referrals_service::{self as service, Assignment},
};
use crate::{
    auth::policy,
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids::{self, InputIds},
        mutation::payload_type,
        pagination::{self, PageArgs, SortKey, connection_type, paginate},
        scalars::{Date, DateTime},
    },
    roster::{RosterContext, School, Staff, Student, students},
};

/// A referral of a student to the social worker.
#[derive(Clone)]
pub struct Referral(pub ssw_referral::Model);
crate::graphql::ids::node_type!(Referral);

/// A referral of a student to the social worker. The staff member who filed it follows its
/// status; the case behind it is for pupil services.
#[Object]
impl Referral {
    /// The referral's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<Referral>(self.0.id)
    }
    /// The student; null when the caller no longer sees them (they left the filer's school).
    async fn student(&self, ctx: &Context<'_>) -> AppResult<Option<Student>> {
        let row = ctx.roster().student.load_one(self.0.student_id).await?;
        Ok(row.map(Student))
    }
    /// The day of the referral.
    async fn referred_on(&self) -> Date {
        Date(self.0.referred_on)
    }
    /// Who referred the student.
    async fn referrer_type(&self) -> ReferrerType {
        self.0.referrer_type.into()
    }
    /// The staff member who filed it.
    async fn filed_by(&self, ctx: &Context<'_>) -> AppResult<Option<Staff>> {
        staff_of(ctx, self.0.filed_by_staff_id).await
    }
    /// Why, at least one reason.
    async fn reasons(&self) -> Vec<ReferralReason> {
        reasons_of(&self.0.reasons)
    }
    /// How soon it needs an answer.
    async fn urgency(&self) -> ReferralUrgency {
        self.0.urgency.into()
    }
    /// What the referrer saw, in words (a note about the student: pupil services and admins).
    async fn description(&self, ctx: &Context<'_>) -> AppResult<&str> {
        confidential(ctx, self.0.student_id, "Referral.description")?;
        Ok(&self.0.description)
    }
    /// Where it stands.
    async fn status(&self) -> ReferralStatus {
        self.0.status.into()
    }
    /// The social worker it was assigned to.
    async fn assigned_to(&self, ctx: &Context<'_>) -> AppResult<Option<Staff>> {
        staff_of(ctx, self.0.assigned_to_staff_id).await
    }
    /// The case assigning it opened (pupil services and admins, never the filer).
    async fn case(&self, ctx: &Context<'_>) -> AppResult<Option<Case>> {
        let Some(id) = self.0.case_id else {
            return Ok(None);
        };
        Ok(ctx.casework().case.load_one(id).await?.map(Case))
    }
    /// When it was last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

async fn staff_of(ctx: &Context<'_>, id: Option<Uuid>) -> AppResult<Option<Staff>> {
    let Some(id) = id else {
        return Ok(None);
    };
    Ok(ctx.roster().staff.load_one(id).await?.map(Staff))
}

/// The reasons stored one per line.
fn reasons_of(text: &str) -> Vec<ReferralReason> {
    text.lines()
        .filter_map(|line| values::ReferralReason::try_from_value(&line.to_string()).ok())
        .map(Into::into)
        .collect()
}

connection_type!(
    ReferralConnection,
    ReferralEdge,
    Referral,
    "A page of referrals.",
    "A referral in a page."
);
payload_type!(
    ReferralPayload,
    referral,
    Referral,
    "The result of filing, assigning or moving a referral."
);

/// Which referrals to list.
#[derive(InputObject, Default)]
pub struct ReferralFilter {
    /// Only these statuses.
    pub statuses: Option<Vec<ReferralStatus>>,
    /// Only this urgency.
    pub urgency: Option<ReferralUrgency>,
    /// Only students enrolled in this school today.
    pub school_id: Option<ID>,
    /// Referred on or after this day.
    pub from: Option<Date>,
    /// Referred on or before this day.
    pub to: Option<Date>,
}

/// Filing order: UUIDv7 ids are time-ordered, so the queue reads oldest first.
const BY_FILING: SortKey<ssw_referral::Entity> = SortKey::by_id("referral.filed", false);

#[derive(Default)]
pub struct ReferralQuery;

#[Object]
impl ReferralQuery {
    /// Referrals to social work, oldest first: for pupil services and admins those of the
    /// students they read (the intake queue), for school staff the ones they filed.
    #[graphql(complexity = "pagination::cost(first, last, child_complexity)")]
    async fn referrals(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        #[graphql(desc = "Which referrals.")] filter: Option<ReferralFilter>,
    ) -> AppResult<ReferralConnection> {
        let actor = ctx.actor()?;
        let filter = filter.unwrap_or_default();
        let mut select = ssw_referral::Entity::find().filter(policy::referral_rows(actor)?);
        if let Some(statuses) = filter.statuses {
            let statuses = statuses.into_iter().map(values::ReferralStatus::from);
            select = select.filter(ssw_referral::Column::Status.is_in(statuses));
        }
        if let Some(urgency) = filter.urgency {
            let urgency = values::ReferralUrgency::from(urgency);
            select = select.filter(ssw_referral::Column::Urgency.eq(urgency));
        }
        if let Some(school_id) = &filter.school_id {
            let school_id = ids::decode_as::<School>(school_id, "filter.schoolId")?;
            let column = ssw_referral::Column::StudentId;
            select = select.filter(students::enrolled_in(school_id, actor.today, column));
        }
        if let Some(from) = filter.from {
            select = select.filter(ssw_referral::Column::ReferredOn.gte(from.0));
        }
        if let Some(to) = filter.to {
            select = select.filter(ssw_referral::Column::ReferredOn.lte(to.0));
        }
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let page = paginate(ctx.db(), select, &BY_FILING, &args).await?;
        Ok(ReferralConnection(page.map(Referral)))
    }
}

/// A referral of a student to the social worker.
#[derive(InputObject)]
pub struct FileReferralInput {
    /// The student (for school staff: one of their school).
    pub student_id: ID,
    /// The day of the referral (default: today).
    pub referred_on: Option<Date>,
    /// Who referred the student (the filer may be passing on a parent's or the student's own
    /// request).
    #[graphql(default_with = "ReferrerType::Staff")]
    pub referrer_type: ReferrerType,
    /// Why: at least one reason.
    pub reasons: Vec<ReferralReason>,
    /// How soon it needs an answer.
    #[graphql(default_with = "ReferralUrgency::Routine")]
    pub urgency: ReferralUrgency,
    /// What the referrer saw, in words.
    pub description: String,
}

/// Assigns a NEW referral to a worker, opening the worker's case for the student.
#[derive(InputObject)]
pub struct AssignReferralInput {
    /// The referral.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// The social worker (or other pupil-services staff member) who takes it.
    pub social_worker_id: ID,
    /// The case's area of focus.
    pub area_of_focus: AreaOfFocus,
    /// The day the case opens (default: today).
    pub opened_on: Option<Date>,
}

/// Moves an assigned referral on: ASSIGNED -> IN_PROGRESS -> CLOSED.
#[derive(InputObject)]
pub struct MoveReferralInput {
    /// The referral.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// The next status.
    pub status: ReferralStatus,
}

#[derive(Default)]
pub struct ReferralMutation;

#[Object]
impl ReferralMutation {
    /// Files a referral to social work (any school staff member, for a student of their
    /// school); it is NEW until a social worker or admin assigns it.
    async fn file_referral(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: FileReferralInput,
    ) -> AppResult<ReferralPayload> {
        let actor = ctx.actor()?;
        let mut sent = InputIds::default();
        let student_id = sent.of::<Student>("studentId", &input.student_id);
        let mut reasons: Vec<String> = Vec::new();
        for reason in input.reasons {
            let reason = values::ReferralReason::from(reason).to_value();
            if !reasons.contains(&reason) {
                reasons.push(reason);
            }
        }
        let now = Utc::now();
        let row = ssw_referral::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            student_id,
            referred_on: input.referred_on.map_or(actor.today, |d| d.0),
            referrer_type: input.referrer_type.into(),
            filed_by_staff_id: actor.staff_id,
            reasons: reasons.join("\n"),
            urgency: input.urgency.into(),
            description: input.description.trim().to_string(),
            status: values::ReferralStatus::New,
            assigned_to_staff_id: None,
            case_id: None,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = service::file(&write, row).await?;
        Ok(write.finish(outcome).await?.map(Referral).into())
    }

    /// Assigns a NEW referral to a social worker, which opens the worker's case for the
    /// student (pupil services and admins).
    async fn assign_referral(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: AssignReferralInput,
    ) -> AppResult<ReferralPayload> {
        let mut sent = InputIds::default();
        let id = sent.target::<Referral>("id", &input.id);
        let social_worker_id = sent.of::<Staff>("socialWorkerId", &input.social_worker_id);
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let assignment = Assignment {
            social_worker_id,
            area_of_focus: input.area_of_focus.into(),
            opened_on: input.opened_on.map_or(ctx.actor()?.today, |d| d.0),
        };
        let write = ctx.write().await?;
        let outcome = service::assign(&write, (id, input.version), assignment).await;
        let outcome = sent.found(outcome)?;
        Ok(write.finish(outcome).await?.map(Referral).into())
    }

    /// Moves an assigned referral on (ASSIGNED -> IN_PROGRESS -> CLOSED); any other move is
    /// an INVALID_TRANSITION `userError`.
    async fn move_referral(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: MoveReferralInput,
    ) -> AppResult<ReferralPayload> {
        let mut sent = InputIds::default();
        let id = sent.target::<Referral>("id", &input.id);
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = service::move_to(&write, (id, input.version), input.status.into()).await;
        let outcome = sent.found(outcome)?;
        Ok(write.finish(outcome).await?.map(Referral).into())
    }
}
