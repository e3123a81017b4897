//! A community agency: an Open Referral HSDS organization in the district's directory.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "agency")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub district_id: Uuid,
    /// The organization's id in the HSDS directory it came from (what an import matches on).
    pub hsds_id: Option<String>,
    pub name: String,
    pub description: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub url: Option<String>,
    pub service_area: Option<String>,
    /// When someone last checked the entry is still true (HSDS `assured_date`).
    pub assured_date: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
