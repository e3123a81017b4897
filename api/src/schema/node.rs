//! The Relay `Node` interface and `node(id:)` / `nodes(ids:)`. Each fetchable kind is listed
//! once, in `nodes!` below, with the loader that fetches it within the caller's scope.

use async_graphql::{Context, ID, Interface, Object};
use uuid::Uuid;

use crate::{
    errors::{AppError, AppResult},
    graphql::{
        ids::{self, NodeType},
        pagination::MAX_PAGE_SIZE,
    },
    mtss::{
        HomelessStatus, IepParticipation, Intervention, InterventionPlan, MtssContext,
        TierPlacement,
    },
    roster::{
        District, Enrollment, Guardian, GuardianLink, RosterContext, School, Staff,
        StaffAssignment, Student,
    },
};

/// Declares the `Node` interface over the listed types and the loader of each.
macro_rules! nodes {
    ($($kind:ident => $domain:ident . $loader:ident),+ $(,)?) => {
        /// An object with a global id, fetchable with `node(id:)`.
        #[derive(Interface)]
        #[graphql(field(name = "id", ty = "ID", desc = "The object's opaque global id."))]
        pub enum Node {
            $($kind($kind)),+
        }

        /// The object a global id names, if it exists, is fetchable on its own, and the caller
        /// may see it. Kinds reached only through their parent (progress points, sessions,
        /// meetings, descriptors) are `None`.
        async fn load(ctx: &Context<'_>, kind: &str, id: Uuid) -> AppResult<Option<Node>> {
            $(
                if kind == <$kind as NodeType>::KIND {
                    let row = ctx.$domain().$loader.load_one(id).await?;
                    return Ok(row.map(|row| Node::$kind($kind(row))));
                }
            )+
            Ok(None)
        }
    };
}

nodes! {
    District => roster.district,
    School => roster.school,
    Staff => roster.staff,
    Student => roster.student,
    Enrollment => roster.enrollment,
    Guardian => roster.guardian,
    GuardianLink => roster.guardian_link,
    StaffAssignment => roster.assignment,
    Intervention => mtss.intervention,
    InterventionPlan => mtss.plan,
    TierPlacement => mtss.tier_placement,
    IepParticipation => mtss.iep,
    HomelessStatus => mtss.homeless,
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any object by its global id; null when it does not exist or the caller may not see it.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global id.")] id: ID,
    ) -> AppResult<Option<Node>> {
        let (kind, uuid) = ids::decode(&id, "id")?;
        load(ctx, &kind, uuid).await
    }

    /// Several objects by global id, in the order asked; null for each one not found.
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ids, at most 500.")] ids: Vec<ID>,
    ) -> AppResult<Vec<Option<Node>>> {
        if ids.len() > MAX_PAGE_SIZE {
            return Err(AppError::bad_input(
                "ids",
                format!("at most {MAX_PAGE_SIZE} ids at a time"),
            ));
        }
        let keys = ids
            .iter()
            .map(|id| ids::decode(id, "ids"))
            .collect::<AppResult<Vec<_>>>()?;
        // Loaded concurrently, so each kind's loader batches its ids into one query.
        futures::future::try_join_all(keys.iter().map(|(kind, uuid)| load(ctx, kind, *uuid))).await
    }
}
