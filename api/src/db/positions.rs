//! The change feed's order, given at commit: a transaction that wrote change rows takes the
//! next position from the one-row `change_clock` (holding the row until it commits) and gives
//! it to its rows. Positions are visible in order: a writer takes position p + 1 only after
//! the one holding p has committed or rolled back (migration 000009 says why `seq` cannot be
//! the order).

use entity::change;
use sea_orm::{
    ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    sea_query::{Alias, Expr, ExprTrait, Query},
};

use crate::errors::{AppError, AppResult};

/// Numbers the change rows this transaction wrote (those without a position: other
/// transactions' are not visible to it), just before it commits.
pub async fn assign(txn: &DatabaseTransaction) -> AppResult<()> {
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
    let taken: i64 = row.try_get_by_index(0)?;
    change::Entity::update_many()
        .col_expr(change::Column::Position, Expr::value(taken))
        .filter(Expr::col(change::Column::Position).is_null())
        .exec(txn)
        .await?;
    Ok(())
}
