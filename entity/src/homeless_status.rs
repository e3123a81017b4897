//! A McKinney-Vento identification (Ed-Fi StudentHomelessProgramAssociation).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "homeless_status")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub district_id: Uuid,
    pub student_id: Uuid,
    pub identified_date: Date,
    pub end_date: Option<Date>,
    /// A `HomelessPrimaryNighttimeResidenceDescriptor` URI.
    pub primary_nighttime_residence: String,
    pub unaccompanied_youth: bool,
    /// `HomelessProgramServiceDescriptor` URIs, one per line.
    pub services: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
