//! A mandated report of suspected abuse or neglect to child protective services: when the
//! school learned of it, and when, to whom and under which number it was filed.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "abuse_report")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub district_id: Uuid,
    pub student_id: Uuid,
    /// Who learned of it, and files the report.
    pub staff_id: Option<Uuid>,
    pub learned_at: DateTimeUtc,
    /// What gave rise to the concern.
    pub concern: String,
    pub filed_at: Option<DateTimeUtc>,
    pub agency: Option<String>,
    pub report_number: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
