//! The rules of the service log, without GraphQL: logging a contact (what it served, what it
//! makes up; its minutes and billing are `contact_rules`), signing it (which locks it),
//! changing an unsigned one, and the addenda that correct a signed one.

use chrono::Utc;
use entity::{
    contact_addendum, iep_participation, intervention_session, service_contact as contact,
    ssw_case, staff, student_intervention as plan,
};
use sea_orm::{ActiveValue, Condition, Set};
use uuid::Uuid;

use super::{
    cases_service::check_worker,
    contact_rules::{check_minutes_and_billing, check_who_and_where},
};
use crate::{
    auth::policy::{self, Educational},
    db::{Write, loader::Keyed},
    errors::{AppError, AppResult},
    mtss::plans::service::record_session,
    roster::students::service::check_visible,
    validation::{Check, Outcome, UserErrorCode},
};

/// Longest note, student response or addendum kept.
const TEXT_MAX: usize = 8000;

/// The record `id` of `E`, about the contact's student, must be visible within `scope`.
async fn check_served<E: Keyed>(
    write: &Write<'_>,
    check: &mut Check,
    (field, id, scope): (&str, Option<Uuid>, AppResult<Condition>),
    student_of: fn(&E::Model) -> Uuid,
    student_id: Uuid,
) -> AppResult<()> {
    let Some(id) = id else { return Ok(()) };
    let found = write.find::<E>(id, scope?).await?;
    if let Some(row) = check.found(field, found, "record")
        && student_of(&row) != student_id
    {
        check.fail(
            field,
            UserErrorCode::Invalid,
            format!("{field} is about another student"),
        );
    }
    Ok(())
}

/// Logs `row` (its minutes given or derived from its times). A contact that served a plan
/// and was not missed counts toward the plan's dosage: it records the plan's session in the
/// same transaction.
pub async fn log(
    write: &Write<'_>,
    mut row: contact::Model,
    minutes_given: Option<i32>,
) -> AppResult<Outcome<contact::Model>> {
    let actor = write.actor();
    policy::write_service_log(actor)?;
    let mut check = Check::default();
    check_visible(write, &mut check, row.student_id).await?;
    let provider = check_worker(write, &mut check, "providerId", row.provider_staff_id).await?;
    row.provider_credential = provider.and_then(|p| p.license);
    if let Some(supervisor) = row.supervisor_staff_id {
        let found = write
            .find::<staff::Entity>(supervisor, policy::staff_rows(actor)?)
            .await?;
        check.found("supervisorId", found, "staff member");
    }
    check.not_in_future("date", Some(row.date), actor.today);
    check_minutes_and_billing(&mut check, &mut row, minutes_given);
    check_who_and_where(&mut check, row.location.as_deref(), Some(&row.participants));
    for (field, text) in [
        ("note", &row.note),
        ("studentResponse", &row.student_response),
    ] {
        if text
            .as_deref()
            .is_some_and(|t| t.chars().count() > TEXT_MAX)
        {
            check.fail(
                field,
                UserErrorCode::OutOfRange,
                format!("{field} may be at most {TEXT_MAX} characters"),
            );
        }
    }
    let student = row.student_id;
    check_served::<ssw_case::Entity>(
        write,
        &mut check,
        ("caseId", row.case_id, policy::case_rows(actor)),
        |c| c.student_id,
        student,
    )
    .await?;
    check_served::<plan::Entity>(
        write,
        &mut check,
        (
            "planId",
            row.plan_id,
            policy::educational_rows(actor, Educational::Interventions, plan::Column::StudentId),
        ),
        |p| p.student_id,
        student,
    )
    .await?;
    check_served::<iep_participation::Entity>(
        write,
        &mut check,
        (
            "iepId",
            row.iep_id,
            policy::educational_rows(
                actor,
                Educational::SpecialEducation,
                iep_participation::Column::StudentId,
            ),
        ),
        |i| i.student_id,
        student,
    )
    .await?;
    if let Some(missed) = row.makeup_for_id {
        let found = write
            .find::<contact::Entity>(missed, policy::contact_rows(actor)?)
            .await?;
        if let Some(missed) = check.found("makeupForId", found, "contact")
            && (missed.missed_reason.is_none() || missed.student_id != student)
        {
            check.fail(
                "makeupForId",
                UserErrorCode::Invalid,
                "makeupForId is a missed contact of the same student",
            );
        }
    }
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    if let (Some(plan_id), None) = (row.plan_id, row.missed_reason) {
        let now = Utc::now();
        let session = intervention_session::Model {
            id: Uuid::now_v7(),
            district_id: row.district_id,
            plan_id,
            date: row.date,
            attended: true,
            minutes: row.minutes,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        match record_session(write, session).await? {
            Ok(session) => row.session_id = Some(session.id),
            Err(errors) => return Ok(Err(errors)),
        }
    }
    Ok(Ok(write.insert_new::<contact::Entity>(row).await?))
}

/// Contact `id`, if the writer writes the service log and reads it; else FORBIDDEN or
/// NOT_FOUND. A signed one is locked: INVALID_TRANSITION at `id`, saying why.
async fn unsigned(
    write: &Write<'_>,
    id: Uuid,
    locked: &str,
) -> AppResult<Result<(contact::Model, Condition), Check>> {
    let actor = write.actor();
    policy::write_service_log(actor)?;
    let scope = policy::contact_rows(actor)?;
    let row = write
        .find::<contact::Entity>(id, scope.clone())
        .await?
        .ok_or_else(|| AppError::not_found("ServiceContact", id))?;
    if row.signed_at.is_some() {
        let mut check = Check::default();
        check.fail("id", UserErrorCode::InvalidTransition, locked);
        return Ok(Err(check));
    }
    Ok(Ok((row, scope)))
}

/// Only a contact's provider signs or changes it (so nobody else lifts a RESTRICTED note's
/// confidentiality, or reads it back, outside `readRestrictedNote`): FORBIDDEN otherwise.
fn provider_only(write: &Write<'_>, row: &contact::Model, what: &str) -> AppResult<()> {
    if write.actor().staff_id == Some(row.provider_staff_id) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "only the contact's provider may {what} it"
        )))
    }
}

/// Signs contact `id` (if still at `version`) as its provider: the note is locked from then.
pub async fn sign(
    write: &Write<'_>,
    (id, version): (Uuid, i32),
) -> AppResult<Outcome<contact::Model>> {
    let (row, scope) = match unsigned(write, id, "the contact is signed already").await? {
        Ok(found) => found,
        Err(check) => return Ok(Err(check.into_errors())),
    };
    provider_only(write, &row, "sign")?;
    let changes = contact::ActiveModel {
        signed_by_staff_id: Set(Some(row.provider_staff_id)),
        signed_at: Set(Some(Utc::now())),
        ..Default::default()
    };
    Ok(Ok(write
        .update::<contact::Entity>(changes, (id, version), scope)
        .await?))
}

/// Applies `changes` (the contact's words and who took part) to an unsigned contact.
pub async fn update(
    write: &Write<'_>,
    (id, version): (Uuid, i32),
    changes: contact::ActiveModel,
) -> AppResult<Outcome<contact::Model>> {
    let locked = "a signed contact is locked: correct it with an addendum (addContactAddendum)";
    let scope = match unsigned(write, id, locked).await? {
        Ok((row, scope)) => {
            provider_only(write, &row, "change")?;
            scope
        }
        Err(check) => return Ok(Err(check.into_errors())),
    };
    let mut check = Check::default();
    let location = changes.location.try_as_ref().cloned().flatten();
    let participants = changes.participants.try_as_ref().cloned();
    check_who_and_where(&mut check, location.as_deref(), participants.as_deref());
    for (field, text) in [
        ("note", &changes.note),
        ("studentResponse", &changes.student_response),
    ] {
        if let ActiveValue::Set(Some(text)) = text
            && text.chars().count() > TEXT_MAX
        {
            check.fail(
                field,
                UserErrorCode::OutOfRange,
                format!("{field} may be at most {TEXT_MAX} characters"),
            );
        }
    }
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    Ok(Ok(write
        .update::<contact::Entity>(changes, (id, version), scope)
        .await?))
}

/// Adds `text` to signed contact `contact_id`, by the writer (an unsigned one is edited).
pub async fn add_addendum(
    write: &Write<'_>,
    contact_id: Uuid,
    text: &str,
) -> AppResult<Outcome<contact_addendum::Model>> {
    let actor = write.actor();
    policy::write_service_log(actor)?;
    let contact = write
        .find::<contact::Entity>(contact_id, policy::contact_rows(actor)?)
        .await?
        .ok_or_else(|| AppError::not_found("ServiceContact", contact_id))?;
    let mut check = Check::default();
    if contact.signed_at.is_none() {
        check.fail(
            "contactId",
            UserErrorCode::InvalidTransition,
            "the contact is not signed: change it instead (updateServiceContact)",
        );
    }
    check.text("text", Some(text), TEXT_MAX);
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    let now = Utc::now();
    let addendum = contact_addendum::Model {
        id: Uuid::now_v7(),
        district_id: contact.district_id,
        contact_id,
        student_id: contact.student_id,
        author_staff_id: actor.staff_id,
        text: text.trim().to_string(),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    Ok(Ok(write
        .insert_new::<contact_addendum::Entity>(addendum)
        .await?))
}
