//! What BI tools pull: the change feed.

mod changes;
