//! BI pull: what BI tools read besides nested GraphQL pages. So far the change feed
//! (`changes`), from the outbox every write fills.

mod changes;

pub use self::changes::ChangesQuery;
