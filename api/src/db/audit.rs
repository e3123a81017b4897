//! Audit events of reads, which change nothing and so have an audit event and no change row:
//! an export of many records, a sensitive field read on purpose. Writes record theirs through
//! [`super::Write`].

use chrono::Utc;
use entity::{audit_event, values::AuditAction};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection};
use uuid::Uuid;

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
