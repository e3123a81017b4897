//! What is recorded under a plan: its progress points and its sessions.

use async_graphql::{Context, ID, Object};
use entity::{intervention_session, progress_point, student_intervention as plan};
use uuid::Uuid;

use super::InterventionPlan;
use crate::{
    auth::policy::{self, StudentField},
    errors::AppResult,
    graphql::{
        context::ContextExt, ids, mutation::payload_type, pagination::connection_type,
        scalars::Date,
    },
    mtss::MtssContext,
};

/// The plan a point or session was recorded under (the caller holds its records).
async fn plan_of(ctx: &Context<'_>, id: Uuid) -> AppResult<InterventionPlan> {
    ctx.mtss()
        .plan
        .load_one(id)
        .await?
        .map(InterventionPlan)
        .ok_or_else(|| ids::not_found::<InterventionPlan>(id))
}

/// One progress-monitoring measurement.
#[derive(Clone)]
pub struct ProgressPoint {
    pub(super) point: progress_point::Model,
    /// The aim line's value on the point's date.
    pub(super) expected: f64,
}
crate::graphql::ids::node_type!(ProgressPoint);

impl ProgressPoint {
    /// `point` of `plan`, valued against the plan's aim line.
    pub fn of_plan(point: progress_point::Model, plan: &plan::Model) -> Self {
        Self {
            expected: InterventionPlan(plan.clone()).aim().expected(point.date),
            point,
        }
    }

    /// Point `id` for `node`, if the caller may read its plan.
    pub async fn node(ctx: &Context<'_>, id: Uuid) -> AppResult<Option<Self>> {
        let Some(point) = ctx.mtss().point.load_one(id).await? else {
            return Ok(None);
        };
        let plan = ctx.mtss().plan.load_one(point.plan_id).await?;
        Ok(plan.map(|plan| Self::of_plan(point, &plan)))
    }
}

/// One progress-monitoring measurement.
#[Object]
impl ProgressPoint {
    /// The point's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<ProgressPoint>(self.point.id)
    }
    /// The plan it measures.
    async fn plan(&self, ctx: &Context<'_>) -> AppResult<InterventionPlan> {
        plan_of(ctx, self.point.plan_id).await
    }
    /// When it was measured.
    async fn date(&self) -> Date {
        Date(self.point.date)
    }
    /// The value measured.
    async fn value(&self) -> f64 {
        self.point.value
    }
    /// The aim line's value on that date.
    async fn expected(&self) -> f64 {
        self.expected
    }
    /// A note (free text: not for roles that do not read notes about students).
    async fn note(&self, ctx: &Context<'_>) -> AppResult<Option<&str>> {
        policy::student_field(ctx.actor()?, StudentField::Notes)?;
        Ok(self.point.note.as_deref())
    }
}

/// One scheduled session of a plan.
#[derive(Clone)]
pub struct InterventionSession(pub intervention_session::Model);
crate::graphql::ids::node_type!(InterventionSession);

impl InterventionSession {
    /// Session `id` for `node`, if the caller may read its plan.
    pub async fn node(ctx: &Context<'_>, id: Uuid) -> AppResult<Option<Self>> {
        let Some(session) = ctx.mtss().session.load_one(id).await? else {
            return Ok(None);
        };
        let plan = ctx.mtss().plan.load_one(session.plan_id).await?;
        Ok(plan.map(|_| Self(session)))
    }
}

/// One scheduled session of a plan.
#[Object]
impl InterventionSession {
    /// The session's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<InterventionSession>(self.0.id)
    }
    /// The plan it was a session of.
    async fn plan(&self, ctx: &Context<'_>) -> AppResult<InterventionPlan> {
        plan_of(ctx, self.0.plan_id).await
    }
    /// When.
    async fn date(&self) -> Date {
        Date(self.0.date)
    }
    /// Whether the student attended.
    async fn attended(&self) -> bool {
        self.0.attended
    }
    /// Minutes delivered.
    async fn minutes(&self) -> i32 {
        self.0.minutes
    }
}

connection_type!(
    ProgressPointConnection,
    ProgressPointEdge,
    ProgressPoint,
    "A page of progress points.",
    "A progress point in a page."
);
connection_type!(
    InterventionSessionConnection,
    InterventionSessionEdge,
    InterventionSession,
    "A page of sessions.",
    "A session in a page."
);
payload_type!(
    ProgressPointPayload,
    progress_point,
    ProgressPoint,
    "The result of recording a progress point."
);
payload_type!(
    InterventionSessionPayload,
    session,
    InterventionSession,
    "The result of recording a session."
);
