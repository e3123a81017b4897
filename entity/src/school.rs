//! A school of a district, with the need indicators that decide social-work staffing.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "school")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub district_id: Uuid,
    pub source_system: Option<String>,
    pub sourced_id: Option<String>,
    pub name: String,
    pub state_id: Option<String>,
    pub nces_id: Option<String>,
    pub lowest_grade: String,
    pub highest_grade: String,
    /// Share of students economically disadvantaged, 0-100.
    pub economically_disadvantaged_pct: Option<f64>,
    /// Share of students chronically absent, 0-100.
    pub chronic_absence_rate: Option<f64>,
    /// Assigned a social worker because of high need.
    pub targeted: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
