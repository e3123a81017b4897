//! The data one request carries, built once per request from the verified actor: the actor,
//! the request id, the request's own connection, page batches, the log of CONFIDENTIAL reads
//! and every domain's loaders (scoped by the policy).

use sea_orm::DatabaseConnection;

use crate::{
    agencies,
    auth::Actor,
    casework,
    graphql::{batch::PageBatches, context::RequestId, reads::RequestReads},
    mtss, roster,
};

pub fn request_data(
    request: async_graphql::Request,
    db: &DatabaseConnection,
    actor: Actor,
    request_id: Option<String>,
    reads: RequestReads,
) -> async_graphql::Request {
    let request = request
        .data(roster::Loaders::new(db, &actor))
        .data(mtss::Loaders::new(db, &actor))
        .data(casework::Loaders::new(db, &actor))
        .data(agencies::Loaders::new(db, &actor))
        .data(PageBatches::default())
        .data(reads)
        .data(db.clone())
        .data(actor);
    match request_id {
        Some(id) => request.data(RequestId(id)),
        None => request,
    }
}
