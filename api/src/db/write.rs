//! The unit of work: every write runs in a transaction that also appends its `audit_event`
//! and `change` rows, so the audit log and the BI change feed can never miss a write.

use std::{
    collections::HashSet,
    sync::{Mutex, PoisonError},
};

use chrono::Utc;
use entity::{
    audit_event, change,
    values::{AuditAction, ChangeOperation},
};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, DatabaseConnection, DatabaseTransaction, EntityTrait, IdenStatic,
    IntoActiveModel, Iterable, ModelTrait, QueryFilter, QuerySelect, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
    sea_query::{CaseStatement, Expr, ExprTrait},
};
use uuid::Uuid;

use super::{loader::Keyed, recorded::Recorded};
use crate::{
    auth::Actor,
    errors::{AppError, AppResult},
    validation::Outcome,
};

/// An open write transaction on behalf of an actor.
pub struct Write<'a> {
    txn: DatabaseTransaction,
    actor: &'a Actor,
    request_id: Option<String>,
    /// The change rows of the writes so far, inserted at commit with the feed position taken
    /// then (writing them with it costs nothing; numbering them afterwards was an UPDATE of
    /// every row, 60 ms for a push of 10,000 records).
    changes: Mutex<Vec<change::ActiveModel>>,
}

impl<'a> Write<'a> {
    /// Begins the transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`):
    /// a deferred transaction that reads first cannot wait for the lock when it then writes,
    /// and fails busy if another writer committed meanwhile. PostgreSQL ignores the mode.
    pub async fn begin(
        db: &DatabaseConnection,
        actor: &'a Actor,
        request_id: Option<String>,
    ) -> AppResult<Self> {
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        };
        Ok(Self {
            txn: db.begin_with_options(options).await?,
            actor,
            request_id,
            changes: Mutex::default(),
        })
    }

    /// The request it is part of, as the server log names it.
    pub fn request_id(&self) -> Option<String> {
        self.request_id.clone()
    }

    /// On whose behalf the write runs.
    pub fn actor(&self) -> &'a Actor {
        self.actor
    }

    /// Commits when the write's input was valid; otherwise nothing was written, and the
    /// transaction is rolled back.
    pub async fn finish<T>(self, outcome: Outcome<T>) -> AppResult<Outcome<T>> {
        if outcome.is_ok() {
            self.commit().await?;
        }
        Ok(outcome)
    }

    /// The transaction, for the write itself.
    pub fn txn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// Row `id` if it lies within `scope` (a policy's row condition): how a write checks a
    /// record it refers to, inside its own transaction and without a request's loaders.
    pub async fn find<E: Keyed>(&self, id: Uuid, scope: Condition) -> AppResult<Option<E::Model>> {
        Ok(E::find()
            .filter(E::id_column().eq(id))
            .filter(scope)
            .one(&self.txn)
            .await?)
    }

    /// Inserts `row` with its audit and change rows. `Ok(None)` means the row collides with an
    /// existing unique key (for example a `sourcedId`): nothing was written, and the
    /// transaction is spent (drop it).
    pub async fn insert<E>(&self, row: E::Model) -> AppResult<Option<E::Model>>
    where
        E: Keyed,
        E::Model: IntoActiveModel<E::ActiveModel> + Clone,
    {
        let changes = row.clone().into_active_model();
        match E::insert(changes.clone())
            .exec_without_returning(&self.txn)
            .await
        {
            Ok(_) => {}
            Err(error) => {
                return match AppError::from(error) {
                    AppError::Duplicate(_) => Ok(None),
                    other => Err(other),
                };
            }
        }
        self.record(Recorded::written(AuditAction::Create, &row, &changes))
            .await?;
        Ok(Some(row))
    }

    /// Inserts a row that has no natural key a caller could collide with: a collision is a
    /// CONFLICT.
    pub async fn insert_new<E>(&self, row: E::Model) -> AppResult<E::Model>
    where
        E: Keyed,
        E::Model: IntoActiveModel<E::ActiveModel> + Clone,
    {
        self.insert::<E>(row)
            .await?
            .ok_or_else(|| AppError::Conflict("the record already exists".into()))
    }

    /// Which of `ids` are rows of `E` within `scope`, in one query (a batch's references).
    pub async fn existing<E: Keyed>(
        &self,
        ids: impl IntoIterator<Item = Uuid>,
        scope: Condition,
    ) -> AppResult<HashSet<Uuid>> {
        let ids: HashSet<Uuid> = ids.into_iter().collect();
        if ids.is_empty() {
            return Ok(ids);
        }
        Ok(E::find()
            .select_only()
            .column(E::id_column())
            .filter(E::id_column().is_in(ids))
            .filter(scope)
            .into_tuple::<Uuid>()
            .all(&self.txn)
            .await?
            .into_iter()
            .collect())
    }

    /// Applies `changes` to row `id` if it is still at `version` (optimistic concurrency) and
    /// within `scope`, with its audit and change rows. A stale version is a CONFLICT; a row
    /// outside `scope` is NOT_FOUND.
    pub async fn update<E>(
        &self,
        changes: E::ActiveModel,
        (id, version): (Uuid, i32),
        scope: Condition,
    ) -> AppResult<E::Model>
    where
        E: Keyed,
        E::Model: Sync,
    {
        let written = changes.clone();
        let row = update_versioned::<E>(&self.txn, changes, id, version, scope).await?;
        self.record(Recorded::written(AuditAction::Update, &row, &written))
            .await?;
        Ok(row)
    }

    /// Gives each row of `E` its new sourced id (its source system re-keyed it), a thousand
    /// rows per UPDATE, each only if still at the version read (else a CONFLICT); audited, with
    /// a KEY_CHANGE carrying the old and new natural keys. A new id another record holds is
    /// DUPLICATE.
    pub async fn rekey_many<E>(&self, rows: &[(E::Model, &str)], scope: Condition) -> AppResult<()>
    where
        E: Keyed,
        E::Model: Sync,
    {
        let sourced_id = <E as EntityTrait>::Column::iter()
            .find(|column| column.as_str() == "sourced_id")
            .ok_or_else(|| AppError::internal(std::io::Error::other("no sourced_id column")))?;
        let (id, version) = (E::id_column(), E::version_column());
        let now = Utc::now();
        let mut recorded = Vec::with_capacity(rows.len());
        for batch in rows.chunks(BATCH_ROWS) {
            let (mut keys, mut versions) = (CaseStatement::new(), CaseStatement::new());
            for (row, to) in batch {
                keys = keys.case(id.eq(E::id_of(row)), *to);
                versions = versions.case(id.eq(E::id_of(row)), E::version_of(row));
            }
            let written = E::update_many()
                .col_expr(sourced_id, keys.into())
                .col_expr(version, Expr::col(version).add(1))
                .col_expr(E::updated_at_column(), Expr::value(now))
                .filter(id.is_in(batch.iter().map(|(row, _)| E::id_of(row))))
                .filter(Expr::col(version).eq(Into::<Expr>::into(versions)))
                .filter(scope.clone())
                .exec(&self.txn)
                .await?;
            if written.rows_affected != batch.len() as u64 {
                return Err(AppError::Conflict(
                    "some records were changed by someone else meanwhile; send the keys again"
                        .into(),
                ));
            }
            for (row, to) in batch {
                let mut changes = <E::ActiveModel as ActiveModelTrait>::default();
                changes.set(sourced_id, (*to).into());
                let mut updated = row.clone();
                updated.set(sourced_id, (*to).into());
                updated.set(version, (E::version_of(row) + 1).into());
                let mut what = Recorded::written(AuditAction::Update, &updated, &changes);
                what.previous_key =
                    Recorded::written(AuditAction::Update, row, &changes).natural_key;
                recorded.push(what);
            }
        }
        self.record_many(recorded).await
    }

    /// Appends the audit event and the change row of one write.
    pub async fn record(&self, what: Recorded) -> AppResult<()> {
        self.record_many(vec![what]).await
    }

    /// Appends the audit events and change rows of many writes, a batch at a time (bulk
    /// writes cost a few statements, not three per row).
    pub async fn record_many(&self, writes: Vec<Recorded>) -> AppResult<()> {
        let now = Utc::now();
        let (mut audits, mut changes) = (
            Vec::with_capacity(writes.len()),
            Vec::with_capacity(writes.len()),
        );
        for what in writes {
            let operation = match (what.action, &what.previous_key) {
                (AuditAction::Delete, _) => ChangeOperation::Delete,
                (_, Some(_)) => ChangeOperation::KeyChange,
                _ => ChangeOperation::Upsert,
            };
            audits.push(audit_event::ActiveModel {
                id: Set(Uuid::now_v7()),
                district_id: Set(self.actor.district_id),
                actor: Set(self.actor.subject.clone()),
                role: Set(self.actor.role.as_str().to_string()),
                action: Set(what.action),
                entity: Set(what.entity.to_string()),
                entity_id: Set(what.id),
                student_id: Set(what.student_id),
                fields: Set(what.fields.join(",")),
                request_id: Set(self.request_id.clone()),
                occurred_at: Set(now),
            });
            changes.push(change::ActiveModel {
                seq: Default::default(),
                district_id: Set(self.actor.district_id),
                entity: Set(what.entity.to_string()),
                entity_id: Set(what.id),
                natural_key: Set(what.natural_key),
                previous_key: Set(what.previous_key),
                operation: Set(operation),
                changed_at: Set(now),
                position: Set(None),
            });
        }
        insert_batches(&self.txn, audits).await?;
        self.changes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend(changes);
        Ok(())
    }

    /// Commits, the change rows written first with their position in the feed.
    pub async fn commit(self) -> AppResult<()> {
        let changes = self
            .changes
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        if !changes.is_empty() {
            let position = super::positions::take(&self.txn).await?;
            let positioned = changes
                .into_iter()
                .map(|change| change::ActiveModel {
                    position: Set(Some(position)),
                    ..change
                })
                .collect();
            insert_batches(&self.txn, positioned).await?;
        }
        Ok(self.txn.commit().await?)
    }
}

/// Rows (or ids) per statement that names each of them.
pub const BATCH_ROWS: usize = 1_000;

/// Most bound parameters one statement may carry: SQLite's limit (32,766 since 3.32);
/// PostgreSQL's is 65,535.
const MAX_PARAMETERS: usize = 32_766;

/// Rows of `E` per multi-row INSERT: [`BATCH_ROWS`], or fewer for a table so wide that a
/// thousand rows would pass [`MAX_PARAMETERS`] (the service log has 33 columns).
pub fn rows_per_insert<E: EntityTrait>() -> usize {
    let columns = <E::Column as Iterable>::iter().count().max(1);
    (MAX_PARAMETERS / columns).min(BATCH_ROWS)
}

/// Inserts rows a batch at a time.
pub async fn insert_batches<A>(txn: &DatabaseTransaction, rows: Vec<A>) -> AppResult<()>
where
    A: sea_orm::ActiveModelTrait + Send,
{
    for batch in rows.chunks(rows_per_insert::<A::Entity>()) {
        <A::Entity as EntityTrait>::insert_many(batch.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

/// Applies `changes` to row `id` only if it is still at `version` (optimistic concurrency),
/// bumping the version. A stale version is a CONFLICT; a row outside `scope` is NOT_FOUND.
async fn update_versioned<E>(
    txn: &DatabaseTransaction,
    changes: E::ActiveModel,
    id: Uuid,
    version: i32,
    scope: Condition,
) -> AppResult<E::Model>
where
    E: Keyed,
    E::Model: Sync,
{
    let result = E::update_many()
        .set(changes)
        .col_expr(E::version_column(), Expr::col(E::version_column()).add(1))
        .col_expr(E::updated_at_column(), Expr::value(Utc::now()))
        .filter(E::id_column().eq(id))
        .filter(E::version_column().eq(version))
        .filter(scope.clone())
        .exec(txn)
        .await?;
    let row = E::find()
        .filter(E::id_column().eq(id))
        .filter(scope)
        .one(txn)
        .await?
        .ok_or_else(|| AppError::not_found(E::default().table_name(), id))?;
    if result.rows_affected == 1 {
        Ok(row)
    } else {
        // Names no table and no UUID: the client knows the record by the global id it sent.
        Err(AppError::Conflict(format!(
            "the record was changed by someone else: you sent version {version}, it is at version {}; reload and retry",
            E::version_of(&row)
        )))
    }
}

#[cfg(test)]
mod tests {
    use entity::{service_contact, student};
    use sea_orm::Iterable;

    use super::{BATCH_ROWS, MAX_PARAMETERS, rows_per_insert};

    /// A thousand service-log rows are 33,000 parameters: SQLite refused `seed --demo` of
    /// 10,000 students with "too many SQL variables".
    #[test]
    fn a_wide_tables_insert_stays_under_the_parameter_limit() {
        let columns = <service_contact::Column as Iterable>::iter().count();
        assert!(
            columns * BATCH_ROWS > MAX_PARAMETERS,
            "the case this guards"
        );
        let rows = rows_per_insert::<service_contact::Entity>();
        assert!(rows * columns <= MAX_PARAMETERS && rows > 900, "{rows}");
        assert_eq!(rows_per_insert::<student::Entity>(), BATCH_ROWS);
    }
}
