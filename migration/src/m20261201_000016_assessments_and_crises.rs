//! Assessments, crisis incidents and safety plans (DESIGN.md section 2, "Social work").

use sea_orm_migration::{prelude::*, schema::*};

use crate::columns::{Common, index, references, tenant_table};

#[derive(DeriveIden)]
#[allow(clippy::enum_variant_names)] // the column is assessment.assessment_type
enum Assessment {
    Table,
    StudentId,
    StaffId,
    AssessmentType,
    Date,
    RiskLevel,
    Summary,
}

#[derive(DeriveIden)]
enum CrisisIncident {
    Table,
    StudentId,
    StaffId,
    CrisisType,
    Date,
    Response,
    FollowUp,
}

#[derive(DeriveIden)]
enum SafetyPlan {
    Table,
    StudentId,
    StaffId,
    CrisisIncidentId,
    CreatedOn,
    ReviewDate,
    EndedOn,
    Plan,
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
                tenant_table(Assessment::Table)
                    .col(uuid(Assessment::StudentId))
                    .col(uuid_null(Assessment::StaffId))
                    .col(string(Assessment::AssessmentType))
                    .col(date(Assessment::Date))
                    .col(string_null(Assessment::RiskLevel))
                    .col(text(Assessment::Summary))
                    .foreign_key(&mut references(
                        Assessment::Table,
                        Assessment::StudentId,
                        Student::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table(CrisisIncident::Table)
                    .col(uuid(CrisisIncident::StudentId))
                    .col(uuid_null(CrisisIncident::StaffId))
                    .col(string(CrisisIncident::CrisisType))
                    .col(date(CrisisIncident::Date))
                    .col(text(CrisisIncident::Response))
                    .col(text_null(CrisisIncident::FollowUp))
                    .foreign_key(&mut references(
                        CrisisIncident::Table,
                        CrisisIncident::StudentId,
                        Student::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table(SafetyPlan::Table)
                    .col(uuid(SafetyPlan::StudentId))
                    .col(uuid_null(SafetyPlan::StaffId))
                    .col(uuid_null(SafetyPlan::CrisisIncidentId))
                    .col(date(SafetyPlan::CreatedOn))
                    .col(date(SafetyPlan::ReviewDate))
                    .col(date_null(SafetyPlan::EndedOn))
                    .col(text(SafetyPlan::Plan))
                    .foreign_key(&mut references(
                        SafetyPlan::Table,
                        SafetyPlan::StudentId,
                        Student::Table,
                    ))
                    .foreign_key(&mut references(
                        SafetyPlan::Table,
                        SafetyPlan::CrisisIncidentId,
                        CrisisIncident::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        // Each by student and day: a student's records, and "a crisis or plan the same day".
        let indexes: [(&str, DynIden, Vec<DynIden>); 4] = [
            (
                "ix_assessment_student",
                Assessment::Table.into_iden(),
                vec![
                    Assessment::StudentId.into_iden(),
                    Assessment::Date.into_iden(),
                ],
            ),
            (
                "ix_crisis_incident_student",
                CrisisIncident::Table.into_iden(),
                vec![
                    CrisisIncident::StudentId.into_iden(),
                    CrisisIncident::Date.into_iden(),
                ],
            ),
            (
                "ix_safety_plan_student",
                SafetyPlan::Table.into_iden(),
                vec![
                    SafetyPlan::StudentId.into_iden(),
                    SafetyPlan::CreatedOn.into_iden(),
                ],
            ),
            (
                "ix_safety_plan_review",
                SafetyPlan::Table.into_iden(),
                vec![
                    Common::DistrictId.into_iden(),
                    SafetyPlan::ReviewDate.into_iden(),
                ],
            ),
        ];
        for (name, table, columns) in indexes {
            index(manager, name, table, columns, false).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SafetyPlan::Table.into_iden(),
            CrisisIncident::Table.into_iden(),
            Assessment::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
