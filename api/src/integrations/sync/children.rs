//! Records that carry children: a staff member lists the schools it works at, a guardian the
//! students it is linked to. A child is a row known by its parent and the record it names (a
//! school, a student the same system pushed before), not by a sourced id of its own. The
//! record lists all of them, so a stored child it no longer lists is ended (an assignment gets
//! an end date, a link is removed), and one it lists again comes back.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, Condition, IntoActiveModel, QueryFilter};
use uuid::Uuid;

use super::{
    Outcomes, Pushed, Record, Scope, SyncOptions, SyncPayload, SyncStatus, outcomes, pushed_before,
    record_check,
};
use crate::{
    auth::Actor,
    db::{BATCH_ROWS, Write, loader::Keyed},
    errors::AppResult,
    graphql::ids::NodeType,
    roster::{
        Sourced,
        bulk::{self, Effect, Planned, ids_by_source},
    },
    validation::{Check, UserErrorCode},
};

/// A kind of child, and how a push treats it.
pub struct Kind<C: Keyed> {
    /// The field of a record listing its children (`students`), for the diff.
    pub field: &'static str,
    /// The columns a push sets.
    pub owned: &'static [C::Column],
    /// The column naming the parent.
    pub parent: C::Column,
    /// The stored children a push compares with (the caller's to see).
    pub stored: Condition,
    /// A child's key: its parent and the record it names.
    pub key: fn(&C::Model) -> (Uuid, Uuid),
    /// Sets a child's parent (known once the parent is planned).
    pub set_parent: fn(&mut C::Model, Uuid),
    /// A stored child, ended on a day (today).
    pub end: fn(&C::Model, NaiveDate) -> C::Model,
}

/// What the children of a record name: the entity (`N`), which of its rows the caller may
/// name, and for each of a record's children the sourced id it names.
pub struct Named<R> {
    /// What the children name (`school`), for errors.
    pub what: &'static str,
    pub scope: Scope,
    /// The field of a record's `i`th child naming the record (`students.{i}.studentSourcedId`),
    /// for errors.
    pub field: fn(usize) -> String,
    pub sourced_ids: fn(&R) -> Vec<&str>,
}

/// What a pushed record becomes: its row, and its children's rows given the ids of the records
/// they name (in the order `Named::sourced_ids` gave them; problems go to the check).
type ToRows<'f, R, M, CM> =
    &'f (dyn Fn(&Actor, &str, R, &[Uuid], &mut Check) -> (M, Vec<CM>) + Sync);

/// A push of records with children (`P` rows, `C` children naming `N` rows) in `write`'s
/// transaction: records and children are checked, compared with what is stored and written
/// together (uncommitted); a record whose children change is UPDATED.
pub async fn push_with_children<P, T, N, C, R>(
    write: &Write<'_>,
    (options, records): (&SyncOptions, Vec<R>),
    (scope, owned): (Scope, &[P::Column]),
    (named, kind): (Named<R>, Kind<C>),
    to_rows: ToRows<'_, R, P::Model, C::Model>,
) -> AppResult<SyncPayload>
where
    P: Keyed,
    P::Model: Sourced + IntoActiveModel<P::ActiveModel> + Clone,
    P::ActiveModel: Send,
    C: Keyed,
    C::Model: IntoActiveModel<C::ActiveModel> + Clone,
    C::ActiveModel: Send,
    N: Keyed,
    T: NodeType,
    R: Record,
{
    let actor = write.actor();
    let system = options.source_system.as_str();
    let all_named: Vec<&str> = records.iter().flat_map(named.sourced_ids).collect();
    let found = ids_by_source::<N>(write, &(named.scope)(actor)?, system, &all_named).await?;
    let mut children = Vec::with_capacity(records.len());
    let pushed = records
        .into_iter()
        .enumerate()
        .map(|(index, record)| {
            let sourced_id = record.sourced_id().to_string();
            let mut check = record_check(index, &sourced_id);
            let ids = named_ids(&named, &record, &found, system, &mut check);
            let (row, kids) = to_rows(actor, system, record, &ids, &mut check);
            children.push(kids);
            Pushed {
                sourced_id,
                row: check.finish().map(|()| row),
            }
        })
        .collect();
    let mut outcomes = outcomes::<P, T>(write, options, &scope(actor)?, owned, pushed).await?;
    let planned = plan(write, &mut outcomes, children, &kind).await?;
    let applied = outcomes.applies(options);
    if applied {
        outcomes.write(write, owned).await?;
        bulk::apply::<C>(write, &planned, kind.owned).await?;
    }
    Ok(outcomes.payload(applied))
}

/// The ids of the records `record`'s children name; one not found is the record's NOT_FOUND,
/// and one named twice its DUPLICATE.
fn named_ids<R>(
    named: &Named<R>,
    record: &R,
    found: &HashMap<String, Uuid>,
    system: &str,
    check: &mut Check,
) -> Vec<Uuid> {
    let mut seen = HashSet::new();
    (named.sourced_ids)(record)
        .into_iter()
        .enumerate()
        .map(|(i, key)| {
            let field = (named.field)(i);
            let id = pushed_before(check, &field, found.get(key), (named.what, system));
            if found.contains_key(key) && !seen.insert(key) {
                check.fail(
                    &field,
                    UserErrorCode::Duplicate,
                    "the record names this sourcedId twice",
                );
            }
            id
        })
        .collect()
}

/// Plans the good records' children against the stored ones, and marks a record whose
/// children change as UPDATED.
async fn plan<P: Keyed, C>(
    write: &Write<'_>,
    outcomes: &mut Outcomes<P>,
    children: Vec<Vec<C::Model>>,
    kind: &Kind<C>,
) -> AppResult<Vec<Planned<C>>>
where
    C: Keyed,
    C::Model: IntoActiveModel<C::ActiveModel> + Clone,
{
    let mut wanted = Vec::new();
    for (kids, parent) in children.into_iter().zip(&outcomes.row_ids) {
        let Some(parent) = parent else { continue };
        wanted.extend(kids.into_iter().map(|mut kid| {
            (kind.set_parent)(&mut kid, *parent);
            kid
        }));
    }
    let parents: Vec<Uuid> = outcomes.row_ids.iter().flatten().copied().collect();
    let mut stored = Vec::new();
    for chunk in parents.chunks(BATCH_ROWS) {
        let rows = C::find()
            .filter(kind.stored.clone())
            .filter(kind.parent.is_in(chunk.iter().copied()))
            .all(write.txn())
            .await?;
        stored.extend(rows);
    }
    let today = write.actor().today;
    let end = |row: &C::Model| (kind.end)(row, today);
    let planned = bulk::plan_children::<C, _>(stored, wanted, kind.owned, kind.key, end);
    let changed: HashSet<Uuid> = planned
        .iter()
        .filter(|p| p.effect != Effect::Unchanged)
        .map(|p| (kind.key)(&p.row).0)
        .collect();
    for (result, parent) in outcomes.results.iter_mut().zip(&outcomes.row_ids) {
        if !parent.is_some_and(|p| changed.contains(&p)) {
            continue;
        }
        result.changed.push(kind.field.into());
        if result.status == SyncStatus::Unchanged {
            result.status = SyncStatus::Updated;
            outcomes.summary.unchanged -= 1;
            outcomes.summary.updated += 1;
        }
    }
    Ok(planned)
}
