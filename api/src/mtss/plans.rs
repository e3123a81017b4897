//! Students' intervention plans, their progress points and sessions, and what the server
//! derives from them: the aim line, the trend, the decision rule and the dosage (see
//! `progress` for the arithmetic and the rule).

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::Utc;
use entity::{
    intervention_session, progress_point, student_intervention as plan,
    values::{AuditAction, PlanStatus as DbStatus},
};
use uuid::Uuid;

use super::{
    PlanOutcome, PlanStatus,
    interventions::{self, Intervention, check_dosage},
    progress::{self, AimLine},
    tiers::check_tier,
};
use crate::{
    auth::policy::{self, Educational},
    db::Recorded,
    errors::{AppError, AppResult},
    graphql::{
        context::ContextExt,
        mutation::{
            ChangeTo, Check, UserErrorCode, apply_changes, duplicate, insert_new, insert_recorded,
            payload_type, update_recorded,
        },
        node::{self, Kind},
        pagination::{self, PageArgs, connection_type, paginate_loaded},
        scalars::Date,
    },
    roster::{Staff, Student, staff, students},
};

/// What the four-point decision rule says about a plan.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Keep going: the last four points are not all on one side of the aim line.
    Continue,
    /// Change the plan: the last four points all fall short of the aim line.
    Intensify,
    /// Consider ending or raising the goal: the last four points all beat the aim line.
    ConsiderExit,
    /// Fewer than four progress points.
    InsufficientData,
}

impl From<progress::Decision> for Decision {
    fn from(decision: progress::Decision) -> Self {
        match decision {
            progress::Decision::Continue => Self::Continue,
            progress::Decision::Intensify => Self::Intensify,
            progress::Decision::ConsiderExit => Self::ConsiderExit,
            progress::Decision::InsufficientData => Self::InsufficientData,
        }
    }
}

/// A student's intervention plan (Ed-Fi StudentInterventionAssociation).
#[derive(Clone)]
pub struct InterventionPlan(pub plan::Model);

impl InterventionPlan {
    fn aim(&self) -> AimLine {
        AimLine {
            start: self.0.start_date,
            end: self.0.planned_end_date,
            baseline: self.0.baseline,
            target: self.0.target,
        }
    }

    async fn points(&self, ctx: &Context<'_>) -> AppResult<Vec<progress_point::Model>> {
        Ok(ctx
            .mtss()
            .points_of_plan
            .load_one(self.0.id)
            .await?
            .unwrap_or_default())
    }

    /// The decision rule's verdict (also used by the early-warning list).
    pub async fn decision(&self, ctx: &Context<'_>) -> AppResult<Decision> {
        let points: Vec<_> = self
            .points(ctx)
            .await?
            .iter()
            .map(|p| (p.date, p.value))
            .collect();
        Ok(progress::decide(&self.aim(), &points).into())
    }
}

/// The aim line's value on one date.
#[derive(SimpleObject)]
pub struct AimLinePoint {
    /// The date.
    pub date: Date,
    /// The value the student should have reached by then.
    pub expected: f64,
}

/// Sessions and minutes delivered against those planned so far.
#[derive(SimpleObject)]
pub struct Dosage {
    /// Sessions planned from the start to today (or the end of the plan).
    pub sessions_planned: i64,
    /// Sessions the student attended.
    pub sessions_delivered: i64,
    /// Minutes planned over the same period.
    pub minutes_planned: i64,
    /// Minutes the student received.
    pub minutes_delivered: i64,
    /// Delivered over planned sessions (null when none was planned yet).
    pub delivered_ratio: Option<f64>,
}

/// A student's intervention plan (Ed-Fi StudentInterventionAssociation), with progress
/// monitoring derived by the server.
#[Object]
impl InterventionPlan {
    /// The plan's opaque global id.
    pub async fn id(&self) -> ID {
        node::encode(Kind::InterventionPlan, self.0.id)
    }
    /// The student.
    async fn student(&self, ctx: &Context<'_>) -> AppResult<Student> {
        students::load(ctx, self.0.student_id).await
    }
    /// The intervention.
    async fn intervention(&self, ctx: &Context<'_>) -> AppResult<Intervention> {
        interventions::load(ctx, self.0.intervention_id).await
    }
    /// The staff member responsible.
    async fn responsible_staff(&self, ctx: &Context<'_>) -> AppResult<Option<Staff>> {
        match self.0.staff_id {
            Some(id) => Ok(Some(staff::load(ctx, id).await?)),
            None => Ok(None),
        }
    }
    /// The tier the plan is delivered at.
    async fn tier(&self) -> i32 {
        self.0.tier
    }
    /// First day.
    async fn start_date(&self) -> Date {
        Date(self.0.start_date)
    }
    /// Planned last day (the aim line reaches the target then).
    async fn planned_end_date(&self) -> Date {
        Date(self.0.planned_end_date)
    }
    /// Actual last day, once ended.
    async fn actual_end_date(&self) -> Option<Date> {
        self.0.actual_end_date.map(Date)
    }
    /// The goal, in words.
    async fn goal(&self) -> &str {
        &self.0.goal
    }
    /// What is measured (for example "words correct per minute").
    async fn measure(&self) -> &str {
        &self.0.measure
    }
    /// The measure at the start.
    async fn baseline(&self) -> f64 {
        self.0.baseline
    }
    /// The measure the plan aims for by the planned end date.
    async fn target(&self) -> f64 {
        self.0.target
    }
    /// Planned sessions per week.
    async fn sessions_per_week(&self) -> i32 {
        self.0.sessions_per_week
    }
    /// Planned minutes per session.
    async fn minutes_per_session(&self) -> i32 {
        self.0.minutes_per_session
    }
    /// Where the plan stands.
    async fn status(&self) -> PlanStatus {
        self.0.status.into()
    }
    /// How it ended.
    async fn outcome(&self) -> Option<PlanOutcome> {
        self.0.outcome.map(Into::into)
    }
    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Progress points, oldest first (`last: 5` gives the five most recent).
    #[graphql(complexity = "pagination::cost_bounded(first, last, child_complexity)")]
    async fn progress_points(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<ProgressPointConnection> {
        let aim = self.aim();
        let page = paginate_loaded(
            self.points(ctx).await?,
            |p| p.id,
            &PageArgs::new(first, after, last, before),
        )?;
        Ok(ProgressPointConnection(page.map(|point| ProgressPoint {
            expected: aim.expected(point.date),
            point,
        })))
    }
    /// The aim line at the start, at each progress point's date, and at the planned end.
    async fn aim_line(&self, ctx: &Context<'_>) -> AppResult<Vec<AimLinePoint>> {
        let aim = self.aim();
        let mut dates = vec![aim.start];
        dates.extend(self.points(ctx).await?.iter().map(|p| p.date));
        dates.push(aim.end);
        dates.sort();
        dates.dedup();
        Ok(dates
            .into_iter()
            .map(|date| AimLinePoint {
                date: Date(date),
                expected: aim.expected(date),
            })
            .collect())
    }
    /// Least-squares slope of the progress points, in measure units per week (null with
    /// fewer than two dates).
    async fn trend(&self, ctx: &Context<'_>) -> AppResult<Option<f64>> {
        let points: Vec<_> = self
            .points(ctx)
            .await?
            .iter()
            .map(|p| (p.date, p.value))
            .collect();
        Ok(progress::trend_per_week(&points))
    }
    /// The four-point decision rule: with fewer than four points INSUFFICIENT_DATA; the last
    /// four all short of the aim line (below it when the target is above the baseline, above
    /// it when the target is below) INTENSIFY; all four beyond it CONSIDER_EXIT; otherwise
    /// CONTINUE. A point exactly on the line counts for neither side.
    #[graphql(name = "decision")]
    async fn decision_field(&self, ctx: &Context<'_>) -> AppResult<Decision> {
        self.decision(ctx).await
    }
    /// Sessions and minutes delivered against those planned from the start date to today (or
    /// the plan's end, if earlier).
    async fn dosage(&self, ctx: &Context<'_>) -> AppResult<Dosage> {
        let sessions = ctx
            .mtss()
            .sessions_of_plan
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        let until = ctx
            .actor()?
            .today
            .min(self.0.actual_end_date.unwrap_or(self.0.planned_end_date));
        let planned =
            progress::planned_sessions(self.0.start_date, until, self.0.sessions_per_week);
        let attended: Vec<_> = sessions
            .iter()
            .filter(|s| s.attended && s.date <= until)
            .collect();
        let delivered = attended.len() as i64;
        Ok(Dosage {
            sessions_planned: planned,
            sessions_delivered: delivered,
            minutes_planned: planned * i64::from(self.0.minutes_per_session),
            minutes_delivered: attended.iter().map(|s| i64::from(s.minutes)).sum(),
            delivered_ratio: (planned > 0).then(|| delivered as f64 / planned as f64),
        })
    }
    /// Sessions scheduled for the plan, oldest first.
    #[graphql(complexity = "pagination::cost_bounded(first, last, child_complexity)")]
    async fn sessions(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<InterventionSessionConnection> {
        let rows = ctx
            .mtss()
            .sessions_of_plan
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        let page = paginate_loaded(rows, |s| s.id, &PageArgs::new(first, after, last, before))?;
        Ok(InterventionSessionConnection(page.map(InterventionSession)))
    }
}

/// One progress-monitoring measurement.
#[derive(Clone)]
pub struct ProgressPoint {
    point: progress_point::Model,
    expected: f64,
}

/// One progress-monitoring measurement.
#[Object]
impl ProgressPoint {
    /// The point's opaque global id.
    async fn id(&self) -> ID {
        node::encode(Kind::ProgressPoint, self.point.id)
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
    /// A note.
    async fn note(&self) -> Option<&str> {
        self.point.note.as_deref()
    }
}

/// One scheduled session of a plan.
#[derive(Clone)]
pub struct InterventionSession(intervention_session::Model);

/// One scheduled session of a plan.
#[Object]
impl InterventionSession {
    /// The session's opaque global id.
    async fn id(&self) -> ID {
        node::encode(Kind::InterventionSession, self.0.id)
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
    InterventionPlanConnection,
    InterventionPlanEdge,
    InterventionPlan,
    "A page of intervention plans.",
    "A plan in a page."
);
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
    InterventionPlanPayload,
    plan,
    InterventionPlan,
    "The result of creating or changing a plan."
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

pub async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<InterventionPlan> {
    ctx.mtss()
        .plan
        .load_one(id)
        .await?
        .map(InterventionPlan)
        .ok_or_else(|| AppError::not_found("InterventionPlan", id))
}

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
        let student_id = node::decode_as(&input.student_id, Kind::Student, "input.studentId")?;
        let intervention_id = node::decode_as(
            &input.intervention_id,
            Kind::Intervention,
            "input.interventionId",
        )?;
        let staff_id = input
            .responsible_staff_id
            .as_ref()
            .map(|id| node::decode_as(id, Kind::Staff, "input.responsibleStaffId"))
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
        let recorded = Recorded::new(
            AuditAction::Create,
            "student_intervention",
            row.id,
            vec![
                "interventionId",
                "tier",
                "startDate",
                "plannedEndDate",
                "goal",
                "baseline",
                "target",
            ],
        )
        .about_student(student_id);
        Ok(
            match insert_recorded::<plan::Entity>(ctx, row, recorded).await? {
                Some(row) => InterventionPlanPayload::done(InterventionPlan(row)),
                None => InterventionPlanPayload::refused(duplicate(
                    "interventionId",
                    "an open plan of this intervention for this student",
                )),
            },
        )
    }

    /// Changes a plan (status, outcome, end dates, goal), if nobody else changed it since `version`.
    async fn update_intervention_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateInterventionPlanInput,
    ) -> AppResult<InterventionPlanPayload> {
        let actor = ctx.actor()?;
        let id = node::decode_as(&input.id, Kind::InterventionPlan, "input.id")?;
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
        let mut fields = Vec::new();
        apply_changes!(changes, fields;
            input.status.map(Into::into) => status as "status",
            input.outcome.change().map(|o| o.map(Into::into)) => outcome as "outcome",
            input.actual_end_date.change().map(|d| d.map(|d| d.0)) => actual_end_date as "actualEndDate",
            input.planned_end_date.map(|d| d.0) => planned_end_date as "plannedEndDate",
            input.target => target as "target",
            input.goal.map(|g| g.trim().to_string()) => goal as "goal",
        );
        let scope =
            policy::educational_rows(actor, Educational::Interventions, plan::Column::StudentId)?;
        let row = update_recorded::<plan::Entity>(
            ctx,
            changes,
            (id, input.version),
            scope,
            "InterventionPlan",
            |row| {
                Recorded::new(AuditAction::Update, "student_intervention", id, fields)
                    .about_student(row.student_id)
            },
        )
        .await?;
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
            node::decode_as(&input.plan_id, Kind::InterventionPlan, "input.planId")?,
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
        let recorded = Recorded::new(
            AuditAction::Create,
            "progress_point",
            row.id,
            vec!["date", "value", "note"],
        )
        .about_student(plan.0.student_id);
        let row = insert_new::<progress_point::Entity>(ctx, row, recorded).await?;
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
            node::decode_as(&input.plan_id, Kind::InterventionPlan, "input.planId")?,
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
        let recorded = Recorded::new(
            AuditAction::Create,
            "intervention_session",
            row.id,
            vec!["date", "attended", "minutes"],
        )
        .about_student(plan.0.student_id);
        let row = insert_new::<intervention_session::Entity>(ctx, row, recorded).await?;
        Ok(InterventionSessionPayload::done(InterventionSession(row)))
    }
}
