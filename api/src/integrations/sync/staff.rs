//! `syncStaff`: staff members as the SIS keeps them, with the schools each works at.

use async_graphql::{Context, InputObject, Object};
use chrono::Utc;
use entity::{school, staff, staff_school_assignment as assignment};
use sea_orm::{ColumnTrait, Condition};
use uuid::Uuid;

use super::{
    Batch, Record, Scope, SyncOptions, SyncPayload,
    children::{Kind, Named, push_with_children},
    run,
};
use crate::{
    auth::{Actor, policy},
    db::Write,
    errors::AppResult,
    roster::{
        Staff,
        staff::{StaffFields, service},
    },
    validation::Check,
};

/// The columns a pushed staff member sets: all of a staff member's own data.
const OWNED: [staff::Column; 5] = [
    staff::Column::FirstName,
    staff::Column::LastName,
    staff::Column::Email,
    staff::Column::Role,
    staff::Column::License,
];

/// A staff member as the SIS has it; the whole record (a field left out is cleared).
#[derive(InputObject)]
pub struct SyncStaffRecord {
    /// The staff member's id in the source system.
    pub sourced_id: String,
    #[graphql(flatten)]
    pub staff: StaffFields,
    /// The schools the staff member works at (`sourcedId`s the same system pushed): a school
    /// not assigned yet is assigned from today, and an assignment to a school left out ends
    /// today (listed again the same day, it goes on).
    #[graphql(default)]
    pub school_sourced_ids: Vec<String>,
}

impl Record for SyncStaffRecord {
    fn sourced_id(&self) -> &str {
        &self.sourced_id
    }
}

/// Staff members to push.
#[derive(InputObject)]
pub struct SyncStaffInput {
    #[graphql(flatten)]
    pub options: SyncOptions,
    /// Up to 10,000 staff members.
    pub records: Vec<SyncStaffRecord>,
}

impl Batch for SyncStaffInput {
    const CALL: (&'static str, bool) = ("syncStaff", false);
    const TABLES: &'static [&'static str] = &["staff", "staff_school_assignment"];
    fn options(&self) -> &SyncOptions {
        &self.options
    }
    async fn push(self, write: &Write<'_>) -> AppResult<SyncPayload> {
        push(write, &self.options, self.records).await
    }
}

#[derive(Default)]
pub struct StaffSync;

#[Object]
impl StaffSync {
    /// Upserts staff members and their school assignments by `(sourceSystem, sourcedId)`, all
    /// or none unless `allowPartial`. A school the system has not pushed is an error of the
    /// record.
    async fn sync_staff(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to push.")] input: SyncStaffInput,
    ) -> AppResult<SyncPayload> {
        run(ctx, input).await
    }
}

/// Pushes staff members in `write`'s transaction (see `push_with_children`).
pub async fn push(
    write: &Write<'_>,
    options: &SyncOptions,
    records: Vec<SyncStaffRecord>,
) -> AppResult<SyncPayload> {
    let scope: Scope = policy::staff_rows;
    let named = Named {
        what: "school",
        scope: policy::school_rows,
        field: |i| format!("schoolSourcedIds.{i}"),
        sourced_ids: |record: &SyncStaffRecord| {
            record
                .school_sourced_ids
                .iter()
                .map(String::as_str)
                .collect()
        },
    };
    let kind = assignments(write.actor())?;
    push_with_children::<staff::Entity, Staff, school::Entity, assignment::Entity, _>(
        write,
        (options, records),
        (scope, &OWNED),
        (named, kind),
        &to_rows,
    )
    .await
}

/// Assignments: a push compares with the open ones (ended today or later), and ends one by
/// giving it today as its end date (its start, for one that starts later).
fn assignments(actor: &Actor) -> AppResult<Kind<assignment::Entity>> {
    let today = actor.today;
    let open = Condition::any()
        .add(assignment::Column::EndDate.is_null())
        .add(assignment::Column::EndDate.gte(today));
    Ok(Kind {
        field: "schoolSourcedIds",
        owned: &[assignment::Column::EndDate],
        parent: assignment::Column::StaffId,
        stored: policy::assignment_rows(actor)?.add(open),
        key: |row| (row.staff_id, row.school_id),
        set_parent: |row, staff_id| row.staff_id = staff_id,
        end: |row, today| assignment::Model {
            end_date: Some(today.max(row.start_date)),
            ..row.clone()
        },
    })
}

/// A pushed staff member's row, and an open assignment from today to each school it lists.
fn to_rows(
    actor: &Actor,
    system: &str,
    record: SyncStaffRecord,
    schools: &[Uuid],
    check: &mut Check,
) -> (staff::Model, Vec<assignment::Model>) {
    let source = (Some(system.to_string()), Some(record.sourced_id));
    let mut row = record.staff.into_row(actor.district_id, source);
    service::prepare(check, &mut row);
    let now = Utc::now();
    let assignments = schools
        .iter()
        .map(|school_id| assignment::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            staff_id: row.id,
            school_id: *school_id,
            start_date: actor.today,
            end_date: None,
            created_at: now,
            updated_at: now,
            version: 1,
        })
        .collect();
    (row, assignments)
}
