//! A student's enrollment in a school (Ed-Fi StudentSchoolAssociation).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "enrollment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub district_id: Uuid,
    pub source_system: Option<String>,
    pub sourced_id: Option<String>,
    pub student_id: Uuid,
    pub school_id: Uuid,
    pub entry_date: Date,
    pub exit_date: Option<Date>,
    pub exit_reason: Option<String>,
    pub grade_level: String,
    pub is_primary: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::school::Entity",
        from = "Column::SchoolId",
        to = "super::school::Column::Id"
    )]
    School,
}

impl Related<super::school::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::School.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
