//! What a cursor holds: JSON `{o, k, i}` (the ordering, the row's sort key, its id), sealed
//! ([`CursorSeal`]) so that a client sees none of it and can change none of it.

use chrono::NaiveDate;
use sea_orm::{Value, sea_query::ColumnType};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::seal::CursorSeal;
use crate::{
    errors::{AppError, AppResult},
    validation::unacceptable_text,
};

/// A row's value in the column a list is sorted by, typed as that column is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CursorKey {
    Text(String),
    Date(NaiveDate),
    Int(i64),
}

impl From<String> for CursorKey {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<NaiveDate> for CursorKey {
    fn from(date: NaiveDate) -> Self {
        Self::Date(date)
    }
}

impl From<i64> for CursorKey {
    fn from(number: i64) -> Self {
        Self::Int(number)
    }
}

impl From<i32> for CursorKey {
    fn from(number: i32) -> Self {
        Self::Int(number.into())
    }
}

impl From<CursorKey> for Value {
    fn from(key: CursorKey) -> Self {
        match key {
            CursorKey::Text(text) => text.into(),
            CursorKey::Date(date) => date.into(),
            CursorKey::Int(number) => number.into(),
        }
    }
}

impl CursorKey {
    /// As the cursor keeps it: text and dates as strings, numbers as numbers.
    pub(super) fn to_json(&self) -> serde_json::Value {
        match self {
            Self::Text(text) => text.clone().into(),
            Self::Date(date) => date.format("%Y-%m-%d").to_string().into(),
            Self::Int(number) => (*number).into(),
        }
    }

    /// Reads a cursor's key as the type of the column it sorts by; `None` when it does not fit.
    pub(super) fn from_json(json: &serde_json::Value, column: &ColumnType) -> Option<Self> {
        match column {
            ColumnType::Date => NaiveDate::parse_from_str(json.as_str()?, "%Y-%m-%d")
                .ok()
                .map(Self::Date),
            ColumnType::TinyInteger
            | ColumnType::SmallInteger
            | ColumnType::Integer
            | ColumnType::BigInteger
            | ColumnType::TinyUnsigned
            | ColumnType::SmallUnsigned
            | ColumnType::Unsigned
            | ColumnType::BigUnsigned => json.as_i64().map(Self::Int),
            // Text, and what was compared as text before keys were typed.
            _ => json.as_str().map(|text| Self::Text(text.to_string())),
        }
    }
}

/// Where a row stands in an ordering.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Cursor {
    /// The ordering the cursor belongs to.
    pub(super) o: String,
    /// The row's sort key ([`CursorKey::to_json`]), when ordered by a column other than id.
    pub(super) k: Option<serde_json::Value>,
    pub(super) i: Uuid,
}

impl Cursor {
    pub(super) fn encode(&self, seal: &CursorSeal) -> String {
        seal.seal(&serde_json::to_vec(self).expect("a cursor serializes"))
    }

    /// The cursor `text` of the argument `field`, if `seal` sealed it for `ordering`.
    pub(super) fn decode(
        text: &str,
        field: &str,
        ordering: &str,
        seal: &CursorSeal,
    ) -> AppResult<Self> {
        let cursor: Cursor = seal
            .open(text)
            .and_then(|bytes| serde_json::from_slice::<Cursor>(&bytes).ok())
            // Only this server seals cursors, but a key that reached it must still be text the
            // database can take.
            .filter(|cursor| {
                let text = cursor.k.as_ref().and_then(serde_json::Value::as_str);
                text.is_none_or(|text| unacceptable_text(text).is_none())
            })
            .ok_or_else(|| AppError::bad_input(field, format!("{field} is not a valid cursor")))?;
        if cursor.o != ordering {
            return Err(AppError::bad_input(
                field,
                format!("{field} is a cursor of another ordering; use cursors of this query"),
            ));
        }
        Ok(cursor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
    }

    fn seal() -> CursorSeal {
        CursorSeal::derive(b"a secret that is long enough for the test")
    }

    fn json_of(cursor: &str) -> serde_json::Value {
        serde_json::from_slice(&seal().open(cursor).expect("sealed here")).expect("JSON")
    }

    fn cursor(key: CursorKey) -> String {
        Cursor {
            o: "list.order".into(),
            k: Some(key.to_json()),
            i: Uuid::nil(),
        }
        .encode(&seal())
    }

    #[test]
    fn text_keys_are_sealed_and_read_back() {
        let written = cursor(CursorKey::Text("Adams".into()));
        let held = serde_json::json!({ "o": "list.order", "k": "Adams", "i": Uuid::nil() });
        assert_eq!(json_of(&written), held);

        let read = Cursor::decode(&written, "after", "list.order", &seal()).expect("it reads");
        let key = CursorKey::from_json(read.k.as_ref().expect("a key"), &ColumnType::Text);
        assert_eq!(key, Some(CursorKey::Text("Adams".into())));
    }

    #[test]
    fn dates_and_numbers_keep_their_type() {
        let written = cursor(CursorKey::Date(date("2024-09-03")));
        let key = json_of(&written)["k"].clone();
        assert_eq!(key, "2024-09-03");
        assert_eq!(
            CursorKey::from_json(&key, &ColumnType::Date),
            Some(CursorKey::Date(date("2024-09-03")))
        );
        assert_eq!(
            Value::from(CursorKey::Date(date("2024-09-03"))),
            Value::from(date("2024-09-03")),
            "compared in SQL as a date, not as text"
        );

        let key = json_of(&cursor(CursorKey::Int(-42)))["k"].clone();
        assert_eq!(key, -42);
        assert_eq!(
            CursorKey::from_json(&key, &ColumnType::BigInteger),
            Some(CursorKey::Int(-42))
        );
        assert_eq!(Value::from(CursorKey::Int(-42)), Value::from(-42i64));
    }

    #[test]
    fn a_key_that_does_not_fit_its_column_is_refused() {
        let text = serde_json::json!("Adams");
        assert_eq!(CursorKey::from_json(&text, &ColumnType::Date), None);
        assert_eq!(CursorKey::from_json(&text, &ColumnType::Integer), None);
        let bad_date = serde_json::json!("2024-13-01");
        assert_eq!(CursorKey::from_json(&bad_date, &ColumnType::Date), None);
        let number = serde_json::json!(7);
        assert_eq!(CursorKey::from_json(&number, &ColumnType::Text), None);
    }

    #[test]
    fn a_cursor_of_another_ordering_or_no_cursor_is_bad_input() {
        let written = cursor(CursorKey::Date(date("2024-09-03")));
        let nul = cursor(CursorKey::Text("Ad\0ams".into()));
        for (text, words) in [
            (written.as_str(), "another ordering"),
            ("not a cursor", "not a valid cursor"),
            (nul.as_str(), "not a valid cursor"),
        ] {
            match Cursor::decode(text, "after", "other.order", &seal()) {
                Err(AppError::BadUserInput { message, .. }) => {
                    assert!(message.contains(words), "{message}")
                }
                other => panic!("expected bad input, got {other:?}"),
            }
        }
    }
}
