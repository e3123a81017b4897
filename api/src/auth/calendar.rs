//! The district's "today": a request's dates are the district's, not UTC's.

use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;
use entity::district;
use sea_orm::{DatabaseConnection, EntityTrait};
use uuid::Uuid;

use crate::errors::AppResult;

/// Districts' time zones, read once per district per process: a request's "today" is the
/// date in its district, not in UTC (a Pacific district's day ends at 8 am UTC).
#[derive(Default)]
pub struct Calendar {
    zones: std::sync::RwLock<std::collections::HashMap<Uuid, Tz>>,
}

impl Calendar {
    /// Today in the district's time zone (UTC for an unknown district or zone).
    pub async fn today(&self, db: &DatabaseConnection, district_id: Uuid) -> AppResult<NaiveDate> {
        let known = self
            .zones
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&district_id)
            .copied();
        let zone = match known {
            Some(zone) => zone,
            None => {
                let zone = district::Entity::find_by_id(district_id)
                    .one(db)
                    .await?
                    .and_then(|d| d.timezone.parse::<Tz>().ok())
                    .unwrap_or(Tz::UTC);
                self.zones
                    .write()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .insert(district_id, zone);
                zone
            }
        };
        Ok(Utc::now().with_timezone(&zone).date_naive())
    }
}
