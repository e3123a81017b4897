//! The GraphQL shapes every sync call shares: its options, and its answer (stored as JSON under
//! an `idempotencyKey`, hence serde).

use async_graphql::{Enum, ID, InputObject, SimpleObject};
use serde::{Deserialize, Serialize};

use crate::{graphql::mutation::UserErrorType, roster::bulk::Effect};

/// How a sync treats records it was not sent.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum SyncMode {
    /// Upsert the records sent; leave the others as they are.
    #[default]
    Delta,
    /// The batch is the whole of the listed schools' records (`syncEnrollments` only): their
    /// enrollments missing from it are closed.
    Full,
}

/// What one record did (or, when nothing was applied, would have done).
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SyncStatus {
    /// No record had its key: it was added.
    Created,
    /// The stored record had other values: they were replaced.
    Updated,
    /// The stored record had these values already.
    Unchanged,
    /// The record has problems (`errors`); it was not written.
    Error,
}

impl From<Effect> for SyncStatus {
    fn from(effect: Effect) -> Self {
        match effect {
            Effect::Created => Self::Created,
            Effect::Updated => Self::Updated,
            Effect::Unchanged => Self::Unchanged,
        }
    }
}

/// What every sync call says besides its records.
#[derive(InputObject)]
pub struct SyncOptions {
    /// The system pushing the records (for example `powerschool`); with a record's
    /// `sourcedId` it is the key the record is known by.
    pub source_system: String,
    /// DELTA (the default) upserts what is sent.
    #[graphql(default)]
    pub mode: SyncMode,
    /// Write the good records even when others have errors (by default one error writes
    /// nothing).
    #[graphql(default)]
    pub allow_partial: bool,
    /// Answer what the call would do, and write nothing.
    #[graphql(default)]
    pub dry_run: bool,
    /// Any text (a UUID, say; at most 255 characters) naming this call: sent again with the
    /// same input, the call answers what the first one did (`replayed`) and writes nothing.
    pub idempotency_key: Option<String>,
}

/// The result of one record, by its place in `records`.
#[derive(SimpleObject, Clone, Serialize, Deserialize)]
pub struct SyncRecordResult {
    /// The record's index in `input.records`, from 0.
    pub index: i32,
    /// The record's `sourcedId`.
    pub sourced_id: String,
    /// What the record did, or would have done when nothing was applied.
    pub status: SyncStatus,
    /// The record's id here; null for an ERROR.
    pub id: Option<ID>,
    /// The record's problems (`field` is `input.records.<index>.<field>`); empty unless ERROR.
    pub errors: Vec<UserErrorType>,
    /// The fields an UPDATED record changes (`legalLastName`; `schoolSourcedIds` or `students`
    /// when its children change): with `dryRun`, the diff of what a push would do.
    #[serde(default)]
    pub changed: Vec<String>,
}

/// How many records came to each status.
#[derive(SimpleObject, Clone, Default, Serialize, Deserialize)]
pub struct SyncSummary {
    /// Records added.
    pub created: i32,
    /// Records changed.
    pub updated: i32,
    /// Records that already had the values sent.
    pub unchanged: i32,
    /// Enrollments a FULL sync closed (or would close).
    pub closed: i32,
    /// Records with errors.
    pub failed: i32,
}

impl SyncSummary {
    /// Counts a record that came to `effect`.
    pub fn count(&mut self, effect: Effect) {
        match effect {
            Effect::Created => self.created += 1,
            Effect::Updated => self.updated += 1,
            Effect::Unchanged => self.unchanged += 1,
        }
    }
}

/// The answer of a sync call.
#[derive(SimpleObject, Clone, Serialize, Deserialize)]
pub struct SyncPayload {
    /// Whether the records were written: false for a dry run, and for a batch with errors
    /// (unless `allowPartial`) or `userErrors`; the statuses then say what would have happened.
    pub applied: bool,
    /// How many records came to each status.
    pub summary: SyncSummary,
    /// One result per record, in the order sent.
    pub results: Vec<SyncRecordResult>,
    /// The `sourcedId`s of the enrollments a FULL sync closed (or would close).
    pub closed_sourced_ids: Vec<String>,
    /// Problems of the batch as a whole (not of one record); when present nothing was written.
    pub user_errors: Vec<UserErrorType>,
    /// Whether this is the stored answer of an earlier call with the same `idempotencyKey`.
    pub replayed: bool,
}

/// The share (percent) of a school's open enrollments a FULL sync may close unconfirmed
/// (`SSW_SYNC_MAX_CLOSE_PCT`).
#[derive(Clone, Copy, Debug)]
pub struct CloseLimit(pub u8);
