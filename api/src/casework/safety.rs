//! Assessments, crisis incidents and safety plans: their types, and the two worklists built
//! on them (HIGH screenings no crisis response or safety plan followed; plans due for review).

use async_graphql::{Context, ID, Object};
use chrono::Duration;
use entity::{assessment, crisis_incident, safety_plan, values};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{CaseworkContext, confidential, safety_service::needing_safety_plan};
use crate::{
    auth::policy,
    errors::{AppError, AppResult},
    graphql::{
        context::ContextExt,
        ids,
        mutation::payload_type,
        pagination::{self, PageArgs, SortKey, connection_type, paginate},
        scalars::{Date, mirror_enum},
    },
    roster::{RosterContext, Staff, Student, students},
};

mirror_enum! {
    /// The kind of an assessment.
    AssessmentType = values::AssessmentType {
        /// A social developmental history.
        SocialHistory,
        /// A suicide-risk screening.
        SuicideRiskScreening,
        /// A behavioral threat assessment.
        ThreatAssessment,
        /// A functional behavior assessment.
        FunctionalBehavior,
        /// A social-emotional learning screener.
        SelScreener,
        /// What keeps the student from attending.
        AttendanceBarriers,
        /// Something else.
        Other,
    }
}

mirror_enum! {
    /// An assessment's risk level.
    RiskLevel = values::RiskLevel {
        /// Low.
        Low,
        /// Moderate.
        Moderate,
        /// High: a HIGH suicide-risk screening or threat assessment calls for a safety plan.
        High,
    }
}

mirror_enum! {
    /// The kind of a crisis.
    CrisisType = values::CrisisType {
        /// Risk of suicide.
        SuicideRisk,
        /// Self-harm.
        SelfHarm,
        /// A threat of violence.
        ThreatOfViolence,
        /// A disclosure of abuse.
        AbuseDisclosure,
        /// A death, and grief.
        DeathGrief,
        /// Running away.
        Runaway,
        /// Domestic violence.
        DomesticViolence,
        /// Something else.
        Other,
    }
}

async fn staff(ctx: &Context<'_>, id: Option<uuid::Uuid>) -> AppResult<Option<Staff>> {
    let Some(id) = id else { return Ok(None) };
    Ok(ctx.roster().staff.load_one(id).await?.map(Staff))
}

/// An assessment.
#[derive(Clone)]
pub struct Assessment(pub assessment::Model);
crate::graphql::ids::node_type!(Assessment);

/// An assessment of a student by pupil-services staff.
#[Object]
impl Assessment {
    /// The assessment's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<Assessment>(self.0.id)
    }
    /// The student.
    async fn student(&self, ctx: &Context<'_>) -> AppResult<Student> {
        students::load(ctx, self.0.student_id).await
    }
    /// Who assessed.
    async fn staff(&self, ctx: &Context<'_>) -> AppResult<Option<Staff>> {
        staff(ctx, self.0.staff_id).await
    }
    /// The kind.
    async fn assessment_type(&self) -> AssessmentType {
        self.0.assessment_type.into()
    }
    /// The day.
    async fn date(&self) -> Date {
        Date(self.0.date)
    }
    /// The risk it found, when it rates one.
    async fn risk_level(&self) -> Option<RiskLevel> {
        self.0.risk_level.map(Into::into)
    }
    /// What it found, in words.
    async fn summary(&self, ctx: &Context<'_>) -> AppResult<&str> {
        confidential(ctx, self.0.student_id, "Assessment.summary")?;
        Ok(&self.0.summary)
    }
    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A crisis incident.
#[derive(Clone)]
pub struct CrisisIncident(pub crisis_incident::Model);
crate::graphql::ids::node_type!(CrisisIncident);

/// A crisis a student went through, and the school's response.
#[Object]
impl CrisisIncident {
    /// The incident's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<CrisisIncident>(self.0.id)
    }
    /// The student.
    async fn student(&self, ctx: &Context<'_>) -> AppResult<Student> {
        students::load(ctx, self.0.student_id).await
    }
    /// Who responded.
    async fn staff(&self, ctx: &Context<'_>) -> AppResult<Option<Staff>> {
        staff(ctx, self.0.staff_id).await
    }
    /// The kind.
    async fn crisis_type(&self) -> CrisisType {
        self.0.crisis_type.into()
    }
    /// The day.
    async fn date(&self) -> Date {
        Date(self.0.date)
    }
    /// What the school did, in words.
    async fn response(&self, ctx: &Context<'_>) -> AppResult<&str> {
        confidential(ctx, self.0.student_id, "CrisisIncident.response")?;
        Ok(&self.0.response)
    }
    /// What follows, in words.
    async fn follow_up(&self, ctx: &Context<'_>) -> AppResult<Option<&str>> {
        confidential(ctx, self.0.student_id, "CrisisIncident.followUp")?;
        Ok(self.0.follow_up.as_deref())
    }
    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A safety plan.
#[derive(Clone)]
pub struct SafetyPlan(pub safety_plan::Model);
crate::graphql::ids::node_type!(SafetyPlan);

/// A student's safety plan, reviewed by a date.
#[Object]
impl SafetyPlan {
    /// The plan's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<SafetyPlan>(self.0.id)
    }
    /// The student.
    async fn student(&self, ctx: &Context<'_>) -> AppResult<Student> {
        students::load(ctx, self.0.student_id).await
    }
    /// Who made it.
    async fn staff(&self, ctx: &Context<'_>) -> AppResult<Option<Staff>> {
        staff(ctx, self.0.staff_id).await
    }
    /// The crisis it answers.
    async fn crisis_incident(&self, ctx: &Context<'_>) -> AppResult<Option<CrisisIncident>> {
        let Some(id) = self.0.crisis_incident_id else {
            return Ok(None);
        };
        Ok(ctx
            .casework()
            .crisis
            .load_one(id)
            .await?
            .map(CrisisIncident))
    }
    /// The day it was made.
    async fn created_on(&self) -> Date {
        Date(self.0.created_on)
    }
    /// When it is to be reviewed.
    async fn review_date(&self) -> Date {
        Date(self.0.review_date)
    }
    /// When it ended; null while in effect.
    async fn ended_on(&self) -> Option<Date> {
        self.0.ended_on.map(Date)
    }
    /// The plan in words: warning signs, coping steps, people and places.
    async fn plan(&self, ctx: &Context<'_>) -> AppResult<&str> {
        confidential(ctx, self.0.student_id, "SafetyPlan.plan")?;
        Ok(&self.0.plan)
    }
    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

connection_type!(
    AssessmentConnection,
    AssessmentEdge,
    Assessment,
    "A page of assessments.",
    "An assessment in a page."
);
connection_type!(
    CrisisIncidentConnection,
    CrisisIncidentEdge,
    CrisisIncident,
    "A page of crisis incidents.",
    "A crisis incident in a page."
);
connection_type!(
    SafetyPlanConnection,
    SafetyPlanEdge,
    SafetyPlan,
    "A page of safety plans.",
    "A safety plan in a page."
);
payload_type!(
    AssessmentPayload,
    assessment,
    Assessment,
    "The result of recording an assessment."
);
payload_type!(
    CrisisIncidentPayload,
    incident,
    CrisisIncident,
    "The result of recording a crisis incident."
);
payload_type!(
    SafetyPlanPayload,
    plan,
    SafetyPlan,
    "The result of making or revising a safety plan."
);

/// Assessment order: UUIDv7 ids are time-ordered, so the oldest comes first.
const BY_RECORD: SortKey<assessment::Entity> = SortKey::by_id("assessment.created", false);

/// Safety plans by review date, the soonest first.
const BY_REVIEW: SortKey<safety_plan::Entity> = SortKey {
    name: "safetyPlan.reviewDate",
    column: Some(safety_plan::Column::ReviewDate),
    key_of: |row| Some(row.review_date.into()),
    descending: false,
};

#[derive(Default)]
pub struct SafetyQuery;

#[Object]
impl SafetyQuery {
    /// HIGH suicide-risk screenings and threat assessments with no crisis incident and no
    /// safety plan of the student on the same day: students who need a safety plan.
    #[graphql(complexity = "pagination::cost(first, last, child_complexity)")]
    async fn students_needing_safety_plans(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<AssessmentConnection> {
        let scope = policy::crisis_rows(ctx.actor()?, assessment::Column::StudentId)?;
        let select = assessment::Entity::find()
            .filter(scope)
            .filter(needing_safety_plan());
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let page = paginate(ctx.db(), select, &BY_RECORD, &args).await?;
        Ok(AssessmentConnection(page.map(Assessment)))
    }

    /// Safety plans in effect whose review date falls within `within` days from today (or has
    /// passed), the soonest first.
    #[graphql(complexity = "pagination::cost(first, last, child_complexity)")]
    async fn safety_plans_due_for_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Days from today (14 by default, 0 to 366).", default = 14)] within: i32,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<SafetyPlanConnection> {
        if !(0..=366).contains(&within) {
            return Err(AppError::bad_input(
                "within",
                "within is from 0 to 366 days",
            ));
        }
        let actor = ctx.actor()?;
        let until = actor.today + Duration::days(within.into());
        let select = safety_plan::Entity::find()
            .filter(policy::crisis_rows(actor, safety_plan::Column::StudentId)?)
            .filter(safety_plan::Column::EndedOn.is_null())
            .filter(safety_plan::Column::ReviewDate.lte(until));
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let page = paginate(ctx.db(), select, &BY_REVIEW, &args).await?;
        Ok(SafetyPlanConnection(page.map(SafetyPlan)))
    }
}
