//! The directory as it is read: agencies (HSDS organizations) with their services, locations
//! and contacts (`directory_search` finds them).

use async_graphql::{Context, ID, Object, SimpleObject};
use entity::{agency, agency_contact, agency_location, agency_service};

use super::{AgenciesContext, LocationType, ServiceStatus};
use crate::{
    errors::AppResult,
    graphql::{
        ids,
        scalars::{Date, DateTime},
    },
};

/// A community agency in the district's directory (an HSDS organization).
#[derive(Clone)]
pub struct Agency(pub agency::Model);
crate::graphql::ids::node_type!(Agency, AgencyService);

/// A community agency (an Open Referral HSDS organization).
#[Object]
impl Agency {
    /// The agency's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<Agency>(self.0.id)
    }
    /// Its id in the HSDS directory it was loaded from.
    async fn hsds_id(&self) -> Option<&str> {
        self.0.hsds_id.as_deref()
    }
    /// Its name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What it does.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// Its email address.
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    /// Its phone number.
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    /// Its website.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }
    /// The area it serves, in words.
    async fn service_area(&self) -> Option<&str> {
        self.0.service_area.as_deref()
    }
    /// The day someone last checked the entry is still true (HSDS `assured_date`).
    async fn assured_date(&self) -> Option<Date> {
        self.0.assured_date.map(Date)
    }
    /// Its services, by name.
    async fn services(&self, ctx: &Context<'_>) -> AppResult<Vec<AgencyService>> {
        let rows = ctx
            .agencies()
            .services_of_agency
            .load_one(self.0.id)
            .await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(AgencyService)
            .collect())
    }
    /// Where it can be reached.
    async fn locations(&self, ctx: &Context<'_>) -> AppResult<Vec<AgencyLocation>> {
        let rows = ctx
            .agencies()
            .locations_of_agency
            .load_one(self.0.id)
            .await?;
        Ok(rows
            .unwrap_or_default()
            .iter()
            .map(AgencyLocation::from)
            .collect())
    }
    /// Whom to ask, by name.
    async fn contacts(&self, ctx: &Context<'_>) -> AppResult<Vec<AgencyContact>> {
        let rows = ctx
            .agencies()
            .contacts_of_agency
            .load_one(self.0.id)
            .await?;
        Ok(rows
            .unwrap_or_default()
            .iter()
            .map(AgencyContact::from)
            .collect())
    }
    /// When the entry was last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A service an agency offers (an HSDS service).
#[derive(Clone)]
pub struct AgencyService(pub agency_service::Model);

/// A service an agency offers, with the room it has (HSDS `service_capacity`).
#[Object]
impl AgencyService {
    /// The service's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<AgencyService>(self.0.id)
    }
    /// Its id in the HSDS directory it was loaded from.
    async fn hsds_id(&self) -> Option<&str> {
        self.0.hsds_id.as_deref()
    }
    /// The agency that offers it.
    async fn agency(&self, ctx: &Context<'_>) -> AppResult<Option<Agency>> {
        Ok(ctx
            .agencies()
            .agency
            .load_one(self.0.agency_id)
            .await?
            .map(Agency))
    }
    /// Its name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What it is.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// Whether it is offered.
    async fn status(&self) -> ServiceStatus {
        self.0.status.into()
    }
    /// What it is for (taxonomy terms: `food`, `housing`, `counseling`, ...).
    async fn categories(&self) -> Vec<&str> {
        self.0.categories.lines().collect()
    }
    /// Who qualifies, in words.
    async fn eligibility(&self) -> Option<&str> {
        self.0.eligibility.as_deref()
    }
    /// Languages it is offered in (ISO 639 codes).
    async fn languages(&self) -> Vec<&str> {
        self.0.languages.lines().collect()
    }
    /// What it costs, in words.
    async fn fees(&self) -> Option<&str> {
        self.0.fees.as_deref()
    }
    /// When it is open, in words.
    async fn hours(&self) -> Option<&str> {
        self.0.hours.as_deref()
    }
    /// The room it has, as last published; null when it publishes none.
    async fn capacity(&self) -> Option<Capacity> {
        let unit = self.0.capacity_unit.clone()?;
        Some(Capacity {
            unit,
            available: self.0.capacity_available.unwrap_or(0),
            updated: self.0.capacity_updated.map(DateTime),
        })
    }
    /// The day someone last checked the entry is still true.
    async fn assured_date(&self) -> Option<Date> {
        self.0.assured_date.map(Date)
    }
    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// The room a service has (HSDS `service_capacity`).
#[derive(SimpleObject)]
pub struct Capacity {
    /// What is counted: beds, slots, appointments.
    unit: String,
    /// How many are free.
    available: i32,
    /// When it was published.
    updated: Option<DateTime>,
}

/// Where an agency can be reached (an HSDS location with its address).
#[derive(SimpleObject)]
pub struct AgencyLocation {
    /// Physical, postal or virtual.
    location_type: LocationType,
    /// What the place is called.
    name: Option<String>,
    /// Street and number.
    address: Option<String>,
    /// City.
    city: Option<String>,
    /// State or province.
    region: Option<String>,
    /// ZIP or postal code.
    postal_code: Option<String>,
    /// For a virtual location.
    url: Option<String>,
}

impl From<&agency_location::Model> for AgencyLocation {
    fn from(row: &agency_location::Model) -> Self {
        Self {
            location_type: row.location_type.into(),
            name: row.name.clone(),
            address: row.address.clone(),
            city: row.city.clone(),
            region: row.region.clone(),
            postal_code: row.postal_code.clone(),
            url: row.url.clone(),
        }
    }
}

/// Whom to ask at an agency (an HSDS contact).
#[derive(SimpleObject)]
pub struct AgencyContact {
    /// Their name.
    name: String,
    /// Their job.
    title: Option<String>,
    /// Their email address.
    email: Option<String>,
    /// Their phone number.
    phone: Option<String>,
}

impl From<&agency_contact::Model> for AgencyContact {
    fn from(row: &agency_contact::Model) -> Self {
        Self {
            name: row.name.clone(),
            title: row.title.clone(),
            email: row.email.clone(),
            phone: row.phone.clone(),
        }
    }
}
