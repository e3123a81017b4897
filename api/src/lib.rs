//! ssw-api: the district's system of record for school social work, served as GraphQL.
//!
//! Modules stand on floors, and imports run one way, down (`.ci/check-floors` fails CI when one
//! runs up, or when two domains import each other both ways):
//!
//! | floor | modules | what it is |
//! |---|---|---|
//! | entry | `main`, `cli`, `startup` | the binary, the commands, the app builder |
//! | http | `http` | routes, the GraphQL handler, health, readiness, metrics |
//! | schema | `schema` | the only floor that names every domain: roots, request data, `Node`, the hub types |
//! | integrations | `integrations` (SIS sync; later BI), `demo` | callers of several domains' services |
//! | domains | `mtss`, `casework`, `agencies` | one folder per domain: types, queries, mutations, loaders, its part of the hub types |
//! | audit | `audit` | the audit log and the records of disclosure as the district admin reads them |
//! | roster | `roster` | the first domain; declares the hub structs (`Student`, `School`, `Staff`, `Viewer`) |
//! | plumbing | `graphql` | names no domain: ids, pagination, page batches, payloads, scalars, extensions |
//! | db | `db` | connecting (backend quirks), the unit of work (`Write`), generic loaders |
//! | auth | `auth` | the `Actor`, its district's facts (time zone, pseudonym salt), JWT, the policy (every access decision) |
//! | foundation | `errors`, `validation`, `config`, `metrics`, `telemetry` | what everything may use |
//!
//! A hub type's fields come from every domain: each domain owns an `#[Object]` part (say
//! `mtss::StudentMtss`), and `schema` holds the one `#[Object] impl Student` that flattens the
//! parts. So a domain adds a field to `Student` in its own part, without touching the roster.

pub mod agencies;
pub mod audit;
pub mod auth;
pub mod casework;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod errors;
pub mod graphql;
pub mod http;
pub mod integrations;
pub mod metrics;
pub mod mtss;
pub mod roster;
pub mod schema;
pub mod startup;
pub mod telemetry;
pub mod validation;
