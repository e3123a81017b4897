//! Column sets that many tables share (DESIGN.md section 2: tenant, sync keys, timestamps,
//! optimistic version, soft delete).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
pub enum Common {
    Id,
    DistrictId,
    SourceSystem,
    SourcedId,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
    Version,
}

#[derive(DeriveIden)]
pub enum District {
    Table,
    Id,
}

/// A table with a UUID key, a district, timestamps and an optimistic-concurrency version.
pub fn tenant_table<T: IntoIden + 'static>(table: T) -> TableCreateStatement {
    let table = table.into_iden();
    let mut create = Table::create();
    create
        .table(table.clone())
        .if_not_exists()
        .col(pk_uuid(Common::Id))
        .col(uuid(Common::DistrictId))
        .col(timestamp_with_time_zone(Common::CreatedAt))
        .col(timestamp_with_time_zone(Common::UpdatedAt))
        .col(integer(Common::Version).default(1))
        .foreign_key(
            ForeignKey::create()
                .from(table, Common::DistrictId)
                .to(District::Table, District::Id)
                .on_delete(ForeignKeyAction::Restrict),
        );
    create
}

/// A tenant table whose rows integrations push: sync keys and a soft delete.
pub fn synced_table<T: IntoIden + 'static>(table: T) -> TableCreateStatement {
    let mut create = tenant_table(table);
    create
        .col(string_null(Common::SourceSystem))
        .col(string_null(Common::SourcedId))
        .col(timestamp_with_time_zone_null(Common::DeletedAt));
    create
}

/// `sourced_id` is unique per district and source system.
pub async fn sourced_id_index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
) -> Result<(), DbErr> {
    let columns = vec![
        Common::DistrictId.into_iden(),
        Common::SourceSystem.into_iden(),
        Common::SourcedId.into_iden(),
    ];
    index(manager, name, table, columns, true).await
}

/// A text column that sorts byte by byte on both backends (SQLite's default order), so that
/// orderings and keyset pages agree between SQLite and PostgreSQL whatever the server locale.
pub fn sortable(manager: &SchemaManager, mut column: ColumnDef) -> ColumnDef {
    if manager.get_database_backend() == sea_orm_migration::sea_orm::DbBackend::Postgres {
        column.extra("COLLATE \"C\"");
    }
    column
}

/// A foreign key from `table.column` to `target.id`.
pub fn references<T, C, U>(table: T, column: C, target: U) -> ForeignKeyCreateStatement
where
    T: IntoIden + 'static,
    C: IntoIden + 'static,
    U: IntoIden + 'static,
{
    ForeignKey::create()
        .from(table, column)
        .to(target, Common::Id)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

/// An index on `columns` of `table`.
pub async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    columns: Vec<DynIden>,
    unique: bool,
) -> Result<(), DbErr> {
    let mut statement = Index::create().name(name).table(table).to_owned();
    for column in columns {
        statement.col(column);
    }
    if unique {
        statement.unique();
    }
    manager.create_index(statement).await
}
