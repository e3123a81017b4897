//! The OneRoster 1.2 CSV reader: a set (a zip file or a folder) turned into typed, validated
//! records, or into every error found (up to [`MAX_ERRORS`]), each naming file, line and column.
//!
//! Parsing only: no database. References between records (a role's user, an enrollment's
//! class) are kept as fields and not resolved here, since a delta may name records that only
//! exist from an earlier import. Files are read one at a time, entry by entry from the zip,
//! so a set never has to fit in memory as a whole.
//!
//! `classes.csv` is kept for its terms (they date a class's enrollments); `courses.csv` is
//! checked (header, `sourcedId`, `status`, `dateLastModified`, UTF-8, at least one row) and
//! its rows dropped: nothing here stores courses.

mod columns;
pub mod import;
mod manifest;
mod mapping;
mod records;
mod row;
mod source;
mod table;
mod vocabulary;

#[cfg(test)]
mod tests;

use std::{collections::BTreeMap, fmt, path::Path};

use chrono::{DateTime, Utc};

pub use self::records::{
    AcademicSession, Class, Demographics, Enrollment, EnrollmentRole, Org, OrgType, Role, RoleName,
    RoleType, SessionType, Sex, User, UserId,
};
use self::{manifest::Manifest, source::Source, table::Reading};

/// How many errors a read collects before it stops.
pub const MAX_ERRORS: usize = 100;

/// How the manifest says a file is sent. Files it calls `absent` are not in the set at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileMode {
    /// The whole of the file's records: `status` and `dateLastModified` are empty.
    Bulk,
    /// Changes only: each row has a `status` and a `dateLastModified`.
    Delta,
}

/// A delta row's `status`; bulk rows have none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowStatus {
    Active,
    ToBeDeleted,
}

/// A record with where it came from and, for delta rows, its status and time.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub file: &'static str,
    /// The 1-based line the row starts on (a quoted field may run over several lines).
    pub line: u64,
    pub status: Option<RowStatus>,
    pub date_last_modified: Option<DateTime<Utc>>,
    pub row: T,
}

/// One thing wrong with a set.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReadError {
    pub file: String,
    /// 1-based; 0 when the error is about the file as a whole (it is missing or unreadable).
    pub line: u64,
    /// The column at fault, when one is.
    pub column: Option<String>,
    pub message: String,
}

impl ReadError {
    fn new(file: &str, line: u64, column: Option<&str>, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            line,
            column: column.map(str::to_owned),
            message: message.into(),
        }
    }
}

/// `users.csv:12:birthDate: message`, leaving out a line of 0 and a missing column.
impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        if let Some(column) = &self.column {
            write!(f, ":{column}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ReadError {}

/// A set, read and valid. A file the manifest calls absent leaves its list empty and is not
/// in `modes`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OneRosterSet {
    /// Each file read (`"users.csv"`, ...) and how it was sent.
    pub modes: BTreeMap<&'static str, FileMode>,
    pub orgs: Vec<Located<Org>>,
    pub academic_sessions: Vec<Located<AcademicSession>>,
    pub users: Vec<Located<User>>,
    pub roles: Vec<Located<Role>>,
    pub enrollments: Vec<Located<Enrollment>>,
    pub demographics: Vec<Located<Demographics>>,
    /// Classes, for the terms that date their enrollments.
    pub classes: Vec<Located<Class>>,
}

/// Reads the set at `path`: a zip file, or a folder holding the CSV files. `progress` is
/// called now and then with the number of rows read so far.
pub fn read_path(
    path: &Path,
    progress: &mut dyn FnMut(u64),
) -> Result<OneRosterSet, Vec<ReadError>> {
    let mut source = Source::open(path).map_err(|error| vec![error])?;
    let mut reading = Reading::new(progress);
    let Some(manifest) = manifest::read(&mut source, &mut reading) else {
        return Err(reading.into_errors());
    };
    let mut files = Files {
        source: &mut source,
        manifest: &manifest,
        reading: &mut reading,
    };
    let set = OneRosterSet {
        modes: manifest.modes(),
        orgs: files.read(columns::ORGS, records::org),
        academic_sessions: files.read(columns::ACADEMIC_SESSIONS, records::academic_session),
        users: files.read(columns::USERS, records::user),
        roles: files.read(columns::ROLES, records::role),
        enrollments: files.read(columns::ENROLLMENTS, records::enrollment),
        demographics: files.read(columns::DEMOGRAPHICS, records::demographics),
        classes: files.read(columns::CLASSES, records::class),
    };
    files.read(columns::COURSES, |_| Some(()));
    reading.finish();
    let errors = reading.into_errors();
    if errors.is_empty() {
        Ok(set)
    } else {
        Err(errors)
    }
}

/// What reading one file after another needs.
struct Files<'a, 'p> {
    source: &'a mut Source,
    manifest: &'a Manifest,
    reading: &'a mut Reading<'p>,
}

impl Files<'_, '_> {
    /// The records of one file, when the manifest lists it; its errors go to `reading`.
    fn read<T>(
        &mut self,
        table: table::Table,
        parse: impl Fn(&mut row::Row<'_>) -> Option<T>,
    ) -> Vec<Located<T>> {
        let Some((mode, line)) = self.manifest.mode(table.file) else {
            return Vec::new();
        };
        if self.reading.full() {
            return Vec::new();
        }
        match self.source.open_file(table.file) {
            Ok(Some(input)) => table::read_table(input, table, mode, self.reading, parse),
            Ok(None) => {
                self.reading.push(ReadError::new(
                    manifest::FILE,
                    line,
                    Some("value"),
                    format!(
                        "{} is listed as {} but is not in the set",
                        table.file,
                        mode.as_str()
                    ),
                ));
                Vec::new()
            }
            Err(error) => {
                self.reading.push(error);
                Vec::new()
            }
        }
    }
}
