//! Where the change relay (to NATS JetStream) stands, per stream: the cursor of the last change
//! it published and JetStream acknowledged, so a restart of either side resumes there.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ChangeRelay {
    Table,
    Stream,
    Position,
    Seq,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ChangeRelay::Table)
                    .if_not_exists()
                    .col(string(ChangeRelay::Stream).primary_key())
                    .col(big_integer(ChangeRelay::Position))
                    .col(big_integer(ChangeRelay::Seq))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ChangeRelay::Table).to_owned())
            .await
    }
}
