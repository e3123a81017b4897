//! A KEY_CHANGE carries the record's natural key from before the change as well as the new one,
//! so a BI tool can move what it holds under the old key.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Change {
    Table,
    PreviousKey,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Change::Table)
                    .add_column(string_null(Change::PreviousKey))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Change::Table)
                    .drop_column(Change::PreviousKey)
                    .to_owned(),
            )
            .await
    }
}
