//! The audit log: read by the district admin, whole, and by no one else; written by no role
//! (the unit of work and the audited reads append to it).

use entity::audit_event;
use sea_orm::{ColumnTrait, Condition};

use super::{Read, Resource, may_not_read, read};
use crate::{auth::Actor, errors::AppResult};

/// Audit events the actor may read: its district's, when it reads the log at all.
pub fn audit_rows(actor: &Actor) -> AppResult<Condition> {
    if read(actor, Resource::AuditLog) != Read::District {
        return Err(may_not_read(actor, Resource::AuditLog));
    }
    Ok(Condition::all().add(audit_event::Column::DistrictId.eq(actor.district_id)))
}
