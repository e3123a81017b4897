//! Counseling groups, their members and sessions, and attendance at each session; a contact
//! of the service log names the group session it was part of (DESIGN.md section 2).

use sea_orm_migration::{prelude::*, schema::*};

use crate::columns::{index, references, tenant_table};

#[derive(DeriveIden)]
enum CounselingGroup {
    Table,
    SchoolId,
    Name,
    Topic,
    FacilitatorStaffId,
    StartsOn,
    EndsOn,
}

#[derive(DeriveIden)]
enum GroupMember {
    Table,
    GroupId,
    StudentId,
    JoinedOn,
    LeftOn,
}

#[derive(DeriveIden)]
enum GroupSession {
    Table,
    GroupId,
    FacilitatorStaffId,
    Date,
    StartTime,
    EndTime,
    Minutes,
    Present,
}

#[derive(DeriveIden)]
enum GroupAttendance {
    Table,
    SessionId,
    StudentId,
    Present,
    ContactId,
}

#[derive(DeriveIden)]
enum ServiceContact {
    Table,
    GroupSessionId,
    GroupSize,
}

#[derive(DeriveIden)]
enum Student {
    Table,
}

#[derive(DeriveIden)]
enum School {
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
                tenant_table(CounselingGroup::Table)
                    .col(uuid(CounselingGroup::SchoolId))
                    .col(string(CounselingGroup::Name))
                    .col(string(CounselingGroup::Topic))
                    .col(uuid(CounselingGroup::FacilitatorStaffId))
                    .col(date(CounselingGroup::StartsOn))
                    .col(date_null(CounselingGroup::EndsOn))
                    .foreign_key(&mut references(
                        CounselingGroup::Table,
                        CounselingGroup::SchoolId,
                        School::Table,
                    ))
                    .foreign_key(&mut references(
                        CounselingGroup::Table,
                        CounselingGroup::FacilitatorStaffId,
                        Staff::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table(GroupMember::Table)
                    .col(uuid(GroupMember::GroupId))
                    .col(uuid(GroupMember::StudentId))
                    .col(date(GroupMember::JoinedOn))
                    .col(date_null(GroupMember::LeftOn))
                    .foreign_key(&mut references(
                        GroupMember::Table,
                        GroupMember::GroupId,
                        CounselingGroup::Table,
                    ))
                    .foreign_key(&mut references(
                        GroupMember::Table,
                        GroupMember::StudentId,
                        Student::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table(GroupSession::Table)
                    .col(uuid(GroupSession::GroupId))
                    .col(uuid(GroupSession::FacilitatorStaffId))
                    .col(date(GroupSession::Date))
                    .col(string_null(GroupSession::StartTime))
                    .col(string_null(GroupSession::EndTime))
                    .col(integer(GroupSession::Minutes))
                    .col(integer(GroupSession::Present))
                    .foreign_key(&mut references(
                        GroupSession::Table,
                        GroupSession::GroupId,
                        CounselingGroup::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table(GroupAttendance::Table)
                    .col(uuid(GroupAttendance::SessionId))
                    .col(uuid(GroupAttendance::StudentId))
                    .col(boolean(GroupAttendance::Present))
                    .col(uuid_null(GroupAttendance::ContactId))
                    .foreign_key(&mut references(
                        GroupAttendance::Table,
                        GroupAttendance::SessionId,
                        GroupSession::Table,
                    ))
                    .foreign_key(&mut references(
                        GroupAttendance::Table,
                        GroupAttendance::StudentId,
                        Student::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        // SQLite adds one column per ALTER TABLE.
        for column in [
            uuid_null(ServiceContact::GroupSessionId),
            integer_null(ServiceContact::GroupSize),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(ServiceContact::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        // A school's groups; a group's members (a student once per group) and sessions by day;
        // a session's attendance.
        let indexes: [(&str, DynIden, Vec<DynIden>, bool); 4] = [
            (
                "ix_counseling_group_school",
                CounselingGroup::Table.into_iden(),
                vec![
                    CounselingGroup::SchoolId.into_iden(),
                    CounselingGroup::StartsOn.into_iden(),
                ],
                false,
            ),
            (
                "ux_group_member_once",
                GroupMember::Table.into_iden(),
                vec![
                    GroupMember::GroupId.into_iden(),
                    GroupMember::StudentId.into_iden(),
                ],
                true,
            ),
            (
                "ix_group_session_group",
                GroupSession::Table.into_iden(),
                vec![
                    GroupSession::GroupId.into_iden(),
                    GroupSession::Date.into_iden(),
                ],
                false,
            ),
            (
                "ux_group_attendance_once",
                GroupAttendance::Table.into_iden(),
                vec![
                    GroupAttendance::SessionId.into_iden(),
                    GroupAttendance::StudentId.into_iden(),
                ],
                true,
            ),
        ];
        for (name, table, columns, unique) in indexes {
            index(manager, name, table, columns, unique).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            ServiceContact::GroupSize.into_iden(),
            ServiceContact::GroupSessionId.into_iden(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ServiceContact::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for table in [
            GroupAttendance::Table.into_iden(),
            GroupSession::Table.into_iden(),
            GroupMember::Table.into_iden(),
            CounselingGroup::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
