//! The unit of work: every write runs in a transaction that also appends its `audit_event`
//! and `change` rows, so the audit log and the BI change feed can never miss a write.

use chrono::Utc;
use entity::{
    audit_event, change,
    values::{AuditAction, ChangeOperation},
};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use super::loader::Keyed;
use crate::{
    auth::Actor,
    errors::{AppError, AppResult},
};

/// What one write did, for the audit log and the change feed.
pub struct Recorded {
    pub entity: &'static str,
    pub id: Uuid,
    pub action: AuditAction,
    /// `source_system:sourced_id`, when the record has one.
    pub natural_key: Option<String>,
    /// The student the record is about, so a student's audit trail can be read.
    pub student_id: Option<Uuid>,
    /// Names of the fields written.
    pub fields: Vec<&'static str>,
}

impl Recorded {
    pub fn new(
        action: AuditAction,
        entity: &'static str,
        id: Uuid,
        fields: Vec<&'static str>,
    ) -> Self {
        Self {
            entity,
            id,
            action,
            natural_key: None,
            student_id: None,
            fields,
        }
    }

    /// Carries the record's `source_system:sourced_id` into the change feed.
    pub fn keyed(mut self, source_system: &Option<String>, sourced_id: &Option<String>) -> Self {
        self.natural_key = natural_key(source_system, sourced_id);
        self
    }

    /// Files the event under the student it concerns.
    pub fn about_student(mut self, student_id: Uuid) -> Self {
        self.student_id = Some(student_id);
        self
    }
}

/// An open write transaction on behalf of an actor.
pub struct Write<'a> {
    txn: DatabaseTransaction,
    actor: &'a Actor,
    request_id: Option<String>,
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
        })
    }

    /// The transaction, for the write itself.
    pub fn txn(&self) -> &DatabaseTransaction {
        &self.txn
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
            let operation = match what.action {
                AuditAction::Delete => ChangeOperation::Delete,
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
                operation: Set(operation),
                changed_at: Set(now),
            });
        }
        insert_batches(&self.txn, audits).await?;
        insert_batches(&self.txn, changes).await
    }

    pub async fn commit(self) -> AppResult<()> {
        Ok(self.txn.commit().await?)
    }
}

/// Rows per INSERT: under SQLite's and PostgreSQL's bound-parameter limits for any table here.
pub const BATCH_ROWS: usize = 1_000;

/// Inserts rows a batch at a time.
pub async fn insert_batches<A>(txn: &DatabaseTransaction, rows: Vec<A>) -> AppResult<()>
where
    A: sea_orm::ActiveModelTrait + Send,
{
    for batch in rows.chunks(BATCH_ROWS) {
        <A::Entity as EntityTrait>::insert_many(batch.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

/// `source_system:sourced_id`, the key an integration knows a record by.
pub fn natural_key(source_system: &Option<String>, sourced_id: &Option<String>) -> Option<String> {
    match (source_system, sourced_id) {
        (Some(system), Some(id)) => Some(format!("{system}:{id}")),
        _ => None,
    }
}

/// Applies `changes` to row `id` only if it is still at `version` (optimistic concurrency),
/// bumping the version. A stale version is a CONFLICT; a row outside `scope` is NOT_FOUND.
pub async fn update_versioned<E>(
    txn: &DatabaseTransaction,
    changes: E::ActiveModel,
    id: Uuid,
    version: i32,
    scope: Condition,
    entity: &'static str,
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
        .ok_or_else(|| AppError::not_found(entity, id))?;
    if result.rows_affected == 1 {
        Ok(row)
    } else {
        Err(AppError::Conflict(format!(
            "{entity} {id} was changed by someone else: you sent version {version}, it is at version {}; reload and retry",
            E::version_of(&row)
        )))
    }
}
