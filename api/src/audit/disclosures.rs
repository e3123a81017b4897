//! The FERPA record of disclosures as a parent may ask to see it (34 CFR 99.32(c)): every
//! outside party that received (or asked for and was refused) a student's data, when, what and
//! on what basis. Written by the acts themselves (`db::record_disclosures`), never through the
//! API; read by the district admin.

use async_graphql::{Context, ID, Object};
use entity::{disclosure, values};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::{
    auth::policy,
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids,
        pagination::{self, PageArgs, SortKey, connection_type, paginate},
        scalars::{DateTime, mirror_enum},
    },
    roster::Student,
};

mirror_enum! {
    /// Who outside the district received the data.
    PartyType = values::PartyType {
        /// A community agency.
        Agency,
        /// A client of the exports outside the district.
        ExportClient,
    }
}

mirror_enum! {
    /// The legal ground of a disclosure (34 CFR 99.30 and 99.31).
    DisclosureBasis = values::DisclosureBasis {
        /// A parent's written consent (99.30).
        Consent,
        /// A school official with a legitimate educational interest (99.31(a)(1)).
        SchoolOfficial,
        /// A health or safety emergency (99.31(a)(10), 99.36).
        HealthOrSafetyEmergency,
        /// A court order or subpoena (99.31(a)(9)).
        CourtOrder,
        /// Studies or an audit for the district (99.31(a)(3), (6)).
        StudiesOrAudit,
        /// None: the request was refused.
        None,
    }
}

/// One disclosure of a student's data to an outside party, or one refused request for it.
#[derive(Clone)]
pub struct Disclosure(pub disclosure::Model);

/// One disclosure of a student's data to an outside party (34 CFR 99.32), or a refused request.
#[Object]
impl Disclosure {
    /// The record's UUID.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// When.
    async fn disclosed_at(&self) -> DateTime {
        DateTime(self.0.disclosed_at)
    }
    /// The student whose data it was.
    async fn student_id(&self) -> ID {
        ids::encode::<Student>(self.0.student_id)
    }
    /// What kind of party.
    async fn party_type(&self) -> PartyType {
        self.0.party_type.into()
    }
    /// The party, by name.
    async fn party(&self) -> &str {
        &self.0.party
    }
    /// The legal ground it rests on.
    async fn basis(&self) -> DisclosureBasis {
        self.0.basis.into()
    }
    /// The party's legitimate interest, for a disclosure without consent.
    async fn legitimate_interest(&self) -> Option<&str> {
        self.0.legitimate_interest.as_deref()
    }
    /// For a health or safety emergency: the articulable and significant threat.
    async fn threat(&self) -> Option<&str> {
        self.0.threat.as_deref()
    }
    /// The fields disclosed (or asked for).
    async fn fields(&self) -> Vec<&str> {
        self.0.fields.split(',').filter(|f| !f.is_empty()).collect()
    }
    /// Whether the request was refused (and nothing went).
    async fn refused(&self) -> bool {
        self.0.refused
    }
    /// What disclosed it (`referral sent`, `agency read`), or why it was refused.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    /// Who acted: the subject of their token.
    async fn actor_id(&self) -> &str {
        &self.0.actor
    }
    /// The request it was part of, as the server log names it.
    async fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
}

connection_type!(
    DisclosureConnection,
    DisclosureEdge,
    Disclosure,
    "A page of disclosures, newest first.",
    "A disclosure in a page."
);

/// Newest first: ids are UUIDv7, in the order the records were written.
const NEWEST_FIRST: SortKey<disclosure::Entity> = SortKey::by_id("disclosure.newest", true);

#[derive(Default)]
pub struct DisclosureQuery;

#[Object]
impl DisclosureQuery {
    /// Every disclosure of a student's data to a party outside the district, refused requests
    /// included, newest first: what a parent may ask to see (district admins).
    #[graphql(complexity = "pagination::cost(first, last, child_complexity)")]
    async fn disclosures(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The student.")] student_id: ID,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<DisclosureConnection> {
        let rows = policy::disclosure_rows(ctx.actor()?)?;
        let student = ids::decode_as::<Student>(&student_id, "studentId")?;
        let select = disclosure::Entity::find()
            .filter(rows)
            .filter(disclosure::Column::StudentId.eq(student));
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let page = paginate(ctx.db(), select, &NEWEST_FIRST, &args).await?;
        Ok(DisclosureConnection(page.map(Disclosure)))
    }
}
