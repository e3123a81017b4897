//! The directory as Open Referral HSDS 3.0 JSON: a list of organizations, each with its
//! services (status, categories as taxonomy terms, languages, eligibility, fees, schedules,
//! capacities, `assured_date`), locations (with addresses) and contacts (with phones). A
//! district loads a regional 211 directory with `ssw-api import hsds` and writes its own with
//! `ssw-api export hsds`; records are matched by their HSDS id, so a re-import updates in place
//! and changes nothing that did not change. Fields HSDS does not carry at the organization
//! (the agency's own `assured_date`, its service area) are kept as they are.

mod export;
mod import;

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::{agency, agency_contact, agency_location, agency_service, values};
use sea_orm::{ActiveEnum, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use export::export;
pub use import::import;

use crate::{
    auth::{Actor, policy},
    errors::AppResult,
};

/// An HSDS organization with what hangs off it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<Phone>,
    #[serde(default)]
    pub services: Vec<Service>,
    #[serde(default)]
    pub locations: Vec<Location>,
    #[serde(default)]
    pub contacts: Vec<Contact>,
}

/// An HSDS phone (only its number is kept).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Phone {
    pub number: String,
}

/// An HSDS service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Service {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligibility_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fees_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assured_date: Option<NaiveDate>,
    #[serde(default)]
    pub languages: Vec<Language>,
    #[serde(default)]
    pub schedules: Vec<Schedule>,
    #[serde(default)]
    pub capacities: Vec<Capacity>,
    /// Taxonomy terms: the service's categories.
    #[serde(default)]
    pub attributes: Vec<Attribute>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Language {
    pub code: String,
}

/// When a service is open, in words (HSDS `schedule.description`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    #[serde(default)]
    pub description: Option<String>,
}

/// HSDS `service_capacity`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Capacity {
    pub available: i32,
    pub unit: Unit,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Attribute {
    pub taxonomy_term: TaxonomyTerm,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaxonomyTerm {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// An HSDS location with its first address.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub id: String,
    pub location_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default)]
    pub addresses: Vec<Address>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Address {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_1: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_province: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
}

/// An HSDS contact.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<Phone>,
}

/// How many records of each kind an import created, updated and left as they were.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// What an import did, per kind: organizations, services, locations, contacts.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report(pub [(&'static str, Counts); 4]);

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (kind, counts) in &self.0 {
            writeln!(
                f,
                "{kind}: {} created, {} updated, {} unchanged",
                counts.created, counts.updated, counts.unchanged
            )?;
        }
        Ok(())
    }
}

/// Reads HSDS JSON: a list of organizations, each with its services, locations and contacts
/// (the shape of HSDS's `/organizations/{id}?full_service=true`, one after another).
pub fn parse(text: &str) -> Result<Vec<Organization>, String> {
    serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| format!("not a list of HSDS organizations: {e}"))
}

/// Every problem of `organizations`, at its place (`organizations[2].services[0].status`):
/// the HSDS required fields, known statuses and location types, ids unique per kind.
pub fn check(organizations: &[Organization]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen: HashMap<(&str, String), String> = HashMap::new();
    let mut required = |at: String, kind: &'static str, id: &str, problems: &mut Vec<String>| {
        if id.trim().is_empty() {
            problems.push(format!("{at}.id: required"));
        } else if let Some(first) = seen.insert((kind, id.to_string()), at.clone()) {
            problems.push(format!("{at}.id: {id} is also {first}'s"));
        }
    };
    for (i, org) in organizations.iter().enumerate() {
        let at = format!("organizations[{i}]");
        required(at.clone(), "organization", &org.id, &mut problems);
        if org.name.trim().is_empty() {
            problems.push(format!("{at}.name: required"));
        }
        for (j, service) in org.services.iter().enumerate() {
            let at = format!("{at}.services[{j}]");
            required(at.clone(), "service", &service.id, &mut problems);
            if service.name.trim().is_empty() {
                problems.push(format!("{at}.name: required"));
            }
            if values::ServiceStatus::try_from_value(&service.status).is_err() {
                problems.push(format!(
                    "{at}.status: {:?} is not active, inactive, defunct or temporarily closed",
                    service.status
                ));
            }
            if service.capacities.iter().any(|c| c.available < 0) {
                problems.push(format!("{at}.capacities: available cannot be negative"));
            }
        }
        for (j, location) in org.locations.iter().enumerate() {
            let at = format!("{at}.locations[{j}]");
            required(at.clone(), "location", &location.id, &mut problems);
            if values::LocationType::try_from_value(&location.location_type).is_err() {
                problems.push(format!(
                    "{at}.location_type: {:?} is not physical, postal or virtual",
                    location.location_type
                ));
            }
        }
        for (j, contact) in org.contacts.iter().enumerate() {
            let at = format!("{at}.contacts[{j}]");
            required(at, "contact", &contact.id, &mut problems);
        }
    }
    problems
}

/// The district's directory as stored, keyed as HSDS knows it.
struct Directory {
    agencies: HashMap<String, agency::Model>,
    services: HashMap<(Uuid, String), agency_service::Model>,
    locations: HashMap<(Uuid, String), agency_location::Model>,
    contacts: HashMap<(Uuid, String), agency_contact::Model>,
}

impl Directory {
    /// One statement per table, by the district (never an `IN` list of every id).
    async fn load<C: sea_orm::ConnectionTrait>(db: &C, actor: &Actor) -> AppResult<Self> {
        let agencies = agency::Entity::find()
            .filter(policy::directory_rows(actor, agency::Column::DistrictId)?)
            .order_by_asc(agency::Column::Name)
            .order_by_asc(agency::Column::Id)
            .all(db)
            .await?;
        let services = agency_service::Entity::find()
            .filter(policy::directory_rows(
                actor,
                agency_service::Column::DistrictId,
            )?)
            .order_by_asc(agency_service::Column::Name)
            .order_by_asc(agency_service::Column::Id)
            .all(db)
            .await?;
        let locations = agency_location::Entity::find()
            .filter(policy::directory_rows(
                actor,
                agency_location::Column::DistrictId,
            )?)
            .order_by_asc(agency_location::Column::Id)
            .all(db)
            .await?;
        let contacts = agency_contact::Entity::find()
            .filter(policy::directory_rows(
                actor,
                agency_contact::Column::DistrictId,
            )?)
            .order_by_asc(agency_contact::Column::Id)
            .all(db)
            .await?;
        Ok(Self {
            agencies: agencies
                .into_iter()
                .map(|a| (hsds_key(&a.hsds_id, a.id), a))
                .collect(),
            services: services
                .into_iter()
                .map(|s| ((s.agency_id, hsds_key(&s.hsds_id, s.id)), s))
                .collect(),
            locations: locations
                .into_iter()
                .map(|l| ((l.agency_id, hsds_key(&l.hsds_id, l.id)), l))
                .collect(),
            contacts: contacts
                .into_iter()
                .map(|c| ((c.agency_id, hsds_key(&c.hsds_id, c.id)), c))
                .collect(),
        })
    }
}

/// How a stored row is known to HSDS: the id it was imported with, else its own UUID (what an
/// export wrote for it).
fn hsds_key(hsds_id: &Option<String>, id: Uuid) -> String {
    hsds_id.clone().unwrap_or_else(|| id.to_string())
}
