//! The change feed's order, given at commit: a transaction with change rows to write takes
//! the next position from the one-row `change_clock` (holding the row until it commits) and
//! writes its rows with it. Positions are visible in order: a writer takes position p + 1 only after
//! the one holding p has committed or rolled back (migration 000009 says why `seq` cannot be
//! the order).

use chrono::{TimeDelta, Utc};
use entity::change;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Select, TransactionTrait,
    sea_query::{Alias, Expr, ExprTrait, Query},
};

use crate::errors::{AppError, AppResult};

/// Takes the next position for the change rows `txn` writes just before it commits.
pub async fn take(txn: &DatabaseTransaction) -> AppResult<i64> {
    let clock = Alias::new("change_clock");
    let position = Alias::new("position");
    let next = Query::update()
        .table(clock)
        .value(position.clone(), Expr::col(position.clone()).add(1))
        .and_where(Expr::col(Alias::new("id")).eq(1))
        .returning_col(position)
        .to_owned();
    let row = txn
        .query_one(&next)
        .await?
        .ok_or_else(|| AppError::internal(std::io::Error::other("change_clock has no row")))?;
    Ok(row.try_get_by_index(0)?)
}

/// The position up to which changes were deleted: a cursor before it cannot be resumed.
pub async fn pruned_through(db: &impl ConnectionTrait) -> AppResult<i64> {
    let query = Query::select()
        .column(Alias::new("pruned_through"))
        .from(Alias::new("change_clock"))
        .to_owned();
    let row = db.query_one(&query).await?;
    Ok(row
        .map(|row| row.try_get_by_index(0))
        .transpose()?
        .unwrap_or(0))
}

/// Deletes the changes written more than `keep` ago (every district's), up to a position, and
/// keeps that position as where the feed now starts; how many were deleted.
pub async fn prune(db: &DatabaseConnection, keep: TimeDelta) -> AppResult<u64> {
    let txn = db.begin().await?;
    let through: Option<i64> = change::Entity::find()
        .select_only()
        .column_as(change::Column::Position.max(), "through")
        .filter(change::Column::ChangedAt.lt(Utc::now() - keep))
        .into_tuple()
        .one(&txn)
        .await?
        .flatten();
    let Some(through) = through else {
        return Ok(0);
    };
    let deleted = change::Entity::delete_many()
        .filter(change::Column::Position.lte(through))
        .exec(&txn)
        .await?
        .rows_affected;
    let moved = Query::update()
        .table(Alias::new("change_clock"))
        .value(Alias::new("pruned_through"), through)
        .and_where(Expr::col(Alias::new("pruned_through")).lt(through))
        .to_owned();
    txn.execute(&moved).await?;
    txn.commit().await?;
    Ok(deleted)
}

/// Prunes the feed every hour, keeping `keep` of it (a task of the server's). The first
/// prune is an hour after the start, not at once: a server starting (or a test's app) runs
/// no statement it did not ask for.
pub async fn prune_every_hour(db: DatabaseConnection, keep: TimeDelta) {
    let hour = std::time::Duration::from_secs(3600);
    let mut hourly = tokio::time::interval_at(tokio::time::Instant::now() + hour, hour);
    loop {
        hourly.tick().await;
        match prune(&db, keep).await {
            Ok(0) => {}
            Ok(deleted) => tracing::info!(deleted, "pruned the change feed"),
            Err(error) => tracing::warn!(%error, "could not prune the change feed"),
        }
    }
}

/// Committed changes after `cursor` (position, seq), in the feed's order: what a reader or
/// the relay takes next.
pub fn committed_after(cursor: Option<(i64, i64)>) -> Select<change::Entity> {
    let mut query = change::Entity::find().filter(change::Column::Position.is_not_null());
    if let Some((position, seq)) = cursor {
        query = query.filter(
            Condition::any()
                .add(change::Column::Position.gt(position))
                .add(
                    Condition::all()
                        .add(change::Column::Position.eq(position))
                        .add(change::Column::Seq.gt(seq)),
                ),
        );
    }
    query
        .order_by_asc(change::Column::Position)
        .order_by_asc(change::Column::Seq)
}
