//! The OneRoster 1.2 CSV import, through `POST /integrations/oneroster` and the CLI: a bulk
//! set, the same set again, a delta after it, a second bulk, and malformed sets, each checked
//! through the GraphQL API and the database.

mod bulk;
mod delta;
mod malformed;
mod set;
