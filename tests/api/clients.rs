//! What the clients district teams use need from the server: standard introspection, CORS,
//! GET, persisted queries, GraphQL over HTTP's media types and status codes, opaque cursors,
//! scalars and ids as code generators and caches expect them, and an offline GraphiQL.

mod cors;
mod cursors;
mod graphiql;
mod ids;
mod introspection;
mod over_http;
mod persisted;
