//! Relay connections with keyset pagination (no OFFSET).
//!
//! A cursor is the ordering it belongs to, the row's sort key and its id, so that the next page
//! is "rows after this key" in SQL: stable while rows are added, and as fast on page 1,000 as on
//! page 1. `first` defaults to 50 and may not exceed 500. The sort key keeps its column's type
//! ([`CursorKey`]), so PostgreSQL compares a date with a date, not with text.

use std::sync::Arc;

use async_graphql::SimpleObject;
use futures::future::BoxFuture;
use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult,
    Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select, Value,
    sea_query::{Alias, Asterisk, Expr, ExprTrait, OverStatement, Query, WindowStatement},
};
use uuid::Uuid;

mod cursor;
mod fields;

use self::cursor::Cursor;
pub use self::cursor::CursorKey;
pub(crate) use self::fields::connection_type;
pub use self::fields::{OrderDirection, cost, cost_bounded, on_nodes, selects, selects_nested};
use crate::{
    db::loader::Keyed,
    errors::{AppError, AppResult},
};

pub const DEFAULT_PAGE_SIZE: usize = 50;
pub const MAX_PAGE_SIZE: usize = 500;

/// The arguments every connection field takes.
#[derive(Debug, Clone, Default)]
pub struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

impl PageArgs {
    pub fn new(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Self {
        Self {
            first,
            after,
            last,
            before,
        }
    }
}

/// Which slice of an ordered list a request wants.
struct Window {
    size: usize,
    /// Paging backwards (`last`/`before`).
    backward: bool,
    cursor: Option<Cursor>,
}

fn page_size(value: i32, field: &str) -> AppResult<usize> {
    match usize::try_from(value) {
        Ok(size) if size <= MAX_PAGE_SIZE => Ok(size),
        Ok(_) => Err(AppError::bad_input(
            field,
            format!("{field} may be at most {MAX_PAGE_SIZE}"),
        )),
        Err(_) => Err(AppError::bad_input(
            field,
            format!("{field} may not be negative"),
        )),
    }
}

impl PageArgs {
    fn window(&self, ordering: &str) -> AppResult<Window> {
        if self.first.is_some() && self.last.is_some() {
            return Err(AppError::bad_input(
                "last",
                "pass either first or last, not both",
            ));
        }
        if self.after.is_some() && self.before.is_some() {
            return Err(AppError::bad_input(
                "before",
                "pass either after or before, not both",
            ));
        }
        let backward = self.last.is_some() || (self.before.is_some() && self.first.is_none());
        let size = match (self.first, self.last) {
            (Some(first), _) => page_size(first, "first")?,
            (_, Some(last)) => page_size(last, "last")?,
            _ => DEFAULT_PAGE_SIZE,
        };
        let cursor = match (&self.after, &self.before) {
            (Some(after), _) => Some(Cursor::decode(after, "after", ordering)?),
            (_, Some(before)) => Some(Cursor::decode(before, "before", ordering)?),
            _ => None,
        };
        if cursor.is_some() && self.before.is_some() != backward {
            return Err(AppError::bad_input(
                "before",
                "use before with last, and after with first",
            ));
        }
        Ok(Window {
            size,
            backward,
            cursor,
        })
    }
}

/// How many rows a connection holds: known already, or counted only if a client asks.
#[derive(Clone)]
pub enum TotalCount {
    Known(usize),
    Deferred(Arc<dyn Fn() -> BoxFuture<'static, AppResult<u64>> + Send + Sync>),
}

impl TotalCount {
    pub async fn get(&self) -> AppResult<u64> {
        match self {
            Self::Known(count) => Ok(*count as u64),
            Self::Deferred(count) => count().await,
        }
    }
}

/// One page of a list, before it becomes a GraphQL connection type.
#[derive(Clone)]
pub struct Connection<T> {
    pub edges: Vec<(String, T)>,
    pub page_info: PageInfo,
    pub total: TotalCount,
}

impl<T> Connection<T> {
    /// The same page with each node converted (entity model -> GraphQL type).
    pub fn map<U>(self, f: impl Fn(T) -> U) -> Connection<U> {
        Connection {
            edges: self.edges.into_iter().map(|(c, n)| (c, f(n))).collect(),
            page_info: self.page_info,
            total: self.total,
        }
    }
}

/// Information about pagination in a connection (Relay).
#[derive(Debug, Clone, SimpleObject)]
pub struct PageInfo {
    /// Whether more items follow this page.
    pub has_next_page: bool,
    /// Whether items come before this page.
    pub has_previous_page: bool,
    /// The cursor of the first item of the page.
    pub start_cursor: Option<String>,
    /// The cursor of the last item of the page.
    pub end_cursor: Option<String>,
}

fn page<T>(
    mut rows: Vec<T>,
    window: &Window,
    cursor_of: impl Fn(&T) -> String,
    total: TotalCount,
) -> Connection<T> {
    let has_more = rows.len() > window.size;
    rows.truncate(window.size);
    if window.backward {
        rows.reverse();
    }
    let edges: Vec<(String, T)> = rows.into_iter().map(|row| (cursor_of(&row), row)).collect();
    let page_info = PageInfo {
        has_next_page: if window.backward {
            window.cursor.is_some()
        } else {
            has_more
        },
        has_previous_page: if window.backward {
            has_more
        } else {
            window.cursor.is_some()
        },
        start_cursor: edges.first().map(|(c, _)| c.clone()),
        end_cursor: edges.last().map(|(c, _)| c.clone()),
    };
    Connection {
        edges,
        page_info,
        total,
    }
}

/// A sort order of `E`: a non-null text, date or integer column, ties broken by id.
pub struct SortKey<E: EntityTrait> {
    /// Name of the ordering, written into cursors.
    pub name: &'static str,
    pub column: Option<E::Column>,
    pub key_of: fn(&E::Model) -> Option<CursorKey>,
    pub descending: bool,
}

impl<E: Keyed> SortKey<E> {
    /// The cursor of `row` in this order.
    fn cursor(&self, row: &E::Model) -> String {
        Cursor {
            o: self.name.to_string(),
            k: (self.key_of)(row).as_ref().map(CursorKey::to_json),
            i: E::id_of(row),
        }
        .encode()
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
    E: Keyed + Send + Sync + 'static,
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
        query = query.filter(after_cursor::<E>(sort.column, cursor, descending)?);
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
    E: Keyed + Default + Send + Sync + 'static,
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
        query = query.filter(after_cursor::<E>(sort.column, cursor, descending)?);
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
fn after_cursor<E: Keyed>(
    column: Option<E::Column>,
    cursor: &Cursor,
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
                    AppError::bad_input("after", "the cursor's sort key does not fit its ordering")
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
            return Err(AppError::bad_input("after", "the cursor lacks a sort key"));
        }
    })
}

/// One page of a list already loaded in full (bounded relations such as a student's
/// enrollments), in the list's own order.
pub fn paginate_loaded<T>(
    items: Vec<T>,
    id_of: fn(&T) -> Uuid,
    args: &PageArgs,
) -> AppResult<Connection<T>> {
    const ORDERING: &str = "loaded";
    let window = args.window(ORDERING)?;
    let total = TotalCount::Known(items.len());
    let mut items = items;
    if window.backward {
        items.reverse();
    }
    if let Some(cursor) = &window.cursor {
        let position = items
            .iter()
            .position(|item| id_of(item) == cursor.i)
            .ok_or_else(|| {
                AppError::bad_input(
                    "after",
                    "the cursor points at an item no longer in this list",
                )
            })?;
        items.drain(..=position);
    }
    items.truncate(window.size + 1);
    let cursor_of = |item: &T| {
        Cursor {
            o: ORDERING.into(),
            k: None,
            i: id_of(item),
        }
        .encode()
    };
    Ok(page(items, &window, cursor_of, total))
}
