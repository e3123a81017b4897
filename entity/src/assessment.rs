//! An assessment of a student by pupil-services staff (a social history, a screening, ...).

use sea_orm::entity::prelude::*;

use crate::values::{AssessmentType, RiskLevel};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "assessment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub district_id: Uuid,
    pub student_id: Uuid,
    pub staff_id: Option<Uuid>,
    pub assessment_type: AssessmentType,
    pub date: Date,
    pub risk_level: Option<RiskLevel>,
    pub summary: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
