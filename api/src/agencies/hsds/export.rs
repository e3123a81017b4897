//! Writing the directory as HSDS organizations.

use entity::{agency, agency_contact, agency_location, agency_service};
use sea_orm::{ActiveEnum, DatabaseConnection};
use uuid::Uuid;

use super::{
    Address, Attribute, Capacity, Contact, Directory, Language, Location, Organization, Phone,
    Schedule, Service, TaxonomyTerm, Unit, hsds_key,
};
use crate::{auth::Actor, errors::AppResult};

/// The actor's directory as HSDS organizations, by name.
pub async fn export(db: &DatabaseConnection, actor: &Actor) -> AppResult<Vec<Organization>> {
    let stored = Directory::load(db, actor).await?;
    let mut agencies: Vec<&agency::Model> = stored.agencies.values().collect();
    agencies.sort_by(|a, b| (&a.name, a.id).cmp(&(&b.name, b.id)));
    let of = |agency: Uuid| move |(parent, _): &&(Uuid, String)| *parent == agency;
    Ok(agencies
        .into_iter()
        .map(|agency| {
            let mut services: Vec<&agency_service::Model> = stored
                .services
                .iter()
                .filter(|(key, _)| of(agency.id)(key))
                .map(|(_, s)| s)
                .collect();
            services.sort_by(|a, b| (&a.name, a.id).cmp(&(&b.name, b.id)));
            let mut locations: Vec<&agency_location::Model> = stored
                .locations
                .iter()
                .filter(|(key, _)| of(agency.id)(key))
                .map(|(_, l)| l)
                .collect();
            locations.sort_by_key(|l| l.id);
            let mut contacts: Vec<&agency_contact::Model> = stored
                .contacts
                .iter()
                .filter(|(key, _)| of(agency.id)(key))
                .map(|(_, c)| c)
                .collect();
            contacts.sort_by_key(|c| c.id);
            Organization {
                id: hsds_key(&agency.hsds_id, agency.id),
                name: agency.name.clone(),
                description: agency.description.clone(),
                email: agency.email.clone(),
                website: agency.url.clone(),
                phones: phones(&agency.phone),
                services: services.into_iter().map(service_to_hsds).collect(),
                locations: locations.into_iter().map(location_to_hsds).collect(),
                contacts: contacts.into_iter().map(contact_to_hsds).collect(),
            }
        })
        .collect())
}

fn phones(phone: &Option<String>) -> Vec<Phone> {
    phone
        .iter()
        .map(|number| Phone {
            number: number.clone(),
        })
        .collect()
}

fn service_to_hsds(service: &agency_service::Model) -> Service {
    Service {
        id: hsds_key(&service.hsds_id, service.id),
        name: service.name.clone(),
        description: service.description.clone(),
        status: service.status.to_value(),
        eligibility_description: service.eligibility.clone(),
        fees_description: service.fees.clone(),
        assured_date: service.assured_date,
        languages: service
            .languages
            .lines()
            .map(|code| Language { code: code.into() })
            .collect(),
        schedules: service
            .hours
            .iter()
            .flat_map(|hours| hours.lines())
            .map(|line| Schedule {
                description: Some(line.into()),
            })
            .collect(),
        capacities: match (&service.capacity_unit, service.capacity_available) {
            (Some(unit), Some(available)) => vec![Capacity {
                available,
                unit: Unit { name: unit.clone() },
                updated: service.capacity_updated,
            }],
            _ => vec![],
        },
        attributes: service
            .categories
            .lines()
            .map(|term| Attribute {
                taxonomy_term: TaxonomyTerm {
                    code: Some(term.into()),
                    name: None,
                },
            })
            .collect(),
    }
}

fn location_to_hsds(location: &agency_location::Model) -> Location {
    let address = Address {
        address_1: location.address.clone(),
        city: location.city.clone(),
        state_province: location.region.clone(),
        postal_code: location.postal_code.clone(),
    };
    Location {
        id: hsds_key(&location.hsds_id, location.id),
        location_type: location.location_type.to_value(),
        name: location.name.clone(),
        url: location.url.clone(),
        addresses: if address == Address::default() {
            vec![]
        } else {
            vec![address]
        },
    }
}

fn contact_to_hsds(contact: &agency_contact::Model) -> Contact {
    Contact {
        id: hsds_key(&contact.hsds_id, contact.id),
        name: Some(contact.name.clone()),
        title: contact.title.clone(),
        email: contact.email.clone(),
        phones: phones(&contact.phone),
    }
}
