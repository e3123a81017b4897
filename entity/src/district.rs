//! A school district: the tenant every other row belongs to.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "district")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub state_code: String,
    pub state_id: Option<String>,
    pub nces_id: Option<String>,
    pub timezone: String,
    /// The secret its BI readers' student pseudonyms are made from (`auth::pseudonym`).
    pub pseudonym_salt: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
