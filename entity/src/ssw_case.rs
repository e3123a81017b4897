//! A social worker's case: one student, one area of focus, open until closed.

use sea_orm::entity::prelude::*;

use crate::values::{AreaOfFocus, CaseClosingReason};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ssw_case")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub district_id: Uuid,
    pub student_id: Uuid,
    pub social_worker_id: Uuid,
    pub area_of_focus: AreaOfFocus,
    pub opened_on: Date,
    pub closed_on: Option<Date>,
    pub closing_reason: Option<CaseClosingReason>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
