//! A student's IEP or Section 504 plan (Ed-Fi StudentSpecialEducationProgramAssociation).

use crate::values::{IepStatus, PlanType};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "iep_participation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub district_id: Uuid,
    pub student_id: Uuid,
    pub plan_type: PlanType,
    pub status: IepStatus,
    /// A `DisabilityDescriptor` URI.
    pub primary_disability: Option<String>,
    pub iep_begin_date: Option<Date>,
    pub iep_end_date: Option<Date>,
    pub iep_last_review_date: Option<Date>,
    pub iep_review_due_date: Option<Date>,
    pub iep_evaluation_due_date: Option<Date>,
    pub social_work_minutes_per_week: i32,
    /// Comma-separated roles of the social worker (`SOCIAL_HISTORY,COUNSELING_SERVICE`).
    pub social_worker_roles: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
