//! FULL enrollment sync: a batch is the whole of its schools' enrollments, so those the source
//! system pushed before, still open and missing from the batch, are closed (an exit date, never
//! a delete). A guardrail refuses closing more than [`CloseLimit`] percent of a school's open
//! enrollments unless the caller confirms: a file with a typo must not silently withdraw a
//! school.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use entity::enrollment;
use uuid::Uuid;

use super::CloseLimit;
use crate::{
    db::Write,
    errors::AppResult,
    roster::enrollments_service,
    validation::{Check, UserError, UserErrorCode},
};

/// What a FULL sync closes, or why it may not.
#[derive(Default)]
pub struct Closing {
    rows: Vec<enrollment::Model>,
    /// One per school the guardrail holds back; when any, nothing is written.
    pub refusals: Vec<UserError>,
}

impl Closing {
    /// The source system's open enrollments at the `listed` schools (by sourcedId) that `sent`
    /// lacks, and the schools where they are more than `limit` allows unless `confirmed`.
    pub async fn plan(
        write: &Write<'_>,
        system: &str,
        listed: &HashMap<String, Uuid>,
        sent: &HashSet<&str>,
        (limit, confirmed): (CloseLimit, bool),
    ) -> AppResult<Self> {
        let schools: Vec<Uuid> = listed.values().copied().collect();
        let today = write.actor().today;
        let open = enrollments_service::open_from(write, system, &schools, today).await?;
        let mut check = Check::default();
        let mut names: Vec<(&String, &Uuid)> = listed.iter().collect();
        names.sort();
        for (school_key, school_id) in names {
            let at_school = open.iter().filter(|row| row.school_id == *school_id);
            let total = at_school.clone().count();
            let closing = at_school
                .filter(|row| !sent.contains(row.sourced_id.as_deref().unwrap_or_default()))
                .count();
            if !confirmed && closing * 100 > usize::from(limit.0) * total {
                check.fail(
                    "confirmClosures",
                    UserErrorCode::OutOfRange,
                    format!(
                        "this FULL sync would close {closing} of the {total} open enrollments of school {school_key}, more than {}%; send confirmClosures: true if that is intended",
                        limit.0
                    ),
                );
            }
        }
        let rows = open
            .into_iter()
            .filter(|row| !sent.contains(row.sourced_id.as_deref().unwrap_or_default()))
            .collect();
        Ok(Self {
            rows,
            refusals: check.into_errors(),
        })
    }

    /// How many enrollments this closes.
    pub fn count(&self) -> usize {
        self.rows.len()
    }

    /// The `sourcedId`s of the enrollments this closes.
    pub fn sourced_ids(&self) -> Vec<String> {
        self.rows
            .iter()
            .filter_map(|row| row.sourced_id.clone())
            .collect()
    }

    /// Closes them on `on`, in the write's transaction.
    pub async fn apply(&self, write: &Write<'_>, on: NaiveDate) -> AppResult<()> {
        enrollments_service::close(write, &self.rows, on).await
    }
}
