//! The audit log as the district admin reads it (`auditEvents`): who did what to which
//! record, and when, newest first. Append-only: the unit of work (`db::Write`) and the audited
//! reads (`db::audit`) add to it, and nothing in the API changes or deletes it.

mod disclosures;

use async_graphql::{Context, ID, InputObject, Object};
use entity::{audit_event, values};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::{
    auth::policy,
    errors::{AppError, AppResult},
    graphql::{
        context::ContextExt,
        ids,
        pagination::{self, PageArgs, SortKey, connection_type, paginate},
        scalars::{DateTime, mirror_enum},
    },
    roster::Student,
};

pub use disclosures::DisclosureQuery;

mirror_enum! {
    /// What an audited action did.
    AuditAction = values::AuditAction {
        /// Read CONFIDENTIAL or RESTRICTED fields of a student's records.
        ReadSensitive,
        /// Created a record.
        Create,
        /// Changed a record.
        Update,
        /// Deleted a record.
        Delete,
        /// Exported a dataset.
        Export,
        /// Signed in.
        Login,
    }
}

/// One audited action.
#[derive(Clone)]
pub struct AuditEvent(pub audit_event::Model);

/// One audited action: who did what to which record, and when.
#[Object]
impl AuditEvent {
    /// The event's UUID.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// When it happened.
    async fn occurred_at(&self) -> DateTime {
        DateTime(self.0.occurred_at)
    }
    /// Who did it: the subject of their token (a staff member's or a system's).
    async fn actor_id(&self) -> &str {
        &self.0.actor
    }
    /// The role they acted in (`DISTRICT_ADMIN`, `SOCIAL_WORKER`, ...).
    async fn role(&self) -> &str {
        &self.0.role
    }
    /// What they did.
    async fn action(&self) -> AuditAction {
        self.0.action.into()
    }
    /// The kind of record (its table: `student`, `service_contact`, ...; the dataset of an
    /// export).
    async fn entity_type(&self) -> &str {
        &self.0.entity
    }
    /// The record's UUID (the id inside its GraphQL id, for the kinds that are nodes); all
    /// zeros for an export, which is of many.
    async fn entity_id(&self) -> ID {
        ID(self.0.entity_id.to_string())
    }
    /// The global id of the student the record is about, when it is about one: what a parent's
    /// request to see who touched their child's records is answered from.
    async fn student_id(&self) -> Option<ID> {
        self.0.student_id.map(ids::encode::<Student>)
    }
    /// What was read or written, as recorded: the fields, comma-separated (`status,grade_level`;
    /// `Assessment.summary,ServiceContact.note`); for an export, its format and filters; for a
    /// restricted note read on purpose, the field and the reader's reason (free text, which may
    /// hold commas: so this is the text, not a list).
    async fn fields(&self) -> &str {
        &self.0.fields
    }
    /// The request it was part of, as the server log names it.
    async fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
}

connection_type!(
    AuditEventConnection,
    AuditEventEdge,
    AuditEvent,
    "A page of audit events, newest first.",
    "An audit event in a page."
);

/// Which audit events: every condition given must hold.
#[derive(InputObject, Default)]
pub struct AuditEventFilter {
    /// About this student (a `Student` id).
    pub student_id: Option<ID>,
    /// By this actor (`actorId` of the events: the subject of their token).
    pub actor_id: Option<String>,
    /// Of this kind.
    pub action: Option<AuditAction>,
    /// At or after this time.
    pub from: Option<DateTime>,
    /// Before this time.
    pub to: Option<DateTime>,
}

/// Newest first: ids are UUIDv7, in the order the events were written.
const NEWEST_FIRST: SortKey<audit_event::Entity> = SortKey::by_id("auditEvent.newest", true);

#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// The district's audit log, newest first (district admins only).
    #[graphql(complexity = "pagination::cost(first, last, child_complexity)")]
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        #[graphql(desc = "Which events.")] filter: Option<AuditEventFilter>,
    ) -> AppResult<AuditEventConnection> {
        let mut select = audit_event::Entity::find().filter(policy::audit_rows(ctx.actor()?)?);
        let filter = filter.unwrap_or_default();
        if let (Some(from), Some(to)) = (&filter.from, &filter.to)
            && to.0 < from.0
        {
            return Err(AppError::bad_input(
                "filter.to",
                "filter.to is before filter.from",
            ));
        }
        if let Some(student) = &filter.student_id {
            let student = ids::decode_as::<Student>(student, "filter.studentId")?;
            select = select.filter(audit_event::Column::StudentId.eq(student));
        }
        if let Some(actor) = filter.actor_id {
            select = select.filter(audit_event::Column::Actor.eq(actor));
        }
        if let Some(action) = filter.action {
            select =
                select.filter(audit_event::Column::Action.eq(values::AuditAction::from(action)));
        }
        if let Some(from) = filter.from {
            select = select.filter(audit_event::Column::OccurredAt.gte(from.0));
        }
        if let Some(to) = filter.to {
            select = select.filter(audit_event::Column::OccurredAt.lt(to.0));
        }
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let page = paginate(ctx.db(), select, &NEWEST_FIRST, &args).await?;
        Ok(AuditEventConnection(page.map(AuditEvent)))
    }
}
