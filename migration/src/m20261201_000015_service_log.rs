//! The service log (DESIGN.md section 2): one row per contact with a student, and the
//! addenda that correct a signed one.

use sea_orm_migration::{prelude::*, schema::*};

use crate::columns::{Common, index, references, tenant_table};

#[derive(DeriveIden)]
enum ServiceContact {
    Table,
    StudentId,
    ProviderStaffId,
    ProviderCredential,
    SupervisorStaffId,
    Date,
    StartTime,
    EndTime,
    Minutes,
    ContactType,
    Setting,
    Location,
    Participants,
    CaseId,
    PlanId,
    IepId,
    SessionId,
    StudentResponse,
    Note,
    Confidentiality,
    Billable,
    OmitReason,
    MissedReason,
    MakeupDue,
    MakeupForId,
    SignedByStaffId,
    SignedAt,
}

#[derive(DeriveIden)]
enum ContactAddendum {
    Table,
    ContactId,
    StudentId,
    AuthorStaffId,
    Text,
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
        use ServiceContact as C;
        manager
            .create_table(
                tenant_table(C::Table)
                    .col(uuid(C::StudentId))
                    .col(uuid(C::ProviderStaffId))
                    .col(string_null(C::ProviderCredential))
                    .col(uuid_null(C::SupervisorStaffId))
                    .col(date(C::Date))
                    .col(string_null(C::StartTime))
                    .col(string_null(C::EndTime))
                    .col(integer(C::Minutes))
                    .col(string(C::ContactType))
                    .col(string(C::Setting))
                    .col(string_null(C::Location))
                    .col(text(C::Participants))
                    .col(uuid_null(C::CaseId))
                    .col(uuid_null(C::PlanId))
                    .col(uuid_null(C::IepId))
                    .col(uuid_null(C::SessionId))
                    .col(text_null(C::StudentResponse))
                    .col(text_null(C::Note))
                    .col(string(C::Confidentiality))
                    .col(boolean(C::Billable))
                    .col(string_null(C::OmitReason))
                    .col(string_null(C::MissedReason))
                    .col(date_null(C::MakeupDue))
                    .col(uuid_null(C::MakeupForId))
                    .col(uuid_null(C::SignedByStaffId))
                    .col(timestamp_with_time_zone_null(C::SignedAt))
                    .foreign_key(&mut references(C::Table, C::StudentId, Student::Table))
                    .foreign_key(&mut references(C::Table, C::ProviderStaffId, Staff::Table))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table(ContactAddendum::Table)
                    .col(uuid(ContactAddendum::ContactId))
                    .col(uuid(ContactAddendum::StudentId))
                    .col(uuid_null(ContactAddendum::AuthorStaffId))
                    .col(text(ContactAddendum::Text))
                    .foreign_key(&mut references(
                        ContactAddendum::Table,
                        ContactAddendum::ContactId,
                        C::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        // A student's log by date; a provider's log by date (the monthly report); a
        // contact's addenda.
        let indexes: [(&str, DynIden, Vec<DynIden>); 3] = [
            (
                "ix_service_contact_student",
                C::Table.into_iden(),
                vec![C::StudentId.into_iden(), C::Date.into_iden()],
            ),
            (
                "ix_service_contact_provider",
                C::Table.into_iden(),
                vec![
                    Common::DistrictId.into_iden(),
                    C::ProviderStaffId.into_iden(),
                    C::Date.into_iden(),
                ],
            ),
            (
                "ix_contact_addendum_contact",
                ContactAddendum::Table.into_iden(),
                vec![ContactAddendum::ContactId.into_iden()],
            ),
        ];
        for (name, table, columns) in indexes {
            index(manager, name, table, columns, false).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ContactAddendum::Table.into_iden(),
            ServiceContact::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
