//! Relay connections with keyset pagination (no OFFSET).
//!
//! A cursor is the ordering it belongs to, the row's sort key and its id, so that the next page
//! is "rows after this key" in SQL: stable while rows are added, and as fast on page 1,000 as on
//! page 1. `first` defaults to 50 and may not exceed 500. The sort key keeps its column's type
//! ([`CursorKey`]), so PostgreSQL compares a date with a date, not with text. Clients see the
//! cursor sealed ([`CursorSeal`]): opaque, and refused when changed.
//!
//! Lists paged in SQL are in `keyset`; lists already loaded in full are paged here.

use std::sync::Arc;

use async_graphql::Object;
use futures::future::BoxFuture;
use uuid::Uuid;

mod args;
mod cursor;
mod fields;
mod grouped;
mod keyset;
mod seal;

pub(crate) use self::fields::connection_type;
pub use self::{
    args::PageArgs,
    cursor::CursorKey,
    fields::{OrderDirection, cost, cost_bounded, on_nodes, selects, selects_nested},
    grouped::{GroupKey, Rows, paginate_grouped},
    keyset::{SortKey, paginate, paginate_per_parent},
    seal::CursorSeal,
};
use self::{args::Window, cursor::Cursor};
use crate::{
    db::loader::{End, EndRows},
    errors::AppResult,
};

pub const DEFAULT_PAGE_SIZE: usize = 50;
pub const MAX_PAGE_SIZE: usize = 500;

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
    pub edges: Vec<(EdgeCursor, T)>,
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

    /// The same page with each node converted by a conversion that may fail.
    pub fn try_map<U, E>(self, f: impl Fn(T) -> Result<U, E>) -> Result<Connection<U>, E> {
        let edges = self
            .edges
            .into_iter()
            .map(|(c, n)| Ok((c, f(n)?)))
            .collect::<Result<_, E>>()?;
        Ok(Connection {
            edges,
            page_info: self.page_info,
            total: self.total,
        })
    }
}

/// A row's cursor, sealed only when a client reads it (`cursor`, `startCursor`,
/// `endCursor`): most pages are read through `nodes`, and sealing every row's cursor of a
/// nested page (students, their plans, each plan's points) is work no one reads.
#[derive(Clone)]
pub struct EdgeCursor {
    cursor: Cursor,
    seal: CursorSeal,
}

impl EdgeCursor {
    /// The sealed text a client sends back as `after` or `before`.
    pub fn text(&self) -> String {
        self.cursor.encode(&self.seal)
    }
}

/// Information about pagination in a connection (Relay).
#[derive(Clone)]
pub struct PageInfo {
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub start: Option<EdgeCursor>,
    pub end: Option<EdgeCursor>,
}

/// Information about pagination in a connection (Relay).
#[Object]
impl PageInfo {
    /// Whether more items follow this page.
    async fn has_next_page(&self) -> bool {
        self.has_next_page
    }
    /// Whether items come before this page.
    async fn has_previous_page(&self) -> bool {
        self.has_previous_page
    }
    /// The cursor of the first item of the page.
    async fn start_cursor(&self) -> Option<String> {
        self.start.as_ref().map(EdgeCursor::text)
    }
    /// The cursor of the last item of the page.
    async fn end_cursor(&self) -> Option<String> {
        self.end.as_ref().map(EdgeCursor::text)
    }
}

fn page<T>(
    mut rows: Vec<T>,
    window: &Window,
    cursor_of: impl Fn(&T) -> Cursor,
    total: TotalCount,
) -> Connection<T> {
    let has_more = rows.len() > window.size;
    rows.truncate(window.size);
    if window.backward {
        rows.reverse();
    }
    let edges: Vec<(EdgeCursor, T)> = rows
        .into_iter()
        .map(|row| {
            let cursor = EdgeCursor {
                cursor: cursor_of(&row),
                seal: window.seal.clone(),
            };
            (cursor, row)
        })
        .collect();
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
        start: edges.first().map(|(c, _)| c.clone()),
        end: edges.last().map(|(c, _)| c.clone()),
    };
    Connection {
        edges,
        page_info,
        total,
    }
}

/// The loaded cursors' ordering: a list's own order, each row named by its id.
const LOADED: &str = "loaded";

/// One page of a list already loaded in full (bounded relations such as a student's
/// enrollments), in the list's own order.
pub fn paginate_loaded<T>(
    items: Vec<T>,
    id_of: fn(&T) -> Uuid,
    args: &PageArgs,
) -> AppResult<Connection<T>> {
    let window = args.window(LOADED)?;
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
                window.bad_cursor("the cursor points at an item no longer in this list")
            })?;
        items.drain(..=position);
    }
    Ok(loaded_page(items, id_of, &window, total))
}

/// The rows a page of a fully loaded list needs when it starts at neither cursor: its size
/// plus one (to tell whether more follow), from the start or (`last`) the end. `None` when a
/// cursor is given: that page needs the whole list ([`paginate_loaded`]).
pub fn loaded_end(args: &PageArgs) -> AppResult<Option<End>> {
    let window = args.window(LOADED)?;
    Ok(window.cursor.is_none().then_some(End {
        rows: window.size + 1,
        last: window.backward,
    }))
}

/// The page [`paginate_loaded`] would answer, from the rows [`loaded_end`] asked for (walking
/// from that end) and the length of the whole list: same items, same cursors.
pub fn paginate_loaded_end<T>(
    end: EndRows<T>,
    id_of: fn(&T) -> Uuid,
    args: &PageArgs,
) -> AppResult<Connection<T>> {
    let window = args.window(LOADED)?;
    Ok(loaded_page(
        end.rows,
        id_of,
        &window,
        TotalCount::Known(end.total),
    ))
}

/// A page of a loaded list from its rows past the cursor, in walk order.
fn loaded_page<T>(
    mut items: Vec<T>,
    id_of: fn(&T) -> Uuid,
    window: &Window,
    total: TotalCount,
) -> Connection<T> {
    items.truncate(window.size + 1);
    let cursor_of = |item: &T| Cursor {
        o: LOADED.into(),
        k: None,
        i: id_of(item),
    };
    page(items, window, cursor_of, total)
}
