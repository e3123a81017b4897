//! Tier placements: a student's MTSS tier per domain over time. At most one placement per
//! student and domain is current; a new one closes the old in the same transaction, and a
//! partial unique index keeps concurrent writers from leaving two current.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::Utc;
use entity::tier_placement;
use uuid::Uuid;

use super::{MtssDomain, tiers_service as service};
use crate::{
    auth::policy::{self, StudentField},
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids::{self, InputIds},
        mutation::payload_type,
        pagination::connection_type,
        scalars::Date,
    },
    roster::{Student, students},
};

/// A student's tier in one MTSS domain over a date range.
#[derive(Clone)]
pub struct TierPlacement(pub tier_placement::Model);
crate::graphql::ids::node_type!(TierPlacement);

/// A student's tier in one MTSS domain over a date range.
#[Object]
impl TierPlacement {
    /// The placement's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<TierPlacement>(self.0.id)
    }
    /// The student placed.
    async fn student(&self, ctx: &Context<'_>) -> AppResult<Student> {
        students::load(ctx, self.0.student_id).await
    }
    /// The domain the tier applies to.
    async fn domain(&self) -> MtssDomain {
        self.0.domain.into()
    }
    /// Tier 1 (universal), 2 (targeted) or 3 (intensive).
    async fn tier(&self) -> i32 {
        self.0.tier
    }
    /// First day of the placement.
    async fn effective_from(&self) -> Date {
        Date(self.0.effective_from)
    }
    /// Last day of the placement; null while it is current.
    async fn effective_to(&self) -> Option<Date> {
        self.0.effective_to.map(Date)
    }
    /// Whether this is the student's current placement in the domain.
    async fn current(&self) -> bool {
        self.0.effective_to.is_none()
    }
    /// Who decided (the team, for example "Lincoln ES MTSS team").
    async fn decided_by(&self) -> &str {
        &self.0.decided_by
    }
    /// When it was decided.
    async fn decided_on(&self) -> Date {
        Date(self.0.decided_on)
    }
    /// Why, in words (free text: not for roles that do not read notes about students).
    async fn rationale(&self, ctx: &Context<'_>) -> AppResult<Option<&str>> {
        policy::student_field(ctx.actor()?, StudentField::Notes)?;
        Ok(self.0.rationale.as_deref())
    }
    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

connection_type!(
    TierPlacementConnection,
    TierPlacementEdge,
    TierPlacement,
    "A page of tier placements.",
    "A tier placement in a page."
);
payload_type!(
    TierPlacementPayload,
    placement,
    TierPlacement,
    "The result of placing a student in a tier."
);

/// Places a student in a tier for a domain from a date, closing the current placement.
#[derive(InputObject)]
pub struct PlaceInTierInput {
    /// The student.
    pub student_id: ID,
    /// The domain.
    pub domain: MtssDomain,
    /// Tier 1 to 3.
    pub tier: i32,
    /// First day of the new placement; the current one ends the day before.
    pub effective_from: Date,
    /// Who decided (the team).
    pub decided_by: String,
    /// When it was decided (default: today).
    pub decided_on: Option<Date>,
    /// Why.
    pub rationale: Option<String>,
}

#[derive(Default)]
pub struct TierMutation;

#[Object]
impl TierMutation {
    /// Places a student in a tier for a domain. The current placement of that domain, if any,
    /// ends the day before `effectiveFrom`, in the same transaction.
    async fn place_in_tier(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: PlaceInTierInput,
    ) -> AppResult<TierPlacementPayload> {
        let mut sent = InputIds::default();
        let actor = ctx.actor()?;
        let student_id = sent.of::<Student>("studentId", &input.student_id);
        let now = Utc::now();
        let row = tier_placement::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            student_id,
            domain: input.domain.into(),
            tier: input.tier,
            effective_from: input.effective_from.0,
            effective_to: None,
            decided_by: input.decided_by,
            // The team decided it today, in the district's calendar, unless it says otherwise.
            decided_on: input.decided_on.map_or(actor.today, |d| d.0),
            rationale: input.rationale,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = service::place(&write, row).await?;
        Ok(write.finish(outcome).await?.map(TierPlacement).into())
    }
}
