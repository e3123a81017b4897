//! A partial index of the chronically absent (10% or more of recorded days missed), so the
//! worklist's and early warning's chronic-absence set is read from the few rows it holds, not
//! filtered out of every student's rollup row of the district (100,000 rows at 100,000
//! students). The query must state the index's condition in the same words to use it: see
//! `chronically_absent` in `api/src/mtss/attendance_rollup.rs`.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AttendanceRollup {
    Table,
    StudentId,
    SchoolYear,
    DistrictId,
}

const NAME: &str = "ix_attendance_rollup_chronic";
/// Literal numbers, no parameters: both databases match a partial index by its condition's text.
const CHRONIC: &str = "days > 0 AND absent * 10 >= days";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(AttendanceRollup::Table)
                    .col(AttendanceRollup::DistrictId)
                    .col(AttendanceRollup::SchoolYear)
                    .col(AttendanceRollup::StudentId)
                    .cond_where(Expr::cust(CHRONIC))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(NAME)
                    .table(AttendanceRollup::Table)
                    .to_owned(),
            )
            .await
    }
}
