//! Opaque global ids: `base64url("Student:<uuid>")`. Each type with a global id names its own
//! kind ([`NodeType`]), so this module names no domain.

use async_graphql::ID;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use uuid::Uuid;

use crate::{
    errors::{AppError, AppResult},
    validation::{Check, Outcome, UserError, UserErrorCode},
};

/// A GraphQL type whose records carry a global id of kind `KIND` (its GraphQL type name).
pub trait NodeType {
    const KIND: &'static str;
}

/// Implements [`NodeType`] with the type's own name as its kind.
macro_rules! node_type {
    ($($name:ident),+ $(,)?) => {$(
        impl $crate::graphql::ids::NodeType for $name {
            const KIND: &'static str = stringify!($name);
        }
    )+};
}
pub(crate) use node_type;

/// The global id of record `id` of type `T`.
pub fn encode<T: NodeType>(id: Uuid) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{id}", T::KIND)))
}

/// Splits a global id into its kind and UUID; `field` names the argument for the error.
pub fn decode(id: &ID, field: &str) -> AppResult<(String, Uuid)> {
    let invalid = || AppError::bad_input(field, format!("{field} is not a valid id"));
    let text = URL_SAFE_NO_PAD
        .decode(id.as_str())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(invalid)?;
    let (kind, uuid) = text.split_once(':').ok_or_else(invalid)?;
    if kind.is_empty() || !kind.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(invalid());
    }
    let uuid = Uuid::parse_str(uuid).map_err(|_| invalid())?;
    Ok((kind.to_string(), uuid))
}

/// The UUID of a global id that must name a `T`.
pub fn decode_as<T: NodeType>(id: &ID, field: &str) -> AppResult<Uuid> {
    match decode(id, field)? {
        (kind, uuid) if kind == T::KIND => Ok(uuid),
        _ => Err(AppError::bad_input(
            field,
            format!("{field} must be the id of a {}", T::KIND),
        )),
    }
}

/// NOT_FOUND for record `id` of a `T`, quoting its global id (what the client sent), never the
/// UUID inside it.
pub fn not_found<T: NodeType>(id: Uuid) -> AppError {
    AppError::not_found(T::KIND, encode::<T>(id).0)
}

/// The ids of one mutation's input. A malformed id, or one of the wrong kind, is a `userError`
/// on its field (the caller's to fix, like any other input) instead of a failed request.
#[derive(Default)]
pub struct InputIds {
    problems: Check,
    /// The record the mutation changes or writes under: its kind and the id as sent.
    target: Option<(&'static str, ID)>,
}

impl InputIds {
    /// Input field `field` (`studentId`, `days.3.schoolId`) as the UUID of a `T`. When it is
    /// not one the problem is kept and the nil UUID answered, never used: [`Self::refused`]
    /// stops the mutation first.
    pub fn of<T: NodeType>(&mut self, field: &str, id: &ID) -> Uuid {
        match decode(id, field) {
            Ok((kind, uuid)) if kind == T::KIND => return uuid,
            Ok(_) => self.problems.fail(
                field,
                UserErrorCode::Invalid,
                format!("{field} must be the id of a {}", T::KIND),
            ),
            Err(_) => self.problems.fail(
                field,
                UserErrorCode::Invalid,
                format!("{field} is not a valid id"),
            ),
        }
        Uuid::nil()
    }

    /// [`Self::of`] for the record the mutation changes (`id`) or writes under (`planId`),
    /// whose absence [`Self::found`] reports.
    pub fn target<T: NodeType>(&mut self, field: &str, id: &ID) -> Uuid {
        self.target = Some((T::KIND, id.clone()));
        self.of::<T>(field, id)
    }

    /// The problems with the ids, if any: the mutation answers them and writes nothing.
    pub fn refused(&mut self) -> Option<Vec<UserError>> {
        (!self.problems.is_empty()).then(|| std::mem::take(&mut self.problems).into_errors())
    }

    /// The write's outcome, with a target that does not exist (or is not the caller's) as
    /// NOT_FOUND quoting the id the client sent: the layers below know only its UUID and table.
    pub fn found<T>(&self, outcome: AppResult<Outcome<T>>) -> AppResult<Outcome<T>> {
        match (outcome, &self.target) {
            (Err(AppError::NotFound { .. }), Some((kind, sent))) => {
                Err(AppError::not_found(kind, sent.as_str()))
            }
            (outcome, _) => outcome,
        }
    }
}
