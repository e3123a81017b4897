//! One meeting of a counseling group, logged once for the group: each member present gets a
//! contact in the service log (`service_contact.group_session_id`), each member absent an
//! attendance row.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "group_session")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub district_id: Uuid,
    pub group_id: Uuid,
    pub facilitator_staff_id: Uuid,
    pub date: Date,
    /// `HH:MM`, 24-hour, in the district's time zone.
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub minutes: i32,
    /// Members present: the group size a group claim needs.
    pub present: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
