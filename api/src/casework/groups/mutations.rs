//! Counseling groups' mutations: create a group, add and end members, log a session.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::Utc;
use entity::{counseling_group, group_member, service_contact as contact};
use uuid::Uuid;

use super::{
    CounselingGroup, GroupMember, GroupSession, GroupTopic,
    service::{self, Present},
};
use crate::{
    casework::{Case, ContactSetting, ContactType, OmitReason},
    errors::AppResult,
    graphql::{context::ContextExt, ids::InputIds, mutation::payload_type, scalars::Date},
    mtss::{IepParticipation, InterventionPlan},
    roster::{School, Staff, Student},
    validation::{Check, UserErrorCode},
};

payload_type!(
    CounselingGroupPayload,
    group,
    CounselingGroup,
    "The result of creating a counseling group."
);
payload_type!(
    GroupMemberPayload,
    member,
    GroupMember,
    "The result of adding a member to a group or ending a membership."
);
payload_type!(
    GroupSessionPayload,
    session,
    GroupSession,
    "The result of logging a group session."
);

/// A new counseling group.
#[derive(InputObject)]
pub struct CreateCounselingGroupInput {
    /// The school it meets at (one of yours).
    pub school_id: ID,
    /// Its name, as the school calls it.
    pub name: String,
    /// What it works on.
    pub topic: GroupTopic,
    /// Who runs it: pupil-services staff (default: the caller's staff record).
    pub facilitator_id: Option<ID>,
    /// The day it starts (default: today).
    pub starts_on: Option<Date>,
    /// The day it ends, if known.
    pub ends_on: Option<Date>,
}

/// A student joining a group.
#[derive(InputObject)]
pub struct AddGroupMemberInput {
    /// The group.
    pub group_id: ID,
    /// The student: enrolled at the group's school on the day they join.
    pub student_id: ID,
    /// The day they join (default: today; within the group's run).
    pub joined_on: Option<Date>,
}

/// A member leaving a group.
#[derive(InputObject)]
pub struct EndGroupMembershipInput {
    /// The membership.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// The day they leave (default: today; not before they joined).
    pub left_on: Option<Date>,
}

/// A member present at a session, and what their time served.
#[derive(InputObject)]
pub struct GroupSessionMemberInput {
    /// The student.
    pub student_id: ID,
    /// The case it served.
    pub case_id: Option<ID>,
    /// The intervention plan it served: it counts toward the plan's dosage.
    pub plan_id: Option<ID>,
    /// The IEP it served: it counts toward the IEP's minutes.
    pub iep_id: Option<ID>,
    /// How the student responded.
    pub student_response: Option<String>,
}

/// One session of a group, logged once for the group.
#[derive(InputObject)]
pub struct LogGroupSessionInput {
    /// The group.
    pub group_id: ID,
    /// The day (default: today; never in the future; within the group's run).
    pub date: Option<Date>,
    /// When it began, `HH:MM` (24-hour).
    pub start_time: Option<String>,
    /// When it ended, `HH:MM`: with `startTime`, the minutes are the time between.
    pub end_time: Option<String>,
    /// Minutes it lasted, when no times are given.
    pub minutes: Option<i32>,
    /// In person (default), by phone or virtual.
    #[graphql(default_with = "ContactSetting::InPerson")]
    pub setting: ContactSetting,
    /// Where.
    pub location: Option<String>,
    /// Whether members' contacts are to be billed (true by default).
    #[graphql(default = true)]
    pub billable: bool,
    /// Why they are left out of billing (required when `billable` is false).
    pub omit_reason: Option<OmitReason>,
    /// The members present (the group's other members of the day are recorded absent).
    pub present: Vec<GroupSessionMemberInput>,
}

#[derive(Default)]
pub struct GroupMutation;

#[Object]
impl GroupMutation {
    /// Creates a counseling group at a school (pupil services of that school, and admins).
    async fn create_counseling_group(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: CreateCounselingGroupInput,
    ) -> AppResult<CounselingGroupPayload> {
        let actor = ctx.actor()?;
        let mut sent = InputIds::default();
        let facilitator = match &input.facilitator_id {
            Some(id) => Some(sent.of::<Staff>("facilitatorId", id)),
            None => actor.staff_id,
        };
        let Some(facilitator) = facilitator else {
            let mut check = Check::default();
            let message = "name the facilitator (your token names no staff member)";
            check.fail("facilitatorId", UserErrorCode::Required, message);
            return Ok(Err(check.into_errors()).into());
        };
        let now = Utc::now();
        let row = counseling_group::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            school_id: sent.of::<School>("schoolId", &input.school_id),
            name: input.name,
            topic: input.topic.into(),
            facilitator_staff_id: facilitator,
            starts_on: input.starts_on.map_or(actor.today, |d| d.0),
            ends_on: input.ends_on.map(|d| d.0),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = service::create(&write, row).await?;
        Ok(write.finish(outcome).await?.map(CounselingGroup).into())
    }

    /// Adds a student to a group.
    async fn add_group_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: AddGroupMemberInput,
    ) -> AppResult<GroupMemberPayload> {
        let actor = ctx.actor()?;
        let mut sent = InputIds::default();
        let now = Utc::now();
        let row = group_member::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            group_id: sent.target::<CounselingGroup>("groupId", &input.group_id),
            student_id: sent.of::<Student>("studentId", &input.student_id),
            joined_on: input.joined_on.map_or(actor.today, |d| d.0),
            left_on: None,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = sent.found(service::add_member(&write, row).await)?;
        Ok(write.finish(outcome).await?.map(GroupMember).into())
    }

    /// Ends a student's membership of a group, if nobody changed it since `version`.
    async fn end_group_membership(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: EndGroupMembershipInput,
    ) -> AppResult<GroupMemberPayload> {
        let mut sent = InputIds::default();
        let id = sent.target::<GroupMember>("id", &input.id);
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let left_on = input.left_on.map_or(ctx.actor()?.today, |d| d.0);
        let write = ctx.write().await?;
        let outcome = service::end_membership(&write, (id, input.version), left_on).await;
        let outcome = sent.found(outcome)?;
        Ok(write.finish(outcome).await?.map(GroupMember).into())
    }

    /// Logs a session of a group once: each member present gets a GROUP_COUNSELING contact in
    /// the service log by the facilitator (unsigned: the facilitator signs each), the others
    /// of the day are recorded absent.
    async fn log_group_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: LogGroupSessionInput,
    ) -> AppResult<GroupSessionPayload> {
        let actor = ctx.actor()?;
        let mut sent = InputIds::default();
        let group = sent.target::<CounselingGroup>("groupId", &input.group_id);
        let mut present = Vec::with_capacity(input.present.len());
        for (at, member) in input.present.into_iter().enumerate() {
            let field = |name: &str| format!("present.{at}.{name}");
            let student_id = sent.of::<Student>(&field("studentId"), &member.student_id);
            let case_id = (member.case_id.as_ref()).map(|id| sent.of::<Case>(&field("caseId"), id));
            let plan_id = (member.plan_id.as_ref())
                .map(|id| sent.of::<InterventionPlan>(&field("planId"), id));
            let iep_id =
                (member.iep_id.as_ref()).map(|id| sent.of::<IepParticipation>(&field("iepId"), id));
            present.push(Present {
                student_id,
                case_id,
                plan_id,
                iep_id,
                student_response: member.student_response,
            });
        }
        let now = Utc::now();
        let template = contact::Model {
            id: Uuid::nil(),
            district_id: actor.district_id,
            student_id: Uuid::nil(),
            provider_staff_id: Uuid::nil(),
            provider_credential: None,
            supervisor_staff_id: None,
            date: input.date.map_or(actor.today, |d| d.0),
            start_time: input.start_time.map(|t| t.trim().to_string()),
            end_time: input.end_time.map(|t| t.trim().to_string()),
            minutes: 0,
            contact_type: ContactType::GroupCounseling.into(),
            setting: input.setting.into(),
            location: input.location,
            participants: String::new(),
            case_id: None,
            plan_id: None,
            iep_id: None,
            session_id: None,
            student_response: None,
            note: None,
            confidentiality: entity::values::Confidentiality::Standard,
            billable: input.billable,
            omit_reason: input.omit_reason.map(Into::into),
            missed_reason: None,
            makeup_due: None,
            makeup_for_id: None,
            group_session_id: None,
            group_size: None,
            signed_by_staff_id: None,
            signed_at: None,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = service::log_session(&write, (group, template, input.minutes), present);
        let outcome = sent.found(outcome.await)?;
        Ok(write.finish(outcome).await?.map(GroupSession).into())
    }
}
