//! Truancy steps and mandated abuse reports (DESIGN.md section 2, "Social work").

use sea_orm_migration::{prelude::*, schema::*};

use crate::columns::{Common, index, references, tenant_table};

#[derive(DeriveIden)]
enum TruancyStep {
    Table,
    StudentId,
    StaffId,
    Step,
    Date,
    SchoolYear,
    Outcome,
}

#[derive(DeriveIden)]
enum AbuseReport {
    Table,
    StudentId,
    StaffId,
    LearnedAt,
    Concern,
    FiledAt,
    Agency,
    ReportNumber,
}

#[derive(DeriveIden)]
enum Student {
    Table,
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table(TruancyStep::Table)
                    .col(uuid(TruancyStep::StudentId))
                    .col(uuid_null(TruancyStep::StaffId))
                    .col(string(TruancyStep::Step))
                    .col(date(TruancyStep::Date))
                    .col(integer(TruancyStep::SchoolYear))
                    .col(text_null(TruancyStep::Outcome))
                    .foreign_key(&mut references(
                        TruancyStep::Table,
                        TruancyStep::StudentId,
                        Student::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table(AbuseReport::Table)
                    .col(uuid(AbuseReport::StudentId))
                    .col(uuid_null(AbuseReport::StaffId))
                    .col(timestamp_with_time_zone(AbuseReport::LearnedAt))
                    .col(text(AbuseReport::Concern))
                    .col(timestamp_with_time_zone_null(AbuseReport::FiledAt))
                    .col(string_null(AbuseReport::Agency))
                    .col(string_null(AbuseReport::ReportNumber))
                    .foreign_key(&mut references(
                        AbuseReport::Table,
                        AbuseReport::StudentId,
                        Student::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        // A step is taken once per student and school year.
        index(
            manager,
            "ux_truancy_step_once",
            TruancyStep::Table,
            vec![
                TruancyStep::StudentId.into_iden(),
                TruancyStep::SchoolYear.into_iden(),
                TruancyStep::Step.into_iden(),
            ],
            true,
        )
        .await?;
        // A student's reports; the district's unfiled ones by when they were learned of.
        index(
            manager,
            "ix_abuse_report_student",
            AbuseReport::Table,
            vec![AbuseReport::StudentId.into_iden()],
            false,
        )
        .await?;
        index(
            manager,
            "ix_abuse_report_unfiled",
            AbuseReport::Table,
            vec![
                Common::DistrictId.into_iden(),
                AbuseReport::FiledAt.into_iden(),
                AbuseReport::LearnedAt.into_iden(),
            ],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AbuseReport::Table.into_iden(),
            TruancyStep::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
