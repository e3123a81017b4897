//! A closed-loop referral of a student to a community agency (an HL7 FHIR SDOH referral Task).

use sea_orm::entity::prelude::*;

use crate::values::{AgencyReferralStatus, ReferralOutcome};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "agency_referral")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub district_id: Uuid,
    pub student_id: Uuid,
    pub agency_id: Uuid,
    pub service_id: Option<Uuid>,
    pub referred_by_staff_id: Option<Uuid>,
    /// What the family needs, in words.
    pub needs: String,
    /// The consent it rests on (required from REQUESTED on).
    pub consent_id: Option<Uuid>,
    pub status: AgencyReferralStatus,
    pub outcome: Option<ReferralOutcome>,
    /// The district day it was sent: the response timer starts here.
    pub requested_on: Option<Date>,
    /// When the worker means to follow up.
    pub follow_up_on: Option<Date>,
    /// Sent without consent in a health or safety emergency: the articulable and significant
    /// threat (34 CFR 99.36).
    pub emergency_threat: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
