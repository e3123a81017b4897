//! The Relay `Node` interface and `node(id:)` / `nodes(ids:)`. Every kind with a global id is
//! listed once, in `nodes!` below, with the loader (or, for kinds whose access follows a
//! parent, the function) that fetches it within the caller's scope.

use async_graphql::{Context, ID, Interface, Object};
use uuid::Uuid;

use crate::{
    agencies::{AgenciesContext, Agency, AgencyReferral, AgencyService, Consent},
    auth::policy,
    casework::{
        AbuseReport, Assessment, Case, CaseworkContext, CounselingGroup, CrisisIncident,
        GroupMember, GroupSession, Referral, SafetyPlan, ServiceContact,
    },
    errors::{AppError, AppResult},
    graphql::{
        context::ContextExt,
        ids::{self, NodeType},
        pagination::MAX_PAGE_SIZE,
    },
    mtss::{
        Descriptor, HomelessStatus, IepMeeting, IepParticipation, Intervention, InterventionPlan,
        InterventionSession, MtssContext, ProgressPoint, TierPlacement,
    },
    roster::{
        District, Enrollment, Guardian, GuardianLink, RosterContext, School, Staff,
        StaffAssignment, Student,
    },
};

/// Declares the `Node` interface over the listed types: those a loader fetches by id, and
/// those a function fetches (checking the parent record the caller must be able to read).
macro_rules! nodes {
    (
        loaded { $($kind:ident => $domain:ident . $loader:ident),+ $(,)? }
        found { $($found:ident),+ $(,)? }
    ) => {
        /// An object with a global id, fetchable with `node(id:)`.
        #[derive(Interface)]
        #[graphql(field(name = "id", ty = "ID", desc = "The object's opaque global id."))]
        pub enum Node {
            $($kind($kind),)+
            $($found($found),)+
        }

        /// The object a global id names, if it exists and the caller may see it.
        async fn load(ctx: &Context<'_>, kind: &str, id: Uuid) -> AppResult<Option<Node>> {
            $(
                if kind == <$kind as NodeType>::KIND {
                    let row = ctx.$domain().$loader.load_one(id).await?;
                    return Ok(row.map(|row| Node::$kind($kind(row))));
                }
            )+
            $(
                if kind == <$found as NodeType>::KIND {
                    return Ok($found::node(ctx, id).await?.map(Node::$found));
                }
            )+
            Ok(None)
        }
    };
}

nodes! {
    loaded {
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
        Descriptor => mtss.descriptor,
        Referral => casework.referral,
        Case => casework.case,
        ServiceContact => casework.contact,
        Assessment => casework.assessment,
        CrisisIncident => casework.crisis,
        SafetyPlan => casework.safety_plan,
        AbuseReport => casework.abuse_report,
        CounselingGroup => casework.group,
        GroupMember => casework.group_member,
        GroupSession => casework.group_session,
        Agency => agencies.agency,
        AgencyService => agencies.service,
        Consent => agencies.consent,
        AgencyReferral => agencies.referral,
    }
    found { ProgressPoint, InterventionSession, IepMeeting }
}

#[derive(Default)]
pub struct NodeQuery;

/// What `node` and `nodes` answer for one id: a record of a kind the caller may not read is
/// null like one that does not exist (telling them apart would reveal that it exists).
/// A student is not looked up by its global id by a reader that knows students by
/// pseudonym: that would join the two.
async fn visible(ctx: &Context<'_>, kind: &str, id: Uuid) -> AppResult<Option<Node>> {
    if kind == Student::KIND && policy::knows_students_by_pseudonym(ctx.actor()?) {
        return Ok(None);
    }
    match load(ctx, kind, id).await {
        Err(AppError::Forbidden(_) | AppError::NotFound { .. }) => Ok(None),
        loaded => loaded,
    }
}

#[Object]
impl NodeQuery {
    /// Any object by its global id; null when it does not exist or the caller may not see it.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global id.")] id: ID,
    ) -> AppResult<Option<Node>> {
        let (kind, uuid) = ids::decode(&id, "id")?;
        visible(ctx, &kind, uuid).await
    }

    /// Several objects by global id, in the order asked; null for each one that does not
    /// exist or the caller may not see (the others are still answered).
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
            .enumerate()
            .map(|(at, id)| ids::decode(id, &format!("ids.{at}")))
            .collect::<AppResult<Vec<_>>>()?;
        // Loaded concurrently, so each kind's loader batches its ids into one query.
        futures::future::try_join_all(keys.iter().map(|(kind, uuid)| visible(ctx, kind, *uuid)))
            .await
    }
}
