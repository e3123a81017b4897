//! The FERPA record of disclosures (34 CFR 99.32): one row per student's data sent to (or
//! asked for by) an outside party, written with the act itself: by the write that sends a
//! referral, and by the request handler for what a response carried to an agency. No resolver
//! writes one by hand.

use std::collections::HashMap;

use chrono::Utc;
use entity::{
    agency, disclosure,
    values::{DisclosureBasis, PartyType},
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::{auth::Actor, errors::AppResult};

/// One disclosure to an agency, or one refused request of an agency's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disclosed {
    pub student_id: Uuid,
    pub agency_id: Uuid,
    pub referral_id: Uuid,
    /// The consent it rests on (what a refusal was checked against).
    pub consent_id: Option<Uuid>,
    /// Its legal ground (a refused one is recorded as NONE whatever this says).
    pub basis: DisclosureBasis,
    /// For a health or safety emergency: the articulable and significant threat.
    pub threat: Option<String>,
    /// The fields that went (or were asked for), as the API names them.
    pub fields: Vec<String>,
    /// Why it was refused, for a refused request; `None` when the data went.
    pub refused: Option<String>,
    /// What disclosed it: `referral sent`, `agency read`.
    pub act: &'static str,
}

/// Writes `disclosures` by `actor` (on `request_id`), each naming its agency as a parent would
/// read it, in two statements on `db` (the write's transaction, or the handler's).
pub async fn record_disclosures<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    request_id: Option<String>,
    disclosures: Vec<Disclosed>,
) -> AppResult<()> {
    if disclosures.is_empty() {
        return Ok(());
    }
    let mut agency_ids: Vec<Uuid> = disclosures.iter().map(|d| d.agency_id).collect();
    agency_ids.sort();
    agency_ids.dedup();
    let names: HashMap<Uuid, String> = agency::Entity::find()
        .filter(agency::Column::Id.is_in(agency_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|agency| (agency.id, agency.name))
        .collect();
    let now = Utc::now();
    let rows = disclosures.into_iter().map(|d| disclosure::ActiveModel {
        id: Set(Uuid::now_v7()),
        district_id: Set(actor.district_id),
        student_id: Set(d.student_id),
        party_type: Set(PartyType::Agency),
        agency_id: Set(Some(d.agency_id)),
        party: Set(names
            .get(&d.agency_id)
            .cloned()
            .unwrap_or_else(|| d.agency_id.to_string())),
        basis: Set(if d.refused.is_some() {
            DisclosureBasis::None
        } else {
            d.basis
        }),
        consent_id: Set(d.consent_id),
        legitimate_interest: Set(None),
        threat: Set(d.threat.clone()),
        referral_id: Set(Some(d.referral_id)),
        fields: Set(d.fields.join(",")),
        reason: Set(Some(match &d.refused {
            Some(why) => format!("{} refused: {why}", d.act),
            None => d.act.to_string(),
        })),
        refused: Set(d.refused.is_some()),
        actor: Set(actor.subject.clone()),
        request_id: Set(request_id.clone()),
        disclosed_at: Set(now),
    });
    disclosure::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}
