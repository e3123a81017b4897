//! Casework: referrals of students to the social worker, and the cases they open (DESIGN.md
//! section 2, "Social work").

use sea_orm_migration::{prelude::*, schema::*};

use crate::columns::{Common, index, references, tenant_table};

#[derive(DeriveIden)]
enum SswReferral {
    Table,
    StudentId,
    ReferredOn,
    ReferrerType,
    FiledByStaffId,
    Reasons,
    Urgency,
    Description,
    Status,
    AssignedToStaffId,
    CaseId,
}

#[derive(DeriveIden)]
enum SswCase {
    Table,
    StudentId,
    SocialWorkerId,
    AreaOfFocus,
    OpenedOn,
    ClosedOn,
    ClosingReason,
}

#[derive(DeriveIden)]
enum Student {
    Table,
}

#[derive(DeriveIden)]
enum Staff {
    Table,
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table(SswCase::Table)
                    .col(uuid(SswCase::StudentId))
                    .col(uuid(SswCase::SocialWorkerId))
                    .col(string(SswCase::AreaOfFocus))
                    .col(date(SswCase::OpenedOn))
                    .col(date_null(SswCase::ClosedOn))
                    .col(string_null(SswCase::ClosingReason))
                    .foreign_key(&mut references(
                        SswCase::Table,
                        SswCase::StudentId,
                        Student::Table,
                    ))
                    .foreign_key(&mut references(
                        SswCase::Table,
                        SswCase::SocialWorkerId,
                        Staff::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table(SswReferral::Table)
                    .col(uuid(SswReferral::StudentId))
                    .col(date(SswReferral::ReferredOn))
                    .col(string(SswReferral::ReferrerType))
                    .col(uuid_null(SswReferral::FiledByStaffId))
                    .col(text(SswReferral::Reasons))
                    .col(string(SswReferral::Urgency))
                    .col(text(SswReferral::Description))
                    .col(string(SswReferral::Status))
                    .col(uuid_null(SswReferral::AssignedToStaffId))
                    .col(uuid_null(SswReferral::CaseId))
                    .foreign_key(&mut references(
                        SswReferral::Table,
                        SswReferral::StudentId,
                        Student::Table,
                    ))
                    .foreign_key(&mut references(
                        SswReferral::Table,
                        SswReferral::FiledByStaffId,
                        Staff::Table,
                    ))
                    .foreign_key(&mut references(
                        SswReferral::Table,
                        SswReferral::AssignedToStaffId,
                        Staff::Table,
                    ))
                    .foreign_key(&mut references(
                        SswReferral::Table,
                        SswReferral::CaseId,
                        SswCase::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        // A student's records; a worker's open cases (the caseload); a filer's referrals;
        // the district's referrals by status (the intake queue).
        let case = || SswCase::Table.into_iden();
        let referral = || SswReferral::Table.into_iden();
        let indexes: [(&str, DynIden, Vec<DynIden>); 5] = [
            (
                "ix_ssw_case_student",
                case(),
                vec![
                    SswCase::StudentId.into_iden(),
                    SswCase::OpenedOn.into_iden(),
                ],
            ),
            (
                "ix_ssw_case_worker",
                case(),
                vec![
                    Common::DistrictId.into_iden(),
                    SswCase::SocialWorkerId.into_iden(),
                    SswCase::ClosedOn.into_iden(),
                ],
            ),
            (
                "ix_ssw_referral_student",
                referral(),
                vec![
                    SswReferral::StudentId.into_iden(),
                    SswReferral::ReferredOn.into_iden(),
                ],
            ),
            (
                "ix_ssw_referral_filer",
                referral(),
                vec![
                    Common::DistrictId.into_iden(),
                    SswReferral::FiledByStaffId.into_iden(),
                ],
            ),
            (
                "ix_ssw_referral_status",
                referral(),
                vec![
                    Common::DistrictId.into_iden(),
                    SswReferral::Status.into_iden(),
                ],
            ),
        ];
        for (name, table, columns) in indexes {
            index(manager, name, table, columns, false).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [SswReferral::Table.into_iden(), SswCase::Table.into_iden()] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
