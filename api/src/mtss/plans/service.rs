//! The rules of intervention plans, their progress points and sessions, without GraphQL.

use chrono::NaiveDate;
use entity::{
    intervention, intervention_session, progress_point, staff, student_intervention as plan,
    values::PlanStatus,
};
use sea_orm::{
    ActiveValue::{self, Set},
    Condition, DbErr, TryIntoModel, Value,
};
use uuid::Uuid;

use crate::{
    auth::policy::{self, Educational},
    db::Write,
    errors::AppResult,
    mtss::{interventions_service::check_dosage, references, tiers_service::check_tier},
    roster::students::service::check_visible,
    validation::{Check, Outcome, UserErrorCode, duplicate},
};

/// Open plans: at most one per student and intervention.
const OPEN: [PlanStatus; 2] = [PlanStatus::Planned, PlanStatus::Active];

/// A column a new row must set; one left unset is the caller's bug (INTERNAL).
fn given<T: Clone + Into<Value>>(value: &ActiveValue<T>, column: &str) -> AppResult<T> {
    Ok(value
        .try_as_ref()
        .cloned()
        .ok_or_else(|| DbErr::AttrNotSet(column.into()))?)
}

/// A plan the writer may change or record to, with the plans it may change; or NOT_FOUND.
async fn writable(write: &Write<'_>, id: Uuid) -> AppResult<(plan::Model, Condition)> {
    let data = (Educational::Interventions, plan::Column::StudentId);
    references::writable::<plan::Entity>(write, data, id, "InterventionPlan").await
}

/// A date must fall within the plan (its start to its actual or planned end).
fn check_within(check: &mut Check, plan: &plan::Model, date: NaiveDate) {
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

/// Starts plan `row`. Its tier and dosage, left unset, are its intervention's (else tier 2,
/// one 30-minute session a week), its status ACTIVE. A second open plan of the same
/// intervention for the student is a DUPLICATE: the partial unique index
/// (`ux_student_intervention_open`) refuses it, which also settles concurrent writers.
pub async fn create(
    write: &Write<'_>,
    mut row: plan::ActiveModel,
) -> AppResult<Outcome<plan::Model>> {
    let actor = write.actor();
    policy::write_educational(actor, Educational::Interventions)?;
    let mut check = Check::default();
    check_visible(write, &mut check, given(&row.student_id, "student_id")?).await?;
    let intervention_id = given(&row.intervention_id, "intervention_id")?;
    let scope = policy::catalogue_rows(actor)?;
    let intervention = write
        .find::<intervention::Entity>(intervention_id, scope)
        .await?;
    let usual = check.found("interventionId", intervention, "intervention");
    if let Some(staff_id) = given(&row.staff_id, "staff_id")? {
        let scope = policy::staff_rows(actor)?;
        let staff = write.find::<staff::Entity>(staff_id, scope).await?;
        check.found("responsibleStaffId", staff, "staff member");
    }
    let usual = usual.as_ref();
    row.tier.set_if_unset(usual.map_or(2, |i| i.tier));
    row.sessions_per_week
        .set_if_unset(usual.map_or(1, |i| i.default_sessions_per_week));
    row.minutes_per_session
        .set_if_unset(usual.map_or(30, |i| i.default_minutes_per_session));
    row.status.set_if_unset(PlanStatus::Active);
    let mut row = row.try_into_model()?;
    row.goal = row.goal.trim().into();
    row.measure = row.measure.trim().into();
    check_tier(&mut check, row.tier);
    check.text("goal", Some(&row.goal), 2000);
    check.text("measure", Some(&row.measure), 200);
    check.measurement("baseline", Some(row.baseline));
    check.measurement("target", Some(row.target));
    check.dates_in_order(
        Some(row.start_date),
        Some(row.planned_end_date),
        "plannedEndDate",
        "startDate",
    );
    if row.planned_end_date == row.start_date {
        check.fail(
            "plannedEndDate",
            UserErrorCode::DatesOutOfOrder,
            "plannedEndDate must come after startDate",
        );
    }
    check_dosage(
        &mut check,
        Some(row.sessions_per_week),
        Some(row.minutes_per_session),
    );
    if !OPEN.contains(&row.status) {
        check.fail(
            "status",
            UserErrorCode::Invalid,
            "a new plan is PLANNED or ACTIVE",
        );
    }
    // Input problems first: a student the caller may not see must not reveal its plans.
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    Ok(write.insert::<plan::Entity>(row).await?.ok_or_else(|| {
        duplicate(
            "interventionId",
            "an open plan of this intervention for this student",
        )
    }))
}

/// Applies `changes` to plan `id` if it is still at `version`; its end dates may not come
/// before its start, and the goal is trimmed.
pub async fn update(
    write: &Write<'_>,
    (id, version): (Uuid, i32),
    mut changes: plan::ActiveModel,
) -> AppResult<Outcome<plan::Model>> {
    let (current, scope) = writable(write, id).await?;
    if let Some(goal) = changes.goal.try_as_ref() {
        changes.goal = Set(goal.trim().to_string());
    }
    let mut check = Check::default();
    check.text("goal", changes.goal.try_as_ref().map(String::as_str), 2000);
    check.measurement("target", changes.target.try_as_ref().copied());
    let planned_end = changes.planned_end_date.try_as_ref().copied();
    check.dates_in_order(
        Some(current.start_date),
        Some(planned_end.unwrap_or(current.planned_end_date)),
        "plannedEndDate",
        "startDate",
    );
    check.dates_in_order(
        Some(current.start_date),
        changes.actual_end_date.try_as_ref().copied().flatten(),
        "actualEndDate",
        "startDate",
    );
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    Ok(Ok(write
        .update::<plan::Entity>(changes, (id, version), scope)
        .await?))
}

/// Records a progress point of plan `row.plan_id`, dated within the plan; answers the plan
/// too, whose aim line gives the point its expected value.
pub async fn record_point(
    write: &Write<'_>,
    row: progress_point::Model,
) -> AppResult<Outcome<(plan::Model, progress_point::Model)>> {
    let (plan, _) = writable(write, row.plan_id).await?;
    let mut check = Check::default();
    check_within(&mut check, &plan, row.date);
    check.measurement("value", Some(row.value));
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    let point = write.insert_new::<progress_point::Entity>(row).await?;
    Ok(Ok((plan, point)))
}

/// Records a session of plan `row.plan_id`, dated within the plan; a session the student
/// missed delivered no minutes.
pub async fn record_session(
    write: &Write<'_>,
    mut row: intervention_session::Model,
) -> AppResult<Outcome<intervention_session::Model>> {
    let (plan, _) = writable(write, row.plan_id).await?;
    let mut check = Check::default();
    check_within(&mut check, &plan, row.date);
    if !(0..=480).contains(&row.minutes) {
        check.fail(
            "minutes",
            UserErrorCode::OutOfRange,
            "minutes is from 0 to 480",
        );
    }
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    if !row.attended {
        row.minutes = 0;
    }
    Ok(Ok(write
        .insert_new::<intervention_session::Entity>(row)
        .await?))
}
