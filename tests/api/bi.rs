//! What BI tools pull: the change feed and streamed exports.

mod changes;
mod exports;
