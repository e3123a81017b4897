//! Guards that keep one hostile request from taking the server down, each at the depth where
//! the harm starts: nesting before the (recursive) parser runs, the size of the query with its
//! fragments expanded before the validator walks every copy, parsing and validating a large
//! query off the runtime's workers, and SQL statements while it runs.

use std::{
    collections::{HashMap, HashSet},
    sync::atomic::{AtomicBool, Ordering},
};

use async_graphql::{
    Pos, Request, Response, ServerError, ServerResult, ValidationResult,
    parser::types::{ExecutableDocument, Selection, SelectionSet},
};
use tokio::runtime::{Handle, RuntimeFlavor};

use crate::db::StatementBudget;

/// Deepest nesting of brackets, braces and parentheses a query may have, fragments included.
/// async-graphql recurses once per level of a value while it converts and validates it, and
/// overflows a 2 MiB worker stack, aborting the process: at about 1,600 levels optimised, 300
/// in a debug build. 64 is far below that and far above any query the depth limit lets run.
pub const MAX_NESTING: usize = 64;

/// Queries longer than this are parsed and validated off the runtime's workers. Both cost
/// about 1 µs a byte in a debug build (eight 600 KB queries at once held `/healthz` for 4.7 s
/// on two workers), a tenth of that optimised: a short query is not worth moving.
const LARGE_QUERY_BYTES: usize = 16 * 1024;

/// The guards of one request (see the module comment): they refuse deep and oversized
/// queries before parsing and validation, parse and validate large ones off the runtime's
/// workers, and stop a request that runs more SQL statements than its [`StatementBudget`].
/// `checks::Checks` calls them.
pub(super) struct Guards {
    /// Most fields a query may select, fragments expanded (see `Limits::max_fields`).
    max_fields: usize,
    /// Whether the query is longer than [`LARGE_QUERY_BYTES`].
    large: AtomicBool,
}

impl Guards {
    /// Refuses `request` if it nests too deep or selects too many fields; parses it.
    fn check(&self, request: &mut Request) -> ServerResult<()> {
        if let Some(at) = too_deep(&request.query, MAX_NESTING) {
            return Err(ServerError::new(
                format!("the query is nested more than {MAX_NESTING} levels deep"),
                Some(position(&request.query, at)),
            ));
        }
        // Parsed here once; the schema reuses the document.
        let fields = expanded_fields(request.parsed_query()?)?;
        if fields > self.max_fields {
            return Err(ServerError::new(
                format!(
                    "the query selects {fields} fields with its fragments expanded; at most {} are allowed",
                    self.max_fields
                ),
                None,
            ));
        }
        Ok(())
    }

    /// Runs `work` (CPU only) where it holds no worker of the runtime if the query is large:
    /// the worker's other tasks move to another thread meanwhile.
    fn off_the_workers<T>(&self, work: impl FnOnce() -> T) -> T {
        let multi_thread = Handle::try_current()
            .is_ok_and(|runtime| runtime.runtime_flavor() == RuntimeFlavor::MultiThread);
        if multi_thread && self.large.load(Ordering::Relaxed) {
            tokio::task::block_in_place(work)
        } else {
            work()
        }
    }
}

impl Guards {
    pub(super) fn new(max_fields: usize) -> Self {
        Self {
            max_fields,
            large: AtomicBool::new(false),
        }
    }

    /// Refuses `request` if it nests too deep or selects too many fields, and parses it (off
    /// the workers if it is large).
    pub(super) fn prepare(&self, request: &mut Request) -> ServerResult<()> {
        self.large
            .store(request.query.len() > LARGE_QUERY_BYTES, Ordering::Relaxed);
        self.off_the_workers(|| self.check(request))
    }

    /// Validates (`validate`: the next step of the chain) off the workers if the query is large.
    pub(super) async fn validate(
        &self,
        validate: impl Future<Output = Result<ValidationResult, Vec<ServerError>>>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        if !self.large.load(Ordering::Relaxed) {
            return validate.await;
        }
        // Validation is synchronous work behind a future that is ready at once.
        self.off_the_workers(|| futures::executor::block_on(validate))
    }
}

/// Runs `execute` (the rest of the request) within the request's statement `budget`, if it
/// has one: past it the request stops with an error that says so.
pub(super) async fn within_budget(
    budget: Option<&StatementBudget>,
    execute: impl Future<Output = Response>,
) -> Response {
    let Some(budget) = budget else {
        return execute.await;
    };
    // The budget is looked at first on every wake-up: polled first, the request would go on
    // running every statement that became ready meanwhile (on a loaded machine, all of them).
    tokio::select! {
        biased;
        () = budget.exceeded() => Response::from_errors(vec![ServerError::new(
            format!(
                "the request ran more than {} SQL statements, the most one request may run; ask for less at once",
                budget.cap
            ),
            None,
        )]),
        response = execute => response,
    }
}

/// Whether the parser can take `query` safely: it nests at most [`MAX_NESTING`] levels deep.
pub fn parsable(query: &str) -> bool {
    too_deep(query, MAX_NESTING).is_none()
}

/// The byte offset where `query` first nests deeper than `limit`, if it does. A lexical scan:
/// brackets inside strings, block strings and comments do not count.
fn too_deep(query: &str, limit: usize) -> Option<usize> {
    let bytes = query.as_bytes();
    let mut depth = 0usize;
    let mut at = 0;
    while at < bytes.len() {
        let rest = &bytes[at..];
        at += match rest[0] {
            b'#' => rest
                .iter()
                .position(|&b| b == b'\n' || b == b'\r')
                .unwrap_or(rest.len()),
            b'"' if rest.starts_with(b"\"\"\"") => block_string_length(rest),
            b'"' => string_length(rest),
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > limit {
                    return Some(at);
                }
                1
            }
            b'}' | b']' | b')' => {
                depth = depth.saturating_sub(1);
                1
            }
            _ => 1,
        };
    }
    None
}

/// Bytes of the `"..."` string `text` starts with (to the end of the line if unterminated,
/// which the parser reports).
fn string_length(text: &[u8]) -> usize {
    let mut at = 1;
    while at < text.len() {
        match text[at] {
            b'\\' => at += 2,
            b'"' => return at + 1,
            b'\n' | b'\r' => return at,
            _ => at += 1,
        }
    }
    text.len()
}

/// Bytes of the `"""..."""` block string `text` starts with (`\"""` does not end it).
fn block_string_length(text: &[u8]) -> usize {
    let mut at = 3;
    while at < text.len() {
        if text[at..].starts_with(b"\\\"\"\"") {
            at += 4;
        } else if text[at..].starts_with(b"\"\"\"") {
            return at + 3;
        } else {
            at += 1;
        }
    }
    text.len()
}

/// The line and column (1-based, in characters) of byte `offset` of `text`.
fn position(text: &str, offset: usize) -> Pos {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    Pos {
        line: before.matches('\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
    }
}

/// Fields (spreads and inline fragments count as one each) the document selects with every
/// fragment spread expanded: in each operation, which execution runs, and in each fragment
/// definition, which validation walks too. Each fragment's size is computed once, so a chain
/// of fragments spreading the previous twice costs its length, not 2^length.
fn expanded_fields(document: &ExecutableDocument) -> ServerResult<usize> {
    let mut sizes = Sizes {
        document,
        known: HashMap::new(),
        open: HashSet::new(),
    };
    let mut total = 0usize;
    for (_, operation) in document.operations.iter() {
        total = total.saturating_add(sizes.of_set(&operation.node.selection_set.node, 0)?);
    }
    for name in document.fragments.keys() {
        total = total.saturating_add(sizes.of_fragment(name, 0)?);
    }
    Ok(total)
}

/// The expanded size of each fragment, worked out once.
struct Sizes<'a> {
    document: &'a ExecutableDocument,
    known: HashMap<&'a str, usize>,
    /// Fragments being sized: spreading one of them again is a cycle.
    open: HashSet<&'a str>,
}

impl<'a> Sizes<'a> {
    fn of_set(&mut self, set: &'a SelectionSet, depth: usize) -> ServerResult<usize> {
        if set.items.is_empty() {
            return Ok(0);
        }
        // The text is at most MAX_NESTING deep; spreads can nest further, and this recursion
        // must stay shallow.
        if depth > MAX_NESTING {
            return Err(ServerError::new(
                format!(
                    "the query is nested more than {MAX_NESTING} levels deep, counting fragment spreads"
                ),
                Some(set.items[0].pos),
            ));
        }
        let mut total = 0usize;
        for item in &set.items {
            let inner = match &item.node {
                Selection::Field(field) => {
                    self.of_set(&field.node.selection_set.node, depth + 1)?
                }
                Selection::InlineFragment(fragment) => {
                    self.of_set(&fragment.node.selection_set.node, depth + 1)?
                }
                Selection::FragmentSpread(spread) => {
                    self.of_fragment(&spread.node.fragment_name.node, depth + 1)?
                }
            };
            total = total.saturating_add(1).saturating_add(inner);
        }
        Ok(total)
    }

    fn of_fragment(&mut self, name: &'a str, depth: usize) -> ServerResult<usize> {
        if let Some(&size) = self.known.get(name) {
            return Ok(size);
        }
        // An unknown fragment is validation's to report.
        let Some((name, fragment)) = self.document.fragments.get_key_value(name) else {
            return Ok(0);
        };
        if !self.open.insert(name) {
            return Err(ServerError::new(
                format!("the fragment \"{name}\" spreads itself"),
                Some(fragment.pos),
            ));
        }
        let size = self.of_set(&fragment.node.selection_set.node, depth)?;
        self.open.remove(name.as_str());
        self.known.insert(name, size);
        Ok(size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_measured_outside_strings_and_comments() {
        assert_eq!(too_deep("{ a { b } }", 2), None);
        assert_eq!(too_deep("{ a { b { c } } }", 2), Some(8));
        let quoted = r#"{ a(s: "[[[[\"[[[", t: """ {{{{ \""" [[[[ """) # (((((
        }"#;
        assert_eq!(too_deep(quoted, 2), None);
        assert_eq!(too_deep("[[[[", 3), Some(3));
        assert_eq!(too_deep("]]]] [[[", 3), None);
    }

    #[test]
    fn positions_are_lines_and_columns() {
        let text = "{\n  é { [[";
        let at = too_deep(text, 3).unwrap();
        let pos = position(text, at);
        assert_eq!((pos.line, pos.column), (2, 8));
    }

    fn fields(query: &str) -> ServerResult<usize> {
        expanded_fields(&async_graphql::parser::parse_query(query).unwrap())
    }

    #[test]
    fn fragments_are_counted_expanded_and_once() {
        assert_eq!(fields("{ a b { c } }").unwrap(), 3);
        // The operation: F1 (1) + its expansion (a, ...F0, b = 3 + 2); the definitions: 5 + 2.
        let chain = "{ ...F1 } fragment F1 on Q { a ...F0 ...F0 } fragment F0 on Q { b c }";
        assert_eq!(fields(chain).unwrap(), 1 + 7 + 7 + 2);
        let mut doubling = String::from("{ ...F60 } fragment F0 on Q { x }");
        for level in 1..=60 {
            let previous = level - 1;
            doubling.push_str(&format!(
                " fragment F{level} on Q {{ ...F{previous} ...F{previous} }}"
            ));
        }
        assert!(fields(&doubling).unwrap() > 1 << 60);
    }

    #[test]
    fn cycles_and_long_chains_are_refused() {
        let cycle = "{ ...A } fragment A on Q { ...B } fragment B on Q { ...A }";
        assert!(
            fields(cycle)
                .unwrap_err()
                .message
                .contains("spreads itself")
        );
        let mut chain = String::from("{ ...F0 }");
        for level in 0..1_000 {
            chain.push_str(&format!(" fragment F{level} on Q {{ ...F{} }}", level + 1));
        }
        chain.push_str(" fragment F1000 on Q { x }");
        assert!(
            fields(&chain)
                .unwrap_err()
                .message
                .contains("nested more than")
        );
    }
}
