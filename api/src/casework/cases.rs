//! Cases: a social worker's work with one student in one area of focus, open until closed;
//! a worker's open cases are the caseload (`viewer.caseload`).

use async_graphql::{Context, Enum, ID, InputObject, Object};
use chrono::Utc;
use entity::{ssw_case, values};
use sea_orm::{ActiveEnum, ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{AreaOfFocus, CaseClosingReason, cases_service as service};
use crate::{
    auth::{Actor, policy},
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids::{self, InputIds},
        mutation::payload_type,
        pagination::{
            self, CursorKey, OrderDirection, PageArgs, SortKey, connection_type, paginate,
        },
        scalars::Date,
    },
    roster::{RosterContext, School, Staff, Student, students},
};

/// A social worker's case.
#[derive(Clone)]
pub struct Case(pub ssw_case::Model);
crate::graphql::ids::node_type!(Case);

/// A social worker's case: one student, one area of focus, open until closed.
#[Object]
impl Case {
    /// The case's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<Case>(self.0.id)
    }
    /// The student.
    async fn student(&self, ctx: &Context<'_>) -> AppResult<Student> {
        students::load(ctx, self.0.student_id).await
    }
    /// The social worker (or other pupil-services staff member) who carries it.
    async fn social_worker(&self, ctx: &Context<'_>) -> AppResult<Option<Staff>> {
        let row = ctx.roster().staff.load_one(self.0.social_worker_id).await?;
        Ok(row.map(Staff))
    }
    /// The area of focus.
    async fn area_of_focus(&self) -> AreaOfFocus {
        self.0.area_of_focus.into()
    }
    /// The day it opened.
    async fn opened_on(&self) -> Date {
        Date(self.0.opened_on)
    }
    /// The day it closed; null while open.
    async fn closed_on(&self) -> Option<Date> {
        self.0.closed_on.map(Date)
    }
    /// Why it closed.
    async fn closing_reason(&self) -> Option<CaseClosingReason> {
        self.0.closing_reason.map(Into::into)
    }
    /// Whether it is open.
    async fn open(&self) -> bool {
        self.0.closed_on.is_none()
    }
    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

connection_type!(
    CaseConnection,
    CaseEdge,
    Case,
    "A page of cases.",
    "A case in a page."
);
payload_type!(
    CasePayload,
    case,
    Case,
    "The result of opening or closing a case."
);

/// Which open cases of a caseload to list.
#[derive(InputObject, Default)]
pub struct CaseloadFilter {
    /// Only students enrolled in this school today.
    pub school_id: Option<ID>,
    /// Only this area of focus.
    pub area_of_focus: Option<AreaOfFocus>,
    /// Only cases opened on or after this day.
    pub opened_since: Option<Date>,
}

/// What a caseload is sorted by.
#[derive(Enum, Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum CaseOrderField {
    /// The day the case opened.
    #[default]
    OpenedOn,
    /// The area of focus (alphabetically by its code).
    AreaOfFocus,
}

/// The order of a caseload (default: opened first, oldest first).
#[derive(InputObject, Default)]
pub struct CaseOrder {
    /// What to sort by.
    pub field: CaseOrderField,
    /// Which way (ascending by default).
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl CaseOrder {
    fn sort_key(&self) -> SortKey<ssw_case::Entity> {
        let descending = self.direction == OrderDirection::Desc;
        let (name, column, key_of): (_, _, fn(&ssw_case::Model) -> Option<CursorKey>) =
            match (self.field, descending) {
                (CaseOrderField::OpenedOn, false) => {
                    ("case.openedOn", ssw_case::Column::OpenedOn, |r| {
                        Some(r.opened_on.into())
                    })
                }
                (CaseOrderField::OpenedOn, true) => {
                    ("case.openedOn.desc", ssw_case::Column::OpenedOn, |r| {
                        Some(r.opened_on.into())
                    })
                }
                (CaseOrderField::AreaOfFocus, false) => {
                    ("case.area", ssw_case::Column::AreaOfFocus, |r| {
                        Some(r.area_of_focus.to_value().into())
                    })
                }
                (CaseOrderField::AreaOfFocus, true) => {
                    ("case.area.desc", ssw_case::Column::AreaOfFocus, |r| {
                        Some(r.area_of_focus.to_value().into())
                    })
                }
            };
        SortKey {
            name,
            column: Some(column),
            key_of,
            descending,
        }
    }
}

/// Casework's fields of `Viewer`.
pub struct ViewerCasework<'a>(pub &'a Actor);

#[Object]
impl ViewerCasework<'_> {
    /// The caller's open cases (a token that names a staff member; empty for one that does
    /// not), filtered and ordered.
    #[graphql(complexity = "pagination::cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn caseload(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        #[graphql(desc = "Which cases.")] filter: Option<CaseloadFilter>,
        #[graphql(desc = "Their order.")] order_by: Option<CaseOrder>,
    ) -> AppResult<CaseConnection> {
        let actor = self.0;
        let filter = filter.unwrap_or_default();
        let worker = actor.staff_id.unwrap_or(Uuid::nil());
        let mut select = ssw_case::Entity::find()
            .filter(policy::case_rows(actor)?)
            .filter(ssw_case::Column::SocialWorkerId.eq(worker))
            .filter(ssw_case::Column::ClosedOn.is_null());
        if let Some(school_id) = &filter.school_id {
            let school_id = ids::decode_as::<School>(school_id, "filter.schoolId")?;
            let column = ssw_case::Column::StudentId;
            select = select.filter(students::enrolled_in(school_id, actor.today, column));
        }
        if let Some(area) = filter.area_of_focus {
            let area = values::AreaOfFocus::from(area);
            select = select.filter(ssw_case::Column::AreaOfFocus.eq(area));
        }
        if let Some(since) = filter.opened_since {
            select = select.filter(ssw_case::Column::OpenedOn.gte(since.0));
        }
        let sort = order_by.unwrap_or_default().sort_key();
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let page = paginate(ctx.db(), select, &sort, &args).await?;
        Ok(CaseConnection(page.map(Case)))
    }
}

/// Opens a case without a referral (the worker found the need).
#[derive(InputObject)]
pub struct OpenCaseInput {
    /// The student.
    pub student_id: ID,
    /// Who carries it.
    pub social_worker_id: ID,
    /// The area of focus.
    pub area_of_focus: AreaOfFocus,
    /// The day it opens (default: today).
    pub opened_on: Option<Date>,
}

/// Closes an open case.
#[derive(InputObject)]
pub struct CloseCaseInput {
    /// The case.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// The day it closes (default: today; not before it opened).
    pub closed_on: Option<Date>,
    /// Why.
    pub closing_reason: CaseClosingReason,
}

#[derive(Default)]
pub struct CaseMutation;

#[Object]
impl CaseMutation {
    /// Opens a case for a student (pupil services and admins).
    async fn open_case(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: OpenCaseInput,
    ) -> AppResult<CasePayload> {
        let actor = ctx.actor()?;
        let mut sent = InputIds::default();
        let now = Utc::now();
        let row = ssw_case::Model {
            id: Uuid::now_v7(),
            district_id: actor.district_id,
            student_id: sent.of::<Student>("studentId", &input.student_id),
            social_worker_id: sent.of::<Staff>("socialWorkerId", &input.social_worker_id),
            area_of_focus: input.area_of_focus.into(),
            opened_on: input.opened_on.map_or(actor.today, |d| d.0),
            closed_on: None,
            closing_reason: None,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = service::open(&write, row).await?;
        Ok(write.finish(outcome).await?.map(Case).into())
    }

    /// Closes a case, if nobody changed it since `version`.
    async fn close_case(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: CloseCaseInput,
    ) -> AppResult<CasePayload> {
        let mut sent = InputIds::default();
        let id = sent.target::<Case>("id", &input.id);
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let closed_on = input.closed_on.map_or(ctx.actor()?.today, |d| d.0);
        let reason = input.closing_reason.into();
        let write = ctx.write().await?;
        let outcome = service::close(&write, (id, input.version), closed_on, reason).await;
        let outcome = sent.found(outcome)?;
        Ok(write.finish(outcome).await?.map(Case).into())
    }
}
