//! A guardian's written consent to disclose a student's records (34 CFR 99.30(b)).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "consent")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub district_id: Uuid,
    pub student_id: Uuid,
    /// The guardian who signed it.
    pub guardian_id: Uuid,
    pub given_on: Date,
    /// `ConsentField` values it covers, one per line.
    pub fields: String,
    pub purpose: String,
    /// Ids of the agencies it may go to, one per line.
    pub parties: String,
    /// The last day it holds.
    pub expires_on: Date,
    pub revoked_at: Option<DateTimeUtc>,
    /// Who recorded the revocation (a token's subject).
    pub revoked_by: Option<String>,
    /// Who recorded the consent (a token's subject).
    pub recorded_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
