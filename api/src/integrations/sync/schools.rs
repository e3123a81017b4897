//! `syncSchools`: schools as the SIS keeps them.

use async_graphql::{Context, InputObject, Object};
use chrono::Utc;
use entity::{school, school::Column};
use uuid::Uuid;

use super::{Batch, Record, Scope, SyncOptions, SyncPayload, push_plain, run};
use crate::{
    auth::{Actor, policy},
    db::Write,
    errors::AppResult,
    roster::{School, schools::service},
    validation::Check,
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

impl Record for SyncSchoolRecord {
    fn sourced_id(&self) -> &str {
        &self.sourced_id
    }
}

/// Schools to push.
#[derive(InputObject)]
pub struct SyncSchoolsInput {
    #[graphql(flatten)]
    pub options: SyncOptions,
    /// Up to 10,000 schools.
    pub records: Vec<SyncSchoolRecord>,
}

impl Batch for SyncSchoolsInput {
    const CALL: (&'static str, bool) = ("syncSchools", false);
    const TABLES: &'static [&'static str] = &["school"];
    fn options(&self) -> &SyncOptions {
        &self.options
    }
    async fn push(self, write: &Write<'_>) -> AppResult<SyncPayload> {
        push(write, &self.options, self.records).await
    }
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
        run(ctx, input).await
    }
}

/// Pushes schools in `write`'s transaction (see `push_plain`).
pub async fn push(
    write: &Write<'_>,
    options: &SyncOptions,
    records: Vec<SyncSchoolRecord>,
) -> AppResult<SyncPayload> {
    let scope: Scope = policy::school_rows;
    push_plain::<school::Entity, School, _>(write, (options, records), (scope, &OWNED), &to_row)
        .await
}

/// A pushed school's row, held to the rules of schools.
fn to_row(
    actor: &Actor,
    system: &str,
    record: SyncSchoolRecord,
    check: &mut Check,
) -> school::Model {
    let now = Utc::now();
    let mut row = school::Model {
        id: Uuid::now_v7(),
        district_id: actor.district_id,
        source_system: Some(system.to_string()),
        sourced_id: Some(record.sourced_id),
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
    service::prepare(check, &mut row);
    row
}
