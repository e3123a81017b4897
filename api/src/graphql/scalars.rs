//! Scalars and enum mirrors shared by every domain.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

/// A calendar date in ISO 8601 (`2026-09-01`), with no time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

/// A calendar date in ISO 8601 (`2026-09-01`), with no time zone.
#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Date)
                .map_err(|_| {
                    InputValueError::custom(format!("{text:?} is not a date (YYYY-MM-DD)"))
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

/// Declares a GraphQL enum that mirrors an entity enum (entities stay free of GraphQL), with
/// conversions both ways.
macro_rules! mirror_enum {
    ($(#[$meta:meta])* $name:ident = $db:path { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
        #[allow(clippy::enum_variant_names)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl From<$db> for $name {
            fn from(value: $db) -> Self {
                match value {
                    $(<$db>::$variant => Self::$variant),+
                }
            }
        }

        impl From<$name> for $db {
            fn from(value: $name) -> Self {
                match value {
                    $($name::$variant => Self::$variant),+
                }
            }
        }
    };
}
pub(crate) use mirror_enum;
