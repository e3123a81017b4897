//! Change rows are written with their feed position at commit (`db::write`), never without one:
//! the index that found a transaction's unnumbered rows for the commit to number is unused.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX ix_change_unpositioned")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX ix_change_unpositioned ON change (seq) WHERE position IS NULL",
            )
            .await?;
        Ok(())
    }
}
