//! A referral of a student to the school social worker (intake).

use sea_orm::entity::prelude::*;

use crate::values::{ReferralStatus, ReferralUrgency, ReferrerType};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ssw_referral")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub district_id: Uuid,
    pub student_id: Uuid,
    pub referred_on: Date,
    pub referrer_type: ReferrerType,
    /// The staff member who filed it (whoever the referrer is).
    pub filed_by_staff_id: Option<Uuid>,
    /// `ReferralReason` values, one per line.
    pub reasons: String,
    pub urgency: ReferralUrgency,
    pub description: String,
    pub status: ReferralStatus,
    pub assigned_to_staff_id: Option<Uuid>,
    /// The case assigning it opened.
    pub case_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
