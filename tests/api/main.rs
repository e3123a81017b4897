//! End-to-end tests of ssw-api: HTTP -> GraphQL -> sea-orm -> database, on SQLite and on
//! PostgreSQL. Every test builds the real app on a random port with a fresh database.

mod fixtures;
mod helpers;

mod agencies;
mod audit;
mod audit_log;
mod auth;
mod bi;
mod casework;
mod clients;
mod health;
mod hostile;
mod inputs;
mod limits;
mod migrations;
mod mtss;
mod oneroster;
mod outage;
mod pagination;
mod policy;
mod reads;
mod robustness;
mod roster;
mod roster_updates;
mod schema;
mod signin;
mod statements;
mod sync;
mod typed_keys;
