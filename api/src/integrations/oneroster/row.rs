//! One data row, read by column name, and the parsers of the binding's value types.

use chrono::{DateTime, NaiveDate, Utc};

use super::{FileMode, ReadError, RowStatus, table::Table};

/// Whether a column may be empty.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Need {
    Required,
    Optional,
}

/// One data row, read by column name; each value that fails is recorded as an error.
pub(super) struct Row<'a> {
    table: Table,
    line: u64,
    fields: &'a [&'a str],
    errors: Vec<ReadError>,
}

impl<'a> Row<'a> {
    pub(super) fn new(table: Table, line: u64, fields: &'a [&'a str]) -> Self {
        Self {
            table,
            line,
            fields,
            errors: Vec::new(),
        }
    }

    /// The errors of the row's values read so far.
    pub(super) fn into_errors(self) -> Vec<ReadError> {
        self.errors
    }

    fn value(&self, column: &str) -> &'a str {
        let index = self.table.columns.iter().position(|name| *name == column);
        let index =
            index.unwrap_or_else(|| panic!("{column} is not a column of {}", self.table.file));
        self.fields[index]
    }

    pub(super) fn fail(&mut self, column: &str, message: impl Into<String>) {
        let error = ReadError::new(self.table.file, self.line, Some(column), message);
        self.errors.push(error);
    }

    /// The row's `sourcedId` (checked before any record is parsed).
    pub(super) fn sourced_id(&self) -> String {
        self.value("sourcedId").to_owned()
    }

    /// A text that may be empty.
    pub(super) fn optional(&self, column: &str) -> Option<String> {
        Some(self.value(column))
            .filter(|text| !text.is_empty())
            .map(str::to_owned)
    }

    /// A text that must not be empty.
    pub(super) fn required(&mut self, column: &str) -> Option<String> {
        let text = self.optional(column);
        if text.is_none() {
            self.fail(column, "required");
        }
        text
    }

    /// A comma-separated list (the binding's lists sit in one quoted field).
    pub(super) fn list(&self, column: &str) -> Vec<String> {
        self.value(column)
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// A value read by `parse`, whose error message names what was expected.
    pub(super) fn parse<T>(
        &mut self,
        column: &str,
        need: Need,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Option<T> {
        match self.value(column) {
            "" if need == Need::Required => {
                self.fail(column, "required");
                None
            }
            "" => None,
            text => parse(text)
                .map_err(|message| self.fail(column, message))
                .ok(),
        }
    }

    /// `status` and `dateLastModified`: empty in a bulk file, set in a delta file.
    pub(super) fn lifecycle(
        &mut self,
        mode: FileMode,
    ) -> (Option<RowStatus>, Option<DateTime<Utc>>) {
        if mode == FileMode::Bulk {
            for column in ["status", "dateLastModified"] {
                if !self.value(column).is_empty() {
                    self.fail(column, "must be empty in a bulk file");
                }
            }
            return (None, None);
        }
        let status = self.parse("status", Need::Required, |text| match text {
            "active" => Ok(RowStatus::Active),
            "tobedeleted" => Ok(RowStatus::ToBeDeleted),
            _ => Err(format!("`{text}` is not active or tobedeleted")),
        });
        let modified = self.parse("dateLastModified", Need::Required, timestamp);
        (status, modified)
    }
}

/// A full ISO 8601 timestamp with time and zone (RFC 3339), such as `2026-09-01T12:00:00Z`.
fn timestamp(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| {
            format!("`{text}` is not a timestamp with time and zone, such as 2026-09-01T12:00:00Z")
        })
}

/// A date written YYYY-MM-DD.
pub(super) fn date(text: &str) -> Result<NaiveDate, String> {
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(index, byte)| match index {
            4 | 7 => byte == b'-',
            _ => byte.is_ascii_digit(),
        });
    shaped
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| format!("`{text}` is not a date written YYYY-MM-DD"))
}

/// `true` or `false`, in lower case as the binding writes them.
pub(super) fn boolean(text: &str) -> Result<bool, String> {
    match text {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(format!("`{text}` is not true or false")),
    }
}

/// A closed list of tokens, some of which may allow `ext:` extensions.
pub(super) trait Vocabulary: Sized {
    /// The tokens, for the error message.
    const EXPECTED: &'static str;
    fn from_token(token: &str) -> Option<Self>;
}

/// A token of `T`'s vocabulary.
pub(super) fn token<T: Vocabulary>(text: &str) -> Result<T, String> {
    T::from_token(text).ok_or_else(|| format!("`{text}` is not one of {}", T::EXPECTED))
}

/// An extension token as the binding writes it: `ext:` and then letters, digits, `.`, `-`
/// or `_`; kept whole.
pub(super) fn extension(token: &str) -> Option<String> {
    let name = token.strip_prefix("ext:")?;
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    valid.then(|| token.to_owned())
}
