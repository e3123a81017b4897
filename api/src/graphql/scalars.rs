//! Scalars and enum mirrors shared by every domain.

use std::ops::RangeInclusive;

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{Datelike, NaiveDate, Utc};

/// A calendar date in ISO 8601 (`2026-09-01`), with no time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

/// The years a date may fall in: every birth date and record of a living student or staff
/// member, and any plan or review date, lies well within; four digits keep `YYYY-MM-DD` fixed
/// width, so dates stored as text (SQLite) sort and compare as dates.
pub const DATE_YEARS: RangeInclusive<i32> = 1900..=2200;

/// A calendar date in ISO 8601 `YYYY-MM-DD` (`2026-09-01`), no time zone, years 1900 to 2200.
/// Code generators map it to a string (or a date type with no time of day).
#[Scalar(
    name = "Date",
    specified_by_url = "https://scalars.graphql.org/andimarek/local-date.html"
)]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => parse_date(text).map(Date).map_err(InputValueError::custom),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    /// Lets validation refuse a bad date before anything runs, naming the argument.
    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(text) if parse_date(text).is_ok())
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

/// A moment in time, as the server records when a record was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime(pub chrono::DateTime<Utc>);

/// An instant in RFC 3339 (`2026-09-01T14:30:05.123456+00:00`): always in UTC, with up to
/// nanoseconds. Code generators map it to a string (or an instant type such as JavaScript's
/// `Date`). Only written by the server: no argument takes one.
#[Scalar(
    name = "DateTime",
    specified_by_url = "https://scalars.graphql.org/andimarek/date-time.html"
)]
impl ScalarType for DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => chrono::DateTime::parse_from_rfc3339(text)
                .map(|at| DateTime(at.to_utc()))
                .map_err(InputValueError::custom),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_rfc3339())
    }
}

/// `YYYY-MM-DD` exactly (chrono alone also takes `2026-1-5`, signs and five-digit years),
/// within [`DATE_YEARS`].
fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, byte)| match i {
            4 | 7 => byte == b'-',
            _ => byte.is_ascii_digit(),
        });
    let date = shaped
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
        .ok_or("not a date as YYYY-MM-DD")?;
    if DATE_YEARS.contains(&date.year()) {
        Ok(date)
    } else {
        Err(format!(
            "{text} is not within the years {} to {}",
            DATE_YEARS.start(),
            DATE_YEARS.end()
        ))
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
