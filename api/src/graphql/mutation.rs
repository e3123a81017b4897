//! What every mutation shares on the GraphQL side: `userErrors` (the problems of
//! `crate::validation`, the caller's to fix; nothing was written) and the payload types that
//! carry the changed object. The writes themselves are the domains' services.

use async_graphql::{Enum, SimpleObject};

use crate::validation;
pub use crate::validation::{Check, GRADE_LEVELS, UserErrorCode, duplicate};

/// Why a piece of input was refused.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[graphql(name = "UserErrorCode", remote = "crate::validation::UserErrorCode")]
pub enum UserErrorCodeType {
    /// A value is required.
    Required,
    /// The value has the wrong form.
    Invalid,
    /// The value lies outside its allowed range.
    OutOfRange,
    /// Two dates are in the wrong order.
    DatesOutOfOrder,
    /// A referenced record does not exist or is not visible to the caller.
    NotFound,
    /// The record would duplicate an existing one.
    Duplicate,
    /// The record's current state does not allow the change (a status it cannot move to).
    InvalidTransition,
}

/// A problem with one input field; the mutation changed nothing.
#[derive(SimpleObject, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[graphql(name = "UserError")]
pub struct UserErrorType {
    /// The input field at fault (`input.name`), when one is.
    pub field: Option<String>,
    /// A stable code clients can branch on.
    pub code: UserErrorCodeType,
    /// A sentence a person can act on.
    pub message: String,
}

impl From<validation::UserError> for UserErrorType {
    fn from(error: validation::UserError) -> Self {
        Self {
            field: error.field,
            code: error.code.into(),
            message: error.message,
        }
    }
}

/// The GraphQL form of input problems.
pub fn user_errors(errors: Vec<validation::UserError>) -> Vec<UserErrorType> {
    errors.into_iter().map(Into::into).collect()
}

/// Declares the payload of a mutation: the changed object, or the input problems.
macro_rules! payload_type {
    ($payload:ident, $field:ident, $node:ty, $doc:literal) => {
        #[doc = $doc]
        #[derive(async_graphql::SimpleObject, Default)]
        pub struct $payload {
            /// The record as it is after the mutation; null when `userErrors` is not empty.
            pub $field: Option<$node>,
            /// Problems with the input; when any are present nothing was changed.
            pub user_errors: Vec<$crate::graphql::mutation::UserErrorType>,
        }

        impl $payload {
            pub fn refused(user_errors: Vec<$crate::validation::UserError>) -> Self {
                Self {
                    $field: None,
                    user_errors: $crate::graphql::mutation::user_errors(user_errors),
                }
            }
            pub fn done(record: $node) -> Self {
                Self {
                    $field: Some(record),
                    user_errors: Vec::new(),
                }
            }
        }

        impl From<$crate::validation::Outcome<$node>> for $payload {
            fn from(outcome: $crate::validation::Outcome<$node>) -> Self {
                match outcome {
                    Ok(record) => Self::done(record),
                    Err(user_errors) => Self::refused(user_errors),
                }
            }
        }
    };
}
pub(crate) use payload_type;

/// `Some(new value)` when the client sent the field (null clears it), `None` when it left it out.
pub trait ChangeTo<T> {
    fn change(self) -> Option<Option<T>>;
}

impl<T> ChangeTo<T> for async_graphql::MaybeUndefined<T> {
    fn change(self) -> Option<Option<T>> {
        match self {
            async_graphql::MaybeUndefined::Undefined => None,
            async_graphql::MaybeUndefined::Null => Some(None),
            async_graphql::MaybeUndefined::Value(value) => Some(Some(value)),
        }
    }
}

/// Sets each column whose new value is `Some` (the audit log reads the columns set).
macro_rules! apply_changes {
    ($changes:ident; $($value:expr => $column:ident),+ $(,)?) => {$(
        if let Some(value) = $value {
            $changes.$column = sea_orm::ActiveValue::Set(value);
        }
    )+};
}
pub(crate) use apply_changes;
