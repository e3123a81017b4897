//! `syncSchools`: schools as the SIS keeps them.

use async_graphql::{Context, InputObject, Object};
use chrono::Utc;
use entity::{school, school::Column};
use uuid::Uuid;

use super::{Pushed, SyncOptions, SyncPayload, check_batch, outcomes, record_check};
use crate::{
    auth::policy,
    errors::AppResult,
    graphql::context::ContextExt,
    roster::{School, schools::service},
};

/// The columns a pushed school sets; the district's own (`targeted`, the need indicators)
/// keep their values.
const OWNED: [Column; 5] = [
    Column::Name,
    Column::StateId,
    Column::NcesId,
    Column::LowestGrade,
    Column::HighestGrade,
];

/// A school as the SIS has it; the whole record (a field left out is cleared).
#[derive(InputObject)]
pub struct SyncSchoolRecord {
    /// The school's id in the source system.
    pub sourced_id: String,
    /// The school's name.
    pub name: String,
    /// The state's school identifier.
    pub state_id: Option<String>,
    /// The NCES school id.
    pub nces_id: Option<String>,
    /// Lowest grade served (OneRoster code).
    pub lowest_grade: String,
    /// Highest grade served (OneRoster code).
    pub highest_grade: String,
}

/// Schools to push.
#[derive(InputObject)]
pub struct SyncSchoolsInput {
    #[graphql(flatten)]
    pub options: SyncOptions,
    /// Up to 10,000 schools.
    pub records: Vec<SyncSchoolRecord>,
}

#[derive(Default)]
pub struct SchoolSync;

#[Object]
impl SchoolSync {
    /// Upserts schools by `(sourceSystem, sourcedId)`, all or none unless `allowPartial`.
    async fn sync_schools(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to push.")] input: SyncSchoolsInput,
    ) -> AppResult<SyncPayload> {
        let write = ctx.write().await?;
        let options = input.options;
        check_batch(&write, &options, input.records.len(), false)?;
        let actor = write.actor();
        let now = Utc::now();
        let pushed = input
            .records
            .into_iter()
            .enumerate()
            .map(|(index, record)| {
                let mut check = record_check(index, &record.sourced_id);
                let mut row = school::Model {
                    id: Uuid::now_v7(),
                    district_id: actor.district_id,
                    source_system: Some(options.source_system.clone()),
                    sourced_id: Some(record.sourced_id.clone()),
                    name: record.name,
                    state_id: record.state_id,
                    nces_id: record.nces_id,
                    lowest_grade: record.lowest_grade,
                    highest_grade: record.highest_grade,
                    economically_disadvantaged_pct: None,
                    chronic_absence_rate: None,
                    targeted: false,
                    created_at: now,
                    updated_at: now,
                    deleted_at: None,
                    version: 1,
                };
                service::prepare(&mut check, &mut row);
                Pushed {
                    sourced_id: record.sourced_id,
                    row: check.finish().map(|()| row),
                }
            })
            .collect();
        let scope = policy::school_rows(actor)?;
        let outcomes =
            outcomes::<school::Entity, School>(&write, &options, &scope, &OWNED, pushed).await?;
        outcomes.finish(write, &options, &OWNED).await
    }
}
