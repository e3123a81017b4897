//! Opaque global ids: `base64url("Student:<uuid>")`. Each type with a global id names its own
//! kind ([`NodeType`]), so this module names no domain.

use async_graphql::ID;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use uuid::Uuid;

use crate::errors::{AppError, AppResult};

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
