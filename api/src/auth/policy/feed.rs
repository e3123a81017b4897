//! Who reads the change feed, and what of it. The feed names every changed record of the
//! district, so only a role that reads the district's students reads it; of each kind of
//! record it sees the changes only if it reads that kind, and the natural keys
//! (`sourceSystem:sourcedId`) of records about students only if it reads their identifiers
//! (a BI reader sees ids, never SIS keys). Also: who knows students by pseudonym.

use entity::student;
use sea_orm::sea_query::{Query, SelectStatement};

use super::{Educational, Read, Resource, may_not_read, read, student_rows};
use crate::{auth::Actor, errors::AppResult};

/// Each table whose writes the feed carries, and what its records are.
const FEED: &[(&str, Resource)] = &[
    ("school", Resource::Schools),
    ("staff", Resource::Staff),
    ("staff_school_assignment", Resource::Staff),
    ("student", Resource::Students),
    ("enrollment", Resource::Enrollments),
    ("guardian", Resource::Guardians),
    ("student_guardian", Resource::Guardians),
    ("tier_placement", Resource::Tiers),
    ("student_intervention", Resource::Interventions),
    ("progress_point", Resource::Interventions),
    ("intervention_session", Resource::Interventions),
    ("attendance_day", Resource::Attendance),
    ("iep_participation", Resource::SpecialEducation),
    ("iep_meeting", Resource::SpecialEducation),
    ("homeless_status", Resource::Homeless),
    ("ssw_referral", Resource::Referrals),
    ("ssw_case", Resource::Cases),
    ("service_contact", Resource::ServiceContacts),
    ("contact_addendum", Resource::ServiceContacts),
    ("assessment", Resource::Crises),
    ("crisis_incident", Resource::Crises),
    ("safety_plan", Resource::Crises),
    ("abuse_report", Resource::Crises),
    ("truancy_step", Resource::Truancy),
    ("counseling_group", Resource::Groups),
    ("group_member", Resource::Groups),
    ("group_session", Resource::Groups),
    ("group_attendance", Resource::Groups),
    ("agency", Resource::Agencies),
    ("agency_service", Resource::Agencies),
    ("agency_location", Resource::Agencies),
    ("agency_contact", Resource::Agencies),
    ("consent", Resource::Consents),
    ("agency_referral", Resource::AgencyReferrals),
    ("intervention", Resource::Catalogue),
    ("descriptor", Resource::Descriptors),
];

/// A kind of record in an actor's feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedEntity {
    pub table: &'static str,
    /// Whether the actor sees its records' natural keys.
    pub natural_keys: bool,
}

/// The kinds of record whose changes `actor` reads; FORBIDDEN for a role that does not read
/// the district's students.
pub fn feed_entities(actor: &Actor) -> AppResult<Vec<FeedEntity>> {
    if read(actor, Resource::Students) != Read::District {
        return Err(may_not_read(actor, Resource::Students));
    }
    let reads = |resource| matches!(read(actor, resource), Read::District | Read::OfItsStudents);
    let identifiers = reads(Resource::StudentIdentifiers);
    Ok(FEED
        .iter()
        .filter(|(_, resource)| reads(*resource))
        .map(|(table, resource)| FeedEntity {
            table,
            natural_keys: identifiers
                || matches!(
                    resource,
                    Resource::Schools
                        | Resource::Agencies
                        | Resource::Staff
                        | Resource::Catalogue
                        | Resource::Descriptors
                ),
        })
        .collect())
}

/// The ids of the students whose `data` the actor reads, for a bulk read of it (an export);
/// FORBIDDEN, as the feed, for a role that does not read the district's students.
pub fn students_holding(actor: &Actor, data: Educational) -> AppResult<SelectStatement> {
    feed_entities(actor)?;
    if read(actor, data.into()) != Read::OfItsStudents {
        return Err(may_not_read(actor, data.into()));
    }
    Ok(Query::select()
        .column(student::Column::Id)
        .from(student::Entity)
        .cond_where(student_rows(actor)?)
        .to_owned())
}

/// Whether `actor`'s aggregates withhold cells of few students: a role that may not read
/// students' names (a BI reader) must not single one out by counting.
pub fn suppresses_small_cells(actor: &Actor) -> bool {
    read(actor, Resource::StudentNames) == Read::Nothing
}

/// Does the actor know students by pseudonym (`auth::pseudonym`)? A role that reads students but
/// neither their names nor their identifiers (a BI reader) is shown no id that joins to them.
pub fn knows_students_by_pseudonym(actor: &Actor) -> bool {
    read(actor, Resource::Students) != Read::Nothing
        && read(actor, Resource::StudentNames) == Read::Nothing
        && read(actor, Resource::StudentIdentifiers) == Read::Nothing
}
