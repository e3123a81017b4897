//! Enumerated column values, stored as text so that SQLite and PostgreSQL hold them alike.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// The job a staff member holds (DESIGN.md: staff roles).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum StaffRole {
    #[sea_orm(string_value = "SOCIAL_WORKER")]
    SocialWorker,
    #[sea_orm(string_value = "COUNSELOR")]
    Counselor,
    #[sea_orm(string_value = "PSYCHOLOGIST")]
    Psychologist,
    #[sea_orm(string_value = "NURSE")]
    Nurse,
    #[sea_orm(string_value = "TEACHER")]
    Teacher,
    #[sea_orm(string_value = "ADMINISTRATOR")]
    Administrator,
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// Whether a student is currently served by the district.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum StudentStatus {
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    #[sea_orm(string_value = "INACTIVE")]
    Inactive,
    #[sea_orm(string_value = "GRADUATED")]
    Graduated,
    #[sea_orm(string_value = "WITHDRAWN")]
    Withdrawn,
}

/// A limit a court or the district placed on a guardian's contact with the student.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum ContactRestriction {
    #[sea_orm(string_value = "NO_CONTACT")]
    NoContact,
    #[sea_orm(string_value = "NO_PICKUP")]
    NoPickup,
    #[sea_orm(string_value = "NO_RECORDS_ACCESS")]
    NoRecordsAccess,
}

/// What happened to a row, as the change outbox records it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum ChangeOperation {
    #[sea_orm(string_value = "UPSERT")]
    Upsert,
    #[sea_orm(string_value = "DELETE")]
    Delete,
    #[sea_orm(string_value = "KEY_CHANGE")]
    KeyChange,
}

/// What an actor did, as the audit log records it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum AuditAction {
    #[sea_orm(string_value = "READ_SENSITIVE")]
    ReadSensitive,
    #[sea_orm(string_value = "CREATE")]
    Create,
    #[sea_orm(string_value = "UPDATE")]
    Update,
    #[sea_orm(string_value = "DELETE")]
    Delete,
    #[sea_orm(string_value = "EXPORT")]
    Export,
    #[sea_orm(string_value = "LOGIN")]
    Login,
}

/// The MTSS domains a tier or an intervention applies to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum MtssDomain {
    #[sea_orm(string_value = "ACADEMIC")]
    Academic,
    #[sea_orm(string_value = "BEHAVIOR")]
    Behavior,
    #[sea_orm(string_value = "SOCIAL_EMOTIONAL")]
    SocialEmotional,
    #[sea_orm(string_value = "ATTENDANCE")]
    Attendance,
}

/// ESSA evidence levels.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum EvidenceLevel {
    #[sea_orm(string_value = "STRONG")]
    Strong,
    #[sea_orm(string_value = "MODERATE")]
    Moderate,
    #[sea_orm(string_value = "PROMISING")]
    Promising,
    #[sea_orm(string_value = "RATIONALE")]
    Rationale,
}

/// How an intervention is delivered.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum Delivery {
    #[sea_orm(string_value = "INDIVIDUAL")]
    Individual,
    #[sea_orm(string_value = "SMALL_GROUP")]
    SmallGroup,
    #[sea_orm(string_value = "CLASSWIDE")]
    Classwide,
}

/// Where an intervention plan stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum PlanStatus {
    #[sea_orm(string_value = "PLANNED")]
    Planned,
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    #[sea_orm(string_value = "COMPLETED")]
    Completed,
    #[sea_orm(string_value = "DISCONTINUED")]
    Discontinued,
}

/// How an intervention plan ended.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum PlanOutcome {
    #[sea_orm(string_value = "GOAL_MET")]
    GoalMet,
    #[sea_orm(string_value = "PROGRESS")]
    Progress,
    #[sea_orm(string_value = "NO_PROGRESS")]
    NoProgress,
    #[sea_orm(string_value = "REGRESSED")]
    Regressed,
    #[sea_orm(string_value = "MOVED_AWAY")]
    MovedAway,
}

/// IEP or Section 504 plan.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum PlanType {
    #[sea_orm(string_value = "IEP")]
    Iep,
    #[sea_orm(string_value = "SECTION_504")]
    Section504,
}

/// Where a student stands in special education.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum IepStatus {
    #[sea_orm(string_value = "REFERRED")]
    Referred,
    #[sea_orm(string_value = "EVALUATING")]
    Evaluating,
    #[sea_orm(string_value = "ELIGIBLE")]
    Eligible,
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    #[sea_orm(string_value = "EXITED")]
    Exited,
    #[sea_orm(string_value = "NOT_ELIGIBLE")]
    NotEligible,
}

/// The kind of IEP meeting.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum IepMeetingType {
    #[sea_orm(string_value = "INITIAL")]
    Initial,
    #[sea_orm(string_value = "ANNUAL")]
    Annual,
    #[sea_orm(string_value = "REEVALUATION")]
    Reevaluation,
    #[sea_orm(string_value = "AMENDMENT")]
    Amendment,
    #[sea_orm(string_value = "MANIFESTATION_DETERMINATION")]
    ManifestationDetermination,
}

/// A student's attendance on one school day.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum AttendanceStatus {
    #[sea_orm(string_value = "PRESENT")]
    Present,
    #[sea_orm(string_value = "TARDY")]
    Tardy,
    #[sea_orm(string_value = "EXCUSED")]
    Excused,
    #[sea_orm(string_value = "UNEXCUSED")]
    Unexcused,
}

/// Declares a text-stored enum of casework values (each variant's text is its SCREAMING_CASE
/// name).
macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize,
            Deserialize,
        )]
        #[sea_orm(rs_type = "String", db_type = "Text")]
        pub enum $name {
            $(#[sea_orm(string_value = $text)] $variant,)+
        }
    };
}

text_enum!(
    /// Who referred a student to the social worker.
    ReferrerType {
        Staff = "STAFF",
        Parent = "PARENT",
        SelfReferral = "SELF_REFERRAL",
        Agency = "AGENCY",
        Court = "COURT",
    }
);

text_enum!(
    /// Why a student was referred to the social worker.
    ReferralReason {
        Attendance = "ATTENDANCE",
        Behavior = "BEHAVIOR",
        Academic = "ACADEMIC",
        MentalHealth = "MENTAL_HEALTH",
        BasicNeeds = "BASIC_NEEDS",
        Housing = "HOUSING",
        AbuseNeglect = "ABUSE_NEGLECT",
        Family = "FAMILY",
        Substance = "SUBSTANCE",
        Bullying = "BULLYING",
        Grief = "GRIEF",
        Other = "OTHER",
    }
);

text_enum!(
    /// How soon a referral needs an answer.
    ReferralUrgency {
        Routine = "ROUTINE",
        Soon = "SOON",
        Urgent = "URGENT",
    }
);

text_enum!(
    /// Where a referral to the social worker stands.
    ReferralStatus {
        New = "NEW",
        Assigned = "ASSIGNED",
        InProgress = "IN_PROGRESS",
        Closed = "CLOSED",
    }
);

text_enum!(
    /// A case's area of focus (the four areas of school social work, and three more).
    AreaOfFocus {
        Assessment = "ASSESSMENT",
        DropoutPrevention = "DROPOUT_PREVENTION",
        McKinneyVento = "MCKINNEY_VENTO",
        CrisisIntervention = "CRISIS_INTERVENTION",
        AttendanceTruancy = "ATTENDANCE_TRUANCY",
        SpecialEducation = "SPECIAL_EDUCATION",
        General = "GENERAL",
    }
);

text_enum!(
    /// Why a case was closed.
    CaseClosingReason {
        GoalsMet = "GOALS_MET",
        NoLongerNeeded = "NO_LONGER_NEEDED",
        ReferredOut = "REFERRED_OUT",
        Declined = "DECLINED",
        Transferred = "TRANSFERRED",
        Withdrew = "WITHDREW",
        Graduated = "GRADUATED",
        Other = "OTHER",
    }
);

text_enum!(
    /// The kind of a service contact (DESIGN.md section 2, the service log).
    ContactType {
        IndividualCounseling = "INDIVIDUAL_COUNSELING",
        GroupCounseling = "GROUP_COUNSELING",
        HomeVisit = "HOME_VISIT",
        ParentConference = "PARENT_CONFERENCE",
        StudentConference = "STUDENT_CONFERENCE",
        Consultation = "CONSULTATION",
        ClassroomSupport = "CLASSROOM_SUPPORT",
        CrisisResponse = "CRISIS_RESPONSE",
        SstMeeting = "SST_MEETING",
        IepMeeting = "IEP_MEETING",
        Court = "COURT",
        AgencyContact = "AGENCY_CONTACT",
        PhoneCall = "PHONE_CALL",
        Other = "OTHER",
    }
);

text_enum!(
    /// Where a contact took place.
    ContactSetting {
        InPerson = "IN_PERSON",
        Phone = "PHONE",
        Virtual = "VIRTUAL",
    }
);

text_enum!(
    /// Why a scheduled contact did not happen.
    MissedReason {
        StudentAbsent = "STUDENT_ABSENT",
        ProviderAbsent = "PROVIDER_ABSENT",
        SchoolClosed = "SCHOOL_CLOSED",
        StudentUnavailable = "STUDENT_UNAVAILABLE",
    }
);

text_enum!(
    /// Why a contact is left out of Medicaid billing.
    OmitReason {
        NotACoveredService = "NOT_A_COVERED_SERVICE",
        StudentNotEnrolledInMedicaid = "STUDENT_NOT_ENROLLED_IN_MEDICAID",
        NoParentalConsent = "NO_PARENTAL_CONSENT",
        Other = "OTHER",
    }
);

text_enum!(
    /// Who may read a note's text.
    Confidentiality {
        Standard = "STANDARD",
        Restricted = "RESTRICTED",
    }
);
