//! Students, enrollments, guardians and the student-guardian links.

use sea_orm_migration::{prelude::*, schema::*};

use crate::columns::{Common, references, sortable, sourced_id_index, synced_table};

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
        manager
            .create_index(sourced_id_index("ux_student_sourced_id", Student::Table))
            .await?;
        // Keyset pagination in the default order (last name, first name, id).
        manager
            .create_index(
                Index::create()
                    .name("ix_student_district_name")
                    .table(Student::Table)
                    .col(Common::DistrictId)
                    .col(Student::LegalLastName)
                    .col(Student::LegalFirstName)
                    .col(Common::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_student_district_local_id")
                    .table(Student::Table)
                    .col(Common::DistrictId)
                    .col(Student::LocalId)
                    .to_owned(),
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
        manager
            .create_index(sourced_id_index(
                "ux_enrollment_sourced_id",
                Enrollment::Table,
            ))
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_enrollment_student")
                    .table(Enrollment::Table)
                    .col(Enrollment::StudentId)
                    .to_owned(),
            )
            .await?;
        // Students of a school, and the policy's "enrolled in one of my schools" check.
        manager
            .create_index(
                Index::create()
                    .name("ix_enrollment_school_student")
                    .table(Enrollment::Table)
                    .col(Enrollment::SchoolId)
                    .col(Enrollment::StudentId)
                    .to_owned(),
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
        manager
            .create_index(sourced_id_index("ux_guardian_sourced_id", Guardian::Table))
            .await?;

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
        manager
            .create_index(
                Index::create()
                    .name("ux_student_guardian")
                    .table(StudentGuardian::Table)
                    .col(StudentGuardian::StudentId)
                    .col(StudentGuardian::GuardianId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_student_guardian_guardian")
                    .table(StudentGuardian::Table)
                    .col(StudentGuardian::GuardianId)
                    .to_owned(),
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
