//! `idempotencyKey`: a sync call sent again with the same key gets the first call's answer,
//! written once. The key is claimed first thing in the call's transaction (a row keyed by
//! district and key) and its answer stored there before the commit, so the two land together
//! or not at all. A retry that arrives while the first call runs waits for it (SQLite queues
//! the write; PostgreSQL's insert waits on the first call's row) and then reads its answer; one
//! that still finds no answer is told to retry (UNAVAILABLE), never run twice. A call that
//! wrote nothing (a dry run, a refused batch) stores nothing: sending it again is harmless.
//! Answers are kept [`KEEP_ANSWERS`].

use async_graphql::Context;
use chrono::Utc;
use entity::idempotency_key;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, OnConflict},
};
use sha2::{Digest, Sha256};

use super::{SyncOptions, SyncPayload};
use crate::{
    db::Write,
    errors::{AppError, AppResult},
    validation::Check,
};

/// A call's claim on its key, or the answer a first call with it already gave.
pub enum Once {
    /// Run the call; keep its answer under the key, if it has one.
    Run(Option<Claimed>),
    /// The first call's answer.
    Replay(SyncPayload),
}

/// A key this call holds, uncommitted, in its transaction.
pub struct Claimed {
    key: String,
}

const FIELD: &str = "input.idempotencyKey";

/// How long an answer is kept under its key: a call sent again later is a new call. The
/// district's older keys go when a call claims one.
pub const KEEP_ANSWERS: chrono::TimeDelta = chrono::TimeDelta::days(7);

/// SHA-256 of the field's arguments as sent (variables filled in): two calls with one key
/// must be the same call.
fn fingerprint(ctx: &Context<'_>) -> AppResult<String> {
    let arguments = ctx
        .field()
        .arguments()
        .map_err(|error| AppError::bad_input("input", error.message))?;
    let text = serde_json::to_string(&arguments).map_err(AppError::internal)?;
    Ok(format!("{:x}", Sha256::digest(text.as_bytes())))
}

/// A call's key with the fingerprint of its input, checked and computed before its
/// transaction opens (hashing 10,000 records holds no lock).
pub struct KeyedCall {
    key: String,
    fingerprint: String,
}

impl KeyedCall {
    /// The key `options` names, if the call claims one (a dry run claims nothing).
    pub fn of(ctx: &Context<'_>, options: &SyncOptions) -> AppResult<Option<Self>> {
        let Some(key) = options.idempotency_key.clone().filter(|_| !options.dry_run) else {
            return Ok(None);
        };
        let mut check = Check::default();
        check.text("idempotencyKey", Some(&key), 255);
        if let Err(errors) = check.finish() {
            return Err(AppError::bad_input(FIELD, errors[0].message.clone()));
        }
        Ok(Some(Self {
            key,
            fingerprint: fingerprint(ctx)?,
        }))
    }
}

impl Once {
    /// Claims the call's key for `operation` in `write`'s transaction, or finds the answer it
    /// already has.
    pub async fn claim(
        write: &Write<'_>,
        keyed: Option<KeyedCall>,
        operation: &str,
    ) -> AppResult<Self> {
        let Some(KeyedCall { key, fingerprint }) = keyed else {
            return Ok(Self::Run(None));
        };
        let district_id = write.actor().district_id;
        let stale = Utc::now() - KEEP_ANSWERS;
        idempotency_key::Entity::delete_many()
            .filter(idempotency_key::Column::DistrictId.eq(district_id))
            .filter(idempotency_key::Column::CreatedAt.lt(stale))
            .exec(write.txn())
            .await?;
        let row = idempotency_key::ActiveModel {
            district_id: Set(district_id),
            key: Set(key.clone()),
            operation: Set(operation.to_string()),
            fingerprint: Set(fingerprint.clone()),
            result: Set(None),
            created_at: Set(Utc::now()),
        };
        let claimed = idempotency_key::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([
                    idempotency_key::Column::DistrictId,
                    idempotency_key::Column::Key,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(write.txn())
            .await?;
        if claimed == 1 {
            return Ok(Self::Run(Some(Claimed { key })));
        }
        let first = idempotency_key::Entity::find_by_id((district_id, key))
            .one(write.txn())
            .await?;
        let Some(first) = first else {
            return Err(still_running());
        };
        if first.operation != operation || first.fingerprint != fingerprint {
            return Err(AppError::bad_input(
                FIELD,
                format!(
                    "this idempotencyKey was used for another call ({}); use a new key for a new call",
                    first.operation
                ),
            ));
        }
        let answer = first.result.ok_or_else(still_running)?;
        let mut payload: SyncPayload = serde_json::from_str(&answer).map_err(AppError::internal)?;
        payload.replayed = true;
        Ok(Self::Replay(payload))
    }
}

/// Commits the call when it wrote, with its answer under its key (if `claimed` one); a call
/// that wrote nothing is rolled back, its claim with it.
pub async fn finish(
    claimed: Option<Claimed>,
    write: Write<'_>,
    payload: SyncPayload,
) -> AppResult<SyncPayload> {
    if !payload.applied {
        return Ok(payload);
    }
    if let Some(Claimed { key }) = claimed {
        let answer = serde_json::to_string(&payload).map_err(AppError::internal)?;
        idempotency_key::Entity::update_many()
            .col_expr(idempotency_key::Column::Result, Expr::value(answer))
            .filter(idempotency_key::Column::DistrictId.eq(write.actor().district_id))
            .filter(idempotency_key::Column::Key.eq(key.as_str()))
            .exec(write.txn())
            .await?;
    }
    write.commit().await?;
    Ok(payload)
}

fn still_running() -> AppError {
    AppError::Unavailable {
        message: "the first call with this idempotencyKey is still running",
        cause: "idempotency key claimed without an answer".into(),
    }
}
