//! Community agencies: the directory social workers refer families into (Open Referral HSDS
//! 3.0 organizations, services with their capacity, locations and contacts), the guardian's
//! consent that lets a student's data go to an agency, and closed-loop referrals whose
//! statuses follow the HL7 FHIR Task lifecycle, with the agency answering in the same system.
//!
//! Who reads and works what is `auth::policy`'s (`directory_rows`, `consent_rows`,
//! `agency_referral_rows`, `referral_side`, `consent_covers`). Every disclosure to an agency
//! is recorded (`db::Disclosed`): by the write that sends a referral, and, for what an agency
//! reads, noted here and written by the request handler before the answer goes out.

mod consents;
mod consents_service;
mod directory;
mod directory_mutations;
mod directory_search;
mod directory_service;
pub mod hsds;
mod loaders;
mod referrals;
mod referrals_mutations;
mod referrals_service;
mod shared;

use async_graphql::MergedObject;
use entity::values;

pub use consents::Consent;
pub use directory::{Agency, AgencyService};
pub use loaders::{AgenciesContext, Loaders};
pub use referrals::{AgencyReferral, AgencyReferralConnection};

use crate::graphql::scalars::mirror_enum;

/// Agency queries.
#[derive(MergedObject, Default)]
pub struct AgenciesQuery(
    directory_search::DirectoryQuery,
    consents::ConsentQuery,
    referrals::AgencyReferralQuery,
);

/// Agency mutations.
#[derive(MergedObject, Default)]
pub struct AgenciesMutation(
    directory_mutations::DirectoryMutation,
    consents::ConsentMutation,
    referrals_mutations::AgencyReferralMutation,
);

mirror_enum! {
    /// Whether a service is offered (HSDS `service.status`).
    ServiceStatus = values::ServiceStatus {
        /// Offered.
        Active,
        /// Not offered for now.
        Inactive,
        /// No longer offered.
        Defunct,
        /// Closed for a while (HSDS `temporarily closed`).
        TemporarilyClosed,
    }
}

mirror_enum! {
    /// What kind of place a location is (HSDS `location_type`).
    LocationType = values::LocationType {
        /// A place to visit.
        Physical,
        /// A mailing address.
        Postal,
        /// Online or by phone.
        Virtual,
    }
}

mirror_enum! {
    /// What a consent lets go to the agencies it names.
    ConsentField = values::ConsentField {
        /// The student's name.
        Name,
        /// The student's birth date.
        BirthDate,
        /// The student's grade.
        Grade,
        /// The student's current school.
        School,
        /// The consenting guardian's name, phone and email.
        GuardianContact,
        /// What the family needs, as the referral says.
        Needs,
    }
}

mirror_enum! {
    /// Where a referral to an agency stands: the HL7 FHIR Task status (the SDOH Clinical Care
    /// referral Task).
    AgencyReferralStatus = values::AgencyReferralStatus {
        /// Written, not sent (the district).
        Draft,
        /// Sent to the agency, waiting for its answer (the district, under consent).
        Requested,
        /// The agency takes it.
        Accepted,
        /// The agency declines it.
        Rejected,
        /// The agency is serving the family.
        InProgress,
        /// Paused by the agency.
        OnHold,
        /// Served.
        Completed,
        /// Could not be served.
        Failed,
        /// Withdrawn by either side.
        Cancelled,
        /// Should never have existed (the district).
        EnteredInError,
    }
}

mirror_enum! {
    /// What came of a referral to an agency.
    ReferralOutcome = values::ReferralOutcome {
        /// The family got the help.
        GotHelp,
        /// The agency had no room.
        NoCapacity,
        /// The family did not qualify.
        NotEligible,
        /// The agency could not reach the family.
        CouldNotContact,
        /// The family no longer wanted it.
        NoLongerInterested,
        /// Sent on to another agency.
        ReferredElsewhere,
    }
}

/// Text trimmed, and blank as none.
fn given(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// Terms one per line, trimmed and lower-cased, without blanks or repeats (categories and
/// languages, as searches match them).
fn terms<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    let mut kept: Vec<String> = Vec::new();
    for value in values {
        let value = value.trim().to_lowercase();
        if !value.is_empty() && !kept.contains(&value) {
            kept.push(value);
        }
    }
    kept.join("\n")
}

/// Values stored one per line, as the API spells them, in the order given, without repeats.
fn lines<T: sea_orm::ActiveEnum<Value = String>>(values: impl IntoIterator<Item = T>) -> String {
    let mut kept: Vec<String> = Vec::new();
    for value in values {
        let value = value.to_value();
        if !kept.contains(&value) {
            kept.push(value);
        }
    }
    kept.join("\n")
}

/// Values stored one per line, read back (a line no longer known is skipped).
fn from_lines<T: sea_orm::ActiveEnum<Value = String>>(text: &str) -> Vec<T> {
    text.lines()
        .filter_map(|line| T::try_from_value(&line.to_string()).ok())
        .collect()
}
