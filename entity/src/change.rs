//! The change outbox: one row per write, in the writing transaction, feeding the BI change feed.

use sea_orm::entity::prelude::*;

use crate::values::ChangeOperation;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "change")]
pub struct Model {
    /// Insert order; the feed orders by `position`, then this.
    #[sea_orm(primary_key)]
    pub seq: i64,
    pub district_id: Uuid,
    pub entity: String,
    pub entity_id: Uuid,
    /// `source_system:sourced_id` when the row has one, so deletes carry natural keys.
    pub natural_key: Option<String>,
    /// The natural key before a KEY_CHANGE (the source system re-keyed the record).
    pub previous_key: Option<String>,
    pub operation: ChangeOperation,
    pub changed_at: DateTimeUtc,
    /// Commit order, the feed's cursor: taken when the writing transaction commits, and the
    /// row written with it (null only in rows of servers before migration 000011, which the
    /// feed skips).
    pub position: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
