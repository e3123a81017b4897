//! The truancy ladder: steps taken for a student in a school year (LETTER, CONFERENCE,
//! ATTENDANCE_CONTRACT, HOME_VISIT, COURT_REFERRAL, in that order), and the next one due from
//! the student's unexcused absences and the district's thresholds (`SSW_TRUANCY_THRESHOLDS`).

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::Utc;
use entity::{truancy_step, values};
use uuid::Uuid;

use super::{CaseworkContext, confidential, truancy_service as service};
use crate::{
    config::CaseworkRules,
    db::loader::warm,
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids::InputIds,
        mutation::payload_type,
        pagination::connection_type,
        scalars::{Date, mirror_enum},
    },
    mtss::{
        MtssContext,
        attendance_rollup::{school_year, school_year_start},
    },
    roster::{RosterContext, Staff, Student},
};

mirror_enum! {
    /// A step of the truancy ladder, in order.
    TruancyStepKind = values::TruancyStepKind {
        /// A letter home.
        Letter,
        /// A conference with the family.
        Conference,
        /// An attendance contract.
        AttendanceContract,
        /// A home visit.
        HomeVisit,
        /// A referral to truancy court.
        CourtReferral,
    }
}

/// The ladder in order.
pub const LADDER: [values::TruancyStepKind; 5] = [
    values::TruancyStepKind::Letter,
    values::TruancyStepKind::Conference,
    values::TruancyStepKind::AttendanceContract,
    values::TruancyStepKind::HomeVisit,
    values::TruancyStepKind::CourtReferral,
];

/// A step taken.
#[derive(Clone)]
pub struct TruancyStep(pub truancy_step::Model);

/// A step of the truancy ladder taken for a student.
#[Object]
impl TruancyStep {
    /// The step.
    async fn step(&self) -> TruancyStepKind {
        self.0.step.into()
    }
    /// The day it was taken.
    async fn date(&self) -> Date {
        Date(self.0.date)
    }
    /// Who took it.
    async fn staff(&self, ctx: &Context<'_>) -> AppResult<Option<Staff>> {
        let Some(id) = self.0.staff_id else {
            return Ok(None);
        };
        Ok(ctx.roster().staff.load_one(id).await?.map(Staff))
    }
    /// What came of it, in words (pupil services and admins).
    async fn outcome(&self, ctx: &Context<'_>) -> AppResult<Option<&str>> {
        confidential(ctx, self.0.student_id, "TruancyStep.outcome")?;
        Ok(self.0.outcome.as_deref())
    }
}

/// Where a student stands on the truancy ladder this school year.
#[derive(SimpleObject)]
pub struct TruancyStatus {
    /// The calendar year the school year begins in.
    pub school_year: i32,
    /// Unexcused absences so far this school year.
    pub unexcused_absences: i64,
    /// The steps taken this school year, in ladder order.
    pub steps: Vec<TruancyStep>,
    /// The next step not yet taken; null when the ladder is done.
    pub next_step: Option<TruancyStepKind>,
    /// The unexcused absences at which the next step falls due.
    pub next_step_at: Option<i64>,
    /// Whether the next step is due (the absences have reached its threshold).
    pub next_step_due: bool,
}

/// Loads, for a page of students, what `truancy` reads: their steps and this school year's
/// attendance.
pub async fn prefetch(ctx: &Context<'_>, wants: bool, students: &[Uuid]) -> AppResult<()> {
    let today = ctx.actor()?.today;
    let start = school_year_start(school_year(today));
    let ids = || students.iter().copied();
    futures::try_join!(
        warm(&ctx.casework().truancy_steps_of_student, wants, ids()),
        warm(
            &ctx.mtss().attendance,
            wants,
            ids().map(|id| (id, start, today))
        ),
    )?;
    Ok(())
}

/// Where `student` stands on the ladder today.
pub async fn status(ctx: &Context<'_>, student: Uuid) -> AppResult<TruancyStatus> {
    let today = ctx.actor()?.today;
    let year = school_year(today);
    let (steps, counts) = futures::try_join!(
        ctx.casework().truancy_steps_of_student.load_one(student),
        ctx.mtss()
            .attendance
            .load_one((student, school_year_start(year), today)),
    )?;
    let mut steps: Vec<_> = steps.unwrap_or_default();
    steps.retain(|step| step.school_year == year);
    steps.sort_by_key(|step| LADDER.iter().position(|kind| *kind == step.step));
    let next = LADDER
        .iter()
        .position(|kind| steps.iter().all(|step| step.step != *kind));
    let thresholds = &ctx.data_unchecked::<CaseworkRules>().truancy_thresholds;
    let next_step_at = next.and_then(|i| thresholds.get(i)).map(|n| i64::from(*n));
    let unexcused = counts.unwrap_or_default().unexcused;
    Ok(TruancyStatus {
        school_year: year,
        unexcused_absences: unexcused,
        steps: steps.into_iter().map(TruancyStep).collect(),
        next_step: next.map(|i| LADDER[i].into()),
        next_step_at,
        next_step_due: next_step_at.is_some_and(|at| unexcused >= at),
    })
}

connection_type!(
    TruancyStepConnection,
    TruancyStepEdge,
    TruancyStep,
    "A page of truancy steps, oldest first.",
    "A truancy step in a page."
);
payload_type!(
    TruancyStepPayload,
    step,
    TruancyStep,
    "The result of recording a truancy step."
);

/// A step of the truancy ladder taken for a student.
#[derive(InputObject)]
pub struct RecordTruancyStepInput {
    /// The student.
    pub student_id: ID,
    /// The step: every earlier one of the school year must have been taken.
    pub step: TruancyStepKind,
    /// The day (today by default; not before the previous step, never in the future).
    pub date: Option<Date>,
    /// What came of it.
    pub outcome: Option<String>,
}

#[derive(Default)]
pub struct TruancyMutation;

#[Object]
impl TruancyMutation {
    /// Records a truancy step (pupil services and admins), in ladder order.
    async fn record_truancy_step(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: RecordTruancyStepInput,
    ) -> AppResult<TruancyStepPayload> {
        let actor = ctx.actor()?;
        let mut sent = InputIds::default();
        let date = input.date.map_or(actor.today, |d| d.0);
        let now = Utc::now();
        let row = truancy_step::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            student_id: sent.of::<Student>("studentId", &input.student_id),
            staff_id: actor.staff_id,
            step: input.step.into(),
            date,
            school_year: school_year(date),
            outcome: input.outcome,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = service::record(&write, row).await?;
        Ok(write.finish(outcome).await?.map(TruancyStep).into())
    }
}
