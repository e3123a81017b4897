//! ssw-api: the district's system of record for school social work, served as GraphQL.
//!
//! Floors run one way: `http` -> `graphql` -> domains (`roster`, ...) -> plumbing (`auth`,
//! `db`) -> the `entity` crate.
//!
//! Cross-domain fields (a `Student` field that belongs to a later domain, such as its tiers) are
//! resolved by the owning type calling that domain's loader through a narrow function; the
//! GraphQL object type stays in the domain that owns the record.

pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod errors;
pub mod graphql;
pub mod http;
pub mod metrics;
pub mod mtss;
pub mod roster;
pub mod schema;
pub mod startup;
pub mod telemetry;
