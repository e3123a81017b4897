//! Keeping the directory: adding agencies and services, publishing capacity, confirming
//! entries. Thin: the rules are `directory_service`'s.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::Utc;
use entity::{agency, agency_contact, agency_location, agency_service};
use uuid::Uuid;

use super::{
    Agency, AgencyService, LocationType, ServiceStatus,
    directory_service::{self as service, NewAgency},
    given, terms,
};
use crate::{
    errors::AppResult,
    graphql::{context::ContextExt, ids::InputIds, mutation::payload_type, scalars::Date},
};

payload_type!(
    AgencyPayload,
    agency,
    Agency,
    "The result of adding or confirming an agency."
);
payload_type!(
    AgencyServicePayload,
    service,
    AgencyService,
    "The result of adding a service, publishing its capacity or confirming it."
);

/// Where an agency can be reached.
#[derive(InputObject)]
pub struct LocationInput {
    /// Physical, postal or virtual.
    pub location_type: LocationType,
    /// What the place is called.
    pub name: Option<String>,
    /// Street and number.
    pub address: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State or province.
    pub region: Option<String>,
    /// ZIP or postal code.
    pub postal_code: Option<String>,
    /// For a virtual location, where to go.
    pub url: Option<String>,
}

/// Whom to ask at an agency.
#[derive(InputObject)]
pub struct ContactInput {
    /// Their name.
    pub name: String,
    /// Their job.
    pub title: Option<String>,
    /// Their email address.
    pub email: Option<String>,
    /// Their phone number.
    pub phone: Option<String>,
}

/// A community agency for the directory.
#[derive(InputObject)]
pub struct CreateAgencyInput {
    /// The agency's name.
    pub name: String,
    /// What it does.
    #[graphql(default)]
    pub description: String,
    /// Its email address.
    pub email: Option<String>,
    /// Its phone number.
    pub phone: Option<String>,
    /// Its website.
    pub url: Option<String>,
    /// The area it serves, in words.
    pub service_area: Option<String>,
    /// The day the entry was checked (default: today).
    pub assured_date: Option<Date>,
    /// Where it can be reached.
    #[graphql(default)]
    pub locations: Vec<LocationInput>,
    /// Whom to ask.
    #[graphql(default)]
    pub contacts: Vec<ContactInput>,
}

/// A service an agency offers.
#[derive(InputObject)]
pub struct AddAgencyServiceInput {
    /// The agency that offers it.
    pub agency_id: ID,
    /// The service's name.
    pub name: String,
    /// What it is.
    pub description: Option<String>,
    /// Whether it is offered (default ACTIVE).
    #[graphql(default_with = "ServiceStatus::Active")]
    pub status: ServiceStatus,
    /// Taxonomy terms (`food`, `housing`, ...).
    #[graphql(default)]
    pub categories: Vec<String>,
    /// Who qualifies, in words.
    pub eligibility: Option<String>,
    /// ISO 639 codes.
    #[graphql(default)]
    pub languages: Vec<String>,
    /// What it costs, in words.
    pub fees: Option<String>,
    /// When it is open, in words.
    pub hours: Option<String>,
    /// What capacity counts (beds, slots, appointments).
    pub capacity_unit: Option<String>,
    /// How many are free now.
    pub capacity_available: Option<i32>,
    /// The day the entry was checked (default: today).
    pub assured_date: Option<Date>,
}

/// The room a service has now.
#[derive(InputObject)]
pub struct PublishCapacityInput {
    /// The service.
    pub service_id: ID,
    /// The version you read.
    pub version: i32,
    /// What is counted (default: as before).
    pub unit: Option<String>,
    /// How many are free.
    pub available: i32,
}

/// Confirms a directory entry is still true.
#[derive(InputObject)]
pub struct ConfirmEntryInput {
    /// An agency's or a service's id.
    pub id: ID,
    /// The version you read.
    pub version: i32,
}

#[derive(Default)]
pub struct DirectoryMutation;

#[Object]
impl DirectoryMutation {
    /// Adds a community agency, with its locations and contacts, to the district's directory
    /// (district admins).
    async fn create_agency(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: CreateAgencyInput,
    ) -> AppResult<AgencyPayload> {
        let actor = ctx.actor()?;
        let now = Utc::now();
        let district_id = actor.district_id;
        let agency = agency::Model {
            id: Uuid::now_v7(),
            district_id,
            hsds_id: None,
            name: input.name.trim().to_string(),
            description: input.description.trim().to_string(),
            email: given(input.email.as_deref()),
            phone: given(input.phone.as_deref()),
            url: given(input.url.as_deref()),
            service_area: given(input.service_area.as_deref()),
            assured_date: Some(input.assured_date.map_or(actor.today, |d| d.0)),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let locations = input
            .locations
            .into_iter()
            .map(|l| agency_location::Model {
                id: Uuid::now_v7(),
                district_id,
                agency_id: agency.id,
                hsds_id: None,
                location_type: l.location_type.into(),
                name: given(l.name.as_deref()),
                address: given(l.address.as_deref()),
                city: given(l.city.as_deref()),
                region: given(l.region.as_deref()),
                postal_code: given(l.postal_code.as_deref()),
                url: given(l.url.as_deref()),
                created_at: now,
                updated_at: now,
                version: 1,
            })
            .collect();
        let contacts = input
            .contacts
            .into_iter()
            .map(|c| agency_contact::Model {
                id: Uuid::now_v7(),
                district_id,
                agency_id: agency.id,
                hsds_id: None,
                name: c.name.trim().to_string(),
                title: given(c.title.as_deref()),
                email: given(c.email.as_deref()),
                phone: given(c.phone.as_deref()),
                created_at: now,
                updated_at: now,
                version: 1,
            })
            .collect();
        let new = NewAgency {
            agency,
            locations,
            contacts,
        };
        let write = ctx.write().await?;
        let outcome = service::create_agency(&write, new).await?;
        Ok(write.finish(outcome).await?.map(Agency).into())
    }

    /// Adds a service to an agency of the directory (district admins).
    async fn add_agency_service(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: AddAgencyServiceInput,
    ) -> AppResult<AgencyServicePayload> {
        let actor = ctx.actor()?;
        let mut sent = InputIds::default();
        let agency_id = sent.of::<Agency>("agencyId", &input.agency_id);
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let now = Utc::now();
        let row = agency_service::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            agency_id,
            hsds_id: None,
            name: input.name.trim().to_string(),
            description: given(input.description.as_deref()),
            status: input.status.into(),
            categories: terms(input.categories.iter().map(String::as_str)),
            eligibility: given(input.eligibility.as_deref()),
            languages: terms(input.languages.iter().map(String::as_str)),
            fees: given(input.fees.as_deref()),
            hours: given(input.hours.as_deref()),
            capacity_unit: given(input.capacity_unit.as_deref()),
            capacity_available: input.capacity_available,
            capacity_updated: input.capacity_available.map(|_| now),
            assured_date: Some(input.assured_date.map_or(actor.today, |d| d.0)),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let write = ctx.write().await?;
        let outcome = service::add_service(&write, row).await?;
        Ok(write.finish(outcome).await?.map(AgencyService).into())
    }

    /// Publishes how much room a service has now: district admins, or the agency itself
    /// (an agency partner, for its own services).
    async fn publish_capacity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: PublishCapacityInput,
    ) -> AppResult<AgencyServicePayload> {
        let mut sent = InputIds::default();
        let id = sent.target::<AgencyService>("serviceId", &input.service_id);
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let capacity = (given(input.unit.as_deref()), input.available);
        let outcome = service::publish_capacity(&write, (id, input.version), capacity).await;
        let outcome = sent.found(outcome)?;
        Ok(write.finish(outcome).await?.map(AgencyService).into())
    }

    /// Confirms an agency is still as the directory says: its `assuredDate` becomes today
    /// (district admins).
    async fn confirm_agency(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to confirm.")] input: ConfirmEntryInput,
    ) -> AppResult<AgencyPayload> {
        let mut sent = InputIds::default();
        let id = sent.target::<Agency>("id", &input.id);
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = service::confirm_agency(&write, (id, input.version))
            .await
            .map(Ok);
        let outcome = sent.found(outcome)?;
        Ok(write.finish(outcome).await?.map(Agency).into())
    }

    /// Confirms a service is still as the directory says (district admins).
    async fn confirm_agency_service(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to confirm.")] input: ConfirmEntryInput,
    ) -> AppResult<AgencyServicePayload> {
        let mut sent = InputIds::default();
        let id = sent.target::<AgencyService>("id", &input.id);
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = service::confirm_service(&write, (id, input.version))
            .await
            .map(Ok);
        let outcome = sent.found(outcome)?;
        Ok(write.finish(outcome).await?.map(AgencyService).into())
    }
}
