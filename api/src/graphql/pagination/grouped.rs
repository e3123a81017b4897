//! Keyset pages of grouped rows: the rows of an aggregate statement, which have no id of their
//! own, in the order of a composite key that identifies each. The rows after a cursor are a
//! condition on the statement's input rows, so a page deep into the list costs what the first
//! does. Forward only (`first`/`after`).

use std::sync::Arc;

use sea_orm::{
    Condition, ConnectionTrait, DatabaseConnection, FromQueryResult, Order,
    sea_query::{Alias, Expr, Query, SelectStatement},
};
use uuid::Uuid;

use super::{Connection, Cursor, PageArgs, TotalCount, page};
use crate::errors::{AppError, AppResult};

/// How the grouped rows of `T` are ordered and keyed.
pub struct GroupKey<T> {
    /// Name of the ordering, written into cursors.
    pub name: &'static str,
    /// What the rows are sorted by, ascending; together they identify a row.
    pub order: Vec<Expr>,
    /// A row's key: its first part (a UUID), and the rest as JSON.
    pub key_of: fn(&T) -> (Uuid, serde_json::Value),
    /// The input rows of the groups after a key; `None` when the key does not fit.
    pub after: fn(Uuid, &serde_json::Value) -> Option<Condition>,
}

/// Which of the grouped rows a statement is asked for.
pub enum Rows {
    /// All of them (to count them).
    All,
    /// A page's: those after the cursor (the condition; none on the first page), of which the
    /// page keeps the first `limit`. The statement places the condition where it limits the
    /// work (also on a bound of the groups it reads, say); the pager sorts and limits.
    Page {
        after: Option<Condition>,
        limit: u64,
    },
}

/// One page of the grouped rows `rows` selects, in `key` order; `totalCount` counts
/// `rows(Rows::All)`, only if asked.
pub async fn paginate_grouped<T>(
    db: &DatabaseConnection,
    key: &GroupKey<T>,
    args: &PageArgs,
    rows: impl Fn(Rows) -> SelectStatement,
) -> AppResult<Connection<T>>
where
    T: FromQueryResult + Send + Sync + 'static,
{
    let window = args.window(key.name)?;
    if window.backward {
        return Err(AppError::bad_input(
            "last",
            "this list pages forward only: use first and after",
        ));
    }
    let backend = db.get_database_backend();
    let total = {
        let mut count = Query::select();
        count
            .expr(Expr::cust("COUNT(*)"))
            .from_subquery(rows(Rows::All), Alias::new("grouped"));
        let (db, statement) = (db.clone(), backend.build(&count));
        TotalCount::Deferred(Arc::new(move || {
            let (db, statement) = (db.clone(), statement.clone());
            Box::pin(async move {
                let row = db.query_one_raw(statement).await?;
                Ok(row.map_or(Ok(0), |row| row.try_get_by_index::<i64>(0))? as u64)
            })
        }))
    };
    let after = match &window.cursor {
        Some(cursor) => Some(
            (key.after)(
                cursor.i,
                cursor.k.as_ref().unwrap_or(&serde_json::Value::Null),
            )
            .ok_or_else(|| window.bad_cursor("the cursor's key does not fit its ordering"))?,
        ),
        None => None,
    };
    let limit = window.size as u64 + 1;
    let mut query = rows(Rows::Page { after, limit });
    for expression in &key.order {
        query.order_by_expr(expression.clone(), Order::Asc);
    }
    query.limit(limit);
    let found = T::find_by_statement(backend.build(&query)).all(db).await?;
    let cursor_of = |row: &T| {
        let (i, k) = (key.key_of)(row);
        Cursor {
            o: key.name.to_string(),
            k: Some(k),
            i,
        }
    };
    Ok(page(found, &window, cursor_of, total))
}
