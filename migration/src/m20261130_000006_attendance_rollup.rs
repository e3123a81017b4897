//! A per-student, per-school-year rollup of attendance days, so that chronic absence, early
//! warning and the MTSS summary are index lookups instead of aggregates over every day of the
//! year. Derived data: kept in the same transaction as attendance writes, rebuilt by
//! `ssw-api rollups`.

use sea_orm_migration::{prelude::*, schema::*};

use crate::columns::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AttendanceRollup {
    Table,
    StudentId,
    SchoolYear,
    DistrictId,
    Days,
    Absent,
    Unexcused,
    Tardy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AttendanceRollup::Table)
                    .if_not_exists()
                    .col(uuid(AttendanceRollup::StudentId))
                    .col(integer(AttendanceRollup::SchoolYear))
                    .col(uuid(AttendanceRollup::DistrictId))
                    .col(big_integer(AttendanceRollup::Days))
                    .col(big_integer(AttendanceRollup::Absent))
                    .col(big_integer(AttendanceRollup::Unexcused))
                    .col(big_integer(AttendanceRollup::Tardy))
                    .primary_key(
                        Index::create()
                            .col(AttendanceRollup::StudentId)
                            .col(AttendanceRollup::SchoolYear),
                    )
                    .to_owned(),
            )
            .await?;
        // The district's students of a school year (chronic absence, summaries).
        index(
            manager,
            "ix_attendance_rollup_district_year",
            AttendanceRollup::Table,
            vec![
                AttendanceRollup::DistrictId.into_iden(),
                AttendanceRollup::SchoolYear.into_iden(),
            ],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AttendanceRollup::Table).to_owned())
            .await
    }
}
