//! Each district keeps a secret salt from which its BI readers' student pseudonyms are made
//! (DESIGN.md section 4: "students as a salted per-district pseudonym that no other id joins
//! to"). Existing districts are given one here, from the operating system's random source.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::ConnectionTrait};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum District {
    Table,
    Id,
    PseudonymSalt,
}

/// 64 hex digits from two random (version 4) UUIDs: 244 random bits (as
/// `auth::pseudonym::new_salt` makes a new district's; a migration keeps its own copy, fixed in
/// time).
fn new_salt() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(District::Table)
                    .add_column(string(District::PseudonymSalt).default(""))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let ids = Query::select()
            .column(District::Id)
            .from(District::Table)
            .to_owned();
        for row in db.query_all(&ids).await? {
            let id: uuid::Uuid = row.try_get("", "id")?;
            let fill = Query::update()
                .table(District::Table)
                .value(District::PseudonymSalt, new_salt())
                .and_where(Expr::col(District::Id).eq(id))
                .to_owned();
            db.execute(&fill).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(District::Table)
                    .drop_column(District::PseudonymSalt)
                    .to_owned(),
            )
            .await
    }
}
