//! Errors null the nearest nullable position, as the GraphQL spec says ("Handling Field
//! Errors"). async-graphql 7 does not: it drops an erroring field's key from its object (even a
//! non-null one), answers `null` for an object whose selected fields all failed (or were all
//! skipped: the spec answers `{}`), and lets a non-null `Float` come back `null` when it is not
//! finite. Clients that cache by key read a
//! dropped key as a miss and refetch forever, and `null` where the schema promises a value
//! breaks generated types. So every field passes through here (from `extensions::Hooks`, the
//! one extension): a failed field becomes `null`
//! when it is nullable; otherwise its parent does (an object, or a list item), and so on up,
//! to `data` itself.

use std::{
    collections::HashSet,
    sync::{
        Mutex, MutexGuard, PoisonError,
        atomic::{AtomicBool, Ordering},
    },
};

use async_graphql::{
    PathSegment, Pos, QueryPathNode, QueryPathSegment, Response, ServerError, ServerResult, Value,
    extensions::{ExtensionContext, NextResolve, ResolveInfo},
    registry::{MetaType, MetaTypeName},
};

use crate::errors::AppError;

/// One request's propagation of field errors to the nearest nullable position.
#[derive(Default)]
pub(super) struct Propagation {
    /// Errors of failed fields answered here with `null`; they join the response's errors.
    errors: Mutex<Vec<ServerError>>,
    /// Positions (a field's path, a list item's, or `""` for `data`) that must become `null`
    /// because a non-null field inside them failed.
    doomed: Mutex<HashSet<String>>,
    /// Whether `doomed` has any position, read without the lock on every field.
    any_doomed: AtomicBool,
}

impl Propagation {
    /// The executed `response` with the errors of fields answered `null`, and `null` data when
    /// a non-null field at the top failed.
    pub(super) fn finish(&self, mut response: Response) -> Response {
        response.errors.append(&mut lock(&self.errors));
        if lock(&self.doomed).contains("") {
            response.data = Value::Null;
        }
        response
    }

    /// Resolves one field (`next`), settling its errors and nulls.
    pub(super) async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        // A list item's nullability is its list's to judge (async-graphql passes list items
        // through here too, but with a type that always reads non-null).
        let item = matches!(info.path_node.segment, QueryPathSegment::Index(_));
        if info.is_for_introspection || item {
            return next.run(ctx, info).await;
        }
        let (path_node, return_type) = (info.path_node, info.return_type);
        let result = next.run(ctx, info).await;
        // The common case, kept cheap: nothing failed so far and no null where none may be.
        if let Ok(Some(value)) = &result
            && !self.any_doomed.load(Ordering::Relaxed)
            && complete(value, return_type)
        {
            return result;
        }
        // async-graphql drops skipped fields before execution, so an object field's selection
        // may be empty: the registry (pinned async-graphql, hidden API) says what the type is.
        let registry = &ctx.schema_env.registry;
        let object = registry
            .types
            .get(MetaTypeName::concrete_typename(return_type))
            .is_some_and(MetaType::is_composite);
        let (value, failed) = match result {
            Ok(None) => return Ok(None),
            Ok(Some(value)) => {
                let doomed = lock(&self.doomed);
                if doomed.is_empty() {
                    (settle(None, return_type, object, value), false)
                } else {
                    let position = path_node.to_string();
                    let failed = doomed.iter().any(|d| within(d, &position));
                    let value = settle(Some((&doomed, &position)), return_type, object, value);
                    (value, failed)
                }
            }
            Err(error) => {
                lock(&self.errors).push(error);
                (Value::Null, true)
            }
        };
        if value == Value::Null && return_type.ends_with('!') {
            if !failed {
                let error = AppError::internal(std::io::Error::other(format!(
                    "the non-null field {path_node} resolved to null"
                )));
                lock(&self.errors).push(ServerError {
                    path: path_of(path_node),
                    ..async_graphql::Error::from(error).into_server_error(Pos::default())
                });
            }
            let parent = path_node.parent.map(ToString::to_string);
            lock(&self.doomed).insert(parent.unwrap_or_default());
            self.any_doomed.store(true, Ordering::Relaxed);
        }
        Ok(Some(value))
    }
}

/// The response path of `node`, as errors carry it.
fn path_of(node: &QueryPathNode<'_>) -> Vec<PathSegment> {
    let mut path: Vec<PathSegment> = std::iter::once(node)
        .chain(node.parents())
        .map(|node| match node.segment {
            QueryPathSegment::Index(i) => PathSegment::Index(i),
            QueryPathSegment::Name(name) => PathSegment::Field(name.to_string()),
        })
        .collect();
    path.reverse();
    path
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Whether position `inner` is `outer` or lies inside it.
fn within(inner: &str, outer: &str) -> bool {
    inner
        .strip_prefix(outer)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// Whether `value` has no `null` where `ty` forbids one (in a list's items too).
fn complete(value: &Value, ty: &str) -> bool {
    match value {
        Value::Null => !ty.ends_with('!'),
        Value::List(items) => {
            item_type(ty).is_none_or(|item| items.iter().all(|v| complete(v, item)))
        }
        _ => true,
    }
}

/// `value` of type `ty`, with `null` carried up to the nearest nullable position in it: from
/// the doomed positions (when any; `position` is where `value` stands), and from list items
/// that are `null` where their type forbids it. `object`: the type names an object, interface
/// or union.
fn settle(doomed: Option<(&HashSet<String>, &str)>, ty: &str, object: bool, value: Value) -> Value {
    if doomed.is_some_and(|(doomed, position)| doomed.contains(position)) {
        return Value::Null;
    }
    match (value, item_type(ty)) {
        (Value::List(mut items), Some(item)) => {
            for (i, slot) in items.iter_mut().enumerate() {
                let position = doomed.map(|(doomed, position)| (doomed, format!("{position}.{i}")));
                let position = position.as_ref().map(|(doomed, p)| (*doomed, p.as_str()));
                *slot = settle(position, item, object, std::mem::take(slot));
                if *slot == Value::Null && item.ends_with('!') {
                    return Value::Null;
                }
            }
            Value::List(items)
        }
        // async-graphql answers `null` for an object none of whose fields is selected (all
        // skipped, or fragments on other types); the spec answers `{}`. Nothing else makes a
        // non-null object `null` without doom.
        (Value::Null, None) if object && ty.ends_with('!') => Value::Object(Default::default()),
        (value, _) => value,
    }
}

/// The item type of list type `ty` (`School!` of `[School!]!`), if it is a list.
fn item_type(ty: &str) -> Option<&str> {
    ty.strip_suffix('!')
        .unwrap_or(ty)
        .strip_prefix('[')?
        .strip_suffix(']')
}
