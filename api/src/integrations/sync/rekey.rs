//! `rekeyRecords`: a source system that gives records new sourced ids (after a migration of its
//! own, say) says so, instead of deleting and creating them again: each record keeps its id,
//! history and links, and the change feed carries a KEY_CHANGE with the old and new natural
//! keys. All or nothing: a key that names no record, or a new key another record holds,
//! changes nothing.

use std::collections::HashSet;

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use entity::{enrollment, guardian, school, staff, student};
use sea_orm::Condition;

use crate::{
    auth::policy,
    db::{Write, loader::Keyed},
    errors::{AppError, AppResult},
    graphql::context::ContextExt,
    roster::{Sourced, bulk},
};

/// The kinds of records a source system keys.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum SourcedRecordType {
    /// Schools (`syncSchools`).
    School,
    /// Staff members (`syncStaff`).
    Staff,
    /// Students (`syncStudents`).
    Student,
    /// Guardians (`syncGuardians`).
    Guardian,
    /// Enrollments (`syncEnrollments`).
    Enrollment,
}

/// One record's key, old and new.
#[derive(InputObject)]
pub struct KeyChangeInput {
    /// The sourced id the record has now.
    pub from: String,
    /// The sourced id it gets.
    pub to: String,
}

/// Records of one kind and source system to give new sourced ids.
#[derive(InputObject)]
pub struct RekeyRecordsInput {
    /// The kind of the records.
    pub record_type: SourcedRecordType,
    /// The system that keys the records.
    pub source_system: String,
    /// The keys to change (at most 1,000); each record once.
    pub keys: Vec<KeyChangeInput>,
}

/// What `rekeyRecords` changed.
#[derive(SimpleObject)]
pub struct RekeyRecordsPayload {
    /// How many records got their new key.
    pub rekeyed: i32,
}

#[derive(Default)]
pub struct RekeySync;

#[Object]
impl RekeySync {
    /// Gives records of one source system new sourced ids, keeping each record (its id,
    /// history and links); the change feed reports each as a KEY_CHANGE. SIS_INTEGRATION and
    /// DISTRICT_ADMIN.
    async fn rekey_records(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which records, and their old and new keys.")] input: RekeyRecordsInput,
    ) -> AppResult<RekeyRecordsPayload> {
        let write = ctx.write().await?;
        let actor = write.actor();
        let keys = (input.source_system.as_str(), input.keys.as_slice());
        use SourcedRecordType as Type;
        let rekeyed = match input.record_type {
            Type::School => {
                rekey::<school::Entity>(&write, policy::school_rows(actor)?, keys).await
            }
            Type::Staff => rekey::<staff::Entity>(&write, policy::staff_rows(actor)?, keys).await,
            Type::Student => {
                rekey::<student::Entity>(&write, policy::student_rows(actor)?, keys).await
            }
            Type::Guardian => {
                rekey::<guardian::Entity>(&write, policy::guardian_rows(actor)?, keys).await
            }
            Type::Enrollment => {
                rekey::<enrollment::Entity>(&write, policy::enrollment_rows(actor)?, keys).await
            }
        }?;
        write.commit().await?;
        Ok(RekeyRecordsPayload {
            rekeyed: rekeyed as i32,
        })
    }
}

/// Gives the rows of `E` within `scope` that `system` knows by each `from` the key `to`, in
/// `write`; how many. Every key is checked before any is changed.
pub async fn rekey<E>(
    write: &Write<'_>,
    scope: Condition,
    (system, keys): (&str, &[KeyChangeInput]),
) -> AppResult<usize>
where
    E: Keyed,
    E::Model: Sourced + Sync,
{
    policy::write_roster(write.actor())?;
    let field = |i: usize, part: &str| format!("input.keys.{i}.{part}");
    let (mut froms, mut tos) = (HashSet::new(), HashSet::new());
    for (i, key) in keys.iter().enumerate() {
        if key.to.trim().is_empty() || key.to.trim() != key.to {
            return Err(AppError::bad_input(
                field(i, "to"),
                "a sourced id is not empty and has no spaces around it",
            ));
        }
        if key.from == key.to {
            return Err(AppError::bad_input(
                field(i, "to"),
                "the new key is the old one",
            ));
        }
        if !froms.insert(key.from.as_str()) || !tos.insert(key.to.as_str()) {
            return Err(AppError::bad_input(
                field(i, "from"),
                "each record and each new key once in a call",
            ));
        }
    }
    let froms: Vec<&str> = froms.into_iter().collect();
    let tos: Vec<&str> = tos.into_iter().collect();
    let stored = bulk::stored::<E>(write, &scope, system, &froms).await?;
    let taken = bulk::stored::<E>(write, &scope, system, &tos).await?;
    let table = E::default().table_name();
    let mut rows = Vec::with_capacity(keys.len());
    for (i, key) in keys.iter().enumerate() {
        let Some(row) = stored.get(&key.from) else {
            return Err(AppError::bad_input(
                field(i, "from"),
                format!("no {table} of {system} has the sourced id {}", key.from),
            ));
        };
        if taken.contains_key(&key.to) {
            return Err(AppError::bad_input(
                field(i, "to"),
                format!("another {table} of {system} has the sourced id {}", key.to),
            ));
        }
        rows.push((row.clone(), key.to.as_str()));
    }
    write.rekey_many::<E>(&rows, scope).await?;
    Ok(keys.len())
}
