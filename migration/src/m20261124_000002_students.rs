//! Students, enrollments, guardians and the student-guardian links.

use sea_orm_migration::{prelude::*, schema::*};

use crate::columns::{Common, index, references, sortable, sourced_id_index, synced_table};

#[derive(DeriveIden)]
enum Student {
    Table,
    LocalId,
    StateId,
    LegalFirstName,
    LegalLastName,
    PreferredName,
    BirthDate,
    GradeLevel,
    Language,
    EnglishLearner,
    EconomicallyDisadvantaged,
    Status,
}

#[derive(DeriveIden)]
enum School {
    Table,
}

#[derive(DeriveIden)]
enum Enrollment {
    Table,
    StudentId,
    SchoolId,
    EntryDate,
    ExitDate,
    ExitReason,
    GradeLevel,
    IsPrimary,
}

#[derive(DeriveIden)]
enum Guardian {
    Table,
    FirstName,
    LastName,
    Email,
    Phone,
    Language,
}

#[derive(DeriveIden)]
enum StudentGuardian {
    Table,
    StudentId,
    GuardianId,
    Relationship,
    LivesWith,
    ContactPriority,
    Restriction,
}

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000002_students"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                synced_table(Student::Table)
                    .col(string_null(Student::LocalId))
                    .col(string_null(Student::StateId))
                    .col(sortable(manager, string(Student::LegalFirstName)))
                    .col(sortable(manager, string(Student::LegalLastName)))
                    .col(string_null(Student::PreferredName))
                    .col(date_null(Student::BirthDate))
                    .col(sortable(manager, string(Student::GradeLevel)))
                    .col(string_null(Student::Language))
                    .col(boolean(Student::EnglishLearner).default(false))
                    .col(boolean(Student::EconomicallyDisadvantaged).default(false))
                    .col(string(Student::Status))
                    .to_owned(),
            )
            .await?;
        sourced_id_index(manager, "ux_student_sourced_id", Student::Table).await?;
        // Keyset pagination in the default order (last name, first name, id).
        index(
            manager,
            "ix_student_district_name",
            Student::Table,
            vec![
                Common::DistrictId.into_iden(),
                Student::LegalLastName.into_iden(),
                Student::LegalFirstName.into_iden(),
                Common::Id.into_iden(),
            ],
            false,
        )
        .await?;
        index(
            manager,
            "ix_student_district_local_id",
            Student::Table,
            vec![Common::DistrictId.into_iden(), Student::LocalId.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                synced_table(Enrollment::Table)
                    .col(uuid(Enrollment::StudentId))
                    .col(uuid(Enrollment::SchoolId))
                    .col(date(Enrollment::EntryDate))
                    .col(date_null(Enrollment::ExitDate))
                    .col(string_null(Enrollment::ExitReason))
                    .col(string(Enrollment::GradeLevel))
                    .col(boolean(Enrollment::IsPrimary).default(true))
                    .foreign_key(&mut references(
                        Enrollment::Table,
                        Enrollment::StudentId,
                        Student::Table,
                    ))
                    .foreign_key(&mut references(
                        Enrollment::Table,
                        Enrollment::SchoolId,
                        School::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        sourced_id_index(manager, "ux_enrollment_sourced_id", Enrollment::Table).await?;
        index(
            manager,
            "ix_enrollment_student",
            Enrollment::Table,
            vec![Enrollment::StudentId.into_iden()],
            false,
        )
        .await?;
        // Students of a school, and the policy's "enrolled in one of my schools" check.
        index(
            manager,
            "ix_enrollment_school_student",
            Enrollment::Table,
            vec![
                Enrollment::SchoolId.into_iden(),
                Enrollment::StudentId.into_iden(),
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                synced_table(Guardian::Table)
                    .col(string(Guardian::FirstName))
                    .col(string(Guardian::LastName))
                    .col(string_null(Guardian::Email))
                    .col(string_null(Guardian::Phone))
                    .col(string_null(Guardian::Language))
                    .to_owned(),
            )
            .await?;
        sourced_id_index(manager, "ux_guardian_sourced_id", Guardian::Table).await?;

        manager
            .create_table(
                crate::columns::tenant_table(StudentGuardian::Table)
                    .col(uuid(StudentGuardian::StudentId))
                    .col(uuid(StudentGuardian::GuardianId))
                    .col(string(StudentGuardian::Relationship))
                    .col(boolean(StudentGuardian::LivesWith).default(false))
                    .col(integer(StudentGuardian::ContactPriority).default(1))
                    .col(string_null(StudentGuardian::Restriction))
                    .col(timestamp_with_time_zone_null(Common::DeletedAt))
                    .foreign_key(&mut references(
                        StudentGuardian::Table,
                        StudentGuardian::StudentId,
                        Student::Table,
                    ))
                    .foreign_key(&mut references(
                        StudentGuardian::Table,
                        StudentGuardian::GuardianId,
                        Guardian::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ux_student_guardian",
            StudentGuardian::Table,
            vec![
                StudentGuardian::StudentId.into_iden(),
                StudentGuardian::GuardianId.into_iden(),
            ],
            true,
        )
        .await?;
        index(
            manager,
            "ix_student_guardian_guardian",
            StudentGuardian::Table,
            vec![StudentGuardian::GuardianId.into_iden()],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            StudentGuardian::Table.into_iden(),
            Guardian::Table.into_iden(),
            Enrollment::Table.into_iden(),
            Student::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
