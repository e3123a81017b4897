//! BI pull: what BI tools read besides nested GraphQL pages: the change feed (`changes`),
//! from the outbox every write fills, streamed exports of flat datasets (`export`), and
//! aggregates for dashboards with small cells suppressed (`aggregates`), and the relay of
//! committed changes to NATS JetStream (`relay`).

mod aggregates;
mod changes;
pub mod export;
mod extracts;
pub mod relay;

pub use self::{
    aggregates::{AggregatesQuery, SmallCells},
    changes::ChangesQuery,
    extracts::ExtractsQuery,
};
