//! BI pull: what BI tools read besides nested GraphQL pages: the change feed (`changes`),
//! from the outbox every write fills, and streamed exports of flat datasets (`export`).

mod changes;
pub mod export;

pub use self::changes::ChangesQuery;
