//! The one `Staff` type and the one `Viewer` type, each made of one part per domain (today
//! the roster's, and casework's caseload on `Viewer`).

use async_graphql::{ID, Object};

use crate::{
    auth::Role,
    casework::ViewerCasework,
    graphql::ids,
    roster::{Staff, StaffRoster, Viewer, ViewerRoster},
};

/// A member of the district's staff.
#[Object]
impl Staff {
    /// The staff member's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<Staff>(self.0.id)
    }
    #[graphql(flatten)]
    async fn roster(&self) -> StaffRoster<'_> {
        StaffRoster(&self.0)
    }
}

/// The caller, as its token describes it.
#[Object]
impl Viewer {
    /// The token's subject (a user or a system).
    async fn subject(&self) -> &str {
        &self.0.subject
    }
    /// The role the token grants.
    async fn role(&self) -> Role {
        self.0.role
    }
    #[graphql(flatten)]
    async fn roster(&self) -> ViewerRoster<'_> {
        ViewerRoster(&self.0)
    }
    #[graphql(flatten)]
    async fn casework(&self) -> ViewerCasework<'_> {
        ViewerCasework(&self.0)
    }
}
