//! One move of an agency referral from a status to another, with who made it. Append-only.

use sea_orm::entity::prelude::*;

use crate::values::AgencyReferralStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "agency_referral_transition")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub district_id: Uuid,
    pub referral_id: Uuid,
    /// None for the referral's creation.
    pub from_status: Option<AgencyReferralStatus>,
    pub to_status: AgencyReferralStatus,
    /// The token subject that made it.
    pub actor: String,
    pub role: String,
    pub note: Option<String>,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
