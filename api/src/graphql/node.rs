//! Opaque global ids (`base64url("Student:<uuid>")`) and the Relay `Node` interface.

use async_graphql::{Context, ID, Interface, Object};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use uuid::Uuid;

use crate::{
    errors::{AppError, AppResult},
    graphql::{context::ContextExt, pagination::MAX_PAGE_SIZE},
    mtss::{HomelessStatus, IepParticipation, Intervention, InterventionPlan, TierPlacement},
    roster::{
        District, Enrollment, Guardian, GuardianLink, School, Staff, StaffAssignment, Student,
    },
};

/// The kinds of object a global id can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    District,
    School,
    Staff,
    Student,
    Enrollment,
    Guardian,
    GuardianLink,
    StaffAssignment,
    Descriptor,
    Intervention,
    InterventionPlan,
    ProgressPoint,
    InterventionSession,
    TierPlacement,
    IepParticipation,
    IepMeeting,
    HomelessStatus,
}

const KINDS: [Kind; 17] = [
    Kind::District,
    Kind::School,
    Kind::Staff,
    Kind::Student,
    Kind::Enrollment,
    Kind::Guardian,
    Kind::GuardianLink,
    Kind::StaffAssignment,
    Kind::Descriptor,
    Kind::Intervention,
    Kind::InterventionPlan,
    Kind::ProgressPoint,
    Kind::InterventionSession,
    Kind::TierPlacement,
    Kind::IepParticipation,
    Kind::IepMeeting,
    Kind::HomelessStatus,
];

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Self::District => "District",
            Self::School => "School",
            Self::Staff => "Staff",
            Self::Student => "Student",
            Self::Enrollment => "Enrollment",
            Self::Guardian => "Guardian",
            Self::GuardianLink => "GuardianLink",
            Self::StaffAssignment => "StaffAssignment",
            Self::Descriptor => "Descriptor",
            Self::Intervention => "Intervention",
            Self::InterventionPlan => "InterventionPlan",
            Self::ProgressPoint => "ProgressPoint",
            Self::InterventionSession => "InterventionSession",
            Self::TierPlacement => "TierPlacement",
            Self::IepParticipation => "IepParticipation",
            Self::IepMeeting => "IepMeeting",
            Self::HomelessStatus => "HomelessStatus",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        KINDS.into_iter().find(|kind| kind.name() == name)
    }
}

pub fn encode(kind: Kind, id: Uuid) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{id}", kind.name())))
}

/// Splits a global id into its kind and UUID; `field` names the argument for the error.
pub fn decode(id: &ID, field: &str) -> AppResult<(Kind, Uuid)> {
    let invalid = || AppError::bad_input(field, format!("{field} is not a valid id"));
    let text = URL_SAFE_NO_PAD
        .decode(id.as_str())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(invalid)?;
    let (kind, uuid) = text.split_once(':').ok_or_else(invalid)?;
    let kind = Kind::parse(kind).ok_or_else(invalid)?;
    let uuid = Uuid::parse_str(uuid).map_err(|_| invalid())?;
    Ok((kind, uuid))
}

/// The UUID of a global id that must name a `kind`.
pub fn decode_as(id: &ID, kind: Kind, field: &str) -> AppResult<Uuid> {
    match decode(id, field)? {
        (found, uuid) if found == kind => Ok(uuid),
        _ => Err(AppError::bad_input(
            field,
            format!("{field} must be the id of a {}", kind.name()),
        )),
    }
}

/// An object with a global id, fetchable with `node(id:)`.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "The object's opaque global id."))]
pub enum Node {
    District(District),
    School(School),
    Staff(Staff),
    Student(Student),
    Enrollment(Enrollment),
    Guardian(Guardian),
    GuardianLink(GuardianLink),
    StaffAssignment(StaffAssignment),
    Intervention(Intervention),
    InterventionPlan(InterventionPlan),
    TierPlacement(TierPlacement),
    IepParticipation(IepParticipation),
    HomelessStatus(HomelessStatus),
}

/// The object a global id names, if it exists and the caller may see it.
async fn load(ctx: &Context<'_>, kind: Kind, id: Uuid) -> AppResult<Option<Node>> {
    let (loaders, mtss) = (ctx.roster(), ctx.mtss());
    Ok(match kind {
        Kind::District => loaders
            .district
            .load_one(id)
            .await?
            .map(|m| Node::District(District(m))),
        Kind::School => loaders
            .school
            .load_one(id)
            .await?
            .map(|m| Node::School(School(m))),
        Kind::Staff => loaders
            .staff
            .load_one(id)
            .await?
            .map(|m| Node::Staff(Staff(m))),
        Kind::Student => loaders
            .student
            .load_one(id)
            .await?
            .map(|m| Node::Student(Student(m))),
        Kind::Enrollment => loaders
            .enrollment
            .load_one(id)
            .await?
            .map(|m| Node::Enrollment(Enrollment(m))),
        Kind::Guardian => loaders
            .guardian
            .load_one(id)
            .await?
            .map(|m| Node::Guardian(Guardian(m))),
        Kind::GuardianLink => loaders
            .guardian_link
            .load_one(id)
            .await?
            .map(|m| Node::GuardianLink(GuardianLink(m))),
        Kind::StaffAssignment => loaders
            .assignment
            .load_one(id)
            .await?
            .map(|m| Node::StaffAssignment(StaffAssignment(m))),
        Kind::Intervention => mtss
            .intervention
            .load_one(id)
            .await?
            .map(|m| Node::Intervention(Intervention(m))),
        Kind::InterventionPlan => mtss
            .plan
            .load_one(id)
            .await?
            .map(|m| Node::InterventionPlan(InterventionPlan(m))),
        Kind::TierPlacement => mtss
            .tier_placement
            .load_one(id)
            .await?
            .map(|m| Node::TierPlacement(TierPlacement(m))),
        Kind::IepParticipation => mtss
            .iep
            .load_one(id)
            .await?
            .map(|m| Node::IepParticipation(IepParticipation(m))),
        Kind::HomelessStatus => mtss
            .homeless
            .load_one(id)
            .await?
            .map(|m| Node::HomelessStatus(HomelessStatus(m))),
        // Records reached through their parent, not fetched on their own.
        Kind::Descriptor | Kind::ProgressPoint | Kind::InterventionSession | Kind::IepMeeting => {
            None
        }
    })
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any object by its global id; null when it does not exist or the caller may not see it.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global id.")] id: ID,
    ) -> AppResult<Option<Node>> {
        let (kind, uuid) = decode(&id, "id")?;
        load(ctx, kind, uuid).await
    }

    /// Several objects by global id, in the order asked; null for each one not found.
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ids, at most 500.")] ids: Vec<ID>,
    ) -> AppResult<Vec<Option<Node>>> {
        if ids.len() > MAX_PAGE_SIZE {
            return Err(AppError::bad_input(
                "ids",
                format!("at most {MAX_PAGE_SIZE} ids at a time"),
            ));
        }
        let keys = ids
            .iter()
            .map(|id| decode(id, "ids"))
            .collect::<AppResult<Vec<_>>>()?;
        // Loaded concurrently, so each kind's loader batches its ids into one query.
        futures::future::try_join_all(keys.into_iter().map(|(kind, uuid)| load(ctx, kind, uuid)))
            .await
    }
}
