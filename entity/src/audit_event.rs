//! One audited action: who did what to which record, and when. Append-only.

use sea_orm::entity::prelude::*;

use crate::values::AuditAction;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_event")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub district_id: Uuid,
    pub actor: String,
    pub role: String,
    pub action: AuditAction,
    pub entity: String,
    pub entity_id: Uuid,
    pub student_id: Option<Uuid>,
    /// Comma-separated names of the fields read or written.
    pub fields: String,
    pub request_id: Option<String>,
    pub occurred_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
