//! Tier placements: a student's MTSS tier per domain over time. At most one placement per
//! student and domain is current; a new one closes the old in the same transaction, and a
//! partial unique index keeps concurrent writers from leaving two current.

use crate::roster::RosterContext;
use async_graphql::{Context, ID, InputObject, Object};
use chrono::{NaiveDate, Utc};
use entity::{tier_placement, values::MtssDomain as DbDomain};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::MtssDomain;
use crate::{
    auth::policy::{self, Educational},
    errors::{AppError, AppResult},
    graphql::{
        context::ContextExt,
        ids,
        mutation::{Check, UserErrorCode, payload_type},
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
    /// Why.
    async fn rationale(&self) -> Option<&str> {
        self.0.rationale.as_deref()
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

pub fn check_tier(check: &mut Check, tier: i32) {
    if !(1..=3).contains(&tier) {
        check.fail("tier", UserErrorCode::OutOfRange, "tier is 1, 2 or 3");
    }
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
        let actor = ctx.actor()?;
        policy::write_educational(actor, Educational::Tiers)?;
        let student_id = ids::decode_as::<Student>(&input.student_id, "input.studentId")?;
        let domain = DbDomain::from(input.domain);
        let mut check = Check::default();
        check.found(
            "studentId",
            ctx.roster().student.load_one(student_id).await?,
            "student",
        );
        check_tier(&mut check, input.tier);
        // A placement takes effect when it is made: "current" means started and not ended.
        if input.effective_from.0 > actor.today {
            check.fail(
                "effectiveFrom",
                UserErrorCode::OutOfRange,
                "a placement cannot start in the future",
            );
        }
        check.text("decidedBy", Some(&input.decided_by), 200);
        let scope =
            policy::educational_rows(actor, Educational::Tiers, tier_placement::Column::StudentId)?;
        let current = tier_placement::Entity::find()
            .filter(scope.clone())
            .filter(tier_placement::Column::StudentId.eq(student_id))
            .filter(tier_placement::Column::Domain.eq(domain))
            .filter(tier_placement::Column::EffectiveTo.is_null())
            .one(ctx.db())
            .await?;
        if let Some(current) = &current
            && input.effective_from.0 <= current.effective_from
        {
            check.fail(
                "effectiveFrom",
                UserErrorCode::DatesOutOfOrder,
                "effectiveFrom must come after the current placement's start",
            );
        }
        if !check.is_empty() {
            return Ok(TierPlacementPayload::refused(check.into_errors()));
        }
        let now = Utc::now();
        let write = ctx.write().await?;
        if let Some(current) = current {
            // Closes the placement only if it is unchanged since it was read: a concurrent
            // writer that closed it first makes this a conflict, never a second current row.
            let closing = tier_placement::ActiveModel {
                effective_to: Set(Some(
                    input.effective_from.0.pred_opt().unwrap_or(NaiveDate::MIN),
                )),
                ..Default::default()
            };
            let scope = policy::educational_rows(
                actor,
                Educational::Tiers,
                tier_placement::Column::StudentId,
            )?;
            write
                .update::<tier_placement::Entity>(closing, (current.id, current.version), scope)
                .await?;
        }
        let row = tier_placement::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            student_id,
            domain,
            tier: input.tier,
            effective_from: input.effective_from.0,
            effective_to: None,
            decided_by: input.decided_by.trim().into(),
            // The team decided it today, in the district's calendar, unless it says otherwise.
            decided_on: input.decided_on.map_or(actor.today, |d| d.0),
            rationale: input.rationale,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let row = write
            .insert::<tier_placement::Entity>(row)
            .await?
            .ok_or_else(|| {
                AppError::Conflict(
                    "the current placement changed meanwhile; reload and retry".into(),
                )
            })?;
        write.commit().await?;
        Ok(TierPlacementPayload::done(TierPlacement(row)))
    }
}
