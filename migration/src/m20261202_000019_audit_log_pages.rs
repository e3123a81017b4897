//! Indexes the audit log's pages read by (`auditEvents`, newest first by id, which is a
//! UUIDv7 and so in the order events were written): the district's events, one student's and
//! one actor's, each ending in the id, so a page is a short walk back from the cursor rather
//! than a sort of the district's log. They replace `ix_audit_event_student` (district,
//! student), which the new one covers.

use sea_orm_migration::prelude::*;

use crate::columns::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditEvent {
    Table,
    DistrictId,
    StudentId,
    Actor,
    Id,
}

const OLD_STUDENT_INDEX: &str = "ix_audit_event_student";

/// Each index's name and its columns after the district.
fn pages() -> [(&'static str, Vec<DynIden>); 3] {
    [
        ("ix_audit_event_page", vec![AuditEvent::Id.into_iden()]),
        (
            "ix_audit_event_student_page",
            vec![
                AuditEvent::StudentId.into_iden(),
                AuditEvent::Id.into_iden(),
            ],
        ),
        (
            "ix_audit_event_actor_page",
            vec![AuditEvent::Actor.into_iden(), AuditEvent::Id.into_iden()],
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, columns) in pages() {
            let mut columns = columns;
            columns.insert(0, AuditEvent::DistrictId.into_iden());
            index(manager, name, AuditEvent::Table, columns, false).await?;
        }
        drop_index(manager, OLD_STUDENT_INDEX).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let old = vec![
            AuditEvent::DistrictId.into_iden(),
            AuditEvent::StudentId.into_iden(),
        ];
        index(manager, OLD_STUDENT_INDEX, AuditEvent::Table, old, false).await?;
        for (name, _) in pages() {
            drop_index(manager, name).await?;
        }
        Ok(())
    }
}

async fn drop_index(manager: &SchemaManager<'_>, name: &str) -> Result<(), DbErr> {
    manager
        .drop_index(Index::drop().name(name).table(AuditEvent::Table).to_owned())
        .await
}
