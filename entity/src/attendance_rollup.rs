//! A student's attendance over one school year, summed from its days (derived data, kept by
//! every attendance write and rebuilt by `ssw-api rollups`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "attendance_rollup")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub student_id: Uuid,
    /// The year the school year starts in (August 1).
    #[sea_orm(primary_key, auto_increment = false)]
    pub school_year: i32,
    pub district_id: Uuid,
    /// Days with an attendance record.
    pub days: i64,
    /// Excused and unexcused absences.
    pub absent: i64,
    pub unexcused: i64,
    pub tardy: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
