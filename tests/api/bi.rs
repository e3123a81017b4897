//! What BI tools pull: the change feed, streamed exports, aggregates, and the relay to NATS.

mod aggregates;
mod changes;
mod exports;
mod relay;
