//! A counseling group: a topic, a facilitator and a school, with members and sessions.

use sea_orm::entity::prelude::*;

use crate::values::GroupTopic;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "counseling_group")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub district_id: Uuid,
    pub school_id: Uuid,
    pub name: String,
    pub topic: GroupTopic,
    pub facilitator_staff_id: Uuid,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
