//! A code of a code set that varies by state (Ed-Fi descriptor style): the Ed-Fi defaults
//! (no district) and districts' own extensions. Its URI is `namespace/CodeSet#codeValue`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "descriptor")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Null for the Ed-Fi defaults every district shares.
    pub district_id: Option<Uuid>,
    /// For example `DisabilityDescriptor`.
    pub code_set: String,
    /// For example `uri://ed-fi.org`.
    pub namespace: String,
    pub code_value: String,
    pub short_description: String,
    /// `namespace/CodeSet#codeValue`, the value records store.
    pub uri: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
