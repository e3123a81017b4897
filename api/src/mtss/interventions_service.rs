//! The rules of the intervention catalogue, without GraphQL.

use entity::intervention;
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use super::tiers_service::check_tier;
use crate::{
    auth::policy,
    db::Write,
    errors::AppResult,
    validation::{Check, Outcome, UserErrorCode, duplicate},
};

/// Sessions per week and minutes per session must be plausible.
pub fn check_dosage(check: &mut Check, sessions: Option<i32>, minutes: Option<i32>) {
    if sessions.is_some_and(|s| !(1..=14).contains(&s)) {
        check.fail(
            "sessionsPerWeek",
            UserErrorCode::OutOfRange,
            "sessions per week is from 1 to 14",
        );
    }
    if minutes.is_some_and(|m| !(1..=480).contains(&m)) {
        check.fail(
            "minutesPerSession",
            UserErrorCode::OutOfRange,
            "minutes per session is from 1 to 480",
        );
    }
}

/// An intervention serves at least one domain (`domains` is their comma-separated list).
fn check_domains(check: &mut Check, domains: Option<&str>) {
    if domains.is_some_and(str::is_empty) {
        check.fail(
            "domains",
            UserErrorCode::Required,
            "name at least one domain",
        );
    }
}

/// Adds `row` to the writer's catalogue; its name and description are trimmed, and a name
/// already in the catalogue is a DUPLICATE.
pub async fn create(
    write: &Write<'_>,
    mut row: intervention::Model,
) -> AppResult<Outcome<intervention::Model>> {
    policy::write_district_settings(write.actor())?;
    row.name = row.name.trim().into();
    row.description = row.description.trim().into();
    let mut check = Check::default();
    check.text("name", Some(&row.name), 200);
    check.text("description", Some(&row.description), 4000);
    check_tier(&mut check, row.tier);
    check_domains(&mut check, Some(&row.domains));
    check_dosage(
        &mut check,
        Some(row.default_sessions_per_week),
        Some(row.default_minutes_per_session),
    );
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    Ok(write
        .insert::<intervention::Entity>(row)
        .await?
        .ok_or_else(|| duplicate("name", "an intervention with this name")))
}

/// Applies `changes` to intervention `id` if it is still at `version`; the description is
/// trimmed.
pub async fn update(
    write: &Write<'_>,
    (id, version): (Uuid, i32),
    mut changes: intervention::ActiveModel,
) -> AppResult<Outcome<intervention::Model>> {
    let actor = write.actor();
    policy::write_district_settings(actor)?;
    if let Some(description) = changes.description.try_as_ref() {
        changes.description = Set(description.trim().to_string());
    }
    let mut check = Check::default();
    check.text(
        "description",
        changes.description.try_as_ref().map(String::as_str),
        4000,
    );
    if let Some(tier) = changes.tier.try_as_ref() {
        check_tier(&mut check, *tier);
    }
    check_domains(&mut check, changes.domains.try_as_ref().map(String::as_str));
    check_dosage(
        &mut check,
        changes.default_sessions_per_week.try_as_ref().copied(),
        changes.default_minutes_per_session.try_as_ref().copied(),
    );
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    let scope = policy::catalogue_rows(actor)?;
    Ok(Ok(write
        .update::<intervention::Entity>(changes, (id, version), scope)
        .await?))
}
