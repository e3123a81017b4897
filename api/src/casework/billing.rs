//! What a school-based Medicaid claim would still miss for a contact. The API never bills;
//! it says what is ready and what is missing, from the contact alone.

use async_graphql::{Enum, SimpleObject};
use entity::{service_contact, values::ContactType};

use crate::config::BillingUnits;

/// Something a Medicaid claim for a contact needs and does not have.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum MedicaidGap {
    /// The contact is not billable: missed, or omitted from billing for a reason.
    NotBillable,
    /// The provider has not signed the note.
    Signature,
    /// No provider credential (license) on record for the date.
    Credential,
    /// A timed service needs its start and end times.
    StartEndTimes,
    /// The contact served no goal: no IEP, intervention plan or case.
    Goal,
    /// A group code needs a group of at least two members present: a GROUP_COUNSELING contact
    /// logged alone, or at a session with one member present.
    GroupSize,
    /// No parental consent to bill Medicaid on file (consents are not recorded by this
    /// service yet, so every contact lists it).
    ParentalConsent,
}

/// A contact's readiness for a Medicaid claim.
#[derive(SimpleObject)]
pub struct MedicaidReadiness {
    /// Whether nothing is missing.
    pub ready: bool,
    /// Billing units its minutes count as (`SSW_BILLING_UNIT_MINUTES`, `..._THRESHOLD`).
    pub units: i32,
    /// What is missing, in a fixed order.
    pub missing: Vec<MedicaidGap>,
}

/// The readiness of `contact` under the district's unit rule.
pub fn readiness(contact: &service_contact::Model, rule: BillingUnits) -> MedicaidReadiness {
    let billable = contact.billable && contact.missed_reason.is_none();
    let blank = |text: &Option<String>| text.as_deref().is_none_or(|t| t.trim().is_empty());
    let served = contact.case_id.is_some() || contact.plan_id.is_some() || contact.iep_id.is_some();
    let missing: Vec<MedicaidGap> = [
        (!billable, MedicaidGap::NotBillable),
        (contact.signed_at.is_none(), MedicaidGap::Signature),
        (blank(&contact.provider_credential), MedicaidGap::Credential),
        (
            contact.start_time.is_none() || contact.end_time.is_none(),
            MedicaidGap::StartEndTimes,
        ),
        (!served, MedicaidGap::Goal),
        (
            contact.contact_type == ContactType::GroupCounseling
                && contact.group_size.is_none_or(|present| present < 2),
            MedicaidGap::GroupSize,
        ),
        (true, MedicaidGap::ParentalConsent),
    ]
    .into_iter()
    .filter_map(|(gap, name)| gap.then_some(name))
    .collect();
    let minutes = if billable {
        contact.minutes.max(0) as u32
    } else {
        0
    };
    MedicaidReadiness {
        ready: missing.is_empty(),
        units: rule.units(minutes) as i32,
        missing,
    }
}
