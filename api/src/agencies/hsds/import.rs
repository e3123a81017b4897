//! Loading HSDS organizations into the directory: each record matched by its HSDS id and
//! updated in place (only the columns that differ), or added; nothing when any is invalid.

use chrono::{DateTime, Utc};
use entity::{agency, agency_contact, agency_location, agency_service, values};
use sea_orm::{ActiveEnum, ActiveModelTrait, IdenStatic, IntoActiveModel, Iterable, ModelTrait};
use uuid::Uuid;

use super::super::{given, terms};
use super::{Contact, Counts, Directory, Location, Organization, Report, Service, check};
use crate::{
    auth::policy,
    db::{Write, loader::Keyed},
    errors::AppResult,
};

/// Bookkeeping a new row starts with: the district, now, version 1.
struct Fresh {
    district_id: Uuid,
    now: DateTime<Utc>,
}

fn agency_of(org: &Organization, id: Uuid, fresh: &Fresh) -> agency::Model {
    agency::Model {
        id,
        district_id: fresh.district_id,
        hsds_id: Some(org.id.clone()),
        name: org.name.trim().to_string(),
        description: org.description.trim().to_string(),
        email: given(org.email.as_deref()),
        phone: org.phones.first().and_then(|p| given(Some(&p.number))),
        url: given(org.website.as_deref()),
        service_area: None,
        assured_date: org.services.iter().filter_map(|s| s.assured_date).max(),
        created_at: fresh.now,
        updated_at: fresh.now,
        version: 1,
    }
}

fn service_of(
    service: &Service,
    (id, agency_id): (Uuid, Uuid),
    fresh: &Fresh,
) -> agency_service::Model {
    let capacity = service.capacities.first();
    let categories = service.attributes.iter().filter_map(|a| {
        a.taxonomy_term
            .code
            .as_deref()
            .or(a.taxonomy_term.name.as_deref())
    });
    let hours: Vec<&str> = service
        .schedules
        .iter()
        .filter_map(|s| s.description.as_deref())
        .collect();
    agency_service::Model {
        id,
        district_id: fresh.district_id,
        agency_id,
        hsds_id: Some(service.id.clone()),
        name: service.name.trim().to_string(),
        description: given(service.description.as_deref()),
        status: values::ServiceStatus::try_from_value(&service.status)
            .unwrap_or(values::ServiceStatus::Active),
        categories: terms(categories),
        eligibility: given(service.eligibility_description.as_deref()),
        languages: terms(service.languages.iter().map(|l| l.code.as_str())),
        fees: given(service.fees_description.as_deref()),
        hours: given(Some(&hours.join("\n"))),
        capacity_unit: capacity.and_then(|c| given(Some(&c.unit.name))),
        capacity_available: capacity.map(|c| c.available),
        capacity_updated: capacity.and_then(|c| c.updated),
        assured_date: service.assured_date,
        created_at: fresh.now,
        updated_at: fresh.now,
        version: 1,
    }
}

fn location_of(
    location: &Location,
    (id, agency_id): (Uuid, Uuid),
    fresh: &Fresh,
) -> agency_location::Model {
    let address = location.addresses.first().cloned().unwrap_or_default();
    agency_location::Model {
        id,
        district_id: fresh.district_id,
        agency_id,
        hsds_id: Some(location.id.clone()),
        location_type: values::LocationType::try_from_value(&location.location_type)
            .unwrap_or(values::LocationType::Physical),
        name: given(location.name.as_deref()),
        address: given(address.address_1.as_deref()),
        city: given(address.city.as_deref()),
        region: given(address.state_province.as_deref()),
        postal_code: given(address.postal_code.as_deref()),
        url: given(location.url.as_deref()),
        created_at: fresh.now,
        updated_at: fresh.now,
        version: 1,
    }
}

fn contact_of(
    contact: &Contact,
    (id, agency_id): (Uuid, Uuid),
    fresh: &Fresh,
) -> agency_contact::Model {
    agency_contact::Model {
        id,
        district_id: fresh.district_id,
        agency_id,
        hsds_id: Some(contact.id.clone()),
        name: given(contact.name.as_deref()).unwrap_or_else(|| "(no name)".into()),
        title: given(contact.title.as_deref()),
        email: given(contact.email.as_deref()),
        phone: contact.phones.first().and_then(|p| given(Some(&p.number))),
        created_at: fresh.now,
        updated_at: fresh.now,
        version: 1,
    }
}

/// Columns every record keeps for itself: never an import's to change.
const BOOKKEEPING: [&str; 5] = ["id", "district_id", "created_at", "updated_at", "version"];

/// Writes `new` in place of `old` (or as a new row), only the columns that differ, counting
/// what it did.
async fn upsert<E>(
    write: &Write<'_>,
    new: E::Model,
    old: Option<&E::Model>,
    counts: &mut Counts,
) -> AppResult<E::Model>
where
    E: Keyed,
    E::Model: IntoActiveModel<E::ActiveModel> + Clone + Sync,
{
    let Some(old) = old else {
        counts.created += 1;
        return write.insert_new::<E>(new).await;
    };
    let mut changes = new.clone().into_active_model().reset_all();
    let mut differs = false;
    let mut tenant = None;
    for column in E::Column::iter() {
        let name = column.as_str();
        if name == "district_id" {
            tenant = Some(column);
        }
        if BOOKKEEPING.contains(&name) || new.get(column) == old.get(column) {
            changes.not_set(column);
        } else {
            differs = true;
        }
    }
    if !differs {
        counts.unchanged += 1;
        return Ok(old.clone());
    }
    counts.updated += 1;
    let tenant = tenant.expect("a directory table has a district_id");
    let scope = policy::directory_rows(write.actor(), tenant)?;
    write
        .update::<E>(changes, (E::id_of(old), E::version_of(old)), scope)
        .await
}

/// Loads `organizations` into the writer's directory in its transaction: each record matched
/// by its HSDS id and updated in place, or added. Nothing is written when any is invalid.
pub async fn import(
    write: &Write<'_>,
    organizations: &[Organization],
) -> AppResult<Result<Report, Vec<String>>> {
    let actor = write.actor();
    policy::write_directory(actor)?;
    let problems = check(organizations);
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let stored = Directory::load(write.txn(), actor).await?;
    let fresh = Fresh {
        district_id: actor.district_id,
        now: Utc::now(),
    };
    let mut counts = [Counts::default(); 4];
    for org in organizations {
        let old = stored.agencies.get(&org.id);
        let id = old.map_or_else(Uuid::now_v7, |a| a.id);
        let mut new = agency_of(org, id, &fresh);
        if let Some(old) = old {
            (new.service_area, new.assured_date) = (old.service_area.clone(), old.assured_date);
        }
        let agency = upsert::<agency::Entity>(write, new, old, &mut counts[0]).await?;
        let parent = agency.id;
        for service in &org.services {
            let old = stored.services.get(&(parent, service.id.clone()));
            let id = old.map_or_else(Uuid::now_v7, |s| s.id);
            let new = service_of(service, (id, parent), &fresh);
            upsert::<agency_service::Entity>(write, new, old, &mut counts[1]).await?;
        }
        for location in &org.locations {
            let old = stored.locations.get(&(parent, location.id.clone()));
            let id = old.map_or_else(Uuid::now_v7, |l| l.id);
            let new = location_of(location, (id, parent), &fresh);
            upsert::<agency_location::Entity>(write, new, old, &mut counts[2]).await?;
        }
        for contact in &org.contacts {
            let old = stored.contacts.get(&(parent, contact.id.clone()));
            let id = old.map_or_else(Uuid::now_v7, |c| c.id);
            let new = contact_of(contact, (id, parent), &fresh);
            upsert::<agency_contact::Entity>(write, new, old, &mut counts[3]).await?;
        }
    }
    Ok(Ok(Report([
        ("organizations", counts[0]),
        ("services", counts[1]),
        ("locations", counts[2]),
        ("contacts", counts[3]),
    ])))
}
