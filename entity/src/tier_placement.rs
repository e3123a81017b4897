//! A student's MTSS tier in one domain over a date range; `effective_to` null = current.

use crate::values::MtssDomain;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "tier_placement")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub district_id: Uuid,
    pub student_id: Uuid,
    pub domain: MtssDomain,
    pub tier: i32,
    pub effective_from: Date,
    pub effective_to: Option<Date>,
    pub decided_by: String,
    pub decided_on: Date,
    pub rationale: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
