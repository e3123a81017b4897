//! Records about records: the audit log and the change outbox.

use sea_orm_migration::{prelude::*, schema::*};

use crate::columns::{Common, District, index};

#[derive(DeriveIden)]
enum AuditEvent {
    Table,
    Actor,
    Role,
    Action,
    Entity,
    EntityId,
    StudentId,
    Fields,
    RequestId,
    OccurredAt,
}

#[derive(DeriveIden)]
enum Change {
    Table,
    Seq,
    Entity,
    EntityId,
    NaturalKey,
    Operation,
    ChangedAt,
}

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000003_records"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditEvent::Table)
                    .if_not_exists()
                    .col(pk_uuid(Common::Id))
                    .col(uuid(Common::DistrictId))
                    .col(string(AuditEvent::Actor))
                    .col(string(AuditEvent::Role))
                    .col(string(AuditEvent::Action))
                    .col(string(AuditEvent::Entity))
                    .col(uuid(AuditEvent::EntityId))
                    .col(uuid_null(AuditEvent::StudentId))
                    .col(text(AuditEvent::Fields))
                    .col(string_null(AuditEvent::RequestId))
                    .col(timestamp_with_time_zone(AuditEvent::OccurredAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AuditEvent::Table, Common::DistrictId)
                            .to(District::Table, District::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("ix_audit_event_district_time", AuditEvent::OccurredAt),
            ("ix_audit_event_student", AuditEvent::StudentId),
        ] {
            index(
                manager,
                name,
                AuditEvent::Table,
                vec![Common::DistrictId.into_iden(), column.into_iden()],
                false,
            )
            .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Change::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Change::Seq))
                    .col(uuid(Common::DistrictId))
                    .col(string(Change::Entity))
                    .col(uuid(Change::EntityId))
                    .col(string_null(Change::NaturalKey))
                    .col(string(Change::Operation))
                    .col(timestamp_with_time_zone(Change::ChangedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Change::Table, Common::DistrictId)
                            .to(District::Table, District::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_change_district_seq",
            Change::Table,
            vec![Common::DistrictId.into_iden(), Change::Seq.into_iden()],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Change::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AuditEvent::Table).to_owned())
            .await?;
        Ok(())
    }
}
