//! A referral sent without consent in a health or safety emergency (34 CFR 99.31(a)(10),
//! 99.36) keeps the articulable and significant threat it was sent for.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum AgencyReferral {
    Table,
    EmergencyThreat,
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AgencyReferral::Table)
                    .add_column(text_null(AgencyReferral::EmergencyThreat))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AgencyReferral::Table)
                    .drop_column(AgencyReferral::EmergencyThreat)
                    .to_owned(),
            )
            .await
    }
}
