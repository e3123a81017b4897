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
