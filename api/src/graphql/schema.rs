//! The schema: the roots every domain merges into, and the limits and extensions around them.

use std::sync::Arc;

use async_graphql::{EmptySubscription, MergedObject, Schema, SchemaBuilder};
use sea_orm::DatabaseConnection;

use super::{
    extensions::{AliasLimit, ErrorPolicy, RequestMetrics},
    node::NodeQuery,
};
use crate::{
    config::Limits,
    metrics::Metrics,
    mtss::{MtssMutation, MtssQuery},
    roster::{RosterMutation, RosterQuery},
};

/// Everything that can be read.
#[derive(MergedObject, Default)]
pub struct Query(NodeQuery, RosterQuery, MtssQuery);

/// Everything that can be changed.
#[derive(MergedObject, Default)]
pub struct Mutation(RosterMutation, MtssMutation);

pub type AppSchema = Schema<Query, Mutation, EmptySubscription>;

fn builder() -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
}

/// The schema the server runs, with its database, limits and extensions.
pub fn build(db: DatabaseConnection, limits: &Limits, metrics: Arc<Metrics>) -> AppSchema {
    builder()
        .data(db)
        .limit_depth(limits.max_depth)
        .limit_complexity(limits.max_complexity)
        .extension(ErrorPolicy)
        .extension(AliasLimit(limits.max_aliases))
        .extension(RequestMetrics(metrics))
        .finish()
}

/// The SDL the server serves (`ssw-api schema`, and `schema.graphql`).
pub fn sdl() -> String {
    builder().finish().sdl()
}
