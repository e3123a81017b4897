//! What the clients district teams use need from the server: standard introspection, CORS,
//! GET, persisted queries, GraphQL over HTTP's media types and status codes, opaque cursors,
//! and scalars and ids as code generators and caches expect them.

mod cors;
mod cursors;
mod ids;
mod introspection;
mod over_http;
mod persisted;
