//! Districts, schools, staff and staff assignments (the cluster model).

use sea_orm_migration::{prelude::*, schema::*};

use crate::columns::{
    Common, District, index, references, sortable, sourced_id_index, synced_table,
};

#[derive(DeriveIden)]
enum DistrictCol {
    Name,
    StateCode,
    StateId,
    NcesId,
    Timezone,
}

#[derive(DeriveIden)]
enum School {
    Table,
    Name,
    StateId,
    NcesId,
    LowestGrade,
    HighestGrade,
    EconomicallyDisadvantagedPct,
    ChronicAbsenceRate,
    Targeted,
}

#[derive(DeriveIden)]
enum Staff {
    Table,
    FirstName,
    LastName,
    Email,
    Role,
    License,
}

#[derive(DeriveIden)]
enum StaffSchoolAssignment {
    Table,
    StaffId,
    SchoolId,
    StartDate,
    EndDate,
}

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000001_organisation"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(District::Table)
                    .if_not_exists()
                    .col(pk_uuid(Common::Id))
                    .col(string(DistrictCol::Name))
                    .col(string(DistrictCol::StateCode))
                    .col(string_null(DistrictCol::StateId))
                    .col(string_null(DistrictCol::NcesId))
                    .col(string(DistrictCol::Timezone))
                    .col(timestamp_with_time_zone(Common::CreatedAt))
                    .col(timestamp_with_time_zone(Common::UpdatedAt))
                    .col(integer(Common::Version).default(1))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                synced_table(School::Table)
                    .col(sortable(manager, string(School::Name)))
                    .col(string_null(School::StateId))
                    .col(string_null(School::NcesId))
                    .col(string(School::LowestGrade))
                    .col(string(School::HighestGrade))
                    .col(double_null(School::EconomicallyDisadvantagedPct))
                    .col(double_null(School::ChronicAbsenceRate))
                    .col(boolean(School::Targeted).default(false))
                    .to_owned(),
            )
            .await?;
        sourced_id_index(manager, "ux_school_sourced_id", School::Table).await?;
        index(
            manager,
            "ix_school_district_name",
            School::Table,
            vec![Common::DistrictId.into_iden(), School::Name.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                synced_table(Staff::Table)
                    .col(string(Staff::FirstName))
                    .col(sortable(manager, string(Staff::LastName)))
                    .col(string_null(Staff::Email))
                    .col(string(Staff::Role))
                    .col(string_null(Staff::License))
                    .to_owned(),
            )
            .await?;
        sourced_id_index(manager, "ux_staff_sourced_id", Staff::Table).await?;
        index(
            manager,
            "ix_staff_district_name",
            Staff::Table,
            vec![
                Common::DistrictId.into_iden(),
                Staff::LastName.into_iden(),
                Staff::FirstName.into_iden(),
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                crate::columns::tenant_table(StaffSchoolAssignment::Table)
                    .col(uuid(StaffSchoolAssignment::StaffId))
                    .col(uuid(StaffSchoolAssignment::SchoolId))
                    .col(date(StaffSchoolAssignment::StartDate))
                    .col(date_null(StaffSchoolAssignment::EndDate))
                    .foreign_key(&mut references(
                        StaffSchoolAssignment::Table,
                        StaffSchoolAssignment::StaffId,
                        Staff::Table,
                    ))
                    .foreign_key(&mut references(
                        StaffSchoolAssignment::Table,
                        StaffSchoolAssignment::SchoolId,
                        School::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("ix_assignment_staff", StaffSchoolAssignment::StaffId),
            ("ix_assignment_school", StaffSchoolAssignment::SchoolId),
        ] {
            index(
                manager,
                name,
                StaffSchoolAssignment::Table,
                vec![column.into_iden()],
                false,
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            StaffSchoolAssignment::Table.into_iden(),
            Staff::Table.into_iden(),
            School::Table.into_iden(),
            District::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
