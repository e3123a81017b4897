//! What BI tools pull: the change feed, streamed exports, flat extracts, aggregates, and the
//! relay to NATS.

mod aggregates;
mod attendance_months;
mod casework_extracts;
mod changes;
pub mod exports;
mod extract_records;
mod extracts;
mod key_changes;
mod outcomes;
mod pseudonyms;
mod relay;
