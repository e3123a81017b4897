//! The top floor: the only module that names every domain. It merges the domains' roots into
//! Query and Mutation, builds the schema with its limits and extensions, fills each request's
//! data (`request`), serves `node`/`nodes` (`node`), and holds the one `#[Object]` impl of
//! each hub type (`Student`, `School`, `Staff`, `Viewer`), made of one flattened part per domain.

mod node;
pub mod request;
mod school;
mod staff;
mod student;

use std::sync::Arc;

use async_graphql::{EmptySubscription, MergedObject, SDLExportOptions, Schema, SchemaBuilder};
use sea_orm::DatabaseConnection;

use crate::{
    agencies::{AgenciesMutation, AgenciesQuery},
    audit::{AuditQuery, DisclosureQuery},
    casework::{CaseworkMutation, CaseworkQuery},
    config::{CaseworkRules, Clients, Limits},
    graphql::{
        checks::RequestChecks, context::ReadDatabase, extensions::Hooks, limits::QueryLimits,
        pagination::CursorSeal,
    },
    integrations::{
        bi::{AggregatesQuery, ChangesQuery, ExtractsQuery, SmallCells},
        sync::{BULK_LISTS, CloseLimit, SyncMutation},
    },
    metrics::Metrics,
    mtss::{MtssMutation, MtssQuery},
    roster::{RosterMutation, RosterQuery},
};

/// Everything that can be read.
#[derive(MergedObject, Default)]
pub struct Query(
    node::NodeQuery,
    student::StudentListQuery,
    RosterQuery,
    MtssQuery,
    CaseworkQuery,
    AgenciesQuery,
    AuditQuery,
    DisclosureQuery,
    ChangesQuery,
    AggregatesQuery,
    ExtractsQuery,
);

/// Everything that can be changed.
#[derive(MergedObject, Default)]
pub struct Mutation(
    RosterMutation,
    MtssMutation,
    CaseworkMutation,
    AgenciesMutation,
    SyncMutation,
);

pub type AppSchema = Schema<Query, Mutation, EmptySubscription>;

fn builder() -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
}

/// The schema the server runs, with its database, cursor key, limits, casework rules
/// and extensions.
pub fn build(
    (db, read_db): (DatabaseConnection, DatabaseConnection),
    cursors: CursorSeal,
    limits: &Limits,
    clients: &Clients,
    casework: &CaseworkRules,
    metrics: Arc<Metrics>,
) -> AppSchema {
    let builder = if clients.introspection {
        builder()
    } else {
        builder().disable_introspection()
    };
    builder
        .data(db)
        .data(ReadDatabase(read_db))
        .data(cursors)
        .data(CloseLimit(limits.sync_max_close_pct))
        .data(SmallCells(limits.small_cell_min))
        .data(casework.billing)
        .data(casework.clone())
        .extension(Hooks {
            metrics,
            checks: RequestChecks {
                max_fields: limits.max_fields,
                max_aliases: limits.max_aliases,
                limits: QueryLimits {
                    introspection: clients.introspection,
                    max_depth: limits.max_depth,
                    max_complexity: limits.max_complexity,
                },
                bulk_lists: BULK_LISTS,
            },
        })
        .finish()
}

/// The SDL the server serves (`ssw-api schema`, and `schema.graphql`), with the
/// `@specifiedBy` URLs of its scalars (introspection serves them as `specifiedByURL`).
pub fn sdl() -> String {
    builder()
        .finish()
        .sdl_with_options(SDLExportOptions::new().include_specified_by())
}
