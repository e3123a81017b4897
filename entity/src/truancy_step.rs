//! A step of the truancy ladder taken for a student (a letter home, a conference, ...).

use sea_orm::entity::prelude::*;

use crate::values::TruancyStepKind;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "truancy_step")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub district_id: Uuid,
    pub student_id: Uuid,
    pub staff_id: Option<Uuid>,
    pub step: TruancyStepKind,
    pub date: Date,
    /// The calendar year its school year begins in (2026 for 2026-27): the ladder restarts.
    pub school_year: i32,
    pub outcome: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
