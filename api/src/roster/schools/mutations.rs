//! Creating and changing schools.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use chrono::Utc;
use entity::school;
use uuid::Uuid;

use super::{School, SchoolPayload, service};
use crate::{
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids::InputIds,
        mutation::{ChangeTo, apply_changes},
    },
};

/// A new school.
#[derive(InputObject)]
pub struct CreateSchoolInput {
    /// The school's name.
    pub name: String,
    /// The state's identifier of the school.
    pub state_id: Option<String>,
    /// The NCES school identifier.
    pub nces_id: Option<String>,
    /// Lowest grade served (OneRoster code, e.g. KG).
    pub lowest_grade: String,
    /// Highest grade served (OneRoster code, e.g. 05).
    pub highest_grade: String,
    /// Percentage (0-100) of students economically disadvantaged.
    pub economically_disadvantaged_pct: Option<f64>,
    /// Percentage (0-100) of students chronically absent.
    pub chronic_absence_rate: Option<f64>,
    /// Targeted for a social worker because of high need.
    #[graphql(default)]
    pub targeted: bool,
    /// The system that owns the record, when an integration creates it.
    pub source_system: Option<String>,
    /// The record's id in that system.
    pub sourced_id: Option<String>,
}

/// Changes to a school; fields left out stay as they are, `null` clears an optional field.
#[derive(InputObject)]
pub struct UpdateSchoolInput {
    /// The school to change.
    pub id: ID,
    /// The version you read; a newer one on the server means CONFLICT.
    pub version: i32,
    /// New name.
    pub name: Option<String>,
    /// New state identifier.
    pub state_id: MaybeUndefined<String>,
    /// New NCES identifier.
    pub nces_id: MaybeUndefined<String>,
    /// New lowest grade.
    pub lowest_grade: Option<String>,
    /// New highest grade.
    pub highest_grade: Option<String>,
    /// New share of economically disadvantaged students.
    pub economically_disadvantaged_pct: MaybeUndefined<f64>,
    /// New chronic-absence rate.
    pub chronic_absence_rate: MaybeUndefined<f64>,
    /// Whether the school is targeted.
    pub targeted: Option<bool>,
}

#[derive(Default)]
pub struct SchoolMutation;

#[Object]
impl SchoolMutation {
    /// Adds a school to the district.
    async fn create_school(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: CreateSchoolInput,
    ) -> AppResult<SchoolPayload> {
        let now = Utc::now();
        let row = school::Model {
            id: Uuid::now_v7(),
            district_id: ctx.actor()?.district_id,
            source_system: input.source_system,
            sourced_id: input.sourced_id,
            name: input.name,
            state_id: input.state_id,
            nces_id: input.nces_id,
            lowest_grade: input.lowest_grade,
            highest_grade: input.highest_grade,
            economically_disadvantaged_pct: input.economically_disadvantaged_pct,
            chronic_absence_rate: input.chronic_absence_rate,
            targeted: input.targeted,
            created_at: now,
            updated_at: now,
            deleted_at: None,
            version: 1,
        };
        let write = ctx.write().await?;
        let outcome = service::create(&write, row).await?;
        Ok(write.finish(outcome).await?.map(School).into())
    }

    /// Changes a school, if nobody else changed it since `version`.
    async fn update_school(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateSchoolInput,
    ) -> AppResult<SchoolPayload> {
        let mut sent = InputIds::default();
        let id = sent.target::<School>("id", &input.id);
        let mut changes = school::ActiveModel::default();
        apply_changes!(changes;
            input.name => name,
            input.state_id.change() => state_id,
            input.nces_id.change() => nces_id,
            input.lowest_grade => lowest_grade,
            input.highest_grade => highest_grade,
            input.economically_disadvantaged_pct.change() => economically_disadvantaged_pct,
            input.chronic_absence_rate.change() => chronic_absence_rate,
            input.targeted => targeted,
        );
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = sent.found(service::update(&write, (id, input.version), changes).await)?;
        Ok(write.finish(outcome).await?.map(School).into())
    }
}
