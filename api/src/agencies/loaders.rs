//! The agency DataLoaders, built per request with the policy's row condition in every query.

use entity::{
    agency, agency_contact, agency_location, agency_referral, agency_referral_transition,
    agency_service, consent, enrollment, guardian, school, student, student_guardian,
};
use sea_orm::{DatabaseConnection, Order};

use crate::{
    auth::{Actor, policy},
    db::loader::{ById, Cached, Children, by_id, children},
    graphql::context::loaders_accessor,
};

pub struct Loaders {
    pub agency: Cached<ById<agency::Entity>>,
    pub service: Cached<ById<agency_service::Entity>>,
    /// An agency's services, by name.
    pub services_of_agency: Cached<Children<agency_service::Entity>>,
    pub locations_of_agency: Cached<Children<agency_location::Entity>>,
    pub contacts_of_agency: Cached<Children<agency_contact::Entity>>,
    pub consent: Cached<ById<consent::Entity>>,
    pub referral: Cached<ById<agency_referral::Entity>>,
    /// A referral's transitions, oldest first.
    pub transitions_of_referral: Cached<Children<agency_referral_transition::Entity>>,
    /// Students as a referral shows them (to an agency: those sent to it under consent).
    pub referred_student: Cached<ById<student::Entity>>,
    /// The guardian who signed a consent, as a referral shows them.
    pub consenting_guardian: Cached<ById<guardian::Entity>>,
    /// A referred student's guardian links through which they may be reached.
    pub contact_links_of_referred: Cached<Children<student_guardian::Entity>>,
    /// A referred student's enrollments (for their current school).
    pub enrollments_of_referred: Cached<Children<enrollment::Entity>>,
    pub referred_school: Cached<ById<school::Entity>>,
}

loaders_accessor!(AgenciesContext, agencies, Loaders);

impl Loaders {
    pub fn new(db: &DatabaseConnection, actor: &Actor) -> Self {
        Self {
            agency: by_id(
                db,
                policy::directory_rows(actor, agency::Column::DistrictId),
            ),
            service: by_id(
                db,
                policy::directory_rows(actor, agency_service::Column::DistrictId),
            ),
            services_of_agency: children(
                db,
                policy::directory_rows(actor, agency_service::Column::DistrictId),
                agency_service::Column::AgencyId,
                (agency_service::Column::Name, Order::Asc),
            ),
            locations_of_agency: children(
                db,
                policy::directory_rows(actor, agency_location::Column::DistrictId),
                agency_location::Column::AgencyId,
                (agency_location::Column::CreatedAt, Order::Asc),
            ),
            contacts_of_agency: children(
                db,
                policy::directory_rows(actor, agency_contact::Column::DistrictId),
                agency_contact::Column::AgencyId,
                (agency_contact::Column::Name, Order::Asc),
            ),
            consent: by_id(db, policy::consent_rows(actor)),
            referral: by_id(db, policy::agency_referral_rows(actor)),
            transitions_of_referral: children(
                db,
                policy::transition_rows_of_held(actor),
                agency_referral_transition::Column::ReferralId,
                (agency_referral_transition::Column::At, Order::Asc),
            ),
            referred_student: by_id(db, policy::referred_student_rows(actor)),
            consenting_guardian: by_id(db, policy::consenting_guardian_rows(actor)),
            contact_links_of_referred: children(
                db,
                policy::referred_contact_link_rows(actor),
                student_guardian::Column::StudentId,
                (student_guardian::Column::CreatedAt, Order::Asc),
            ),
            enrollments_of_referred: children(
                db,
                policy::referred_enrollment_rows(actor),
                enrollment::Column::StudentId,
                (enrollment::Column::EntryDate, Order::Desc),
            ),
            referred_school: by_id(db, policy::referred_school_rows(actor)),
        }
    }
}
