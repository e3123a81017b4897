//! Generic DataLoaders whose queries carry the policy's row condition.
//!
//! Loaders are built per request with the actor's scope in them (never shared across users),
//! so a loader cannot return a row the policy did not allow. One query per relation per page.

use std::{collections::HashMap, marker::PhantomData};

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use sea_orm::{
    Condition, DatabaseConnection, EntityTrait, JoinType, ModelTrait, Order, QueryFilter,
    QueryOrder, QuerySelect, Related, Select, sea_query::ValueType,
};
use uuid::Uuid;

use crate::errors::{AppError, AppResult};

mod ends;

pub use self::ends::{End, EndRows};

/// An entity keyed by a UUID `id` column: enough to page it by keyset.
pub trait Identified: EntityTrait {
    fn id_column() -> Self::Column;
    fn id_of(model: &Self::Model) -> Uuid;
}

/// An [`Identified`] entity with an optimistic-concurrency `version`: a record that changes.
pub trait Keyed: Identified {
    fn version_column() -> Self::Column;
    fn updated_at_column() -> Self::Column;
    fn version_of(model: &Self::Model) -> i32;
}

/// Implements [`Identified`] for entities with an `id` column.
macro_rules! identified_by_id {
    ($($entity:ident),+ $(,)?) => {$(
        impl Identified for entity::$entity::Entity {
            fn id_column() -> Self::Column {
                entity::$entity::Column::Id
            }
            fn id_of(model: &Self::Model) -> Uuid {
                model.id
            }
        }
    )+};
}
// Append-only: no version, never updated.
identified_by_id!(audit_event, agency_referral_transition, disclosure);

/// Implements [`Identified`] and [`Keyed`] for entities with `id`, `version` and `updated_at`
/// columns.
macro_rules! keyed_by_id {
    ($($entity:ident),+ $(,)?) => {$(
        identified_by_id!($entity);
        impl Keyed for entity::$entity::Entity {
            fn version_column() -> Self::Column {
                entity::$entity::Column::Version
            }
            fn updated_at_column() -> Self::Column {
                entity::$entity::Column::UpdatedAt
            }
            fn version_of(model: &Self::Model) -> i32 {
                model.version
            }
        }
    )+};
}
keyed_by_id!(
    district,
    agency,
    agency_service,
    agency_location,
    agency_contact,
    consent,
    agency_referral,
    abuse_report,
    truancy_step,
    assessment,
    crisis_incident,
    safety_plan,
    contact_addendum,
    counseling_group,
    group_member,
    group_session,
    group_attendance,
    service_contact,
    ssw_case,
    ssw_referral,
    school,
    staff,
    staff_school_assignment,
    student,
    enrollment,
    guardian,
    student_guardian,
    descriptor,
    intervention,
    student_intervention,
    progress_point,
    intervention_session,
    tier_placement,
    iep_participation,
    iep_meeting,
    homeless_status,
    attendance_day,
);

/// Loads rows of `E` by id, within the actor's scope.
pub struct ById<E> {
    db: DatabaseConnection,
    scope: AppResult<Condition>,
    _entity: PhantomData<fn() -> E>,
}

impl<E> ById<E> {
    pub fn new(db: DatabaseConnection, scope: AppResult<Condition>) -> Self {
        Self {
            db,
            scope,
            _entity: PhantomData,
        }
    }
}

impl<E> Loader<Uuid> for ById<E>
where
    E: Keyed + Send + Sync + 'static,
    E::Model: Send + Sync + Clone + 'static,
{
    type Value = E::Model;
    type Error = AppError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, E::Model>, AppError> {
        let backend = self.db.get_database_backend();
        let rows = E::find()
            .filter(self.scope.clone()?)
            .filter(super::one_of(backend, (E::default(), E::id_column()), keys))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|row| (E::id_of(&row), row)).collect())
    }
}

/// A per-request DataLoader with its cache: built for one request and one actor, never shared.
pub type Cached<L> = DataLoader<L, HashMapCache>;

pub fn cached<L: Send + Sync + 'static>(loader: L) -> Cached<L> {
    DataLoader::with_cache(loader, tokio::spawn, HashMapCache::default())
}

/// Loads `keys` into a loader's cache when the query `wants` the relation: one step of a page's
/// prefetch. What it loaded is returned, for the steps that follow from it.
pub async fn warm<K, L>(
    loader: &Cached<L>,
    wants: bool,
    keys: impl IntoIterator<Item = K>,
) -> AppResult<HashMap<K, L::Value>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    L: Loader<K, Error = AppError>,
{
    if !wants {
        return Ok(HashMap::new());
    }
    match loader.load_many(keys).await {
        // A relation the actor may not read is a FORBIDDEN error on each field that asks for
        // it (its resolver loads again and is refused), not the failure of the whole page.
        Err(AppError::Forbidden(_)) => Ok(HashMap::new()),
        loaded => loaded,
    }
}

/// The loader of rows of `E` by id, within `scope` (the policy's row condition).
pub fn by_id<E>(db: &DatabaseConnection, scope: AppResult<Condition>) -> Cached<ById<E>>
where
    E: Keyed + Send + Sync + 'static,
{
    cached(ById::new(db.clone(), scope))
}

/// The loader of the rows of `E` whose `parent` column points at each key, within `scope`,
/// sorted by `order` and then by id in the same direction.
pub fn children<E>(
    db: &DatabaseConnection,
    scope: AppResult<Condition>,
    parent: E::Column,
    order: (E::Column, Order),
) -> Cached<Children<E>>
where
    E: Identified + Send + Sync + 'static,
{
    let (column, direction) = order;
    cached(Children {
        db: db.clone(),
        scope,
        parent,
        order: vec![(column, direction.clone()), (E::id_column(), direction)],
    })
}

/// Loads, for each parent id, all rows of `E` whose `parent` column points at it, within the
/// actor's scope and in a fixed order. For bounded relations (a student's enrollments, a
/// school's staff assignments), which are then paged in memory.
pub struct Children<E: EntityTrait> {
    db: DatabaseConnection,
    scope: AppResult<Condition>,
    parent: E::Column,
    order: Vec<(E::Column, Order)>,
}

impl<E: EntityTrait> Children<E> {
    /// The children of `keys` within the scope, in order.
    fn query(&self, keys: &[Uuid]) -> AppResult<Select<E>> {
        let backend = self.db.get_database_backend();
        let mut query = E::find().filter(self.scope.clone()?).filter(super::one_of(
            backend,
            (E::default(), self.parent),
            keys,
        ));
        for (column, order) in &self.order {
            query = query.order_by(*column, order.clone());
        }
        Ok(query)
    }

    /// Rows grouped by their parent, every key present (a key without rows has none).
    fn group<T>(
        &self,
        keys: &[Uuid],
        rows: impl IntoIterator<Item = T>,
        row: impl Fn(&T) -> &E::Model,
    ) -> HashMap<Uuid, Vec<T>> {
        let mut grouped: HashMap<Uuid, Vec<T>> =
            keys.iter().map(|key| (*key, Vec::new())).collect();
        for item in rows {
            if let Ok(parent) = <Uuid as ValueType>::try_from(row(&item).get(self.parent)) {
                grouped.entry(parent).or_default().push(item);
            }
        }
        grouped
    }
}

impl<E> Loader<Uuid> for Children<E>
where
    E: EntityTrait + Send + Sync + 'static,
    E::Model: Send + Sync + Clone + 'static,
    E::Column: Send + Sync,
{
    type Value = Vec<E::Model>;
    type Error = AppError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Vec<E::Model>>, AppError> {
        let rows = self.query(keys)?.all(&self.db).await?;
        Ok(self.group(keys, rows, |row| row))
    }
}

/// Loads the children of `keys` and the `R` row each points at in one statement (a LEFT JOIN
/// whose condition is `targets`' own scope, so no row the policy hides comes back), and puts
/// both in their loaders' caches: a page's relation and the records it names in one round
/// trip (a student's enrollments and their schools, guardian links and guardians). As [`warm`],
/// it loads nothing the query does not want: the children only, or nothing at all.
pub async fn warm_joined<E, R>(
    children: &Cached<Children<E>>,
    targets: &Cached<ById<R>>,
    (wants_children, wants_targets): (bool, bool),
    keys: impl IntoIterator<Item = Uuid>,
) -> AppResult<HashMap<Uuid, Vec<E::Model>>>
where
    E: EntityTrait + Related<R> + Send + Sync + 'static,
    E::Model: Send + Sync + Clone + 'static,
    E::Column: Send + Sync,
    R: Keyed + Send + Sync + 'static,
    R::Model: Send + Sync + Clone + 'static,
{
    let keys: Vec<Uuid> = keys.into_iter().collect();
    if !wants_targets {
        return warm(children, wants_children, keys).await;
    }
    let target_scope = targets.loader().scope.clone()?;
    let join = <E as Related<R>>::to().on_condition(move |_, _| target_scope.clone());
    let rows = children
        .loader()
        .query(&keys)?
        .join(JoinType::LeftJoin, join)
        .select_also(R::default())
        .all(&children.loader().db)
        .await?;
    let found: HashMap<Uuid, R::Model> = rows
        .iter()
        .filter_map(|(_, target)| target.clone())
        .map(|target| (R::id_of(&target), target))
        .collect();
    targets.feed_many(found).await;
    let grouped: HashMap<Uuid, Vec<E::Model>> = children
        .loader()
        .group(&keys, rows, |(row, _)| row)
        .into_iter()
        .map(|(key, rows)| (key, rows.into_iter().map(|(row, _)| row).collect()))
        .collect();
    children.feed_many(grouped.clone()).await;
    Ok(grouped)
}
