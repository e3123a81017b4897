//! What a request needs to know of its district, read once per district per process: its time
//! zone (a request's dates are the district's, not UTC's) and the salt of its BI pseudonyms.

use std::{collections::HashMap, sync::RwLock};

use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;
use entity::district;
use sea_orm::{DatabaseConnection, EntityTrait};
use uuid::Uuid;

use super::pseudonym::{Pseudonyms, new_salt};
use crate::errors::AppResult;

/// One district's facts.
#[derive(Clone)]
pub struct DistrictFacts {
    zone: Tz,
    pub pseudonyms: Pseudonyms,
}

impl DistrictFacts {
    /// Today in the district's time zone (a Pacific district's day ends at 8 am UTC).
    pub fn today(&self) -> NaiveDate {
        Utc::now().with_timezone(&self.zone).date_naive()
    }
}

/// The facts of the districts this process has served. Neither changes while it runs: a
/// district's time zone is set when it is created, its salt never changes.
#[derive(Default)]
pub struct Districts {
    known: RwLock<HashMap<Uuid, DistrictFacts>>,
}

impl Districts {
    /// The district's facts (UTC for an unknown zone). A district that does not exist (only a
    /// token from another installation names one) has no records to show: UTC and a salt of
    /// its own, not kept, as it may be created while the process runs.
    pub async fn facts(&self, db: &DatabaseConnection, id: Uuid) -> AppResult<DistrictFacts> {
        let known = self
            .known
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
            .cloned();
        if let Some(facts) = known {
            return Ok(facts);
        }
        let Some(row) = district::Entity::find_by_id(id).one(db).await? else {
            return Ok(DistrictFacts {
                zone: Tz::UTC,
                pseudonyms: Pseudonyms::new(&new_salt()),
            });
        };
        let facts = DistrictFacts {
            zone: row.timezone.parse().unwrap_or(Tz::UTC),
            pseudonyms: Pseudonyms::new(&row.pseudonym_salt),
        };
        self.known
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, facts.clone());
        Ok(facts)
    }
}
