//! A student's safety plan, reviewed by a date.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "safety_plan")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub district_id: Uuid,
    pub student_id: Uuid,
    pub staff_id: Option<Uuid>,
    /// The crisis it answers, if any.
    pub crisis_incident_id: Option<Uuid>,
    pub created_on: Date,
    pub review_date: Date,
    pub ended_on: Option<Date>,
    /// Warning signs, coping steps, people and places: the plan in words.
    pub plan: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
