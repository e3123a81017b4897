//! A crisis a student went through, and the school's response.

use sea_orm::entity::prelude::*;

use crate::values::CrisisType;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "crisis_incident")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub district_id: Uuid,
    pub student_id: Uuid,
    pub staff_id: Option<Uuid>,
    pub crisis_type: CrisisType,
    pub date: Date,
    pub response: String,
    pub follow_up: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
