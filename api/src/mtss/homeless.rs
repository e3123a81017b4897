//! McKinney-Vento: students identified as homeless, where they stay at night, whether they
//! are unaccompanied youth, and the services given (Ed-Fi StudentHomelessProgramAssociation).

use crate::roster::School;
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use chrono::Utc;
use entity::homeless_status as homeless;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::homeless_service as service;
use crate::{
    auth::policy::{self, Educational},
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids::{self, InputIds},
        mutation::{ChangeTo, apply_changes, payload_type},
        pagination::{self, PageArgs, SortKey, connection_type, paginate},
        scalars::Date,
    },
    roster::{Student, students},
};

/// A McKinney-Vento identification.
#[derive(Clone)]
pub struct HomelessStatus(pub homeless::Model);
crate::graphql::ids::node_type!(HomelessStatus);

/// A McKinney-Vento identification.
#[Object]
impl HomelessStatus {
    /// The record's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<HomelessStatus>(self.0.id)
    }
    /// The student.
    async fn student(&self, ctx: &Context<'_>) -> AppResult<Student> {
        students::load(ctx, self.0.student_id).await
    }
    /// When the student was identified.
    async fn identified_date(&self) -> Date {
        Date(self.0.identified_date)
    }
    /// When the student stopped being homeless; null while current.
    async fn end_date(&self) -> Option<Date> {
        self.0.end_date.map(Date)
    }
    /// Whether the identification is current.
    async fn current(&self) -> bool {
        self.0.end_date.is_none()
    }
    /// Where the student stays at night (a HomelessPrimaryNighttimeResidenceDescriptor URI).
    async fn primary_nighttime_residence(&self) -> &str {
        &self.0.primary_nighttime_residence
    }
    /// Whether the student is an unaccompanied youth.
    async fn unaccompanied_youth(&self) -> bool {
        self.0.unaccompanied_youth
    }
    /// Services given (HomelessProgramServiceDescriptor URIs).
    async fn services(&self) -> Vec<&str> {
        lines(&self.0.services)
    }
    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().filter(|line| !line.is_empty()).collect()
}

connection_type!(
    HomelessStatusConnection,
    HomelessStatusEdge,
    HomelessStatus,
    "A page of McKinney-Vento records.",
    "A McKinney-Vento record in a page."
);
payload_type!(
    HomelessStatusPayload,
    status,
    HomelessStatus,
    "The result of recording a McKinney-Vento identification."
);

/// Which homeless students to list.
#[derive(InputObject, Default)]
pub struct HomelessFilter {
    /// Only students enrolled in this school today.
    pub school_id: Option<ID>,
    /// Only unaccompanied youth (or only accompanied).
    pub unaccompanied_youth: Option<bool>,
    /// Only this primary nighttime residence (a descriptor URI).
    pub primary_nighttime_residence: Option<String>,
}

/// Identification order: UUIDv7 ids are time-ordered, so this is the order records were made.
const BY_RECORD: SortKey<homeless::Entity> = SortKey::by_id("homeless.created", false);

#[derive(Default)]
pub struct HomelessQuery;

#[Object]
impl HomelessQuery {
    /// Students currently identified as homeless (for the district's McKinney-Vento liaison).
    #[graphql(complexity = "pagination::cost(first, last, child_complexity)")]
    async fn homeless_students(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        #[graphql(desc = "Which students.")] filter: Option<HomelessFilter>,
    ) -> AppResult<HomelessStatusConnection> {
        let filter = filter.unwrap_or_default();
        let mut select = homeless::Entity::find()
            .filter(policy::educational_rows(
                ctx.actor()?,
                Educational::Homeless,
                homeless::Column::StudentId,
            )?)
            .filter(homeless::Column::EndDate.is_null());
        if let Some(school_id) = &filter.school_id {
            let school_id = ids::decode_as::<School>(school_id, "filter.schoolId")?;
            select = select.filter(students::enrolled_in(
                school_id,
                ctx.actor()?.today,
                homeless::Column::StudentId,
            ));
        }
        if let Some(unaccompanied) = filter.unaccompanied_youth {
            select = select.filter(homeless::Column::UnaccompaniedYouth.eq(unaccompanied));
        }
        if let Some(residence) = filter.primary_nighttime_residence {
            select = select.filter(homeless::Column::PrimaryNighttimeResidence.eq(residence));
        }
        let page = paginate(
            ctx.db(),
            select,
            &BY_RECORD,
            &PageArgs::new(ctx.cursor_seal(), first, after, last, before),
        )
        .await?;
        Ok(HomelessStatusConnection(page.map(HomelessStatus)))
    }
}

/// Identifies a student as homeless.
#[derive(InputObject)]
pub struct IdentifyHomelessInput {
    /// The student.
    pub student_id: ID,
    /// When identified.
    pub identified_date: Date,
    /// A HomelessPrimaryNighttimeResidenceDescriptor URI.
    pub primary_nighttime_residence: String,
    /// Unaccompanied youth.
    #[graphql(default)]
    pub unaccompanied_youth: bool,
    /// Services given (HomelessProgramServiceDescriptor URIs).
    #[graphql(default)]
    pub services: Vec<String>,
}

/// Changes to an identification (most often: services given, or it ended).
#[derive(InputObject)]
pub struct UpdateHomelessStatusInput {
    /// The record.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// When it ended (null: current again).
    pub end_date: MaybeUndefined<Date>,
    /// New residence.
    pub primary_nighttime_residence: Option<String>,
    /// Unaccompanied youth.
    pub unaccompanied_youth: Option<bool>,
    /// The full list of services given.
    pub services: Option<Vec<String>>,
}

#[derive(Default)]
pub struct HomelessMutation;

#[Object]
impl HomelessMutation {
    /// Identifies a student as homeless (McKinney-Vento).
    async fn identify_homeless(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: IdentifyHomelessInput,
    ) -> AppResult<HomelessStatusPayload> {
        let mut sent = InputIds::default();
        let student_id = sent.of::<Student>("studentId", &input.student_id);
        let now = Utc::now();
        let row = homeless::Model {
            id: Uuid::now_v7(),
            district_id: ctx.actor()?.district_id,
            student_id,
            identified_date: input.identified_date.0,
            end_date: None,
            primary_nighttime_residence: input.primary_nighttime_residence,
            unaccompanied_youth: input.unaccompanied_youth,
            services: input.services.join("\n"),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = service::identify(&write, row).await?;
        Ok(write.finish(outcome).await?.map(HomelessStatus).into())
    }

    /// Changes an identification, if nobody else changed it since `version`.
    async fn update_homeless_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to write.")] input: UpdateHomelessStatusInput,
    ) -> AppResult<HomelessStatusPayload> {
        let mut sent = InputIds::default();
        let id = sent.target::<HomelessStatus>("id", &input.id);
        let mut changes = homeless::ActiveModel::default();
        apply_changes!(changes;
            input.end_date.change().map(|d| d.map(|d| d.0)) => end_date,
            input.primary_nighttime_residence => primary_nighttime_residence,
            input.unaccompanied_youth => unaccompanied_youth,
            input.services.map(|s| s.join("\n")) => services,
        );
        if let Some(problems) = sent.refused() {
            return Ok(Err(problems).into());
        }
        let write = ctx.write().await?;
        let outcome = sent.found(service::update(&write, (id, input.version), changes).await)?;
        Ok(write.finish(outcome).await?.map(HomelessStatus).into())
    }
}
