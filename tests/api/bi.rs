//! What BI tools pull: the change feed, streamed exports and aggregates.

mod aggregates;
mod changes;
mod exports;
