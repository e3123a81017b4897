//! Casework: the daily work of a school social worker. Referrals of students to the social
//! worker (intake) and the cases that assigning them opens, with a worker's caseload; the
//! service log (one record per contact, signed and locked, with addenda) and what it serves:
//! Medicaid readiness, plan dosage; assessments, crisis incidents, safety plans and abuse
//! reports; the truancy ladder.
//!
//! Who reads and works which part is `auth::policy`'s (`referral_rows`, `case_rows`,
//! `work_cases`). This domain's fields of `Student` are its part (`StudentCasework`), and of
//! `Viewer` the caseload (`ViewerCasework`); `schema` flattens them into the hub types.

mod abuse_reports;
mod abuse_reports_service;
mod billing;
mod cases;
mod cases_service;
mod contact_rules;
mod contacts;
mod contacts_mutations;
mod contacts_service;
mod groups;
mod loaders;
mod referrals;
mod referrals_service;
mod related_minutes;
mod safety;
mod safety_mutations;
mod safety_service;
mod student;
mod summary;
mod truancy;
mod truancy_service;

use async_graphql::MergedObject;
use entity::values;

pub use abuse_reports::AbuseReport;
pub use cases::{Case, ViewerCasework};
pub use contacts::{ServiceContact, ServiceContactConnection};
pub use groups::{CounselingGroup, GroupMember, GroupSession};
pub use loaders::{CaseworkContext, Loaders};
pub use referrals::{Referral, ReferralConnection};
pub use safety::{Assessment, CrisisIncident, SafetyPlan};
pub use student::{StudentCasework, prefetch as prefetch_students};

use async_graphql::Context;
use uuid::Uuid;

use crate::{
    auth::policy::{self, StudentField},
    errors::AppResult,
    graphql::{context::ContextExt, reads::note_read, scalars::mirror_enum},
};

/// Whether the caller reads the CONFIDENTIAL words of a record about `student` (notes about
/// students: pupil services and admins); a read is noted for the request's audit event.
fn confidential(ctx: &Context<'_>, student: Uuid, field: &'static str) -> AppResult<()> {
    policy::student_field(ctx.actor()?, StudentField::Notes)?;
    note_read(ctx, student, field);
    Ok(())
}

/// Casework queries.
#[derive(MergedObject, Default)]
pub struct CaseworkQuery(
    referrals::ReferralQuery,
    summary::SummaryQuery,
    safety::SafetyQuery,
    abuse_reports::AbuseReportQuery,
    groups::GroupQuery,
);

/// Casework mutations.
#[derive(MergedObject, Default)]
pub struct CaseworkMutation(
    referrals::ReferralMutation,
    cases::CaseMutation,
    contacts_mutations::ContactMutation,
    safety_mutations::SafetyMutation,
    truancy::TruancyMutation,
    abuse_reports::AbuseReportMutation,
    groups::GroupMutation,
);

mirror_enum! {
    /// Who referred a student to the social worker.
    ReferrerType = values::ReferrerType {
        /// A member of the school's staff.
        Staff,
        /// A parent or guardian.
        Parent,
        /// The student.
        #[graphql(name = "SELF")]
        SelfReferral,
        /// A community agency.
        Agency,
        /// A court.
        Court,
    }
}

mirror_enum! {
    /// Why a student was referred.
    ReferralReason = values::ReferralReason {
        /// Absences or lateness.
        Attendance,
        /// Behavior.
        Behavior,
        /// Academic struggles.
        Academic,
        /// Mental health.
        MentalHealth,
        /// Food, clothing, hygiene, transportation.
        BasicNeeds,
        /// Housing.
        Housing,
        /// Suspected abuse or neglect.
        AbuseNeglect,
        /// Family circumstances.
        Family,
        /// Substance use.
        Substance,
        /// Bullying.
        Bullying,
        /// Grief and loss.
        Grief,
        /// Something else (the description says what).
        Other,
    }
}

mirror_enum! {
    /// How soon a referral needs an answer.
    ReferralUrgency = values::ReferralUrgency {
        /// In the normal course.
        Routine,
        /// Within days.
        Soon,
        /// Today.
        Urgent,
    }
}

mirror_enum! {
    /// Where a referral stands: NEW -> ASSIGNED (a case is opened) -> IN_PROGRESS -> CLOSED.
    ReferralStatus = values::ReferralStatus {
        /// Filed, not yet assigned.
        New,
        /// Assigned to a social worker, who has a case for it.
        Assigned,
        /// Being worked.
        InProgress,
        /// Done.
        Closed,
    }
}

mirror_enum! {
    /// A case's area of focus: the four areas of school social work, and three more.
    AreaOfFocus = values::AreaOfFocus {
        /// Assessment.
        Assessment,
        /// Dropout prevention.
        DropoutPrevention,
        /// Homeless students (McKinney-Vento).
        #[graphql(name = "MCKINNEY_VENTO")]
        McKinneyVento,
        /// Crisis intervention.
        CrisisIntervention,
        /// Attendance and truancy.
        AttendanceTruancy,
        /// Special education.
        SpecialEducation,
        /// General support.
        General,
    }
}

mirror_enum! {
    /// Why a case was closed.
    CaseClosingReason = values::CaseClosingReason {
        /// Its goals were met.
        GoalsMet,
        /// Support is no longer needed.
        NoLongerNeeded,
        /// Referred to another service.
        ReferredOut,
        /// The student or family declined.
        Declined,
        /// Moved to another worker or school.
        Transferred,
        /// The student left the district.
        Withdrew,
        /// The student graduated.
        Graduated,
        /// Something else.
        Other,
    }
}

mirror_enum! {
    /// The kind of a service contact.
    ContactType = values::ContactType {
        /// Individual counseling.
        IndividualCounseling,
        /// Group counseling (logged once for the group).
        GroupCounseling,
        /// A visit to the student's home.
        HomeVisit,
        /// A conference with a parent or guardian.
        ParentConference,
        /// A conference with the student.
        StudentConference,
        /// Consultation with staff or others about the student.
        Consultation,
        /// Support in the classroom.
        ClassroomSupport,
        /// Responding to a crisis.
        CrisisResponse,
        /// A student support team meeting.
        SstMeeting,
        /// An IEP meeting.
        IepMeeting,
        /// Court (truancy, custody, dependency).
        Court,
        /// Contact with a community agency.
        AgencyContact,
        /// A phone call.
        PhoneCall,
        /// Something else.
        Other,
    }
}

mirror_enum! {
    /// Where a contact took place.
    ContactSetting = values::ContactSetting {
        /// Face to face.
        InPerson,
        /// By phone.
        Phone,
        /// By video.
        Virtual,
    }
}

mirror_enum! {
    /// Why a scheduled contact did not happen.
    MissedReason = values::MissedReason {
        /// The student was absent from school.
        StudentAbsent,
        /// The provider was absent.
        ProviderAbsent,
        /// School was closed.
        SchoolClosed,
        /// The student was in school but not available.
        StudentUnavailable,
    }
}

mirror_enum! {
    /// Why a contact is left out of Medicaid billing.
    OmitReason = values::OmitReason {
        /// Not a service Medicaid covers.
        NotACoveredService,
        /// The student is not enrolled in Medicaid.
        StudentNotEnrolledInMedicaid,
        /// The parent has not consented to billing.
        NoParentalConsent,
        /// Something else.
        Other,
    }
}

mirror_enum! {
    /// Who may read a note's text.
    Confidentiality = values::Confidentiality {
        /// Pupil services and admins who read the student.
        Standard,
        /// Abuse, medical, immigration: its provider; others see that it exists and read it
        /// only on purpose (`readRestrictedNote`, audited).
        Restricted,
    }
}
