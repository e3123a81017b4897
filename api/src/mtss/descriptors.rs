//! Descriptors: code sets that vary by state, in Ed-Fi's style (`uri://namespace/Set#Code`).
//! The Ed-Fi defaults are preloaded (migration); a district admin adds the district's own.

use async_graphql::{Context, Enum, ID, InputObject, Object};
use chrono::Utc;
use entity::descriptor;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::descriptors_service as service;

use crate::{
    auth::policy,
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids,
        mutation::payload_type,
        pagination::{self, PageArgs, SortKey, connection_type, paginate},
    },
};

/// The code sets a district can extend.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum DescriptorSet {
    /// IDEA disability categories (`DisabilityDescriptor`).
    Disability,
    /// McKinney-Vento primary nighttime residence (`HomelessPrimaryNighttimeResidenceDescriptor`).
    HomelessPrimaryNighttimeResidence,
    /// McKinney-Vento services (`HomelessProgramServiceDescriptor`).
    HomelessProgramService,
}

impl DescriptorSet {
    pub fn code_set(self) -> &'static str {
        match self {
            Self::Disability => service::DISABILITY,
            Self::HomelessPrimaryNighttimeResidence => {
                service::HOMELESS_PRIMARY_NIGHTTIME_RESIDENCE
            }
            Self::HomelessProgramService => service::HOMELESS_PROGRAM_SERVICE,
        }
    }
}

/// One code of a descriptor code set.
#[derive(Clone)]
pub struct Descriptor(pub descriptor::Model);
crate::graphql::ids::node_type!(Descriptor);

/// One code of a descriptor code set.
#[Object]
impl Descriptor {
    /// The descriptor's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<Descriptor>(self.0.id)
    }
    /// The code set (`DisabilityDescriptor`, ...).
    async fn code_set(&self) -> &str {
        &self.0.code_set
    }
    /// The namespace (`uri://ed-fi.org` for the defaults).
    async fn namespace(&self) -> &str {
        &self.0.namespace
    }
    /// The code.
    async fn code_value(&self) -> &str {
        &self.0.code_value
    }
    /// What the code means.
    async fn short_description(&self) -> &str {
        &self.0.short_description
    }
    /// The value records store: `namespace/CodeSet#codeValue`.
    async fn uri(&self) -> &str {
        &self.0.uri
    }
    /// Whether the district added it (false for the Ed-Fi defaults).
    async fn district_defined(&self) -> bool {
        self.0.district_id.is_some()
    }
}

connection_type!(
    DescriptorConnection,
    DescriptorEdge,
    Descriptor,
    "A page of descriptors.",
    "A descriptor in a page."
);
payload_type!(
    DescriptorPayload,
    descriptor,
    Descriptor,
    "The result of adding a descriptor."
);

const BY_CODE: SortKey<descriptor::Entity> = SortKey {
    name: "descriptor.codeValue",
    column: Some(descriptor::Column::CodeValue),
    key_of: |row| Some(row.code_value.clone().into()),
    descending: false,
};

#[derive(Default)]
pub struct DescriptorQuery;

#[Object]
impl DescriptorQuery {
    /// The codes of a code set: the Ed-Fi defaults and the district's own, by code.
    #[graphql(complexity = "pagination::cost(first, last, child_complexity)")]
    async fn descriptors(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The code set.")] set: DescriptorSet,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<DescriptorConnection> {
        let select = descriptor::Entity::find()
            .filter(policy::descriptor_rows(ctx.actor()?))
            .filter(descriptor::Column::CodeSet.eq(set.code_set()));
        let page = paginate(
            ctx.db(),
            select,
            &BY_CODE,
            &PageArgs::new(ctx.cursor_seal(), first, after, last, before),
        )
        .await?;
        Ok(DescriptorConnection(page.map(Descriptor)))
    }
}

/// A district's own code.
#[derive(InputObject)]
pub struct CreateDescriptorInput {
    /// The code set to extend.
    pub set: DescriptorSet,
    /// The district's namespace, for example `uri://riverbend.k12.il.us`.
    pub namespace: String,
    /// The code.
    pub code_value: String,
    /// What it means.
    pub short_description: String,
}

#[derive(Default)]
pub struct DescriptorMutation;

#[Object]
impl DescriptorMutation {
    /// Adds a district code to a code set (district admins).
    async fn create_descriptor(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: CreateDescriptorInput,
    ) -> AppResult<DescriptorPayload> {
        let now = Utc::now();
        let row = descriptor::Model {
            id: Uuid::now_v7(),
            district_id: Some(ctx.actor()?.district_id),
            code_set: input.set.code_set().into(),
            namespace: input.namespace,
            code_value: input.code_value,
            short_description: input.short_description,
            // Derived by the service from the namespace, the set and the code.
            uri: String::new(),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let write = ctx.write().await?;
        let outcome = service::create(&write, row).await?;
        Ok(write.finish(outcome).await?.map(Descriptor).into())
    }
}
