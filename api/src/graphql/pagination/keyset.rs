//! Keyset pages in SQL: rows after the cursor's (sort key, id), in one statement per list or
//! one for the pages of many parents.

use std::{collections::HashMap, sync::Arc};

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult,
    Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select, Value,
    sea_query::{Alias, Asterisk, Expr, ExprTrait, OverStatement, Query, WindowStatement},
};
use uuid::Uuid;

use super::{Connection, Cursor, CursorKey, PageArgs, TotalCount, Window, page};
use crate::{db::loader::Identified, errors::AppResult};

/// A sort order of `E`: a non-null text, date or integer column, ties broken by id.
pub struct SortKey<E: EntityTrait> {
    /// Name of the ordering, written into cursors.
    pub name: &'static str,
    pub column: Option<E::Column>,
    pub key_of: fn(&E::Model) -> Option<CursorKey>,
    pub descending: bool,
}

impl<E: EntityTrait> SortKey<E> {
    /// The order of ids alone: UUIDv7 ids are in the order the records were written.
    pub const fn by_id(name: &'static str, descending: bool) -> Self {
        Self {
            name,
            column: None,
            key_of: |_| None,
            descending,
        }
    }
}

impl<E: Identified> SortKey<E> {
    /// The cursor of `row` in this order.
    fn cursor(&self, row: &E::Model) -> Cursor {
        Cursor {
            o: self.name.to_string(),
            k: (self.key_of)(row).as_ref().map(CursorKey::to_json),
            i: E::id_of(row),
        }
    }
}

/// One page of `select` in `sort` order, paged in SQL; `totalCount` counts the same filter.
pub async fn paginate<E>(
    db: &DatabaseConnection,
    select: Select<E>,
    sort: &SortKey<E>,
    args: &PageArgs,
) -> AppResult<Connection<E::Model>>
where
    E: Identified + Send + Sync + 'static,
    E::Model: Send + Sync + Clone + 'static,
{
    let window = args.window(sort.name)?;
    let total = {
        let (db, select) = (db.clone(), select.clone());
        TotalCount::Deferred(Arc::new(move || {
            let (db, select) = (db.clone(), select.clone());
            Box::pin(async move { Ok(select.count(&db).await?) })
        }))
    };
    // Backward pages are read in reverse order, then turned around.
    let descending = sort.descending != window.backward;
    let order = if descending { Order::Desc } else { Order::Asc };
    let mut query = select;
    if let Some(cursor) = &window.cursor {
        query = query.filter(after_cursor::<E>(sort.column, cursor, &window, descending)?);
    }
    if let Some(column) = sort.column {
        query = query.order_by(column, order.clone());
    }
    let rows = query
        .order_by(E::id_column(), order)
        .limit(window.size as u64 + 1)
        .all(db)
        .await?;
    let cursor_of = |row: &E::Model| sort.cursor(row);
    Ok(page(rows, &window, cursor_of, total))
}

/// One page per parent in one query: the rows of `select` grouped by the `parent` expression
/// (a joined school id, or the one parent's id as a value), each group paged exactly as
/// [`paginate`] pages (same cursors), plus, when `count` (a selection asks `totalCount`), one
/// grouped count for the totals, run beside it. Two statements at most, however many
/// parents; every parent in `parents` gets a page, empty when it has no rows.
pub async fn paginate_per_parent<E>(
    db: &DatabaseConnection,
    parents: &[Uuid],
    select: Select<E>,
    parent: Expr,
    sort: &SortKey<E>,
    args: &PageArgs,
    count: bool,
) -> AppResult<HashMap<Uuid, Connection<E::Model>>>
where
    E: Identified + Default + Send + Sync + 'static,
    E::Model: Send + Sync + Clone + 'static,
{
    let window = args.window(sort.name)?;
    let backend = db.get_database_backend();
    let (parent_id, row_number, total) = (
        Alias::new("parent_id"),
        Alias::new("row_number"),
        Alias::new("total"),
    );

    // The count and the page are independent statements: run them at once.
    let counted = async {
        let mut totals: HashMap<Uuid, TotalCount> = HashMap::new();
        if count {
            let mut counts = select.clone().into_query();
            counts
                .clear_selects()
                .expr_as(parent.clone(), parent_id.clone())
                .expr_as(Expr::cust("COUNT(*)"), total.clone())
                .add_group_by([parent.clone()]);
            for row in db.query_all_raw(backend.build(&counts)).await? {
                totals.insert(
                    row.try_get::<Uuid>("", "parent_id")?,
                    TotalCount::Known(row.try_get::<i64>("", "total")? as usize),
                );
            }
        }
        AppResult::Ok(totals)
    };
    let descending = sort.descending != window.backward;
    let order = if descending { Order::Desc } else { Order::Asc };
    let mut query = select.clone();
    if let Some(cursor) = &window.cursor {
        query = query.filter(after_cursor::<E>(sort.column, cursor, &window, descending)?);
    }
    let mut numbering = WindowStatement::new();
    numbering.add_partition_by(parent.clone());
    if let Some(column) = sort.column {
        numbering.order_by((E::default(), column), order.clone());
    }
    numbering.order_by((E::default(), E::id_column()), order);
    let mut inner = query.into_query();
    inner
        .expr_as(parent.clone(), parent_id.clone())
        .expr_window_as(Expr::cust("ROW_NUMBER()"), numbering, row_number.clone());
    let paged = Query::select()
        .column(Asterisk)
        .from_subquery(inner, Alias::new("numbered"))
        .and_where(Expr::col(row_number.clone()).lte(window.size as i64 + 1))
        .order_by(parent_id.clone(), Order::Asc)
        .order_by(row_number, Order::Asc)
        .to_owned();
    let rows = async { Ok(db.query_all_raw(backend.build(&paged)).await?) };
    let (mut totals, rows) = futures::try_join!(counted, rows)?;

    for id in parents {
        totals.entry(*id).or_insert_with(|| {
            if count {
                return TotalCount::Known(0);
            }
            // Not asked for: counted only if some selection asks after all.
            let (db, id) = (db.clone(), *id);
            let select = select.clone().filter(parent.clone().eq(id));
            TotalCount::Deferred(Arc::new(move || {
                let (db, select) = (db.clone(), select.clone());
                Box::pin(async move { Ok(select.count(&db).await?) })
            }))
        });
    }
    let mut grouped: HashMap<Uuid, Vec<E::Model>> = HashMap::new();
    for row in rows {
        grouped
            .entry(row.try_get::<Uuid>("", "parent_id")?)
            .or_default()
            .push(E::Model::from_query_result(&row, "")?);
    }
    let cursor_of = |row: &E::Model| sort.cursor(row);
    Ok(totals
        .into_iter()
        .map(|(id, total)| {
            let rows = grouped.remove(&id).unwrap_or_default();
            (id, page(rows, &window, cursor_of, total))
        })
        .collect())
}

/// Rows strictly after `cursor` in the (column, id) order.
fn after_cursor<E: Identified>(
    column: Option<E::Column>,
    cursor: &Cursor,
    window: &Window,
    descending: bool,
) -> AppResult<Condition> {
    let id = E::id_column();
    let beyond_id = if descending {
        id.lt(cursor.i)
    } else {
        id.gt(cursor.i)
    };
    Ok(match (column, &cursor.k) {
        (None, _) => Condition::all().add(beyond_id),
        (Some(column), Some(key)) => {
            let key = Value::from(
                CursorKey::from_json(key, column.def().get_column_type()).ok_or_else(|| {
                    window.bad_cursor("the cursor's sort key does not fit its ordering")
                })?,
            );
            Condition::any()
                .add(if descending {
                    column.lt(key.clone())
                } else {
                    column.gt(key.clone())
                })
                .add(Condition::all().add(column.eq(key)).add(beyond_id))
        }
        (Some(_), None) => {
            return Err(window.bad_cursor("the cursor lacks a sort key"));
        }
    })
}
