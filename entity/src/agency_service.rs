//! A service an agency offers (HSDS service), with its capacity (HSDS `service_capacity`).

use sea_orm::entity::prelude::*;

use crate::values::ServiceStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "agency_service")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub district_id: Uuid,
    pub agency_id: Uuid,
    pub hsds_id: Option<String>,
    pub name: String,
    pub description: Option<String>,
    pub status: ServiceStatus,
    /// Categories (HSDS taxonomy terms), one per line.
    pub categories: String,
    pub eligibility: Option<String>,
    /// Languages served (ISO 639 codes), one per line.
    pub languages: String,
    pub fees: Option<String>,
    pub hours: Option<String>,
    /// What capacity is counted in (beds, slots, appointments).
    pub capacity_unit: Option<String>,
    pub capacity_available: Option<i32>,
    pub capacity_updated: Option<DateTimeUtc>,
    pub assured_date: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
