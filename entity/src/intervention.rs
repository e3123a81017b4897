//! An intervention of the district's catalogue.

use crate::values::{Delivery, EvidenceLevel};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "intervention")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub district_id: Uuid,
    pub name: String,
    pub description: String,
    /// Comma-separated MTSS domains (`BEHAVIOR,SOCIAL_EMOTIONAL`).
    pub domains: String,
    pub tier: i32,
    pub evidence_level: EvidenceLevel,
    pub delivery: Delivery,
    pub default_sessions_per_week: i32,
    pub default_minutes_per_session: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
