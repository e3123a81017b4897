//! Counseling groups: a topic, a facilitator and a school; members who join and leave; sessions
//! logged once for the group, which give each member present a contact in the service log
//! (so a group counts toward each member's IEP minutes, plan dosage and the monthly report)
//! and keep who was absent.

mod mutations;
mod service;

use async_graphql::{Context, ID, Object};
use entity::{counseling_group, group_attendance, group_member, group_session, values};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};

pub use mutations::GroupMutation;

use super::{CaseworkContext, ServiceContact};
use crate::{
    auth::policy,
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids,
        pagination::{self, PageArgs, SortKey, connection_type, paginate, paginate_loaded},
        scalars::{Date, mirror_enum},
    },
    roster::{RosterContext, School, Staff, Student},
};

mirror_enum! {
    /// What a counseling group works on.
    GroupTopic = values::GroupTopic {
        /// Anger management.
        AngerManagement,
        /// Social skills.
        SocialSkills,
        /// Grief and loss.
        Grief,
        /// Career pathways.
        CareerPathways,
        /// Divorce, separation and other changes in the family.
        FamilyChange,
        /// Stress and anxiety.
        StressAndAnxiety,
        /// Self-esteem.
        SelfEsteem,
        /// Substance use.
        Substance,
        /// Anything else (the name says what).
        Other,
    }
}

/// A student visible to the caller, or null (a member who has since left the caller's
/// schools stays in the group's record).
async fn student_if_visible(ctx: &Context<'_>, id: uuid::Uuid) -> AppResult<Option<Student>> {
    Ok(ctx.roster().student.load_one(id).await?.map(Student))
}

/// A counseling group.
#[derive(Clone)]
pub struct CounselingGroup(pub counseling_group::Model);
crate::graphql::ids::node_type!(CounselingGroup);

/// A counseling group: a topic, a facilitator and a school, with members and sessions
/// (pupil services of its school and admins).
#[Object]
impl CounselingGroup {
    /// The group's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<CounselingGroup>(self.0.id)
    }
    /// Its name, as the school calls it.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What it works on.
    async fn topic(&self) -> GroupTopic {
        self.0.topic.into()
    }
    /// The school it meets at.
    async fn school(&self, ctx: &Context<'_>) -> AppResult<Option<School>> {
        Ok(ctx
            .roster()
            .school
            .load_one(self.0.school_id)
            .await?
            .map(School))
    }
    /// Who runs it.
    async fn facilitator(&self, ctx: &Context<'_>) -> AppResult<Option<Staff>> {
        let row = ctx.roster().staff.load_one(self.0.facilitator_staff_id);
        Ok(row.await?.map(Staff))
    }
    /// The day it starts.
    async fn starts_on(&self) -> Date {
        Date(self.0.starts_on)
    }
    /// The day it ends; null while open-ended.
    async fn ends_on(&self) -> Option<Date> {
        self.0.ends_on.map(Date)
    }
    /// Its members, first to join first.
    #[graphql(complexity = "pagination::cost_bounded(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn members(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only members on this day (joined, not yet left).")] on: Option<Date>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<GroupMemberConnection> {
        let loader = &ctx.casework().members_of_group;
        let mut rows = loader.load_one(self.0.id).await?.unwrap_or_default();
        if let Some(on) = on {
            rows.retain(|member| service::member_on(member, on.0));
        }
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let page = paginate_loaded(rows, |r| r.id, &args)?;
        Ok(GroupMemberConnection(page.map(GroupMember)))
    }
    /// Its sessions, newest first.
    #[graphql(complexity = "pagination::cost_bounded(first, last, child_complexity)")]
    async fn sessions(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<GroupSessionConnection> {
        let loader = &ctx.casework().sessions_of_group;
        let rows = loader.load_one(self.0.id).await?.unwrap_or_default();
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let page = paginate_loaded(rows, |r| r.id, &args)?;
        Ok(GroupSessionConnection(page.map(GroupSession)))
    }
    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A student's membership of a group.
#[derive(Clone)]
pub struct GroupMember(pub group_member::Model);
crate::graphql::ids::node_type!(GroupMember);

/// A student's membership of a counseling group.
#[Object]
impl GroupMember {
    /// The membership's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<GroupMember>(self.0.id)
    }
    /// The student; null when the caller no longer sees them (they left the school).
    async fn student(&self, ctx: &Context<'_>) -> AppResult<Option<Student>> {
        student_if_visible(ctx, self.0.student_id).await
    }
    /// The day they joined.
    async fn joined_on(&self) -> Date {
        Date(self.0.joined_on)
    }
    /// The day they left; null while a member.
    async fn left_on(&self) -> Option<Date> {
        self.0.left_on.map(Date)
    }
    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// One meeting of a group.
#[derive(Clone)]
pub struct GroupSession(pub group_session::Model);
crate::graphql::ids::node_type!(GroupSession);

/// One meeting of a counseling group, logged once for the group.
#[Object]
impl GroupSession {
    /// The session's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<GroupSession>(self.0.id)
    }
    /// The group.
    async fn group(&self, ctx: &Context<'_>) -> AppResult<Option<CounselingGroup>> {
        let row = ctx.casework().group.load_one(self.0.group_id).await?;
        Ok(row.map(CounselingGroup))
    }
    /// Who ran it.
    async fn facilitator(&self, ctx: &Context<'_>) -> AppResult<Option<Staff>> {
        let row = ctx.roster().staff.load_one(self.0.facilitator_staff_id);
        Ok(row.await?.map(Staff))
    }
    /// The day.
    async fn date(&self) -> Date {
        Date(self.0.date)
    }
    /// When it began, `HH:MM`.
    async fn start_time(&self) -> Option<&str> {
        self.0.start_time.as_deref()
    }
    /// When it ended, `HH:MM`.
    async fn end_time(&self) -> Option<&str> {
        self.0.end_time.as_deref()
    }
    /// Minutes it lasted.
    async fn minutes(&self) -> i32 {
        self.0.minutes
    }
    /// How many members were present.
    async fn present_count(&self) -> i32 {
        self.0.present
    }
    /// Each member of the day, present or absent.
    async fn attendance(&self, ctx: &Context<'_>) -> AppResult<Vec<GroupAttendance>> {
        let loader = &ctx.casework().attendance_of_session;
        let rows = loader.load_one(self.0.id).await?.unwrap_or_default();
        Ok(rows.into_iter().map(GroupAttendance).collect())
    }
}

/// Whether a member was at a session.
pub struct GroupAttendance(group_attendance::Model);

/// Whether a member was at a session, and their contact in the service log if so.
#[Object]
impl GroupAttendance {
    /// The student; null when the caller no longer sees them.
    async fn student(&self, ctx: &Context<'_>) -> AppResult<Option<Student>> {
        student_if_visible(ctx, self.0.student_id).await
    }
    /// Whether they were there.
    async fn present(&self) -> bool {
        self.0.present
    }
    /// Their contact in the service log (present members only).
    async fn contact(&self, ctx: &Context<'_>) -> AppResult<Option<ServiceContact>> {
        let Some(id) = self.0.contact_id else {
            return Ok(None);
        };
        Ok(ctx
            .casework()
            .contact
            .load_one(id)
            .await?
            .map(ServiceContact))
    }
}

connection_type!(
    CounselingGroupConnection,
    CounselingGroupEdge,
    CounselingGroup,
    "A page of counseling groups.",
    "A counseling group in a page."
);
connection_type!(
    GroupMemberConnection,
    GroupMemberEdge,
    GroupMember,
    "A page of a group's members.",
    "A member in a page."
);
connection_type!(
    GroupSessionConnection,
    GroupSessionEdge,
    GroupSession,
    "A page of a group's sessions.",
    "A session in a page."
);

/// A group's place in the list: by the day it starts, then by id.
const BY_START: SortKey<counseling_group::Entity> = SortKey {
    name: "group.startsOn",
    column: Some(counseling_group::Column::StartsOn),
    key_of: |r| Some(r.starts_on.into()),
    descending: false,
};

#[derive(Default)]
pub struct GroupQuery;

/// Which counseling groups to list.
#[derive(async_graphql::InputObject, Default)]
pub struct GroupFilter {
    /// Only this school's.
    pub school_id: Option<ID>,
    /// Only groups running on this day (started, not ended).
    pub active_on: Option<Date>,
    /// Only this topic.
    pub topic: Option<GroupTopic>,
}

#[Object]
impl GroupQuery {
    /// Counseling groups of the caller's schools (admins: the district's), by the day they
    /// start (pupil services and admins).
    #[graphql(complexity = "pagination::cost(first, last, child_complexity)")]
    async fn counseling_groups(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which groups.")] filter: Option<GroupFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<CounselingGroupConnection> {
        let filter = filter.unwrap_or_default();
        let actor = ctx.actor()?;
        let mut select = counseling_group::Entity::find().filter(policy::group_rows(actor)?);
        if let Some(school) = &filter.school_id {
            let school = ids::decode_as::<School>(school, "filter.schoolId")?;
            select = select.filter(counseling_group::Column::SchoolId.eq(school));
        }
        if let Some(day) = filter.active_on {
            select = select
                .filter(counseling_group::Column::StartsOn.lte(day.0))
                .filter(
                    Condition::any()
                        .add(counseling_group::Column::EndsOn.is_null())
                        .add(counseling_group::Column::EndsOn.gte(day.0)),
                );
        }
        if let Some(topic) = filter.topic {
            let topic = values::GroupTopic::from(topic);
            select = select.filter(counseling_group::Column::Topic.eq(topic));
        }
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let page = paginate(ctx.db(), select, &BY_START, &args).await?;
        Ok(CounselingGroupConnection(page.map(CounselingGroup)))
    }
}
