//! The roster's bulk path: records an SIS pushes many at a time, known by `(sourceSystem,
//! sourcedId)`. [`plan`] compares them with what is stored (a query per thousand keys) and says
//! what each would do; [`apply`] writes them a thousand rows per statement, with the audit and
//! change rows every roster write leaves ([`Write::record_many`]). Rules of single records stay
//! with each record's service (`students::service::prepare`, ...); this is only the how-many.

use std::{
    collections::{HashMap, HashSet},
    hash::Hash,
};

use chrono::Utc;
use entity::values::AuditAction;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, IdenStatic, IntoActiveModel, Iterable,
    ModelTrait, QueryFilter, QuerySelect,
    sea_query::{Alias, Expr, ExprTrait, OnConflict},
};
use uuid::Uuid;

use super::writes::Sourced;
use crate::{
    auth::policy,
    db::{BATCH_ROWS, Recorded, Write, insert_batches, loader::Keyed, rows_per_insert},
    errors::{AppError, AppResult},
};

/// What pushing a record does to the stored one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// No record had its key: it is added.
    Created,
    /// The record had other values: they are replaced.
    Updated,
    /// The record already had these values: nothing is written.
    Unchanged,
}

/// A pushed record, checked: what it does, and the row as it is after the push.
pub struct Planned<E: EntityTrait> {
    pub effect: Effect,
    pub row: E::Model,
    /// The columns an update changes (set), for the write and the audit log.
    changes: E::ActiveModel,
}

impl<E: EntityTrait> Planned<E> {
    /// The columns an update changes (snake_case), for a dry run's diff; none for a new row.
    pub fn changed_columns(&self) -> Vec<&'static str> {
        if self.effect != Effect::Updated {
            return Vec::new();
        }
        E::Column::iter()
            .filter(|column| self.changes.get(*column).is_set())
            .map(|column| column.as_str())
            .collect()
    }
}

/// The column of `E` named `name`; every sourced table has the ones asked for here.
fn column<E: EntityTrait>(name: &str) -> E::Column {
    E::Column::iter()
        .find(|column| column.as_str() == name)
        .unwrap_or_else(|| panic!("{} has no column {name}", E::default().table_name()))
}

/// The stored rows of `E` within `scope` known to `system` by the `sourced_ids`, by sourced id:
/// a query per thousand keys.
pub async fn stored<E>(
    write: &Write<'_>,
    scope: &Condition,
    system: &str,
    sourced_ids: &[&str],
) -> AppResult<HashMap<String, E::Model>>
where
    E: Keyed,
    E::Model: Sourced,
{
    let mut found = HashMap::with_capacity(sourced_ids.len());
    for chunk in sourced_ids.chunks(BATCH_ROWS) {
        let rows = E::find()
            .filter(scope.clone())
            .filter(column::<E>("source_system").eq(system))
            .filter(column::<E>("sourced_id").is_in(chunk.iter().copied()))
            .all(write.txn())
            .await?;
        for row in rows {
            if let (_, Some(sourced_id)) = row.source() {
                found.insert(sourced_id.to_string(), row);
            }
        }
    }
    Ok(found)
}

/// What pushing `rows` (each checked, with a fresh id, sourced ids unique) does, given the
/// `stored` rows by sourced id. Only the `owned` columns (those the source system keeps) are
/// compared and replaced; the district's own columns keep their stored values.
pub fn plan<E>(
    stored: &HashMap<String, E::Model>,
    rows: Vec<E::Model>,
    owned: &[E::Column],
) -> Vec<Planned<E>>
where
    E: Keyed,
    E::Model: Sourced + IntoActiveModel<E::ActiveModel> + Clone,
{
    plan_by::<E, _>(stored, rows, owned, |row| {
        row.source().1.unwrap_or_default().to_string()
    })
}

/// [`plan`] for rows known by any `key` (a link by its student and guardian, say).
pub fn plan_by<E, K>(
    stored: &HashMap<K, E::Model>,
    rows: Vec<E::Model>,
    owned: &[E::Column],
    key: impl Fn(&E::Model) -> K,
) -> Vec<Planned<E>>
where
    E: Keyed,
    E::Model: IntoActiveModel<E::ActiveModel> + Clone,
    K: Hash + Eq,
{
    let now = Utc::now();
    rows.into_iter()
        .map(|row| {
            let Some(current) = stored.get(&key(&row)) else {
                let changes = row.clone().into_active_model();
                return Planned {
                    effect: Effect::Created,
                    row,
                    changes,
                };
            };
            let mut changes = E::ActiveModel::default();
            let mut after = current.clone();
            for column in owned {
                let value = row.get(*column);
                if value != current.get(*column) {
                    changes.set(*column, value.clone());
                    after.set(*column, value);
                }
            }
            if !changes.is_changed() {
                return Planned {
                    effect: Effect::Unchanged,
                    row: after,
                    changes,
                };
            }
            after.set(E::version_column(), (E::version_of(current) + 1).into());
            after.set(E::updated_at_column(), now.into());
            Planned {
                effect: Effect::Updated,
                row: after,
                changes,
            }
        })
        .collect()
}

/// What pushing the `wanted` children of some records (a guardian's links, a staff member's
/// schools: rows known by `key`, not by a sourced id) does to the `stored` children of the
/// same records: a wanted child is created or updated as [`plan_by`] says, and a stored child
/// not wanted is ended by `end` (a copy ended; one already ended comes to nothing).
pub fn plan_children<E, K>(
    stored: Vec<E::Model>,
    wanted: Vec<E::Model>,
    owned: &[E::Column],
    key: impl Fn(&E::Model) -> K,
    end: impl Fn(&E::Model) -> E::Model,
) -> Vec<Planned<E>>
where
    E: Keyed,
    E::Model: IntoActiveModel<E::ActiveModel> + Clone,
    K: Hash + Eq,
{
    let wanted_keys: HashSet<K> = wanted.iter().map(&key).collect();
    let ended = stored
        .iter()
        .filter(|row| !wanted_keys.contains(&key(row)))
        .map(&end)
        .collect();
    let stored: HashMap<K, E::Model> = stored.into_iter().map(|row| (key(&row), row)).collect();
    let mut planned = plan_by::<E, K>(&stored, wanted, owned, &key);
    planned.extend(
        plan_by::<E, K>(&stored, ended, owned, &key)
            .into_iter()
            .filter(|p| p.effect != Effect::Unchanged),
    );
    planned
}

/// Writes what `planned` says, in the write's transaction: new rows a thousand per INSERT,
/// changed rows a thousand per INSERT ... ON CONFLICT (id) DO UPDATE (each only if still at the
/// version read, else the push is a CONFLICT to retry), and the audit and change rows of both.
pub async fn apply<E>(
    write: &Write<'_>,
    planned: &[Planned<E>],
    owned: &[E::Column],
) -> AppResult<()>
where
    E: Keyed,
    E::Model: IntoActiveModel<E::ActiveModel> + Clone,
    E::ActiveModel: Send,
{
    policy::write_roster(write.actor())?;
    let of = |effect| planned.iter().filter(move |p| p.effect == effect);
    let created: Vec<E::ActiveModel> = of(Effect::Created).map(|p| p.changes.clone()).collect();
    insert_batches(write.txn(), created).await?;
    let updated: Vec<E::ActiveModel> = of(Effect::Updated)
        .map(|p| p.row.clone().into_active_model())
        .collect();
    let version = E::version_column();
    for batch in updated.chunks(rows_per_insert::<E>()) {
        let excluded = |column: E::Column| Expr::col((Alias::new("excluded"), column));
        let mut on_conflict = OnConflict::column(E::id_column());
        on_conflict
            .update_columns(
                owned
                    .iter()
                    .copied()
                    .chain([version, E::updated_at_column()]),
            )
            .action_and_where(Expr::col((E::default(), version)).eq(excluded(version).sub(1)));
        let written = E::insert_many(batch.to_vec())
            .on_conflict(on_conflict)
            .exec_without_returning(write.txn())
            .await?;
        if written != batch.len() as u64 {
            return Err(AppError::Conflict(format!(
                "some {} records were changed by someone else during the push; send it again",
                E::default().table_name()
            )));
        }
    }
    let recorded = planned
        .iter()
        .filter_map(|p| {
            let action = match p.effect {
                Effect::Created => AuditAction::Create,
                Effect::Updated => AuditAction::Update,
                Effect::Unchanged => return None,
            };
            Some(Recorded::written(action, &p.row, &p.changes))
        })
        .collect();
    write.record_many(recorded).await
}

/// The ids of the rows of `E` within `scope` that `system` knows by `sourced_ids` (a pushed
/// record's references), by sourced id: a query per thousand distinct keys, reading two
/// columns (10,000 enrollments at five schools name five schools).
pub async fn ids_by_source<E: Keyed>(
    write: &Write<'_>,
    scope: &Condition,
    system: &str,
    sourced_ids: &[&str],
) -> AppResult<HashMap<String, Uuid>> {
    let distinct: Vec<&str> = sourced_ids
        .iter()
        .copied()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut found = HashMap::with_capacity(distinct.len());
    for chunk in distinct.chunks(BATCH_ROWS) {
        let rows = E::find()
            .select_only()
            .column(column::<E>("sourced_id"))
            .column(E::id_column())
            .filter(scope.clone())
            .filter(column::<E>("source_system").eq(system))
            .filter(column::<E>("sourced_id").is_in(chunk.iter().copied()))
            .into_tuple::<(String, Uuid)>()
            .all(write.txn())
            .await?;
        found.extend(rows);
    }
    Ok(found)
}
