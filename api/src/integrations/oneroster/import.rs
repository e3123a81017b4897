//! Importing a OneRoster set: read (every problem at file:line:column), mapped to the sync's
//! records, and pushed through the sync in one transaction: schools, students, staff,
//! guardians, then enrollments (each may name what came before). The import is atomic: it is
//! committed only when every record is good and it is not a dry run; a dry run pushes all of
//! it and rolls back, so its figures are those a real import would have. Importing the same
//! bulk set again changes nothing.

use std::collections::HashSet;

use entity::student;
use sea_orm::DatabaseConnection;
use serde::Serialize;

use super::{
    OneRosterSet, ReadError,
    mapping::{self, Origin},
};
use crate::{
    auth::Actor,
    db::{BATCH_ROWS, Write},
    errors::AppResult,
    integrations::sync::{
        CloseLimit, SyncMode, SyncOptions, SyncPayload, check_options, enrollments, guardians,
        schools, staff, students,
    },
    roster::{district, students::service as student_service},
};

/// How to import.
pub struct ImportOptions {
    /// The system the records are known by (`sourceSystem` of the sync).
    pub source_system: String,
    /// Report what the import would do, and write nothing.
    pub dry_run: bool,
    /// Let a bulk `enrollments.csv` close more of a school's enrollments than the guardrail
    /// allows.
    pub confirm_closures: bool,
    pub close_limit: CloseLimit,
}

/// What the import did (or would do) to one kind of record.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FileSummary {
    /// The file the records came from.
    pub file: &'static str,
    /// What they became here (`students`).
    pub records: &'static str,
    pub created: i32,
    pub updated: i32,
    pub unchanged: i32,
    pub closed: i32,
    pub errors: i32,
}

impl FileSummary {
    /// Nothing yet of `records` from `file`.
    fn empty(file: &'static str, records: &'static str) -> Self {
        Self {
            file,
            records,
            created: 0,
            updated: 0,
            unchanged: 0,
            closed: 0,
            errors: 0,
        }
    }
}

/// The answer of an import.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    /// Whether the import was written: false for a dry run and for a set with errors.
    pub applied: bool,
    pub summaries: Vec<FileSummary>,
    /// Every problem found, at file, line and column; when any, nothing was written.
    pub errors: Vec<ReadError>,
}

impl ImportReport {
    /// The report of a set that could not be read.
    pub fn unreadable(errors: Vec<ReadError>) -> Self {
        Self {
            applied: false,
            summaries: Vec::new(),
            errors,
        }
    }
}

impl ImportReport {
    /// The report as a person reads it: a line per kind of record, then every problem.
    pub fn text(&self, dry_run: bool) -> String {
        let mut text = String::new();
        let verb = if self.applied {
            "imported"
        } else if dry_run && self.errors.is_empty() {
            "dry run: would import"
        } else {
            "not imported"
        };
        text.push_str(&format!("{verb}:\n"));
        for s in &self.summaries {
            text.push_str(&format!(
                "  {:<16} {:<12} created {:>6}  updated {:>6}  unchanged {:>6}  closed {:>6}  errors {:>4}\n",
                s.file, s.records, s.created, s.updated, s.unchanged, s.closed, s.errors
            ));
        }
        for error in &self.errors {
            text.push_str(&format!("  {error}\n"));
        }
        text
    }
}

/// Imports `set` for `actor` (an SIS integration or a district admin); `on_written` hears
/// the records pushed after each kind.
pub async fn import(
    db: &DatabaseConnection,
    actor: &Actor,
    set: &OneRosterSet,
    options: &ImportOptions,
    on_written: &mut (dyn FnMut(usize) + Send),
) -> AppResult<ImportReport> {
    let delta = sync_options(options, SyncMode::Delta);
    check_options(actor, &delta, false)?;
    let batches = mapping::batches(set, actor.today);
    let refused = batches.refused.iter();
    let errors = refused.map(|(origin, column, message)| at(*origin, Some(column), message));
    let mut tally = Tally {
        report: ImportReport::unreadable(errors.collect()),
        written: 0,
        on_written,
    };
    let write = Write::begin(db, actor, None).await?;
    if let Some(name) = &batches.district_name {
        let renamed = district::rename(&write, name).await?;
        tally.report.summaries.push(FileSummary {
            updated: i32::from(renamed),
            unchanged: i32::from(!renamed),
            ..FileSummary::empty("orgs.csv", "district")
        });
    }
    let (schools_batch, records) = batches.schools.split();
    let payload = schools::push(&write, &delta, records).await?;
    tally.add(&schools_batch, ("orgs.csv", "schools"), payload);
    let (students_batch, records) = batches.students.split();
    let sent: Vec<String> = records.iter().map(|r| r.sourced_id.clone()).collect();
    let mut payload = students::push_owning(&write, &delta, records, &STUDENT_COLUMNS).await?;
    if batches.users_in_full {
        let sent = sent.iter().map(String::as_str).collect();
        payload.summary.closed = deactivate(&write, options, &sent, &mut tally.report).await?;
    }
    tally.add(&students_batch, ("users.csv", "students"), payload);
    let (staff_batch, records) = batches.staff.split();
    let payload = staff::push(&write, &delta, records).await?;
    tally.add(&staff_batch, ("users.csv", "staff"), payload);
    let (guardians_batch, records) = batches.guardians.split();
    let payload = guardians::push(&write, &delta, records).await?;
    tally.add(&guardians_batch, ("users.csv", "guardians"), payload);
    let mode = if batches.enrollments_in_full {
        SyncMode::Full
    } else {
        SyncMode::Delta
    };
    let guard = (options.close_limit, options.confirm_closures);
    let (enrollments_batch, records) = batches.enrollments.split();
    let payload = enrollments::push(&write, &sync_options(options, mode), records, guard).await?;
    tally.add(
        &enrollments_batch,
        ("enrollments.csv", "enrollments"),
        payload,
    );
    let (mut report, written) = (tally.report, tally.written);
    report.applied = report.errors.is_empty() && !options.dry_run;
    if report.applied {
        write.commit().await?;
        if written >= BATCH_ROWS {
            crate::db::analyze_after_bulk(db, &ROSTER_TABLES).await;
        }
    }
    Ok(report)
}

/// Makes the source's active students a bulk `users.csv` lacks inactive, within the
/// guardrail of closings (a truncated file must not withdraw a district); how many.
async fn deactivate(
    write: &Write<'_>,
    options: &ImportOptions,
    sent: &HashSet<&str>,
    report: &mut ImportReport,
) -> AppResult<i32> {
    let limit = usize::from(options.close_limit.0);
    let allowed =
        |count: usize, total: usize| options.confirm_closures || count * 100 <= limit * total;
    let system = &options.source_system;
    let (count, total) = student_service::deactivate_missing(write, system, sent, allowed).await?;
    if !allowed(count, total) {
        let message = format!(
            "this bulk users.csv would make {count} of the {total} active students inactive, more than {limit}%; import with confirmClosures if that is intended"
        );
        report.errors.push(at(
            Origin {
                file: "users.csv",
                line: 0,
            },
            None,
            &message,
        ));
    }
    Ok(count as i32)
}

/// The tables an import writes.
const ROSTER_TABLES: [&str; 7] = [
    "school",
    "student",
    "staff",
    "staff_school_assignment",
    "guardian",
    "student_guardian",
    "enrollment",
];

/// The columns of a student a OneRoster set carries: it says nothing of the home language or
/// the program flags, so an import leaves them as the district set them.
const STUDENT_COLUMNS: [student::Column; 8] = [
    student::Column::LegalFirstName,
    student::Column::LegalLastName,
    student::Column::PreferredName,
    student::Column::LocalId,
    student::Column::StateId,
    student::Column::BirthDate,
    student::Column::GradeLevel,
    student::Column::Status,
];

/// The report as the pushes come in, and who hears how many records were pushed.
struct Tally<'p> {
    report: ImportReport,
    written: usize,
    on_written: &'p mut (dyn FnMut(usize) + Send),
}

impl Tally<'_> {
    /// Adds a push of the records from `origins` to the report.
    fn add(
        &mut self,
        origins: &[Origin],
        kind: (&'static str, &'static str),
        payload: SyncPayload,
    ) {
        self.written += origins.len();
        (self.on_written)(self.written);
        record(&mut self.report, origins, kind, payload);
    }
}

fn sync_options(options: &ImportOptions, mode: SyncMode) -> SyncOptions {
    SyncOptions {
        source_system: options.source_system.clone(),
        mode,
        allow_partial: false,
        dry_run: false,
        idempotency_key: None,
    }
}

/// A problem of the record at `origin`.
fn at(origin: Origin, column: Option<&str>, message: &str) -> ReadError {
    ReadError {
        file: origin.file.into(),
        line: origin.line,
        column: column.map(Into::into),
        message: message.into(),
    }
}

/// Adds a push's figures and problems to the report, each problem at its record's origin.
fn record(
    report: &mut ImportReport,
    origins: &[Origin],
    (file, records): (&'static str, &'static str),
    payload: SyncPayload,
) {
    let summary = payload.summary;
    report.summaries.push(FileSummary {
        file,
        records,
        created: summary.created,
        updated: summary.updated,
        unchanged: summary.unchanged,
        closed: summary.closed,
        errors: summary.failed,
    });
    for result in &payload.results {
        let origin = origins[result.index as usize];
        for error in &result.errors {
            let field = error.field.as_deref().unwrap_or_default();
            let column = column_of(field);
            report.errors.push(at(origin, Some(column), &error.message));
        }
    }
    for error in &payload.user_errors {
        let message = &error.message;
        report
            .errors
            .push(at(Origin { file, line: 0 }, None, message));
    }
}

/// The OneRoster column behind a sync record's field (`input.records.3.legalLastName`).
fn column_of(field: &str) -> &str {
    let name = field
        .rsplit('.')
        .find(|part| part.parse::<usize>().is_err());
    match name.unwrap_or(field) {
        "firstName" | "legalFirstName" => "givenName",
        "lastName" | "legalLastName" => "familyName",
        "preferredName" => "preferredGivenName",
        "localId" => "identifier",
        "stateId" => "userIds",
        "gradeLevel" | "lowestGrade" | "highestGrade" => "grades",
        "studentSourcedId" if field.contains(".students.") => "agentSourcedIds",
        "studentSourcedId" => "userSourcedId",
        "schoolSourcedIds" => "orgSourcedId",
        "entryDate" => "beginDate",
        "exitDate" => "endDate",
        other => other,
    }
}
