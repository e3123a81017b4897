//! The casework DataLoaders, built per request with the policy's row condition in every query.

use entity::{
    abuse_report, assessment, contact_addendum, counseling_group, crisis_incident,
    group_attendance, group_member, group_session, safety_plan, service_contact, ssw_case,
    ssw_referral, truancy_step,
};
use sea_orm::{DatabaseConnection, Order};

use super::safety_service::needing_safety_plan;
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
    pub assessment: Cached<ById<assessment::Entity>>,
    pub assessments_of_student: Cached<Children<assessment::Entity>>,
    /// A student's assessments that call for a safety plan none followed.
    pub unanswered_of_student: Cached<Children<assessment::Entity>>,
    pub crisis: Cached<ById<crisis_incident::Entity>>,
    pub crises_of_student: Cached<Children<crisis_incident::Entity>>,
    pub safety_plan: Cached<ById<safety_plan::Entity>>,
    pub safety_plans_of_student: Cached<Children<safety_plan::Entity>>,
    pub abuse_report: Cached<ById<abuse_report::Entity>>,
    pub abuse_reports_of_student: Cached<Children<abuse_report::Entity>>,
    /// A student's truancy steps, oldest first.
    pub truancy_steps_of_student: Cached<Children<truancy_step::Entity>>,
    pub group: Cached<ById<counseling_group::Entity>>,
    pub group_member: Cached<ById<group_member::Entity>>,
    pub group_session: Cached<ById<group_session::Entity>>,
    /// A group's members, first to join first.
    pub members_of_group: Cached<Children<group_member::Entity>>,
    /// A group's sessions, newest first.
    pub sessions_of_group: Cached<Children<group_session::Entity>>,
    /// Who was and was not at a session.
    pub attendance_of_session: Cached<Children<group_attendance::Entity>>,
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
            assessment: by_id(
                db,
                policy::crisis_rows(actor, assessment::Column::StudentId),
            ),
            assessments_of_student: children(
                db,
                policy::crisis_rows_of_held(actor, assessment::Column::DistrictId),
                assessment::Column::StudentId,
                (assessment::Column::Date, Order::Desc),
            ),
            unanswered_of_student: children(
                db,
                policy::crisis_rows_of_held(actor, assessment::Column::DistrictId)
                    .map(|held| held.add(needing_safety_plan())),
                assessment::Column::StudentId,
                (assessment::Column::Date, Order::Desc),
            ),
            crisis: by_id(
                db,
                policy::crisis_rows(actor, crisis_incident::Column::StudentId),
            ),
            crises_of_student: children(
                db,
                policy::crisis_rows_of_held(actor, crisis_incident::Column::DistrictId),
                crisis_incident::Column::StudentId,
                (crisis_incident::Column::Date, Order::Desc),
            ),
            safety_plan: by_id(
                db,
                policy::crisis_rows(actor, safety_plan::Column::StudentId),
            ),
            safety_plans_of_student: children(
                db,
                policy::crisis_rows_of_held(actor, safety_plan::Column::DistrictId),
                safety_plan::Column::StudentId,
                (safety_plan::Column::CreatedOn, Order::Desc),
            ),
            abuse_report: by_id(
                db,
                policy::crisis_rows(actor, abuse_report::Column::StudentId),
            ),
            abuse_reports_of_student: children(
                db,
                policy::crisis_rows_of_held(actor, abuse_report::Column::DistrictId),
                abuse_report::Column::StudentId,
                (abuse_report::Column::LearnedAt, Order::Desc),
            ),
            truancy_steps_of_student: children(
                db,
                policy::truancy_rows_of_held(actor),
                truancy_step::Column::StudentId,
                (truancy_step::Column::Date, Order::Asc),
            ),
            group: by_id(db, policy::group_rows(actor)),
            group_member: by_id(
                db,
                policy::of_visible_groups(actor, group_member::Column::GroupId),
            ),
            group_session: by_id(
                db,
                policy::of_visible_groups(actor, group_session::Column::GroupId),
            ),
            members_of_group: children(
                db,
                policy::group_parts_of_held(actor, group_member::Column::DistrictId),
                group_member::Column::GroupId,
                (group_member::Column::JoinedOn, Order::Asc),
            ),
            sessions_of_group: children(
                db,
                policy::group_parts_of_held(actor, group_session::Column::DistrictId),
                group_session::Column::GroupId,
                (group_session::Column::Date, Order::Desc),
            ),
            attendance_of_session: children(
                db,
                policy::group_parts_of_held(actor, group_attendance::Column::DistrictId),
                group_attendance::Column::SessionId,
                (group_attendance::Column::CreatedAt, Order::Asc),
            ),
        }
    }
}
