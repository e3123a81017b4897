//! BI pull: what BI tools read besides nested GraphQL pages: the change feed (`changes`),
//! from the outbox every write fills, streamed exports of flat datasets (`export`), and
//! aggregates for dashboards with small cells suppressed (`aggregates`).

mod aggregates;
mod changes;
pub mod export;

pub use self::{
    aggregates::{AggregatesQuery, SmallCells},
    changes::ChangesQuery,
};
