//! `manifest.csv`: `propertyName,value` rows naming the binding's versions and, for each
//! file, `file.<name>` = `bulk` | `delta` | `absent`.

use std::collections::{BTreeMap, HashMap, hash_map::Entry};

use super::{
    FileMode, ReadError, columns,
    source::Source,
    table::{self, Reading},
};

pub(super) const FILE: &str = "manifest.csv";
const COLUMNS: &[&str] = &["propertyName", "value"];

/// The versions the binding's 1.2 manifests carry.
const VERSIONS: [(&str, &str); 2] = [("manifest.version", "1.0"), ("oneroster.version", "1.2")];

/// The files of the 1.2 binding; of these only those in `columns::READ` are read.
const SPEC_FILES: &[&str] = &[
    "academicSessions",
    "categories",
    "classes",
    "classResources",
    "courses",
    "courseResources",
    "demographics",
    "enrollments",
    "lineItemLearningObjectiveIds",
    "lineItems",
    "lineItemScoreScales",
    "orgs",
    "resources",
    "resultLearningObjectiveIds",
    "results",
    "resultScoreScales",
    "roles",
    "scoreScales",
    "userProfiles",
    "userResources",
    "users",
];

impl FileMode {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Self::Bulk => "bulk",
            Self::Delta => "delta",
        }
    }
}

/// The files to read, each with its mode and the manifest line that lists it.
pub(super) struct Manifest {
    files: BTreeMap<&'static str, (FileMode, u64)>,
}

impl Manifest {
    pub(super) fn mode(&self, file: &str) -> Option<(FileMode, u64)> {
        self.files.get(file).copied()
    }

    pub(super) fn modes(&self) -> BTreeMap<&'static str, FileMode> {
        self.files
            .iter()
            .map(|(file, (mode, _))| (*file, *mode))
            .collect()
    }
}

/// Reads and checks the manifest; `None` when it is missing or wrong (the errors are in
/// `reading`), since then no other file can be read with confidence.
pub(super) fn read(source: &mut Source, reading: &mut Reading<'_>) -> Option<Manifest> {
    let input = match source.open_file(FILE) {
        Ok(Some(input)) => input,
        Ok(None) => {
            reading.push(ReadError::new(
                FILE,
                0,
                None,
                "missing: a set needs a manifest.csv",
            ));
            return None;
        }
        Err(error) => {
            reading.push(error);
            return None;
        }
    };
    let before = reading.error_count();
    let mut properties: Vec<(String, String, u64)> = Vec::new();
    let mut lines: HashMap<String, u64> = HashMap::new();
    let mut problems = Vec::new();
    table::read_rows(input, FILE, COLUMNS, reading, |line, fields, _| {
        let (name, value) = (fields[0], fields[1]);
        match lines.entry(name.to_owned()) {
            Entry::Occupied(first) => {
                let message = format!("`{name}` is already set on line {}", first.get());
                problems.push(ReadError::new(FILE, line, Some("propertyName"), message));
            }
            Entry::Vacant(slot) => {
                slot.insert(line);
                properties.push((name.to_owned(), value.to_owned(), line));
            }
        }
    });
    let mut fail = |line, column: Option<&str>, message: String| {
        problems.push(ReadError::new(FILE, line, column, message));
    };
    for (name, expected) in VERSIONS {
        match properties.iter().find(|(property, ..)| property == name) {
            Some((_, value, _)) if value == expected => {}
            Some((_, value, line)) => {
                fail(
                    *line,
                    Some("value"),
                    format!("{name} is `{value}`; this reader reads {expected}"),
                );
            }
            None => fail(0, None, format!("missing the property {name} ({expected})")),
        }
    }
    let mut files = BTreeMap::new();
    for (name, value, line) in &properties {
        let Some(file) = name.strip_prefix("file.") else {
            continue;
        };
        if !SPEC_FILES.contains(&file) {
            fail(
                *line,
                Some("propertyName"),
                format!("`{name}` names no file of OneRoster 1.2"),
            );
            continue;
        }
        let mode = match value.as_str() {
            "bulk" => FileMode::Bulk,
            "delta" => FileMode::Delta,
            "absent" => continue,
            _ => {
                fail(
                    *line,
                    Some("value"),
                    format!("`{value}` is not bulk, delta or absent"),
                );
                continue;
            }
        };
        let read = columns::READ
            .iter()
            .find(|table| table.file.strip_suffix(".csv") == Some(file));
        if let Some(table) = read {
            files.insert(table.file, (mode, *line));
        }
    }
    if problems.is_empty() && reading.error_count() == before && files.is_empty() {
        let message = "lists no file this reader reads as bulk or delta";
        problems.push(ReadError::new(FILE, 0, None, message));
    }
    let valid = problems.is_empty() && reading.error_count() == before;
    problems.into_iter().for_each(|error| reading.push(error));
    valid.then_some(Manifest { files })
}
