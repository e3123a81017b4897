//! The link between a student and a guardian, with any custody or contact restriction.

use sea_orm::entity::prelude::*;

use crate::values::ContactRestriction;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "student_guardian")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub district_id: Uuid,
    pub student_id: Uuid,
    pub guardian_id: Uuid,
    pub relationship: String,
    pub lives_with: bool,
    pub contact_priority: i32,
    /// A restricted guardian must never be shown as a contact.
    pub restriction: Option<ContactRestriction>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::guardian::Entity",
        from = "Column::GuardianId",
        to = "super::guardian::Column::Id"
    )]
    Guardian,
}

impl Related<super::guardian::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Guardian.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
