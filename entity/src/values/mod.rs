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

mod agencies;
mod casework;

pub use agencies::*;
pub use casework::*;
