//! The rules of the directory, without GraphQL: adding agencies (with their locations and
//! contacts) and services, publishing a service's capacity, and confirming an entry is still
//! true (its `assured_date`).

use chrono::{NaiveDate, Utc};
use entity::{agency, agency_contact, agency_location, agency_service};
use sea_orm::Set;
use uuid::Uuid;

use crate::{
    auth::policy,
    db::Write,
    errors::{AppError, AppResult},
    validation::{Check, Outcome, UserErrorCode},
};

/// Longest name kept.
const NAME_MAX: usize = 200;
/// Longest description, eligibility, fees or hours kept.
const TEXT_MAX: usize = 4000;

/// An agency with its locations and contacts, as one write.
pub struct NewAgency {
    pub agency: agency::Model,
    pub locations: Vec<agency_location::Model>,
    pub contacts: Vec<agency_contact::Model>,
}

/// Checks an agency's own fields.
pub fn check_agency(check: &mut Check, row: &agency::Model, today: NaiveDate) {
    check.text("name", Some(&row.name), NAME_MAX);
    if row.description.chars().count() > TEXT_MAX {
        check.fail(
            "description",
            UserErrorCode::OutOfRange,
            format!("at most {TEXT_MAX} characters"),
        );
    }
    if let Some(email) = &row.email {
        check.email("email", Some(email));
    }
    check.not_in_future("assuredDate", row.assured_date, today);
}

/// Adds an agency, its locations and its contacts to the writer's directory.
pub async fn create_agency(write: &Write<'_>, new: NewAgency) -> AppResult<Outcome<agency::Model>> {
    let actor = write.actor();
    policy::write_directory(actor)?;
    let mut check = Check::default();
    check_agency(&mut check, &new.agency, actor.today);
    for (at, contact) in new.contacts.iter().enumerate() {
        check.part(&format!("contacts.{at}"), |check| {
            check.text("name", Some(&contact.name), NAME_MAX);
            if let Some(email) = &contact.email {
                check.email("email", Some(email));
            }
        });
    }
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    let agency = write.insert_new::<agency::Entity>(new.agency).await?;
    for location in new.locations {
        write
            .insert_new::<agency_location::Entity>(location)
            .await?;
    }
    for contact in new.contacts {
        write.insert_new::<agency_contact::Entity>(contact).await?;
    }
    Ok(Ok(agency))
}

/// Checks a service's own fields.
pub fn check_service(check: &mut Check, row: &agency_service::Model, today: NaiveDate) {
    check.text("name", Some(&row.name), NAME_MAX);
    for (field, text) in [
        ("description", &row.description),
        ("eligibility", &row.eligibility),
        ("fees", &row.fees),
        ("hours", &row.hours),
    ] {
        if text.as_ref().is_some_and(|t| t.chars().count() > TEXT_MAX) {
            check.fail(
                field,
                UserErrorCode::OutOfRange,
                format!("at most {TEXT_MAX} characters"),
            );
        }
    }
    check_capacity(check, row.capacity_unit.as_deref(), row.capacity_available);
    check.not_in_future("assuredDate", row.assured_date, today);
}

fn check_capacity(check: &mut Check, unit: Option<&str>, available: Option<i32>) {
    if available.is_some_and(|n| n < 0) {
        check.fail(
            "capacityAvailable",
            UserErrorCode::OutOfRange,
            "capacity cannot be negative",
        );
    }
    if available.is_some() && unit.is_none_or(|u| u.trim().is_empty()) {
        check.fail(
            "capacityUnit",
            UserErrorCode::Required,
            "say what the capacity counts (beds, slots, appointments)",
        );
    }
}

/// Adds a service to an agency of the writer's directory.
pub async fn add_service(
    write: &Write<'_>,
    row: agency_service::Model,
) -> AppResult<Outcome<agency_service::Model>> {
    let actor = write.actor();
    policy::write_directory(actor)?;
    let mut check = Check::default();
    let scope = policy::directory_rows(actor, agency::Column::DistrictId)?;
    let agency = write.find::<agency::Entity>(row.agency_id, scope).await?;
    check.found("agencyId", agency, "agency");
    check_service(&mut check, &row, actor.today);
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    Ok(Ok(write.insert_new::<agency_service::Entity>(row).await?))
}

/// Publishes service `id`'s capacity (if still at `version`): the directory's keepers, or the
/// agency itself.
pub async fn publish_capacity(
    write: &Write<'_>,
    (id, version): (Uuid, i32),
    (unit, available): (Option<String>, i32),
) -> AppResult<Outcome<agency_service::Model>> {
    let actor = write.actor();
    let scope = policy::directory_rows(actor, agency_service::Column::DistrictId)?;
    let service = write
        .find::<agency_service::Entity>(id, scope.clone())
        .await?
        .ok_or_else(|| AppError::not_found("AgencyService", id))?;
    policy::update_capacity(actor, service.agency_id)?;
    let unit = unit.or(service.capacity_unit);
    let mut check = Check::default();
    check_capacity(&mut check, unit.as_deref(), Some(available));
    if let Err(errors) = check.finish() {
        return Ok(Err(errors));
    }
    let changes = agency_service::ActiveModel {
        capacity_unit: Set(unit),
        capacity_available: Set(Some(available)),
        capacity_updated: Set(Some(Utc::now())),
        ..Default::default()
    };
    Ok(Ok(write
        .update::<agency_service::Entity>(changes, (id, version), scope)
        .await?))
}

/// Confirms agency `id` (if still at `version`) is still as the directory says: its
/// `assured_date` becomes today.
pub async fn confirm_agency(
    write: &Write<'_>,
    (id, version): (Uuid, i32),
) -> AppResult<agency::Model> {
    let actor = write.actor();
    policy::write_directory(actor)?;
    let changes = agency::ActiveModel {
        assured_date: Set(Some(actor.today)),
        ..Default::default()
    };
    let scope = policy::directory_rows(actor, agency::Column::DistrictId)?;
    write
        .update::<agency::Entity>(changes, (id, version), scope)
        .await
}

/// Confirms service `id` (if still at `version`) is still as the directory says.
pub async fn confirm_service(
    write: &Write<'_>,
    (id, version): (Uuid, i32),
) -> AppResult<agency_service::Model> {
    let actor = write.actor();
    policy::write_directory(actor)?;
    let changes = agency_service::ActiveModel {
        assured_date: Set(Some(actor.today)),
        ..Default::default()
    };
    let scope = policy::directory_rows(actor, agency_service::Column::DistrictId)?;
    write
        .update::<agency_service::Entity>(changes, (id, version), scope)
        .await
}
