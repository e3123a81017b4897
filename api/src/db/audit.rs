//! Audit events of what reads many records at once and changes none (an export), so it has
//! an audit event and no change row. Writes record theirs through [`super::Write`].

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
    audit_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        district_id: Set(actor.district_id),
        actor: Set(actor.subject.clone()),
        role: Set(actor.role.as_str().to_string()),
        action: Set(AuditAction::Export),
        entity: Set(dataset.to_string()),
        entity_id: Set(Uuid::nil()),
        student_id: Set(None),
        fields: Set(detail),
        request_id: Set(request_id),
        occurred_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}
