//! The casework DataLoaders, built per request with the policy's row condition in every query.

use entity::{contact_addendum, service_contact, ssw_case, ssw_referral};
use sea_orm::{DatabaseConnection, Order};

use crate::{
    auth::{Actor, policy},
    db::loader::{ById, Cached, Children, by_id, children},
    graphql::context::loaders_accessor,
};

pub struct Loaders {
    pub referral: Cached<ById<ssw_referral::Entity>>,
    /// A student's referrals, newest first.
    pub referrals_of_student: Cached<Children<ssw_referral::Entity>>,
    pub case: Cached<ById<ssw_case::Entity>>,
    /// A student's cases, newest first.
    pub cases_of_student: Cached<Children<ssw_case::Entity>>,
    pub contact: Cached<ById<service_contact::Entity>>,
    /// A student's service log, newest first.
    pub contacts_of_student: Cached<Children<service_contact::Entity>>,
    /// A contact's addenda, oldest first.
    pub addenda_of_contact: Cached<Children<contact_addendum::Entity>>,
}

loaders_accessor!(CaseworkContext, casework, Loaders);

impl Loaders {
    /// Loaders by id apply every rule (a client may have sent the id); loaders of a held
    /// student's records apply the `*_of_held` rules (see `policy`).
    pub fn new(db: &DatabaseConnection, actor: &Actor) -> Self {
        Self {
            referral: by_id(db, policy::referral_rows(actor)),
            referrals_of_student: children(
                db,
                policy::referral_rows_of_held(actor),
                ssw_referral::Column::StudentId,
                (ssw_referral::Column::ReferredOn, Order::Desc),
            ),
            case: by_id(db, policy::case_rows(actor)),
            cases_of_student: children(
                db,
                policy::case_rows_of_held(actor),
                ssw_case::Column::StudentId,
                (ssw_case::Column::OpenedOn, Order::Desc),
            ),
            contact: by_id(db, policy::contact_rows(actor)),
            contacts_of_student: children(
                db,
                policy::contact_rows_of_held(actor, service_contact::Column::DistrictId),
                service_contact::Column::StudentId,
                (service_contact::Column::Date, Order::Desc),
            ),
            addenda_of_contact: children(
                db,
                policy::contact_rows_of_held(actor, contact_addendum::Column::DistrictId),
                contact_addendum::Column::ContactId,
                (contact_addendum::Column::CreatedAt, Order::Asc),
            ),
        }
    }
}
