//! The rules of assessments, crisis incidents and safety plans, without GraphQL, and the
//! condition that flags a HIGH screening no crisis response or safety plan followed that day.

use entity::{assessment, crisis_incident, safety_plan};
use sea_orm::{ColumnTrait, Condition, sea_query::Expr};
use uuid::Uuid;

use crate::{
    auth::policy,
    db::Write,
    errors::{AppError, AppResult},
    roster::students::service::check_visible,
    validation::{Check, Outcome, UserErrorCode},
};

/// Longest text kept (a summary, a response, a plan).
const TEXT_MAX: usize = 8000;

/// Assessments that call for a safety plan: a HIGH suicide-risk screening or threat assessment
/// with no crisis incident and no safety plan of the student on the same day.
pub fn needing_safety_plan() -> Condition {
    use entity::values::{AssessmentType, RiskLevel};
    let same_day = |table: &str, day: &str| {
        Expr::cust(format!(
            "NOT EXISTS (SELECT 1 FROM {table} WHERE {table}.student_id = assessment.student_id \
             AND {table}.{day} = assessment.date)"
        ))
    };
    Condition::all()
        .add(assessment::Column::RiskLevel.eq(RiskLevel::High))
        .add(assessment::Column::AssessmentType.is_in([
            AssessmentType::SuicideRiskScreening,
            AssessmentType::ThreatAssessment,
        ]))
        .add(same_day("crisis_incident", "date"))
        .add(same_day("safety_plan", "created_on"))
}

/// The checks every record here shares: the writer's right, the student, the words, the day.
async fn check_record(
    write: &Write<'_>,
    student_id: Uuid,
    (field, text): (&str, &str),
    date: (&str, chrono::NaiveDate),
) -> AppResult<Check> {
    let actor = write.actor();
    policy::write_crisis_records(actor)?;
    let mut check = Check::default();
    check_visible(write, &mut check, student_id).await?;
    check.text(field, Some(text), TEXT_MAX);
    check.not_in_future(date.0, Some(date.1), actor.today);
    Ok(check)
}

/// Records assessment `row`.
pub async fn assess(
    write: &Write<'_>,
    row: assessment::Model,
) -> AppResult<Outcome<assessment::Model>> {
    let check = check_record(
        write,
        row.student_id,
        ("summary", &row.summary),
        ("date", row.date),
    )
    .await?;
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    Ok(Ok(write.insert_new::<assessment::Entity>(row).await?))
}

/// Records crisis incident `row`.
pub async fn record_crisis(
    write: &Write<'_>,
    row: crisis_incident::Model,
) -> AppResult<Outcome<crisis_incident::Model>> {
    let check = check_record(
        write,
        row.student_id,
        ("response", &row.response),
        ("date", row.date),
    )
    .await?;
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    Ok(Ok(write.insert_new::<crisis_incident::Entity>(row).await?))
}

/// Creates safety plan `row`, reviewed on or after the day it was made, answering the same
/// student's crisis if it names one.
pub async fn plan(
    write: &Write<'_>,
    row: safety_plan::Model,
) -> AppResult<Outcome<safety_plan::Model>> {
    let mut check = check_record(
        write,
        row.student_id,
        ("plan", &row.plan),
        ("createdOn", row.created_on),
    )
    .await?;
    check.dates_in_order(
        Some(row.created_on),
        Some(row.review_date),
        "reviewDate",
        "createdOn",
    );
    if let Some(crisis) = row.crisis_incident_id {
        let scope = policy::crisis_rows(write.actor(), crisis_incident::Column::StudentId)?;
        let found = write.find::<crisis_incident::Entity>(crisis, scope).await?;
        if let Some(crisis) = check.found("crisisIncidentId", found, "crisis incident")
            && crisis.student_id != row.student_id
        {
            check.fail(
                "crisisIncidentId",
                UserErrorCode::Invalid,
                "crisisIncidentId is about another student",
            );
        }
    }
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    Ok(Ok(write.insert_new::<safety_plan::Entity>(row).await?))
}

/// Applies `changes` (a new review date, the end, the words) to safety plan `id` if it is
/// still at `version`; neither date may come before the plan was made.
pub async fn revise(
    write: &Write<'_>,
    (id, version): (Uuid, i32),
    changes: safety_plan::ActiveModel,
) -> AppResult<Outcome<safety_plan::Model>> {
    let actor = write.actor();
    policy::write_crisis_records(actor)?;
    let scope = policy::crisis_rows(actor, safety_plan::Column::StudentId)?;
    let current = write
        .find::<safety_plan::Entity>(id, scope.clone())
        .await?
        .ok_or_else(|| AppError::not_found("SafetyPlan", id))?;
    let mut check = Check::default();
    let review = changes.review_date.try_as_ref().copied();
    check.dates_in_order(Some(current.created_on), review, "reviewDate", "createdOn");
    let ended = changes.ended_on.try_as_ref().copied().flatten();
    check.dates_in_order(Some(current.created_on), ended, "endedOn", "createdOn");
    if let Some(plan) = changes.plan.try_as_ref() {
        check.text("plan", Some(plan), TEXT_MAX);
    }
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    Ok(Ok(write
        .update::<safety_plan::Entity>(changes, (id, version), scope)
        .await?))
}
