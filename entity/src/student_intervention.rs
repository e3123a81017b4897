//! A student's intervention plan (Ed-Fi StudentInterventionAssociation).

use crate::values::{PlanOutcome, PlanStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "student_intervention")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub district_id: Uuid,
    pub student_id: Uuid,
    pub intervention_id: Uuid,
    pub staff_id: Option<Uuid>,
    pub tier: i32,
    pub start_date: Date,
    pub planned_end_date: Date,
    pub actual_end_date: Option<Date>,
    pub goal: String,
    pub measure: String,
    pub baseline: f64,
    pub target: f64,
    pub sessions_per_week: i32,
    pub minutes_per_session: i32,
    pub status: PlanStatus,
    pub outcome: Option<PlanOutcome>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::intervention::Entity",
        from = "Column::InterventionId",
        to = "super::intervention::Column::Id"
    )]
    Intervention,
}

impl Related<super::intervention::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Intervention.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
