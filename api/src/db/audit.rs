//! Audit events of reads, which change nothing and so have an audit event and no change row:
//! an export of many records, a sensitive field read on purpose, the CONFIDENTIAL fields a
//! request read. Writes record theirs through
//! [`super::Write`].

use chrono::Utc;
use entity::{audit_event, values::AuditAction};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseConnection, DatabaseTransaction, EntityTrait,
    TransactionTrait,
};
use uuid::Uuid;

use super::disclosure::{Disclosed, record_disclosures};
use crate::{auth::Actor, errors::AppResult};

/// Records that `actor` exported `dataset` (with `detail`: the format and filters).
pub async fn audit_export(
    db: &DatabaseConnection,
    actor: &Actor,
    request_id: Option<String>,
    (dataset, detail): (&str, String),
) -> AppResult<()> {
    let event = Event {
        action: AuditAction::Export,
        entity: dataset,
        entity_id: Uuid::nil(),
        student_id: None,
        detail,
    };
    record(db, actor, request_id, event).await
}

/// Records that `actor` read a sensitive field of record `entity_id` of `entity` about
/// `student_id` on purpose (a RESTRICTED note), with `detail` naming the field and the reason.
pub async fn audit_sensitive_read(
    db: &DatabaseConnection,
    actor: &Actor,
    request_id: Option<String>,
    (entity, entity_id, student_id): (&str, Uuid, Uuid),
    detail: String,
) -> AppResult<()> {
    let event = Event {
        action: AuditAction::ReadSensitive,
        entity,
        entity_id,
        student_id: Some(student_id),
        detail,
    };
    record(db, actor, request_id, event).await
}

/// Records what a request read (from `graphql::reads`) in one transaction: an audit event per
/// student whose CONFIDENTIAL fields it read, naming them, and a record of each disclosure to
/// an outside party.
pub async fn record_reads(
    db: &DatabaseConnection,
    actor: &Actor,
    request_id: Option<String>,
    (reads, disclosures): (Vec<(Uuid, Vec<&'static str>)>, Vec<Disclosed>),
) -> AppResult<()> {
    if reads.is_empty() && disclosures.is_empty() {
        return Ok(());
    }
    let txn = db.begin().await?;
    record_disclosures(&txn, actor, request_id.clone(), disclosures).await?;
    audit_confidential_reads(&txn, actor, request_id, reads).await?;
    Ok(txn.commit().await?)
}

/// One audit event per student naming the CONFIDENTIAL fields read, in one statement.
async fn audit_confidential_reads(
    db: &DatabaseTransaction,
    actor: &Actor,
    request_id: Option<String>,
    reads: Vec<(Uuid, Vec<&'static str>)>,
) -> AppResult<()> {
    if reads.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let rows = reads
        .into_iter()
        .map(|(student, fields)| audit_event::ActiveModel {
            id: Set(Uuid::now_v7()),
            district_id: Set(actor.district_id),
            actor: Set(actor.subject.clone()),
            role: Set(actor.role.as_str().to_string()),
            action: Set(AuditAction::ReadSensitive),
            entity: Set("student".into()),
            entity_id: Set(student),
            student_id: Set(Some(student)),
            fields: Set(fields.join(",")),
            request_id: Set(request_id.clone()),
            occurred_at: Set(now),
        });
    audit_event::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// What an audit event says happened.
struct Event<'a> {
    action: AuditAction,
    entity: &'a str,
    entity_id: Uuid,
    student_id: Option<Uuid>,
    detail: String,
}

async fn record(
    db: &DatabaseConnection,
    actor: &Actor,
    request_id: Option<String>,
    event: Event<'_>,
) -> AppResult<()> {
    audit_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        district_id: Set(actor.district_id),
        actor: Set(actor.subject.clone()),
        role: Set(actor.role.as_str().to_string()),
        action: Set(event.action),
        entity: Set(event.entity.to_string()),
        entity_id: Set(event.entity_id),
        student_id: Set(event.student_id),
        fields: Set(event.detail),
        request_id: Set(request_id),
        occurred_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}
