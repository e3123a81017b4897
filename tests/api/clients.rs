//! What the clients district teams use need from the server: standard introspection, CORS,
//! GET, GraphQL over HTTP's media types and status codes, and an offline GraphiQL.

mod cors;
mod graphiql;
mod introspection;
mod over_http;
