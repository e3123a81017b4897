//! A student of a district.

use sea_orm::entity::prelude::*;

use crate::values::StudentStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "student")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub district_id: Uuid,
    pub source_system: Option<String>,
    pub sourced_id: Option<String>,
    pub local_id: Option<String>,
    pub state_id: Option<String>,
    pub legal_first_name: String,
    pub legal_last_name: String,
    pub preferred_name: Option<String>,
    pub birth_date: Option<Date>,
    pub grade_level: String,
    pub language: Option<String>,
    pub english_learner: bool,
    pub economically_disadvantaged: bool,
    pub status: StudentStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
