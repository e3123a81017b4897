//! The district's intervention catalogue.

use super::MtssContext;
use async_graphql::{Context, ID, InputObject, Object};
use chrono::Utc;
use entity::{intervention, values::MtssDomain as DbDomain};
use sea_orm::{ActiveEnum, ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{Delivery, EvidenceLevel, MtssDomain, interventions_service as service};
use crate::{
    auth::policy,
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids::{self, InputIds},
        mutation::{apply_changes, payload_type},
        pagination::{self, PageArgs, SortKey, connection_type, paginate},
    },
    roster::lower_like,
};

/// An intervention of the district's catalogue.
#[derive(Clone)]
pub struct Intervention(pub intervention::Model);
crate::graphql::ids::node_type!(Intervention);

/// The domains stored as `A,B` (the entity enum's own string values).
pub fn domains_of(text: &str) -> Vec<MtssDomain> {
    text.split(',')
        .filter_map(|code| DbDomain::try_from_value(&code.to_string()).ok())
        .map(Into::into)
        .collect()
}

pub fn domains_text(domains: &[MtssDomain]) -> String {
    domains
        .iter()
        .map(|d| DbDomain::from(*d).to_value())
        .collect::<Vec<_>>()
        .join(",")
}

/// An intervention of the district's catalogue.
#[Object]
impl Intervention {
    /// The intervention's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<Intervention>(self.0.id)
    }
    /// Its name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What it is and how it works.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The MTSS domains it serves.
    async fn domains(&self) -> Vec<MtssDomain> {
        domains_of(&self.0.domains)
    }
    /// The tier it is meant for (1-3).
    async fn tier(&self) -> i32 {
        self.0.tier
    }
    /// Its ESSA evidence level.
    async fn evidence_level(&self) -> EvidenceLevel {
        self.0.evidence_level.into()
    }
    /// How it is delivered.
    async fn delivery(&self) -> Delivery {
        self.0.delivery.into()
    }
    /// Usual sessions per week.
    async fn default_sessions_per_week(&self) -> i32 {
        self.0.default_sessions_per_week
    }
    /// Usual minutes per session.
    async fn default_minutes_per_session(&self) -> i32 {
        self.0.default_minutes_per_session
    }
    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

connection_type!(
    InterventionConnection,
    InterventionEdge,
    Intervention,
    "A page of the intervention catalogue.",
    "An intervention in a page."
);
payload_type!(
    InterventionPayload,
    intervention,
    Intervention,
    "The result of adding or changing an intervention."
);

pub async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<Intervention> {
    ctx.mtss()
        .intervention
        .load_one(id)
        .await?
        .map(Intervention)
        .ok_or_else(|| ids::not_found::<Intervention>(id))
}

/// Which interventions to list.
#[derive(InputObject, Default)]
pub struct InterventionFilter {
    /// Only those serving this domain.
    pub domain: Option<MtssDomain>,
    /// Only those of this tier.
    pub tier: Option<i32>,
    /// Part of the name, case-insensitive.
    pub search: Option<String>,
}

const BY_NAME: SortKey<intervention::Entity> = SortKey {
    name: "intervention.name",
    column: Some(intervention::Column::Name),
    key_of: |row| Some(row.name.clone().into()),
    descending: false,
};

#[derive(Default)]
pub struct InterventionQuery;

#[Object]
impl InterventionQuery {
    /// The district's intervention catalogue, by name.
    #[graphql(complexity = "pagination::cost(first, last, child_complexity)")]
    async fn interventions(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        #[graphql(desc = "Which interventions.")] filter: Option<InterventionFilter>,
    ) -> AppResult<InterventionConnection> {
        let filter = filter.unwrap_or_default();
        let mut select = intervention::Entity::find().filter(policy::catalogue_rows(ctx.actor()?)?);
        if let Some(domain) = filter.domain {
            select = select.filter(
                intervention::Column::Domains
                    .like(format!("%{}%", DbDomain::from(domain).to_value())),
            );
        }
        if let Some(tier) = filter.tier {
            select = select.filter(intervention::Column::Tier.eq(tier));
        }
        if let Some(search) = filter.search.as_deref().filter(|s| !s.trim().is_empty()) {
            select = select.filter(lower_like(
                intervention::Column::Name,
                &crate::roster::contains_pattern(search),
            ));
        }
        let page = paginate(
            ctx.db(),
            select,
            &BY_NAME,
            &PageArgs::new(ctx.cursor_seal(), first, after, last, before),
        )
        .await?;
        Ok(InterventionConnection(page.map(Intervention)))
    }

    /// One intervention by id.
    async fn intervention(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global id.")] id: ID,
    ) -> AppResult<Intervention> {
        load(ctx, ids::decode_as::<Intervention>(&id, "id")?).await
    }
}

/// A new intervention.
#[derive(InputObject)]
pub struct CreateInterventionInput {
    /// Its name (unique in the district).
    pub name: String,
    /// What it is and how it works.
    pub description: String,
    /// The domains it serves (at least one).
    pub domains: Vec<MtssDomain>,
    /// The tier it is meant for (1-3).
    pub tier: i32,
    /// ESSA evidence level.
    pub evidence_level: EvidenceLevel,
    /// How it is delivered.
    pub delivery: Delivery,
    /// Usual sessions per week.
    pub default_sessions_per_week: i32,
    /// Usual minutes per session.
    pub default_minutes_per_session: i32,
}

/// Changes to an intervention; fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdateInterventionInput {
    /// The intervention.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// New description.
    pub description: Option<String>,
    /// New domains.
    pub domains: Option<Vec<MtssDomain>>,
    /// New tier.
    pub tier: Option<i32>,
    /// New evidence level.
    pub evidence_level: Option<EvidenceLevel>,
    /// New usual sessions per week.
    pub default_sessions_per_week: Option<i32>,
    /// New usual minutes per session.
    pub default_minutes_per_session: Option<i32>,
}

#[derive(Default)]
pub struct InterventionMutation;

#[Object]
impl InterventionMutation {
    /// Adds an intervention to the catalogue (district admins).
    async fn create_intervention(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: CreateInterventionInput,
    ) -> AppResult<InterventionPayload> {
        let now = Utc::now();
        let row = intervention::Model {
            id: Uuid::now_v7(),
            district_id: ctx.actor()?.district_id,
            name: input.name,
            description: input.description,
            domains: domains_text(&input.domains),
            tier: input.tier,
            evidence_level: input.evidence_level.into(),
            delivery: input.delivery.into(),
            default_sessions_per_week: input.default_sessions_per_week,
            default_minutes_per_session: input.default_minutes_per_session,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let write = ctx.write().await?;
        let outcome = service::create(&write, row).await?;
        Ok(write.finish(outcome).await?.map(Intervention).into())
    }

    /// Changes an intervention of the catalogue (district admins).
    async fn update_intervention(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateInterventionInput,
    ) -> AppResult<InterventionPayload> {
        let mut sent = InputIds::default();
        let id = sent.target::<Intervention>("id", &input.id);
        let mut changes = intervention::ActiveModel::default();
        apply_changes!(changes;
            input.description => description,
            input.domains.map(|d| domains_text(&d)) => domains,
            input.tier => tier,
            input.evidence_level.map(Into::into) => evidence_level,
            input.default_sessions_per_week => default_sessions_per_week,
            input.default_minutes_per_session => default_minutes_per_session,
        );
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = sent.found(service::update(&write, (id, input.version), changes).await)?;
        Ok(write.finish(outcome).await?.map(Intervention).into())
    }
}
