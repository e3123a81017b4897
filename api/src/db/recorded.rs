//! What one write did, as the audit log and the change feed record it: the entity, the row,
//! the columns written, the natural key (and the one before, for a re-key) and the student.

use chrono::Utc;
use entity::values::AuditAction;
use sea_orm::{
    ActiveModelTrait, EntityName, EntityTrait, IdenStatic, Iterable, ModelTrait, Value,
    sea_query::ValueType,
};
use uuid::Uuid;

use super::loader::{Identified, Keyed};

/// What one write did, for the audit log and the change feed.
pub struct Recorded {
    pub entity: &'static str,
    pub id: Uuid,
    pub action: AuditAction,
    /// `source_system:sourced_id`, when the record has one.
    pub natural_key: Option<String>,
    /// The natural key before this write, when the write changed it (a KEY_CHANGE).
    pub previous_key: Option<String>,
    /// The student the record is about, so a student's audit trail can be read.
    pub student_id: Option<Uuid>,
    /// Names of the columns written.
    pub fields: Vec<&'static str>,
}

/// Columns every record keeps for itself; writing them is not worth an audit field.
const BOOKKEEPING: [&str; 6] = [
    "id",
    "district_id",
    "created_at",
    "updated_at",
    "deleted_at",
    "version",
];

impl Recorded {
    /// The record of writing `changes` to `row` (the row as it is after the write): the
    /// entity's table, the columns `changes` holds, the row's natural key and the student it is
    /// about, all read from the entity itself so they cannot drift from what was written.
    pub fn written<A>(
        action: AuditAction,
        row: &<A::Entity as EntityTrait>::Model,
        changes: &A,
    ) -> Self
    where
        A: ActiveModelTrait,
        A::Entity: Keyed,
    {
        let fields = <A::Entity as EntityTrait>::Column::iter()
            // An insert's columns are all `Unchanged`, an update's changes `Set`.
            .filter(|column| !changes.get(*column).is_not_set())
            .map(|column| column.as_str())
            .filter(|name| !BOOKKEEPING.contains(name))
            .collect();
        let text = |name: &str| {
            column_value(row, name).and_then(|value| <String as ValueType>::try_from(value).ok())
        };
        let student_id = if A::Entity::default().table_name() == "student" {
            Some(A::Entity::id_of(row))
        } else {
            column_value(row, "student_id")
                .and_then(|value| <Uuid as ValueType>::try_from(value).ok())
        };
        // Setting `deleted_at` is how a record is removed: its change is a tombstone.
        let sets_deleted_at = <A::Entity as EntityTrait>::Column::iter()
            .any(|column| column.as_str() == "deleted_at" && changes.get(column).is_set());
        let removed = sets_deleted_at
            && column_value(row, "deleted_at").is_some_and(|value| {
                <Option<chrono::DateTime<Utc>> as ValueType>::try_from(value)
                    .is_ok_and(|at| at.is_some())
            });
        Self {
            entity: A::Entity::default().table_name(),
            id: A::Entity::id_of(row),
            action: if removed { AuditAction::Delete } else { action },
            natural_key: natural_key(&text("source_system"), &text("sourced_id")),
            previous_key: None,
            student_id,
            fields,
        }
    }
}

impl Recorded {
    /// The record of a write made without its model at hand (a bulk update by ids).
    pub fn of<E: EntityName + Default>(
        action: AuditAction,
        id: Uuid,
        student_id: Option<Uuid>,
        fields: Vec<&'static str>,
    ) -> Self {
        Self {
            entity: E::default().table_name(),
            id,
            action,
            natural_key: None,
            previous_key: None,
            student_id,
            fields,
        }
    }
}

/// The value of the column named `name` of `row`, if the entity has one.
pub(super) fn column_value<M: ModelTrait>(row: &M, name: &str) -> Option<Value> {
    <M::Entity as EntityTrait>::Column::iter()
        .find(|column| column.as_str() == name)
        .map(|column| row.get(column))
}

/// `source_system:sourced_id`, the key an integration knows a record by.
pub fn natural_key(source_system: &Option<String>, sourced_id: &Option<String>) -> Option<String> {
    match (source_system, sourced_id) {
        (Some(system), Some(id)) => Some(format!("{system}:{id}")),
        _ => None,
    }
}
