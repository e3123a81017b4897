//! The answer of a bulk call made with an `idempotencyKey`, so a retry gets it again instead of
//! writing twice. Written in the same transaction as what the call wrote.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_key")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub district_id: Uuid,
    /// The caller's key.
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// The mutation called (`syncStudents`).
    pub operation: String,
    /// SHA-256 of the call's input, so a key sent again with another input is refused.
    pub fingerprint: String,
    /// The answer, as JSON; empty while the first call is still running.
    #[sea_orm(column_type = "Text", nullable)]
    pub result: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
