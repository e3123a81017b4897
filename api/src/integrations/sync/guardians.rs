//! `syncGuardians`: guardians as the SIS keeps them, with their links to students (the
//! relationship, contact order and any custody or contact restriction).

use async_graphql::{Context, InputObject, Object};
use chrono::Utc;
use entity::{guardian, student, student_guardian as link};
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
        Guardian,
        guardians::{GuardianFields, GuardianLinkFields, service},
    },
    validation::Check,
};

/// The columns a pushed guardian sets: all of a guardian's own data.
const OWNED: [guardian::Column; 5] = [
    guardian::Column::FirstName,
    guardian::Column::LastName,
    guardian::Column::Email,
    guardian::Column::Phone,
    guardian::Column::Language,
];

/// A guardian's link to a student, as the SIS has it.
#[derive(InputObject)]
pub struct SyncGuardianLink {
    /// The `sourcedId` of the student, pushed before by the same system.
    pub student_sourced_id: String,
    #[graphql(flatten)]
    pub link: GuardianLinkFields,
}

/// A guardian as the SIS has it; the whole record (a field left out is cleared).
#[derive(InputObject)]
pub struct SyncGuardianRecord {
    /// The guardian's id in the source system.
    pub sourced_id: String,
    #[graphql(flatten)]
    pub guardian: GuardianFields,
    /// The guardian's students: a link not stored is added, and a stored link to a student
    /// left out is removed.
    #[graphql(default)]
    pub students: Vec<SyncGuardianLink>,
}

impl Record for SyncGuardianRecord {
    fn sourced_id(&self) -> &str {
        &self.sourced_id
    }
}

/// Guardians to push.
#[derive(InputObject)]
pub struct SyncGuardiansInput {
    #[graphql(flatten)]
    pub options: SyncOptions,
    /// Up to 10,000 guardians.
    pub records: Vec<SyncGuardianRecord>,
}

impl Batch for SyncGuardiansInput {
    const CALL: (&'static str, bool) = ("syncGuardians", false);
    const TABLES: &'static [&'static str] = &["guardian", "student_guardian"];
    fn options(&self) -> &SyncOptions {
        &self.options
    }
    async fn push(self, write: &Write<'_>) -> AppResult<SyncPayload> {
        push(write, &self.options, self.records).await
    }
}

#[derive(Default)]
pub struct GuardianSync;

#[Object]
impl GuardianSync {
    /// Upserts guardians and their links to students by `(sourceSystem, sourcedId)`, all or
    /// none unless `allowPartial`. A student the system has not pushed is an error of the
    /// record.
    async fn sync_guardians(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to push.")] input: SyncGuardiansInput,
    ) -> AppResult<SyncPayload> {
        run(ctx, input).await
    }
}

/// Pushes guardians in `write`'s transaction (see `push_with_children`).
pub async fn push(
    write: &Write<'_>,
    options: &SyncOptions,
    records: Vec<SyncGuardianRecord>,
) -> AppResult<SyncPayload> {
    let scope: Scope = policy::guardian_rows;
    let named = Named {
        what: "student",
        scope: policy::student_rows,
        field: |i| format!("students.{i}.studentSourcedId"),
        sourced_ids: |record: &SyncGuardianRecord| {
            let links = record.students.iter();
            links.map(|l| l.student_sourced_id.as_str()).collect()
        },
    };
    let kind = links(write.actor())?;
    push_with_children::<guardian::Entity, Guardian, student::Entity, link::Entity, _>(
        write,
        (options, records),
        (scope, &OWNED),
        (named, kind),
        &to_rows,
    )
    .await
}

/// Links: a push compares with every stored link of its guardians, removed ones included (a
/// link listed again comes back), and removes one by marking it deleted.
fn links(actor: &Actor) -> AppResult<Kind<link::Entity>> {
    Ok(Kind {
        field: "students",
        owned: &[
            link::Column::Relationship,
            link::Column::LivesWith,
            link::Column::ContactPriority,
            link::Column::Restriction,
            link::Column::DeletedAt,
        ],
        parent: link::Column::GuardianId,
        stored: policy::guardian_links_to_write(actor)?,
        key: |row| (row.guardian_id, row.student_id),
        set_parent: |row, guardian_id| row.guardian_id = guardian_id,
        end: |row, _| link::Model {
            deleted_at: row.deleted_at.or_else(|| Some(Utc::now())),
            ..row.clone()
        },
    })
}

/// A pushed guardian's row, and its links to the students it lists.
fn to_rows(
    actor: &Actor,
    system: &str,
    record: SyncGuardianRecord,
    students: &[Uuid],
    check: &mut Check,
) -> (guardian::Model, Vec<link::Model>) {
    let source = (Some(system.to_string()), Some(record.sourced_id));
    let mut row = record.guardian.into_row(actor.district_id, source);
    service::prepare(check, &mut row);
    let links = record
        .students
        .into_iter()
        .zip(students)
        .enumerate()
        .map(|(i, (sent, student_id))| {
            let mut link = sent.link.into_row(actor.district_id, (*student_id, row.id));
            check.part(&format!("students.{i}"), |check| {
                service::prepare_link(check, &mut link)
            });
            link
        })
        .collect();
    (row, links)
}
