//! Guardians and their links to students, with custody and contact restrictions: a restricted
//! guardian is never shown as a contact (the policy removes those links from every read).

mod mutations;
pub mod service;

pub use mutations::{GuardianFields, GuardianLinkFields, GuardianMutation};

use super::RosterContext;
use async_graphql::{Context, ID, Object};
use entity::{guardian, student_guardian as link, values};
use uuid::Uuid;

use super::{
    SourceKey,
    students::{self, Student},
};
use crate::{
    errors::AppResult,
    graphql::{ids, mutation::payload_type, pagination::connection_type, scalars::mirror_enum},
};

mirror_enum! {
    /// A limit a court or the district placed on a guardian's contact with a student.
    ContactRestriction = values::ContactRestriction {
        /// The guardian may not be contacted about the student at all.
        NoContact,
        /// The guardian may not pick the student up.
        NoPickup,
        /// The guardian may not see the student's records.
        NoRecordsAccess,
    }
}

/// A parent or guardian.
#[derive(Clone)]
pub struct Guardian(pub guardian::Model);
crate::graphql::ids::node_type!(Guardian);

/// A parent or guardian.
#[Object]
impl Guardian {
    /// The guardian's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<Guardian>(self.0.id)
    }
    /// First name.
    async fn first_name(&self) -> &str {
        &self.0.first_name
    }
    /// Last name.
    async fn last_name(&self) -> &str {
        &self.0.last_name
    }
    /// E-mail address.
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    /// Phone number.
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    /// Preferred language for contact.
    async fn language(&self) -> Option<&str> {
        self.0.language.as_deref()
    }
    /// The key the source system knows the guardian by.
    async fn source(&self) -> Option<SourceKey> {
        SourceKey::of(&self.0.source_system, &self.0.sourced_id)
    }
    /// Version for optimistic concurrency: pass it back when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// How a guardian is linked to a student.
#[derive(Clone)]
pub struct GuardianLink(pub link::Model);
crate::graphql::ids::node_type!(GuardianLink);

/// How a guardian is linked to a student.
#[Object]
impl GuardianLink {
    /// The link's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<GuardianLink>(self.0.id)
    }
    /// The guardian.
    async fn guardian(&self, ctx: &Context<'_>) -> AppResult<Guardian> {
        load(ctx, self.0.guardian_id).await
    }
    /// The student.
    async fn student(&self, ctx: &Context<'_>) -> AppResult<Student> {
        students::load(ctx, self.0.student_id).await
    }
    /// Relationship to the student (mother, father, grandparent, foster parent, ...).
    async fn relationship(&self) -> &str {
        &self.0.relationship
    }
    /// Whether the student lives with this guardian.
    async fn lives_with(&self) -> bool {
        self.0.lives_with
    }
    /// Order in which to contact guardians (1 first).
    async fn contact_priority(&self) -> i32 {
        self.0.contact_priority
    }
    /// The restriction on this guardian, if any (only district admins and the SIS see
    /// restricted links at all).
    async fn restriction(&self) -> Option<ContactRestriction> {
        self.0.restriction.map(Into::into)
    }
    /// Version for optimistic concurrency: pass it back when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

connection_type!(
    GuardianLinkConnection,
    GuardianLinkEdge,
    GuardianLink,
    "A page of a student's guardians.",
    "A guardian link in a page."
);
payload_type!(
    GuardianPayload,
    guardian,
    Guardian,
    "The result of creating or updating a guardian."
);
payload_type!(
    GuardianLinkPayload,
    link,
    GuardianLink,
    "The result of linking a guardian to a student."
);

pub async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<Guardian> {
    ctx.roster()
        .guardian
        .load_one(id)
        .await?
        .map(Guardian)
        .ok_or_else(|| ids::not_found::<Guardian>(id))
}
