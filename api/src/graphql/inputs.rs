//! Every text and list a request passes in (arguments, input fields, variables, variable
//! defaults, cursors and ids alike) is checked once, here, before validation and execution: a
//! text within `validation::MAX_TEXT_CHARS` and free of control characters, a list within
//! `validation::MAX_LIST_ITEMS`. So no field can forget it, and no input reaches the database
//! in a form it cannot take (a NUL, a LIKE pattern too long, more bind parameters than allowed).
//! Tighter limits of single fields stay with the services that own them. The lists the schema
//! names as bulk lists (`field.argument.path`, e.g. `syncStudents.input.records`: the records
//! of an SIS sync) may hold up to `validation::MAX_BULK_ITEMS`; their items are held to the
//! usual limits.

use async_graphql::{
    Name, Pos, ServerResult, Variables,
    indexmap::IndexMap,
    parser::types::{ExecutableDocument, Selection, SelectionSet},
};
use async_graphql_value::{ConstValue, Value};

use crate::{
    errors::AppError,
    validation::{MAX_BULK_ITEMS, MAX_LIST_ITEMS, unacceptable_text},
};

/// Refuses a request whose input holds an unacceptable text or an oversized list, as
/// `BAD_USER_INPUT` naming the argument path (`filter.search`, `input.days`). `bulk_lists`
/// are the lists allowed `MAX_BULK_ITEMS`, as `field.argument.path`.
pub(super) fn check_document(
    document: &ExecutableDocument,
    variables: &Variables,
    bulk_lists: &[&str],
) -> ServerResult<()> {
    let at =
        |pos: Pos| move |error: AppError| async_graphql::Error::from(error).into_server_error(pos);
    let mut sets: Vec<&SelectionSet> = Vec::new();
    for (_, operation) in document.operations.iter() {
        for definition in &operation.node.variable_definitions {
            if let Some(default) = &definition.node.default_value {
                let path = format!("${}", definition.node.name.node);
                let within = Within {
                    field: None,
                    bulk_lists,
                    variables,
                };
                within
                    .check(&default.node, &path)
                    .map_err(at(default.pos))?;
            }
        }
        sets.push(&operation.node.selection_set.node);
    }
    sets.extend(
        document
            .fragments
            .values()
            .map(|f| &f.node.selection_set.node),
    );
    // Depth-first without recursion: how deep a query nests is not ours to trust here.
    while let Some(set) = sets.pop() {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let within = Within {
                        field: Some(&field.node.name.node),
                        bulk_lists,
                        variables,
                    };
                    for (name, value) in &field.node.arguments {
                        within
                            .check(&value.node, &name.node)
                            .map_err(at(value.pos))?;
                    }
                    sets.push(&field.node.selection_set.node);
                }
                Selection::InlineFragment(fragment) => sets.push(&fragment.node.selection_set.node),
                Selection::FragmentSpread(_) => {}
            }
        }
    }
    Ok(())
}

/// What a value of the document (which may name variables) or of the variables is made of.
enum Shape<'a, T> {
    Text(&'a str),
    List(&'a [T]),
    Object(&'a IndexMap<Name, T>),
    Variable(&'a Name),
    Other,
}

trait Input: Sized {
    fn shape(&self) -> Shape<'_, Self>;
}

impl Input for Value {
    fn shape(&self) -> Shape<'_, Self> {
        match self {
            Value::String(text) => Shape::Text(text),
            Value::List(items) => Shape::List(items),
            Value::Object(fields) => Shape::Object(fields),
            Value::Variable(name) => Shape::Variable(name),
            _ => Shape::Other,
        }
    }
}

impl Input for ConstValue {
    fn shape(&self) -> Shape<'_, Self> {
        match self {
            ConstValue::String(text) => Shape::Text(text),
            ConstValue::List(items) => Shape::List(items),
            ConstValue::Object(fields) => Shape::Object(fields),
            _ => Shape::Other,
        }
    }
}

/// Where values are checked: under which field (none for a variable's default), with the
/// request's variables.
struct Within<'a> {
    field: Option<&'a str>,
    bulk_lists: &'a [&'a str],
    variables: &'a Variables,
}

impl Within<'_> {
    /// Checks `value`, found at `path`; a variable is checked where it is used (an unset one
    /// takes its default, checked with the variable definitions).
    fn check<T: Input>(&self, value: &T, path: &str) -> Result<(), AppError> {
        match value.shape() {
            Shape::Text(text) => match unacceptable_text(text) {
                Some(why) => Err(AppError::bad_input(path, format!("{path} {why}"))),
                None => Ok(()),
            },
            Shape::List(items) if items.len() > self.most_items(path) => Err(AppError::bad_input(
                path,
                format!("{path} may hold at most {} items", self.most_items(path)),
            )),
            Shape::List(items) => items
                .iter()
                .enumerate()
                .try_for_each(|(i, item)| self.check(item, &format!("{path}.{i}"))),
            Shape::Object(fields) => fields
                .iter()
                .try_for_each(|(name, field)| self.check(field, &format!("{path}.{name}"))),
            Shape::Variable(name) => self
                .variables
                .get(name)
                .map_or(Ok(()), |value| self.check(value, path)),
            Shape::Other => Ok(()),
        }
    }

    /// The most items the list at `path` may hold.
    fn most_items(&self, path: &str) -> usize {
        let bulk = self.field.is_some_and(|field| {
            self.bulk_lists.iter().any(|list| {
                list.strip_prefix(field)
                    .and_then(|rest| rest.strip_prefix('.'))
                    == Some(path)
            })
        });
        if bulk { MAX_BULK_ITEMS } else { MAX_LIST_ITEMS }
    }
}
