//! The arguments of a connection field, and the slice of the list they ask for.

use super::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, cursor::Cursor, seal::CursorSeal};
use crate::errors::{AppError, AppResult};

/// The arguments every connection field takes, with the key that opens their cursors.
#[derive(Debug, Clone)]
pub struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
    seal: CursorSeal,
}

impl PageArgs {
    pub fn new(
        seal: &CursorSeal,
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
            seal: seal.clone(),
        }
    }

    pub(super) fn window(&self, ordering: &str) -> AppResult<Window> {
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
        let (text, field) = match (&self.after, &self.before) {
            (Some(after), _) => (Some(after), "after"),
            (_, Some(before)) => (Some(before), "before"),
            _ => (None, "after"),
        };
        let cursor = text
            .map(|text| Cursor::decode(text, field, ordering, &self.seal))
            .transpose()?;
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
            field,
            seal: self.seal.clone(),
        })
    }
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

/// Which slice of an ordered list a request wants.
pub(super) struct Window {
    pub(super) size: usize,
    /// Paging backwards (`last`/`before`).
    pub(super) backward: bool,
    pub(super) cursor: Option<Cursor>,
    /// The argument the cursor came in (`after` or `before`), named by errors about it.
    pub(super) field: &'static str,
    /// Seals the cursors of the page.
    pub(super) seal: CursorSeal,
}

impl Window {
    /// A refusal of the window's cursor.
    pub(super) fn bad_cursor(&self, message: &str) -> AppError {
        AppError::bad_input(self.field, message)
    }
}
