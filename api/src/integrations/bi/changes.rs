//! `changes`: every insert, update and delete of the district's records, in the order their
//! transactions committed (`change.position`, given at commit: `db::positions`), so a client
//! that resumes from any cursor it was given never misses or repeats a change, also while
//! writes are happening. A delete carries the record's natural key, as every change does when
//! the reader may see it.

use async_graphql::{Context, ID, Object, SimpleObject};
use entity::change;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::{
    auth::{
        policy::{self, FeedEntity},
        pseudonym::Pseudonyms,
    },
    db::positions,
    errors::{AppError, AppResult},
    graphql::{
        context::ContextExt,
        pagination::{self, MAX_PAGE_SIZE},
        scalars::{DateTime, mirror_enum},
    },
};

mirror_enum! {
    /// What a change did to its record.
    ChangeOperation = entity::values::ChangeOperation {
        /// Created or changed.
        Upsert,
        /// Deleted (soft or hard): a tombstone.
        Delete,
        /// Its natural key changed (its source system re-keyed it: `rekeyRecords`).
        KeyChange,
    }
}

/// One change of one record.
#[derive(SimpleObject)]
pub struct ChangeEvent {
    /// Where the feed stands after this change: pass it as `after` to read on from here.
    pub cursor: String,
    /// The kind of record (its table: `student`, `enrollment`, ...).
    pub entity_type: String,
    /// The record's UUID (the id inside its GraphQL id, for the kinds that are nodes); a
    /// student's pseudonym for a reader that knows students by pseudonym.
    pub entity_id: ID,
    /// `sourceSystem:sourcedId` of the record, when it has one and the reader may see it.
    pub natural_key: Option<String>,
    /// For a KEY_CHANGE, the record's natural key before it (`naturalKey` is the new one):
    /// what a client holding the record under its old key moves.
    pub previous_natural_key: Option<String>,
    /// What the change did to the record.
    pub operation: ChangeOperation,
    /// When the change was written.
    pub changed_at: DateTime,
}

/// A page of the feed.
#[derive(SimpleObject)]
pub struct ChangePage {
    /// The changes, in the feed's order.
    pub nodes: Vec<ChangeEvent>,
    /// The cursor of the last change of the page (the `after` given when the page is empty):
    /// where to resume.
    pub end_cursor: Option<String>,
    /// Whether more changes follow now (more may come later: poll from `endCursor`).
    pub has_next_page: bool,
}

/// The table of students, whose changes name a student.
const STUDENT: &str = "student";

/// A cursor: the position and sequence of a change.
fn cursor((position, seq): (i64, i64)) -> String {
    format!("{position}.{seq}")
}

fn parse_cursor(text: &str) -> AppResult<(i64, i64)> {
    let parsed = text
        .split_once('.')
        .and_then(|(p, s)| Some((p.parse().ok()?, s.parse().ok()?)));
    parsed.ok_or_else(|| AppError::bad_input("after", "not a cursor of the change feed"))
}

#[derive(Default)]
pub struct ChangesQuery;

#[Object]
impl ChangesQuery {
    /// The cursor of the latest change now (null when there is none yet): take it before
    /// reading the records afresh (a first load, or a re-sync), then follow `changes` from it.
    async fn changes_cursor(&self, ctx: &Context<'_>) -> AppResult<Option<String>> {
        let actor = ctx.actor()?;
        policy::feed_entities(actor)?;
        let last = change::Entity::find()
            .filter(change::Column::DistrictId.eq(actor.district_id))
            .filter(change::Column::Position.is_not_null())
            .order_by_desc(change::Column::Position)
            .order_by_desc(change::Column::Seq)
            .one(ctx.read_db())
            .await?;
        Ok(last.map(|row| cursor((row.position.unwrap_or_default(), row.seq))))
    }

    /// The district's changes after `after` (from the start without it), oldest first, at
    /// most `first` (100 by default, 500 at most), of the kinds in `entityTypes` (all the
    /// caller reads by default). For roles that read the district's students (district
    /// admins, BI readers).
    #[graphql(complexity = "pagination::cost_bounded(first, None, child_complexity)")]
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The `endCursor` (or a change's `cursor`) to read on from.")]
        after: Option<String>,
        #[graphql(desc = "How many changes, 100 by default, 500 at most.")] first: Option<i32>,
        #[graphql(desc = "Only these kinds of record (`student`, `enrollment`, ...).")]
        entity_types: Option<Vec<String>>,
    ) -> AppResult<ChangePage> {
        let actor = ctx.actor()?;
        let visible = policy::feed_entities(actor)?;
        let kinds = chosen(&visible, entity_types.as_deref())?;
        let limit = first.unwrap_or(100);
        if !(0..=MAX_PAGE_SIZE as i32).contains(&limit) {
            return Err(AppError::bad_input(
                "first",
                format!("first is from 0 to {MAX_PAGE_SIZE}"),
            ));
        }
        let from = after.as_deref().map(parse_cursor).transpose()?;
        if let Some((position, _)) = from {
            let pruned = positions::pruned_through(ctx.read_db()).await?;
            if position < pruned {
                return Err(AppError::bad_input(
                    "after",
                    "the feed no longer keeps changes this old: re-sync (take changesCursor, read the records afresh, follow the feed from it)",
                ));
            }
        }
        let mut rows = positions::committed_after(from)
            .filter(change::Column::DistrictId.eq(actor.district_id))
            .filter(change::Column::Entity.is_in(kinds.iter().map(|k| k.table)))
            .limit(limit as u64 + 1)
            .all(ctx.read_db())
            .await?;
        let has_next_page = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let nodes: Vec<ChangeEvent> = rows
            .into_iter()
            .map(|row| event(row, &kinds, actor.pseudonyms.as_ref()))
            .collect();
        let end_cursor = nodes.last().map(|n| n.cursor.clone()).or(after);
        Ok(ChangePage {
            nodes,
            end_cursor,
            has_next_page,
        })
    }
}

/// The kinds asked for, each one the caller reads; all it reads when none are named.
fn chosen(visible: &[FeedEntity], asked: Option<&[String]>) -> AppResult<Vec<FeedEntity>> {
    let Some(asked) = asked else {
        return Ok(visible.to_vec());
    };
    asked
        .iter()
        .map(|name| {
            visible
                .iter()
                .find(|k| k.table == name)
                .copied()
                .ok_or_else(|| {
                    let known: Vec<&str> = visible.iter().map(|k| k.table).collect();
                    AppError::bad_input(
                        "entityTypes",
                        format!(
                            "`{name}` is not a kind of record in your feed; it has {}",
                            known.join(", ")
                        ),
                    )
                })
        })
        .collect()
}

/// The change as the reader is shown it: a student by pseudonym to a reader that knows
/// students so (its GraphQL view's `Student.id`).
fn event(row: change::Model, kinds: &[FeedEntity], pseudonyms: Option<&Pseudonyms>) -> ChangeEvent {
    let keys_shown = kinds
        .iter()
        .any(|k| k.table == row.entity && k.natural_keys);
    ChangeEvent {
        cursor: cursor((row.position.unwrap_or_default(), row.seq)),
        natural_key: row.natural_key.filter(|_| keys_shown),
        previous_natural_key: row.previous_key.filter(|_| keys_shown),
        entity_id: ID(match pseudonyms {
            Some(pseudonyms) if row.entity == STUDENT => pseudonyms.student(row.entity_id),
            _ => row.entity_id.to_string(),
        }),
        entity_type: row.entity,
        operation: row.operation.into(),
        changed_at: DateTime(row.changed_at),
    }
}
