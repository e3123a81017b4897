//! Creating and changing intervention plans, and recording their progress points and sessions.

use super::{
    InterventionPlan, InterventionPlanPayload, InterventionSession, InterventionSessionPayload,
    ProgressPoint, ProgressPointPayload, load,
};
use crate::mtss::MtssContext;
use crate::mtss::{
    PlanOutcome, PlanStatus, interventions::Intervention, interventions_service::check_dosage,
    tiers_service::check_tier,
};
use crate::roster::RosterContext;
use crate::{
    auth::policy::{self, Educational},
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids,
        mutation::{
            ChangeTo, Check, UserErrorCode, apply_changes, duplicate, insert_new, insert_recorded,
            update_recorded,
        },
        scalars::Date,
    },
    roster::{Staff, Student},
};
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use chrono::Utc;
use entity::{
    intervention_session, progress_point, student_intervention as plan,
    values::PlanStatus as DbStatus,
};
use uuid::Uuid;

/// A new intervention plan for a student.
#[derive(InputObject)]
pub struct CreateInterventionPlanInput {
    /// The student.
    pub student_id: ID,
    /// The intervention.
    pub intervention_id: ID,
    /// The staff member responsible.
    pub responsible_staff_id: Option<ID>,
    /// The tier (default: the intervention's).
    pub tier: Option<i32>,
    /// First day.
    pub start_date: Date,
    /// Planned last day.
    pub planned_end_date: Date,
    /// The goal, in words.
    pub goal: String,
    /// What is measured.
    pub measure: String,
    /// The measure at the start.
    pub baseline: f64,
    /// The measure aimed for by the planned end.
    pub target: f64,
    /// Sessions per week (default: the intervention's).
    pub sessions_per_week: Option<i32>,
    /// Minutes per session (default: the intervention's).
    pub minutes_per_session: Option<i32>,
    /// PLANNED or ACTIVE (default ACTIVE).
    pub status: Option<PlanStatus>,
}

/// Changes to a plan: its status and outcome, its end, its goal.
#[derive(InputObject)]
pub struct UpdateInterventionPlanInput {
    /// The plan.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// New status.
    pub status: Option<PlanStatus>,
    /// How it ended (null clears).
    pub outcome: MaybeUndefined<PlanOutcome>,
    /// Actual last day (null clears).
    pub actual_end_date: MaybeUndefined<Date>,
    /// New planned last day.
    pub planned_end_date: Option<Date>,
    /// New target.
    pub target: Option<f64>,
    /// New goal.
    pub goal: Option<String>,
}

/// A progress point for a plan.
#[derive(InputObject)]
pub struct RecordProgressPointInput {
    /// The plan.
    pub plan_id: ID,
    /// When it was measured (within the plan's dates).
    pub date: Date,
    /// The value.
    pub value: f64,
    /// A note.
    pub note: Option<String>,
}

/// A session of a plan.
#[derive(InputObject)]
pub struct RecordInterventionSessionInput {
    /// The plan.
    pub plan_id: ID,
    /// When (within the plan's dates).
    pub date: Date,
    /// Whether the student attended.
    pub attended: bool,
    /// Minutes delivered (0 when absent).
    #[graphql(default)]
    pub minutes: i32,
}

/// Open plans: at most one per student and intervention.
const OPEN: [DbStatus; 2] = [DbStatus::Planned, DbStatus::Active];

/// A plan the caller may write to, or NOT_FOUND.
async fn writable(ctx: &Context<'_>, id: Uuid) -> AppResult<InterventionPlan> {
    policy::write_educational(ctx.actor()?, Educational::Interventions)?;
    load(ctx, id).await
}

/// A date must fall within the plan (its start to its actual or planned end).
fn check_within(check: &mut Check, plan: &plan::Model, date: chrono::NaiveDate) {
    let end = plan.actual_end_date.unwrap_or(plan.planned_end_date);
    if date < plan.start_date || date > end {
        check.fail(
            "date",
            UserErrorCode::OutOfRange,
            format!(
                "date must fall within the plan, {} to {end}",
                plan.start_date
            ),
        );
    }
}

#[derive(Default)]
pub struct PlanMutation;

#[Object]
impl PlanMutation {
    /// Starts an intervention plan for a student.
    async fn create_intervention_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: CreateInterventionPlanInput,
    ) -> AppResult<InterventionPlanPayload> {
        let actor = ctx.actor()?;
        policy::write_educational(actor, Educational::Interventions)?;
        let student_id = ids::decode_as::<Student>(&input.student_id, "input.studentId")?;
        let intervention_id =
            ids::decode_as::<Intervention>(&input.intervention_id, "input.interventionId")?;
        let staff_id = input
            .responsible_staff_id
            .as_ref()
            .map(|id| ids::decode_as::<Staff>(id, "input.responsibleStaffId"))
            .transpose()?;
        let mut check = Check::default();
        check.found(
            "studentId",
            ctx.roster().student.load_one(student_id).await?,
            "student",
        );
        let intervention = check.found(
            "interventionId",
            ctx.mtss().intervention.load_one(intervention_id).await?,
            "intervention",
        );
        if let Some(staff_id) = staff_id {
            check.found(
                "responsibleStaffId",
                ctx.roster().staff.load_one(staff_id).await?,
                "staff member",
            );
        }
        let tier = input
            .tier
            .or(intervention.as_ref().map(|i| i.tier))
            .unwrap_or(2);
        check_tier(&mut check, tier);
        check.text("goal", Some(&input.goal), 2000);
        check.text("measure", Some(&input.measure), 200);
        check.dates_in_order(
            Some(input.start_date),
            Some(input.planned_end_date),
            "plannedEndDate",
            "startDate",
        );
        if input.planned_end_date == input.start_date {
            check.fail(
                "plannedEndDate",
                UserErrorCode::DatesOutOfOrder,
                "plannedEndDate must come after startDate",
            );
        }
        let sessions = input
            .sessions_per_week
            .or(intervention.as_ref().map(|i| i.default_sessions_per_week))
            .unwrap_or(1);
        let minutes = input
            .minutes_per_session
            .or(intervention.as_ref().map(|i| i.default_minutes_per_session))
            .unwrap_or(30);
        check_dosage(&mut check, Some(sessions), Some(minutes));
        let status = input.status.map_or(DbStatus::Active, Into::into);
        if !OPEN.contains(&status) {
            check.fail(
                "status",
                UserErrorCode::Invalid,
                "a new plan is PLANNED or ACTIVE",
            );
        }
        // Input problems first: a student the caller may not see must not reveal its plans.
        if !check.is_empty() {
            return Ok(InterventionPlanPayload::refused(check.into_errors()));
        }
        // A second open plan of the same intervention is refused by the partial unique index
        // (`ux_student_intervention_open`), which also settles concurrent writers.
        let now = Utc::now();
        let row = plan::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            student_id,
            intervention_id,
            staff_id,
            tier,
            start_date: input.start_date.0,
            planned_end_date: input.planned_end_date.0,
            actual_end_date: None,
            goal: input.goal.trim().into(),
            measure: input.measure.trim().into(),
            baseline: input.baseline,
            target: input.target,
            sessions_per_week: sessions,
            minutes_per_session: minutes,
            status,
            outcome: None,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        Ok(match insert_recorded::<plan::Entity>(ctx, row).await? {
            Some(row) => InterventionPlanPayload::done(InterventionPlan(row)),
            None => InterventionPlanPayload::refused(duplicate(
                "interventionId",
                "an open plan of this intervention for this student",
            )),
        })
    }

    /// Changes a plan (status, outcome, end dates, goal), if nobody else changed it since `version`.
    async fn update_intervention_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateInterventionPlanInput,
    ) -> AppResult<InterventionPlanPayload> {
        let actor = ctx.actor()?;
        let id = ids::decode_as::<InterventionPlan>(&input.id, "input.id")?;
        let current = writable(ctx, id).await?.0;
        let mut check = Check::default();
        check.text("goal", input.goal.as_deref(), 2000);
        let planned_end = input
            .planned_end_date
            .map_or(current.planned_end_date, |d| d.0);
        check.dates_in_order(
            Some(current.start_date),
            Some(planned_end),
            "plannedEndDate",
            "startDate",
        );
        check.dates_in_order(
            Some(current.start_date),
            input.actual_end_date.value().map(|d| d.0),
            "actualEndDate",
            "startDate",
        );
        if !check.is_empty() {
            return Ok(InterventionPlanPayload::refused(check.into_errors()));
        }
        let mut changes = plan::ActiveModel::default();
        apply_changes!(changes;
            input.status.map(Into::into) => status,
            input.outcome.change().map(|o| o.map(Into::into)) => outcome,
            input.actual_end_date.change().map(|d| d.map(|d| d.0)) => actual_end_date,
            input.planned_end_date.map(|d| d.0) => planned_end_date,
            input.target => target,
            input.goal.map(|g| g.trim().to_string()) => goal,
        );
        let scope =
            policy::educational_rows(actor, Educational::Interventions, plan::Column::StudentId)?;
        let row = update_recorded::<plan::Entity>(ctx, changes, (id, input.version), scope).await?;
        Ok(InterventionPlanPayload::done(InterventionPlan(row)))
    }

    /// Records a progress point (its date within the plan's dates).
    async fn record_progress_point(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: RecordProgressPointInput,
    ) -> AppResult<ProgressPointPayload> {
        let actor = ctx.actor()?;
        let plan = writable(
            ctx,
            ids::decode_as::<InterventionPlan>(&input.plan_id, "input.planId")?,
        )
        .await?;
        let mut check = Check::default();
        check_within(&mut check, &plan.0, input.date.0);
        if !input.value.is_finite() {
            check.fail("value", UserErrorCode::Invalid, "value must be a number");
        }
        if !check.is_empty() {
            return Ok(ProgressPointPayload::refused(check.into_errors()));
        }
        let now = Utc::now();
        let row = progress_point::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            plan_id: plan.0.id,
            date: input.date.0,
            value: input.value,
            note: input.note,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let row = insert_new::<progress_point::Entity>(ctx, row).await?;
        Ok(ProgressPointPayload::done(ProgressPoint {
            expected: plan.aim().expected(row.date),
            point: row,
        }))
    }

    /// Records a session of a plan (its date within the plan's dates).
    async fn record_intervention_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: RecordInterventionSessionInput,
    ) -> AppResult<InterventionSessionPayload> {
        let actor = ctx.actor()?;
        let plan = writable(
            ctx,
            ids::decode_as::<InterventionPlan>(&input.plan_id, "input.planId")?,
        )
        .await?;
        let mut check = Check::default();
        check_within(&mut check, &plan.0, input.date.0);
        if !(0..=480).contains(&input.minutes) {
            check.fail(
                "minutes",
                UserErrorCode::OutOfRange,
                "minutes is from 0 to 480",
            );
        }
        if !check.is_empty() {
            return Ok(InterventionSessionPayload::refused(check.into_errors()));
        }
        let now = Utc::now();
        let row = intervention_session::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            plan_id: plan.0.id,
            date: input.date.0,
            attended: input.attended,
            minutes: if input.attended { input.minutes } else { 0 },
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let row = insert_new::<intervention_session::Entity>(ctx, row).await?;
        Ok(InterventionSessionPayload::done(InterventionSession(row)))
    }
}
