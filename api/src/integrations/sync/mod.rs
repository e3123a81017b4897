//! SIS sync, the bulk push: `syncSchools`, `syncStaff`, `syncStudents`, `syncGuardians`,
//! `syncEnrollments` and `syncAttendance` take up to 10,000 records an SIS knows by
//! `(sourceSystem, sourcedId)` and upsert them in one transaction, through the roster's and
//! MTSS's services (`roster::bulk`, each record's rules, the attendance service), never their
//! resolvers. Each record gets a result (CREATED, UPDATED, UNCHANGED, or ERROR with its
//! problems); a batch with an error writes nothing unless `allowPartial`; `dryRun` writes
//! nothing and answers the same. Each entity's `push` runs without GraphQL inside a `Write`,
//! so the OneRoster import pushes a whole set in one transaction.

mod attendance;
mod children;
pub mod enrollments;
mod full;
pub mod guardians;
mod once;
pub mod rekey;
pub mod schools;
pub mod staff;
pub mod students;
mod types;

use std::collections::{HashMap, HashSet};

use async_graphql::{Context, MergedObject};
use entity::{school, student};
use sea_orm::{Condition, IntoActiveModel};
use uuid::Uuid;

use self::once::{KeyedCall, Once};
pub use self::types::{
    CloseLimit, SyncMode, SyncOptions, SyncPayload, SyncRecordResult, SyncStatus, SyncSummary,
};

use crate::{
    auth::{Actor, policy},
    db::{self, BATCH_ROWS, Write, loader::Keyed},
    errors::{AppError, AppResult},
    graphql::{
        context::ContextExt,
        ids::{self, NodeType},
        mutation::user_errors,
    },
    roster::{
        Sourced,
        bulk::{self, ids_by_source},
    },
    validation::{Check, Outcome, UserErrorCode},
};

/// The sync mutations.
#[derive(MergedObject, Default)]
pub struct SyncMutation(
    schools::SchoolSync,
    staff::StaffSync,
    students::StudentSync,
    guardians::GuardianSync,
    enrollments::EnrollmentSync,
    attendance::AttendanceSync,
    rekey::RekeySync,
);

/// A record of a batch: its sourced id, and its row or its problems.
struct Pushed<M> {
    sourced_id: String,
    row: Outcome<M>,
}

/// The lists of records the sync calls take: the input limits allow them `MAX_BULK_ITEMS`
/// items, where any other list is held to `MAX_LIST_ITEMS`.
pub const BULK_LISTS: &[&str] = &[
    "syncSchools.input.records",
    "syncStaff.input.records",
    "syncStudents.input.records",
    "syncGuardians.input.records",
    "syncEnrollments.input.records",
    "syncAttendance.input.records",
];

/// Checks what every batch must be before its records are read: the caller's right, the
/// mode (`full` says whether the entity takes FULL), the source system.
pub fn check_options(actor: &Actor, options: &SyncOptions, full: bool) -> AppResult<()> {
    // More than `MAX_BULK_ITEMS` records never get here: the input limits refuse them.
    policy::write_roster(actor)?;
    if options.mode == SyncMode::Full && !full {
        return Err(AppError::bad_input(
            "input.mode",
            "mode FULL is built for syncEnrollments only",
        ));
    }
    let mut check = Check::default();
    check.text("sourceSystem", Some(&options.source_system), 64);
    if let Err(errors) = check.finish() {
        let message = errors.into_iter().map(|e| e.message).collect::<Vec<_>>();
        return Err(AppError::bad_input(
            "input.sourceSystem",
            message.join("; "),
        ));
    }
    Ok(())
}

/// A sync call's input: its options, and how its records are pushed.
trait Batch: Sized + Send {
    /// The call's name, and whether its entity takes FULL.
    const CALL: (&'static str, bool);
    /// The tables a push writes, whose statistics a large push refreshes.
    const TABLES: &'static [&'static str];
    fn options(&self) -> &SyncOptions;
    /// Pushes the records in `write`'s transaction (uncommitted).
    fn push(self, write: &Write<'_>) -> impl Future<Output = AppResult<SyncPayload>> + Send;
}

/// Runs a sync call: checks its options, opens its transaction, claims its `idempotencyKey`
/// (or answers what the first call with it did), pushes the batch, and commits what was
/// written with its answer.
async fn run<B: Batch>(ctx: &Context<'_>, batch: B) -> AppResult<SyncPayload> {
    let (operation, full) = B::CALL;
    check_options(ctx.actor()?, batch.options(), full)?;
    let keyed = KeyedCall::of(ctx, batch.options())?;
    let write = ctx.write().await?;
    match Once::claim(&write, keyed, operation).await? {
        Once::Run(claimed) => {
            let payload = batch.push(&write).await?;
            let payload = once::finish(claimed, write, payload).await?;
            let written = payload.summary.created + payload.summary.updated;
            if payload.applied && written as usize >= BATCH_ROWS {
                db::analyze_after_bulk(ctx.db(), B::TABLES).await;
            }
            Ok(payload)
        }
        Once::Replay(payload) => Ok(payload),
    }
}

/// A record as pushed: what every record has.
trait Record {
    fn sourced_id(&self) -> &str;
}

/// What a pushed record becomes, given the caller, the source system and its check: its row,
/// held to its service's rules (problems go to the check).
type ToRow<'f, R, M> = &'f (dyn Fn(&Actor, &str, R, &mut Check) -> M + Sync);

/// The rows of an entity the caller may sync, as the policy says (`policy::student_rows`).
type Scope = fn(&Actor) -> AppResult<Condition>;

/// A batch of records that refer to no other pushed record (schools, students), pushed in
/// `write`'s transaction: each made a row by `to_row`, compared with the rows `scope` holds,
/// and written unless refused (uncommitted: the caller commits).
async fn push_plain<E, T, R>(
    write: &Write<'_>,
    (options, records): (&SyncOptions, Vec<R>),
    (scope, owned): (Scope, &[E::Column]),
    to_row: ToRow<'_, R, E::Model>,
) -> AppResult<SyncPayload>
where
    E: Keyed,
    E::Model: Sourced + IntoActiveModel<E::ActiveModel> + Clone,
    E::ActiveModel: Send,
    T: NodeType,
    R: Record,
{
    let actor = write.actor();
    let pushed = records
        .into_iter()
        .enumerate()
        .map(|(index, record)| {
            let sourced_id = record.sourced_id().to_string();
            let mut check = record_check(index, &sourced_id);
            let row = to_row(actor, &options.source_system, record, &mut check);
            Pushed {
                sourced_id,
                row: check.finish().map(|()| row),
            }
        })
        .collect();
    let outcomes = outcomes::<E, T>(write, options, &scope(actor)?, owned, pushed).await?;
    outcomes.apply(write, options, owned).await
}

/// A record's check, naming its place in the batch, with its `sourcedId` checked.
fn record_check(index: usize, sourced_id: &str) -> Check {
    let mut check = Check::within(&format!("records.{index}"));
    check.text("sourcedId", Some(sourced_id), 255);
    check
}

/// The id of the `what` (a school, say) `system` pushed before, as a record's reference looked
/// it up; one not found is the record's NOT_FOUND at `field`.
fn pushed_before(
    check: &mut Check,
    field: &str,
    found: Option<&Uuid>,
    (what, system): (&str, &str),
) -> Uuid {
    if found.is_none() {
        check.fail(
            field,
            UserErrorCode::NotFound,
            format!("no {what} with this sourcedId from {system}: push it first"),
        );
    }
    found.copied().unwrap_or_default()
}

/// Student and school ids by sourced id, for records that each name a student and a school
/// (`named`) `system` pushed before.
async fn students_and_schools<'r>(
    write: &Write<'_>,
    system: &str,
    named: impl Iterator<Item = (&'r str, &'r str)>,
) -> AppResult<(HashMap<String, Uuid>, HashMap<String, Uuid>)> {
    let (students, schools): (Vec<&str>, Vec<&str>) = named.unzip();
    let actor = write.actor();
    let scope = policy::student_rows(actor)?;
    let students = ids_by_source::<student::Entity>(write, &scope, system, &students).await?;
    let scope = policy::school_rows(actor)?;
    let schools = ids_by_source::<school::Entity>(write, &scope, system, &schools).await?;
    Ok((students, schools))
}

/// A column's name as the API spells its field (`legal_last_name` is `legalLastName`).
fn camel_case(column: &str) -> String {
    let mut words = column.split('_');
    let mut name = words.next().unwrap_or_default().to_string();
    for word in words {
        let mut letters = word.chars();
        name.extend(letters.next().map(|c| c.to_ascii_uppercase()));
        name.push_str(letters.as_str());
    }
    name
}

/// Marks every record whose `sourcedId` an earlier record of the batch has as a DUPLICATE.
fn mark_repeats<M>(pushed: &mut [Pushed<M>]) {
    let mut seen = HashSet::new();
    for (index, record) in pushed.iter_mut().enumerate() {
        if !seen.insert(record.sourced_id.clone()) {
            let mut check = Check::within(&format!("records.{index}"));
            check.fail(
                "sourcedId",
                UserErrorCode::Duplicate,
                "an earlier record of this batch has the same sourcedId",
            );
            record.row = Err(check.into_errors());
        }
    }
}

/// What a batch comes to before anything is written: each record's result, and the rows the
/// roster's bulk path would write.
struct Outcomes<E: Keyed> {
    results: Vec<SyncRecordResult>,
    /// Each record's row id (once planned), by index; none for a record with errors.
    row_ids: Vec<Option<Uuid>>,
    planned: Vec<bulk::Planned<E>>,
    summary: SyncSummary,
}

/// Compares the batch's good records with what `scope` holds and gives every record its result.
async fn outcomes<E, T>(
    write: &Write<'_>,
    options: &SyncOptions,
    scope: &Condition,
    owned: &[E::Column],
    mut pushed: Vec<Pushed<E::Model>>,
) -> AppResult<Outcomes<E>>
where
    E: Keyed,
    E::Model: Sourced + IntoActiveModel<E::ActiveModel> + Clone,
    T: NodeType,
{
    mark_repeats(&mut pushed);
    let keys: Vec<&str> = pushed
        .iter()
        .filter(|p| p.row.is_ok())
        .map(|p| p.sourced_id.as_str())
        .collect();
    let stored = bulk::stored::<E>(write, scope, &options.source_system, &keys).await?;
    let mut results = Vec::with_capacity(pushed.len());
    let mut good = Vec::new();
    let mut summary = SyncSummary::default();
    for (index, record) in pushed.into_iter().enumerate() {
        let (status, errors) = match record.row {
            Ok(row) => {
                good.push(row);
                (SyncStatus::Unchanged, Vec::new())
            }
            Err(errors) => {
                summary.failed += 1;
                (SyncStatus::Error, user_errors(errors))
            }
        };
        results.push(SyncRecordResult {
            index: index as i32,
            sourced_id: record.sourced_id,
            status,
            id: None,
            errors,
            changed: Vec::new(),
        });
    }
    let planned = bulk::plan::<E>(&stored, good, owned);
    let mut written = planned.iter();
    let mut row_ids = vec![None; results.len()];
    for result in results.iter_mut().filter(|r| r.status != SyncStatus::Error) {
        let plan = written.next().expect("one plan per good record");
        let id = E::id_of(&plan.row);
        row_ids[result.index as usize] = Some(id);
        result.status = plan.effect.into();
        result.id = Some(ids::encode::<T>(id));
        result.changed = plan.changed_columns().into_iter().map(camel_case).collect();
        summary.count(plan.effect);
    }
    Ok(Outcomes {
        results,
        row_ids,
        planned,
        summary,
    })
}

impl<E: Keyed> Outcomes<E>
where
    E::Model: IntoActiveModel<E::ActiveModel> + Clone,
    E::ActiveModel: Send,
{
    /// Whether the batch is to be written, as `options` and its errors say.
    fn applies(&self, options: &SyncOptions) -> bool {
        !options.dry_run && (self.summary.failed == 0 || options.allow_partial)
    }

    /// Writes the planned rows (in the write's transaction, not committed).
    async fn write(&self, write: &Write<'_>, owned: &[E::Column]) -> AppResult<()> {
        bulk::apply::<E>(write, &self.planned, owned).await
    }

    /// The answer, `applied` or not.
    fn payload(self, applied: bool) -> SyncPayload {
        SyncPayload {
            applied,
            summary: self.summary,
            results: self.results,
            closed_sourced_ids: Vec::new(),
            user_errors: Vec::new(),
            replayed: false,
        }
    }

    /// Writes the planned rows (uncommitted) when the batch applies, and answers.
    async fn apply(
        self,
        write: &Write<'_>,
        options: &SyncOptions,
        owned: &[E::Column],
    ) -> AppResult<SyncPayload> {
        let applied = self.applies(options);
        if applied {
            self.write(write, owned).await?;
        }
        Ok(self.payload(applied))
    }
}
