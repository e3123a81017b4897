//! The change relay: with `SSW_NATS_URL` set, each committed change of the outbox is published
//! to NATS JetStream, on a subject per kind of record (`ssw.changes.student`), for consumers
//! that do not want to poll the feed. At least once: a batch is published, JetStream's
//! acknowledgements awaited, and only then is the relay's cursor (`change_relay`) moved on. A
//! change published twice (the cursor lost in a crash between the two) carries the same
//! message id (`Nats-Msg-Id`: its feed cursor), and JetStream drops the duplicate. Either side
//! may restart: the relay resumes from its cursor, reconnecting until NATS is back.

use std::time::Duration;

use async_nats::{HeaderMap, header::NATS_MESSAGE_ID, jetstream};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, QuerySelect,
    sea_query::{Alias, Expr, ExprTrait, OnConflict, Query},
};
use serde_json::json;

use crate::{
    db::positions,
    errors::{AppError, AppResult},
};

/// Changes published per batch.
const BATCH: u64 = 500;

/// Where the relay publishes.
#[derive(Clone, Debug)]
pub struct RelayConfig {
    /// The JetStream stream (created if missing), which also names the relay's cursor.
    pub stream: String,
    /// Subjects are `<prefix>.<kind of record>`.
    pub subject_prefix: String,
}

fn unavailable(error: impl std::fmt::Display) -> AppError {
    AppError::Unavailable {
        message: "NATS is unavailable",
        cause: error.to_string(),
    }
}

/// The stream the relay publishes to, created if it does not exist.
pub async fn stream(
    js: &jetstream::Context,
    config: &RelayConfig,
) -> AppResult<jetstream::stream::Stream> {
    js.get_or_create_stream(jetstream::stream::Config {
        name: config.stream.clone(),
        subjects: vec![format!("{}.>", config.subject_prefix)],
        ..Default::default()
    })
    .await
    .map_err(unavailable)
}

/// The relay's cursor: the last change JetStream acknowledged.
async fn cursor(db: &DatabaseConnection, config: &RelayConfig) -> AppResult<(i64, i64)> {
    let query = Query::select()
        .columns([Alias::new("position"), Alias::new("seq")])
        .from(Alias::new("change_relay"))
        .and_where(Expr::col(Alias::new("stream")).eq(config.stream.as_str()))
        .to_owned();
    let row = db.query_one(&query).await?;
    Ok(match row {
        Some(row) => (row.try_get_by_index(0)?, row.try_get_by_index(1)?),
        None => (0, 0),
    })
}

/// Moves the relay's cursor to `(position, seq)`.
pub async fn move_cursor(
    db: &DatabaseConnection,
    config: &RelayConfig,
    (position, seq): (i64, i64),
) -> AppResult<()> {
    let upsert = Query::insert()
        .into_table(Alias::new("change_relay"))
        .columns([
            Alias::new("stream"),
            Alias::new("position"),
            Alias::new("seq"),
        ])
        .values_panic([config.stream.as_str().into(), position.into(), seq.into()])
        .on_conflict(
            OnConflict::column(Alias::new("stream"))
                .update_columns([Alias::new("position"), Alias::new("seq")])
                .to_owned(),
        )
        .to_owned();
    db.execute(&upsert).await?;
    Ok(())
}

/// Publishes the next batch of committed changes after the relay's cursor, and moves the
/// cursor past them once JetStream has acknowledged every one; how many were published.
pub async fn relay_once(
    db: &DatabaseConnection,
    js: &jetstream::Context,
    config: &RelayConfig,
) -> AppResult<usize> {
    let from = cursor(db, config).await?;
    let rows = positions::committed_after(Some(from))
        .limit(BATCH)
        .all(db)
        .await?;
    let Some(last) = rows.last() else {
        return Ok(0);
    };
    let last = (last.position.unwrap_or_default(), last.seq);
    let mut acks = Vec::with_capacity(rows.len());
    for row in &rows {
        let cursor = format!("{}.{}", row.position.unwrap_or_default(), row.seq);
        let mut headers = HeaderMap::new();
        headers.insert(NATS_MESSAGE_ID, cursor.as_str());
        let payload = json!({
            "cursor": cursor,
            "districtId": row.district_id,
            "entityType": row.entity,
            "entityId": row.entity_id,
            "naturalKey": row.natural_key,
            "previousNaturalKey": row.previous_key,
            "operation": row.operation,
            "changedAt": row.changed_at,
        });
        let subject = format!("{}.{}", config.subject_prefix, row.entity);
        let ack = js
            .publish_with_headers(subject, headers, payload.to_string().into())
            .await
            .map_err(unavailable)?;
        acks.push(ack);
    }
    for ack in acks {
        ack.await.map_err(unavailable)?;
    }
    move_cursor(db, config, last).await?;
    Ok(rows.len())
}

/// Relays for as long as the server runs: connects (again, after NATS goes away), then
/// publishes batch after batch, resting a moment when there is nothing new.
pub async fn run(db: DatabaseConnection, url: String, config: RelayConfig) {
    loop {
        if let Err(error) = relay_while_connected(&db, &url, &config).await {
            tracing::warn!(%error, "change relay interrupted; retrying");
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

async fn relay_while_connected(
    db: &DatabaseConnection,
    url: &str,
    config: &RelayConfig,
) -> AppResult<()> {
    let client = async_nats::connect(url).await.map_err(unavailable)?;
    let js = jetstream::new(client);
    stream(&js, config).await?;
    loop {
        if relay_once(db, &js, config).await? == 0 {
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
}
