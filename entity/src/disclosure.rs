//! The FERPA record of a disclosure of a student's data to an outside party (34 CFR 99.32),
//! or of a refused request for it. Append-only.

use sea_orm::entity::prelude::*;

use crate::values::{DisclosureBasis, PartyType};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "disclosure")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub district_id: Uuid,
    pub student_id: Uuid,
    pub party_type: PartyType,
    /// The agency, when the party is one.
    pub agency_id: Option<Uuid>,
    /// The party as a parent would read it (an agency's name, an export client's subject).
    pub party: String,
    pub basis: DisclosureBasis,
    pub consent_id: Option<Uuid>,
    pub legitimate_interest: Option<String>,
    /// For a health or safety emergency: the articulable and significant threat.
    pub threat: Option<String>,
    pub referral_id: Option<Uuid>,
    /// The fields disclosed (or asked for), comma-separated.
    pub fields: String,
    /// A request that was refused, recorded as such.
    pub refused: bool,
    /// Why it was refused, or what act disclosed it (`referral sent`, `agency read`).
    pub reason: Option<String>,
    pub actor: String,
    pub request_id: Option<String>,
    pub disclosed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
