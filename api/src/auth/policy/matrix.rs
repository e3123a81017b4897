//! The access matrix as data: one row per role and kind of record. The policy's functions
//! look their decisions up here; tests walk it and render it into the module doc.

use super::super::Role;

/// Declares [`Resource`] with its list and labels, so that no kind of record can be left out
/// of [`Resource::ALL`] (and so of the tests and the rendered matrix).
macro_rules! resources {
    ($($(#[$doc:meta])* $variant:ident => $label:literal,)+) => {
        /// A kind of record, or a group of a student's fields, that access is decided for.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Resource {
            $($(#[$doc])* $variant,)+
        }

        impl Resource {
            pub const ALL: &'static [Resource] = &[$(Resource::$variant),+];

            /// How the matrix and FORBIDDEN messages name it.
            pub fn label(self) -> &'static str {
                match self {
                    $(Resource::$variant => $label,)+
                }
            }
        }
    };
}

resources! {
    Schools => "schools",
    /// Staff and their school assignments.
    Staff => "staff",
    /// Student rows, with the directory fields (grade, school) every reader of them sees.
    Students => "students",
    StudentNames => "student names",
    /// Local, state and SIS ids, and birth date: enough to re-identify a student.
    StudentIdentifiers => "student identifiers",
    /// English learner and economic flags.
    StudentDemographics => "student demographics",
    /// Free text written about a student (a tier placement's rationale, a plan's goal, a
    /// progress point's note): it may name or describe the student, so no de-identified
    /// reader sees it.
    StudentNotes => "notes about students",
    Enrollments => "enrollments",
    /// Guardians and their links to students.
    Guardians => "guardians",
    Tiers => "tiers",
    /// Intervention plans, their progress points and sessions.
    Interventions => "interventions",
    Attendance => "attendance",
    /// IEP and 504 plans and their meetings.
    SpecialEducation => "IEP/504 plans",
    Homeless => "McKinney-Vento records",
    /// Referrals of students to the social worker (intake).
    Referrals => "referrals to social work",
    /// Social workers' cases (caseloads).
    Cases => "cases",
    /// The service log: contacts with students and their addenda (their notes are notes
    /// about students).
    ServiceContacts => "service log",
    /// Assessments, crisis incidents, safety plans and abuse reports (their words are notes
    /// about students).
    Crises => "assessments and crises",
    /// Steps of the truancy ladder.
    Truancy => "truancy steps",
    /// Counseling groups, their members, sessions and attendance (who is in a grief group
    /// is itself sensitive).
    Groups => "counseling groups",
    /// The district's intervention catalogue.
    Catalogue => "intervention catalogue",
    /// Code sets: the Ed-Fi defaults and the district's own.
    Descriptors => "descriptors",
    /// Who did what to which record, and when: the district's oversight of its own staff and
    /// systems. Append-only: no role writes it; every write and sensitive read adds to it.
    AuditLog => "audit log",
    /// The directory of community agencies: organizations, services (with capacity),
    /// locations and contacts. Not student data.
    Agencies => "agency directory",
    /// Guardians' consents to disclose a student's records to agencies.
    Consents => "consents to disclose",
    /// Closed-loop referrals of students to community agencies, with their transitions.
    AgencyReferrals => "referrals to agencies",
    /// The FERPA record of what went to which outside party (34 CFR 99.32): what a parent may
    /// ask to see. Written by the acts themselves, never by a role.
    Disclosures => "records of disclosure",
}

/// How much of a resource a role reads. A level a function does not implement denies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// Nothing: asking is FORBIDDEN.
    Nothing,
    /// Whether a record exists, for students it may read; not its contents.
    ExistenceOnly,
    /// The records (or fields) of the students it may read, as the `students` row says.
    OfItsStudents,
    /// Students currently enrolled in the schools of its token.
    OwnSchools,
    /// Every record of its district.
    District,
    /// The records it made itself (a teacher's own referrals), whoever they are about.
    MadeByIt,
    /// Referrals sent to its agency under a consent still in force, and what that consent
    /// covers: an agency's view.
    SentToIt,
}

/// Whether a role creates and changes a resource (for student records: of students it may
/// read, which the caller checks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    Yes,
    No,
}

/// One cell of the matrix.
#[derive(Debug, Clone, Copy)]
pub struct Grant(pub Role, pub Resource, pub Read, pub Write);

use Read::{District, ExistenceOnly, MadeByIt, Nothing, OfItsStudents, OwnSchools, SentToIt};
use Resource::*;
use Role::*;

/// Every decision, one row per role and resource. A pair missing here is denied.
pub const GRANTS: &[Grant] = &[
    Grant(DistrictAdmin, Schools, District, Write::Yes),
    Grant(SocialWorker, Schools, District, Write::No),
    Grant(SchoolStaff, Schools, District, Write::No),
    Grant(SisIntegration, Schools, District, Write::Yes),
    Grant(BiReader, Schools, District, Write::No),
    Grant(AgencyPartner, Schools, Nothing, Write::No),
    //
    Grant(DistrictAdmin, Staff, District, Write::Yes),
    Grant(SocialWorker, Staff, District, Write::No),
    Grant(SchoolStaff, Staff, District, Write::No),
    Grant(SisIntegration, Staff, District, Write::Yes),
    Grant(BiReader, Staff, Nothing, Write::No),
    Grant(AgencyPartner, Staff, Nothing, Write::No),
    //
    Grant(DistrictAdmin, Students, District, Write::Yes),
    Grant(SocialWorker, Students, OwnSchools, Write::No),
    Grant(SchoolStaff, Students, OwnSchools, Write::No),
    Grant(SisIntegration, Students, District, Write::Yes),
    Grant(BiReader, Students, District, Write::No),
    Grant(AgencyPartner, Students, Nothing, Write::No),
    //
    Grant(DistrictAdmin, StudentNames, OfItsStudents, Write::Yes),
    Grant(SocialWorker, StudentNames, OfItsStudents, Write::No),
    Grant(SchoolStaff, StudentNames, OfItsStudents, Write::No),
    Grant(SisIntegration, StudentNames, OfItsStudents, Write::Yes),
    Grant(BiReader, StudentNames, Nothing, Write::No),
    Grant(AgencyPartner, StudentNames, Nothing, Write::No),
    //
    Grant(DistrictAdmin, StudentIdentifiers, OfItsStudents, Write::Yes),
    Grant(SocialWorker, StudentIdentifiers, OfItsStudents, Write::No),
    Grant(SchoolStaff, StudentIdentifiers, Nothing, Write::No),
    Grant(
        SisIntegration,
        StudentIdentifiers,
        OfItsStudents,
        Write::Yes,
    ),
    Grant(BiReader, StudentIdentifiers, Nothing, Write::No),
    Grant(AgencyPartner, StudentIdentifiers, Nothing, Write::No),
    //
    Grant(
        DistrictAdmin,
        StudentDemographics,
        OfItsStudents,
        Write::Yes,
    ),
    Grant(SocialWorker, StudentDemographics, OfItsStudents, Write::No),
    Grant(SchoolStaff, StudentDemographics, Nothing, Write::No),
    Grant(
        SisIntegration,
        StudentDemographics,
        OfItsStudents,
        Write::Yes,
    ),
    Grant(BiReader, StudentDemographics, OfItsStudents, Write::No),
    Grant(AgencyPartner, StudentDemographics, Nothing, Write::No),
    //
    Grant(DistrictAdmin, StudentNotes, OfItsStudents, Write::Yes),
    Grant(SocialWorker, StudentNotes, OfItsStudents, Write::Yes),
    Grant(SchoolStaff, StudentNotes, Nothing, Write::No),
    Grant(SisIntegration, StudentNotes, Nothing, Write::No),
    Grant(BiReader, StudentNotes, Nothing, Write::No),
    Grant(AgencyPartner, StudentNotes, Nothing, Write::No),
    //
    Grant(DistrictAdmin, Enrollments, District, Write::Yes),
    Grant(SocialWorker, Enrollments, OfItsStudents, Write::No),
    Grant(SchoolStaff, Enrollments, OfItsStudents, Write::No),
    Grant(SisIntegration, Enrollments, District, Write::Yes),
    Grant(BiReader, Enrollments, OfItsStudents, Write::No),
    Grant(AgencyPartner, Enrollments, Nothing, Write::No),
    // District access includes the links with a contact restriction; OfItsStudents omits them.
    Grant(DistrictAdmin, Guardians, District, Write::Yes),
    Grant(SocialWorker, Guardians, OfItsStudents, Write::No),
    Grant(SchoolStaff, Guardians, OfItsStudents, Write::No),
    Grant(SisIntegration, Guardians, District, Write::Yes),
    Grant(BiReader, Guardians, Nothing, Write::No),
    Grant(AgencyPartner, Guardians, Nothing, Write::No),
    //
    Grant(DistrictAdmin, Tiers, OfItsStudents, Write::Yes),
    Grant(SocialWorker, Tiers, OfItsStudents, Write::Yes),
    Grant(SchoolStaff, Tiers, Nothing, Write::No),
    Grant(SisIntegration, Tiers, Nothing, Write::No),
    Grant(BiReader, Tiers, OfItsStudents, Write::No),
    Grant(AgencyPartner, Tiers, Nothing, Write::No),
    //
    Grant(DistrictAdmin, Interventions, OfItsStudents, Write::Yes),
    Grant(SocialWorker, Interventions, OfItsStudents, Write::Yes),
    Grant(SchoolStaff, Interventions, Nothing, Write::No),
    Grant(SisIntegration, Interventions, Nothing, Write::No),
    Grant(BiReader, Interventions, OfItsStudents, Write::No),
    Grant(AgencyPartner, Interventions, Nothing, Write::No),
    //
    Grant(DistrictAdmin, Attendance, OfItsStudents, Write::Yes),
    Grant(SocialWorker, Attendance, OfItsStudents, Write::No),
    Grant(SchoolStaff, Attendance, Nothing, Write::No),
    Grant(SisIntegration, Attendance, Nothing, Write::Yes),
    Grant(BiReader, Attendance, OfItsStudents, Write::No),
    Grant(AgencyPartner, Attendance, Nothing, Write::No),
    //
    Grant(DistrictAdmin, SpecialEducation, OfItsStudents, Write::Yes),
    Grant(SocialWorker, SpecialEducation, OfItsStudents, Write::Yes),
    Grant(SchoolStaff, SpecialEducation, ExistenceOnly, Write::No),
    Grant(SisIntegration, SpecialEducation, Nothing, Write::No),
    Grant(BiReader, SpecialEducation, Nothing, Write::No),
    Grant(AgencyPartner, SpecialEducation, Nothing, Write::No),
    //
    Grant(DistrictAdmin, Homeless, OfItsStudents, Write::Yes),
    Grant(SocialWorker, Homeless, OfItsStudents, Write::Yes),
    Grant(SchoolStaff, Homeless, Nothing, Write::No),
    Grant(SisIntegration, Homeless, Nothing, Write::No),
    Grant(BiReader, Homeless, Nothing, Write::No),
    Grant(AgencyPartner, Homeless, Nothing, Write::No),
    //
    // School staff file referrals for students of their schools and follow the ones they
    // filed (their status, never the case behind them).
    Grant(DistrictAdmin, Referrals, OfItsStudents, Write::Yes),
    Grant(SocialWorker, Referrals, OfItsStudents, Write::Yes),
    Grant(SchoolStaff, Referrals, MadeByIt, Write::Yes),
    Grant(SisIntegration, Referrals, Nothing, Write::No),
    Grant(BiReader, Referrals, OfItsStudents, Write::No),
    Grant(AgencyPartner, Referrals, Nothing, Write::No),
    //
    Grant(DistrictAdmin, Cases, OfItsStudents, Write::Yes),
    Grant(SocialWorker, Cases, OfItsStudents, Write::Yes),
    Grant(SchoolStaff, Cases, Nothing, Write::No),
    Grant(SisIntegration, Cases, Nothing, Write::No),
    Grant(BiReader, Cases, OfItsStudents, Write::No),
    Grant(AgencyPartner, Cases, Nothing, Write::No),
    //
    Grant(DistrictAdmin, ServiceContacts, OfItsStudents, Write::Yes),
    Grant(SocialWorker, ServiceContacts, OfItsStudents, Write::Yes),
    Grant(SchoolStaff, ServiceContacts, Nothing, Write::No),
    Grant(SisIntegration, ServiceContacts, Nothing, Write::No),
    Grant(BiReader, ServiceContacts, OfItsStudents, Write::No),
    Grant(AgencyPartner, ServiceContacts, Nothing, Write::No),
    //
    Grant(DistrictAdmin, Crises, OfItsStudents, Write::Yes),
    Grant(SocialWorker, Crises, OfItsStudents, Write::Yes),
    Grant(SchoolStaff, Crises, Nothing, Write::No),
    Grant(SisIntegration, Crises, Nothing, Write::No),
    Grant(BiReader, Crises, Nothing, Write::No),
    Grant(AgencyPartner, Crises, Nothing, Write::No),
    //
    Grant(DistrictAdmin, Truancy, OfItsStudents, Write::Yes),
    Grant(SocialWorker, Truancy, OfItsStudents, Write::Yes),
    Grant(SchoolStaff, Truancy, Nothing, Write::No),
    Grant(SisIntegration, Truancy, Nothing, Write::No),
    Grant(BiReader, Truancy, Nothing, Write::No),
    Grant(AgencyPartner, Truancy, Nothing, Write::No),
    //
    Grant(DistrictAdmin, Groups, OfItsStudents, Write::Yes),
    Grant(SocialWorker, Groups, OfItsStudents, Write::Yes),
    Grant(SchoolStaff, Groups, Nothing, Write::No),
    Grant(SisIntegration, Groups, Nothing, Write::No),
    Grant(BiReader, Groups, Nothing, Write::No),
    Grant(AgencyPartner, Groups, Nothing, Write::No),
    //
    Grant(DistrictAdmin, Catalogue, District, Write::Yes),
    Grant(SocialWorker, Catalogue, District, Write::No),
    Grant(SchoolStaff, Catalogue, District, Write::No),
    Grant(SisIntegration, Catalogue, Nothing, Write::No),
    Grant(BiReader, Catalogue, District, Write::No),
    Grant(AgencyPartner, Catalogue, Nothing, Write::No),
    // Everyone reads the code sets its records are written in.
    Grant(DistrictAdmin, Descriptors, District, Write::Yes),
    Grant(SocialWorker, Descriptors, District, Write::No),
    Grant(SchoolStaff, Descriptors, District, Write::No),
    Grant(SisIntegration, Descriptors, District, Write::No),
    Grant(BiReader, Descriptors, District, Write::No),
    Grant(AgencyPartner, Descriptors, District, Write::No),
    // The district admin oversees; the staff and systems it records do not read it.
    Grant(DistrictAdmin, AuditLog, District, Write::No),
    Grant(SocialWorker, AuditLog, Nothing, Write::No),
    Grant(SchoolStaff, AuditLog, Nothing, Write::No),
    Grant(SisIntegration, AuditLog, Nothing, Write::No),
    Grant(BiReader, AuditLog, Nothing, Write::No),
    Grant(AgencyPartner, AuditLog, Nothing, Write::No),
    // A directory every staff role looks referrals up in; its admin keeps it (and an agency
    // its own services' capacity, which `policy::update_capacity` decides).
    Grant(DistrictAdmin, Agencies, District, Write::Yes),
    Grant(SocialWorker, Agencies, District, Write::No),
    Grant(SchoolStaff, Agencies, District, Write::No),
    Grant(SisIntegration, Agencies, Nothing, Write::No),
    Grant(BiReader, Agencies, District, Write::No),
    Grant(AgencyPartner, Agencies, District, Write::No),
    // Consent is recorded by pupil services; an agency sees the consent its referrals rest on.
    Grant(DistrictAdmin, Consents, OfItsStudents, Write::Yes),
    Grant(SocialWorker, Consents, OfItsStudents, Write::Yes),
    Grant(SchoolStaff, Consents, Nothing, Write::No),
    Grant(SisIntegration, Consents, Nothing, Write::No),
    Grant(BiReader, Consents, Nothing, Write::No),
    Grant(AgencyPartner, Consents, SentToIt, Write::No),
    // The district refers; the agency answers (which statuses each sets:
    // `policy::sets_status`); BI counts them (by pseudonym, no words).
    Grant(DistrictAdmin, AgencyReferrals, OfItsStudents, Write::Yes),
    Grant(SocialWorker, AgencyReferrals, OfItsStudents, Write::Yes),
    Grant(SchoolStaff, AgencyReferrals, Nothing, Write::No),
    Grant(SisIntegration, AgencyReferrals, Nothing, Write::No),
    Grant(BiReader, AgencyReferrals, OfItsStudents, Write::No),
    Grant(AgencyPartner, AgencyReferrals, SentToIt, Write::Yes),
    // What a parent may ask to see, answered by the district admin.
    Grant(DistrictAdmin, Disclosures, District, Write::No),
    Grant(SocialWorker, Disclosures, Nothing, Write::No),
    Grant(SchoolStaff, Disclosures, Nothing, Write::No),
    Grant(SisIntegration, Disclosures, Nothing, Write::No),
    Grant(BiReader, Disclosures, Nothing, Write::No),
    Grant(AgencyPartner, Disclosures, Nothing, Write::No),
];

/// What `role` may do with `resource`.
pub fn access(role: Role, resource: Resource) -> (Read, Write) {
    lookup(GRANTS, role, resource)
}

/// The decision of `table` for the pair; deny when it has none.
pub(super) fn lookup(table: &[Grant], role: Role, resource: Resource) -> (Read, Write) {
    table
        .iter()
        .find(|Grant(r, res, _, _)| *r == role && *res == resource)
        .map_or((Nothing, Write::No), |Grant(_, _, read, write)| {
            (*read, *write)
        })
}
