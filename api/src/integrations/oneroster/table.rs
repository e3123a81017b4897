//! Reading one CSV file of a set: the BOM, line ends, UTF-8, the header's order, and the
//! columns every data file starts with (`sourcedId`, `status`, `dateLastModified`); the rest of
//! a row is read by name through `row::Row`.

use std::{
    collections::{HashMap, HashSet, hash_map::Entry},
    io::{BufRead, BufReader, Read},
};

use super::{FileMode, Located, MAX_ERRORS, ReadError, row::Row};

/// A file of the binding and its columns, in the spec's order.
#[derive(Clone, Copy)]
pub(super) struct Table {
    pub(super) file: &'static str,
    pub(super) columns: &'static [&'static str],
}

/// The errors and the row count of a whole read.
pub(super) struct Reading<'p> {
    errors: Vec<ReadError>,
    rows: u64,
    progress: &'p mut dyn FnMut(u64),
}

/// How often `progress` hears from a read, in rows.
const PROGRESS_EVERY: u64 = 1_000;

impl<'p> Reading<'p> {
    pub(super) fn new(progress: &'p mut dyn FnMut(u64)) -> Self {
        Self {
            errors: Vec::new(),
            rows: 0,
            progress,
        }
    }

    /// Keeps the error unless [`MAX_ERRORS`] are already kept.
    pub(super) fn push(&mut self, error: ReadError) {
        if !self.full() {
            self.errors.push(error);
        }
    }

    pub(super) fn error_count(&self) -> usize {
        self.errors.len()
    }

    /// Whether reading should stop: more errors would not be kept.
    pub(super) fn full(&self) -> bool {
        self.errors.len() >= MAX_ERRORS
    }

    fn count_row(&mut self) {
        self.rows += 1;
        if self.rows.is_multiple_of(PROGRESS_EVERY) {
            (self.progress)(self.rows);
        }
    }

    /// Tells `progress` the final count.
    pub(super) fn finish(&mut self) {
        (self.progress)(self.rows);
    }

    pub(super) fn into_errors(self) -> Vec<ReadError> {
        self.errors
    }
}

/// Reads `input`'s header, checks it against `columns`, then hands each row's values of the
/// spec's columns (metadata columns left off) to `visit` with the row's line.
///
/// A file with a header and no rows is an error: the binding does not permit files without
/// data rows, and a bulk file without rows would otherwise read as "every record is gone".
pub(super) fn read_rows(
    input: impl Read,
    file: &'static str,
    columns: &[&str],
    reading: &mut Reading<'_>,
    mut visit: impl FnMut(u64, &[&str], &mut Reading<'_>),
) {
    let fail =
        |line, column: Option<&str>, message: String| ReadError::new(file, line, column, message);
    let mut input = BufReader::new(input);
    if let Err(error) = skip_bom(&mut input) {
        reading.push(fail(0, None, format!("cannot read: {error}")));
        return;
    }
    // Rows end at LF; a CR before it is cut off below. (Ending rows at CR too, csv's default,
    // numbers the line after a CRLF one short.)
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(input);
    let mut record = csv::ByteRecord::new();
    match read_record(&mut csv, &mut record) {
        Ok(true) => {}
        Ok(false) => {
            return reading.push(fail(1, None, "the file is empty: it needs a header".into()));
        }
        Err(error) => return reading.push(fail(1, None, format!("cannot read: {error}"))),
    }
    let Ok(header) = record
        .iter()
        .map(|name| std::str::from_utf8(name).map(str::to_owned))
        .collect::<Result<Vec<_>, _>>()
    else {
        return reading.push(fail(1, None, "the header is not valid UTF-8".into()));
    };
    if !check_header(file, &header, columns, reading) {
        return;
    }
    let mut rows = 0_u64;
    while !reading.full() {
        match read_record(&mut csv, &mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => {
                let line = error.position().map_or(0, |at| at.line());
                return reading.push(fail(line, None, format!("cannot read: {error}")));
            }
        }
        let line = record.position().map_or(0, |at| at.line());
        rows += 1;
        if record.len() != header.len() {
            let message = format!(
                "the row has {} fields; the header has {}",
                record.len(),
                header.len()
            );
            reading.push(fail(line, None, message));
            continue;
        }
        let mut fields = Vec::with_capacity(record.len());
        for (bytes, name) in record.iter().zip(&header) {
            match std::str::from_utf8(bytes) {
                Ok(text) => fields.push(text),
                Err(_) => reading.push(fail(line, Some(name), "not valid UTF-8".into())),
            }
        }
        if fields.len() == header.len() {
            visit(line, &fields[..columns.len()], reading);
        }
    }
    if rows == 0 {
        let message =
            "the file has a header but no rows: a file listed as bulk or delta needs at least one";
        reading.push(fail(1, None, message.into()));
    }
}

/// The next record, without the CR of a CRLF line end, skipping lines that only hold a CR.
fn read_record<R: Read>(
    csv: &mut csv::Reader<R>,
    record: &mut csv::ByteRecord,
) -> csv::Result<bool> {
    loop {
        if !csv.read_byte_record(record)? {
            return Ok(false);
        }
        let last = record.len().saturating_sub(1);
        let Some(field) = record.get(last).and_then(|field| field.strip_suffix(b"\r")) else {
            return Ok(true);
        };
        if last == 0 && field.is_empty() {
            continue;
        }
        let field = field.to_vec();
        record.truncate(last);
        record.push_field(&field);
        return Ok(true);
    }
}

/// The UTF-8 byte order mark, which the binding says to ignore.
const BOM: &[u8] = b"\xEF\xBB\xBF";

fn skip_bom(input: &mut impl BufRead) -> std::io::Result<()> {
    if input.fill_buf()?.starts_with(BOM) {
        input.consume(BOM.len());
    }
    Ok(())
}

/// The spec's columns, all of them, in its order; then only `metadata.*` columns, each once.
fn check_header(
    file: &str,
    header: &[String],
    columns: &[&str],
    reading: &mut Reading<'_>,
) -> bool {
    let fail = |column: &str, message: String| ReadError::new(file, 1, Some(column), message);
    for (index, expected) in columns.iter().enumerate() {
        match header.get(index) {
            Some(found) if found == expected => {}
            Some(found) if found.starts_with("metadata.") => {
                let message =
                    format!("expected `{expected}`: metadata columns go after the spec's columns");
                reading.push(fail(found, message));
                return false;
            }
            Some(found) => {
                let message = format!(
                    "expected `{expected}` as column {}; the spec's columns go in its order",
                    index + 1
                );
                reading.push(fail(found, message));
                return false;
            }
            None => {
                reading.push(fail(
                    expected,
                    "missing: the header lists every column of the spec".into(),
                ));
                return false;
            }
        }
    }
    let mut valid = true;
    let mut seen = HashSet::new();
    for extra in &header[columns.len()..] {
        let message = if extra.len() <= "metadata.".len() || !extra.starts_with("metadata.") {
            "only `metadata.*` columns may follow the spec's columns"
        } else if !seen.insert(extra) {
            "a column named twice"
        } else {
            continue;
        };
        reading.push(fail(extra, message.into()));
        valid = false;
    }
    valid
}

/// Reads one data file of `table`'s kind: the common columns checked here, the rest by `parse`.
/// A row with any error is left out, and its errors go to `reading`.
pub(super) fn read_table<T>(
    input: impl Read,
    table: Table,
    mode: FileMode,
    reading: &mut Reading<'_>,
    parse: impl Fn(&mut Row<'_>) -> Option<T>,
) -> Vec<Located<T>> {
    let mut first_lines: HashMap<String, u64> = HashMap::new();
    let mut records = Vec::new();
    let visit = |line, fields: &[&str], reading: &mut Reading<'_>| {
        reading.count_row();
        let mut row = Row::new(table, line, fields);
        if let Some(sourced_id) = row.required("sourcedId") {
            match first_lines.entry(sourced_id) {
                Entry::Occupied(first) => {
                    let (id, first) = (first.key(), first.get());
                    row.fail(
                        "sourcedId",
                        format!("duplicate sourcedId `{id}` (first on line {first})"),
                    );
                }
                Entry::Vacant(slot) => {
                    slot.insert(line);
                }
            }
        }
        let (status, date_last_modified) = row.lifecycle(mode);
        let record = parse(&mut row);
        let errors = row.into_errors();
        match record {
            Some(record) if errors.is_empty() => records.push(Located {
                file: table.file,
                line,
                status,
                date_last_modified,
                row: record,
            }),
            _ => errors.into_iter().for_each(|error| reading.push(error)),
        }
    };
    read_rows(input, table.file, table.columns, reading, visit);
    records
}
