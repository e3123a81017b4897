//! IEP related-service minutes: for each IEP of a student that calls for social-work minutes,
//! the minutes owed and delivered per week and per month of a period, the sessions missed and
//! the makeups still due, from the service log.

use async_graphql::{Context, SimpleObject};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use entity::{
    iep_participation as iep, service_contact as contact,
    values::{IepStatus, PlanType},
};
use uuid::Uuid;

use super::CaseworkContext;
use crate::{
    errors::{AppError, AppResult},
    graphql::scalars::Date,
    mtss::{IepParticipation, MtssContext},
};

/// Minutes owed and delivered over a stretch of days.
#[derive(SimpleObject)]
pub struct MinutesPeriod {
    /// First day (within the period asked for).
    pub start: Date,
    /// Last day.
    pub end: Date,
    /// Minutes the IEP calls for: its minutes per week, for each weekday it was in effect,
    /// over 5.
    pub owed: i64,
    /// Minutes of contacts that served the IEP.
    pub delivered: i64,
}

/// One IEP's social-work minutes over a period.
#[derive(SimpleObject)]
pub struct RelatedServiceMinutes {
    /// The IEP.
    pub iep: IepParticipation,
    /// Social-work minutes per week it calls for.
    pub minutes_per_week: i32,
    /// Owed and delivered by week (Monday to Sunday).
    pub weeks: Vec<MinutesPeriod>,
    /// Owed and delivered by calendar month.
    pub months: Vec<MinutesPeriod>,
    /// Contacts for it that were missed in the period.
    pub missed_sessions: i64,
    /// Of those, the ones with a makeup due that no later contact made up.
    pub makeups_due: i64,
}

/// The stretches of `from..=to` that `start_of` groups days into.
fn periods(
    from: NaiveDate,
    to: NaiveDate,
    start_of: fn(NaiveDate) -> NaiveDate,
) -> Vec<(NaiveDate, NaiveDate)> {
    let mut stretches: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for day in from.iter_days().take_while(|day| *day <= to) {
        match stretches.last_mut() {
            Some((first, last)) if start_of(*first) == start_of(day) => *last = day,
            _ => stretches.push((day, day)),
        }
    }
    stretches
}

fn monday(day: NaiveDate) -> NaiveDate {
    day - Duration::days(day.weekday().num_days_from_monday().into())
}

fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// Owed and delivered for `iep` over one stretch of days.
fn tally(
    iep: &iep::Model,
    contacts: &[contact::Model],
    (start, end): (NaiveDate, NaiveDate),
) -> MinutesPeriod {
    let in_effect = |day: &NaiveDate| {
        iep.iep_begin_date.is_none_or(|begin| *day >= begin)
            && iep.iep_end_date.is_none_or(|end| *day <= end)
    };
    let weekdays = start
        .iter_days()
        .take_while(|day| *day <= end)
        .filter(|day| !matches!(day.weekday(), Weekday::Sat | Weekday::Sun))
        .filter(in_effect)
        .count() as i64;
    let delivered = contacts
        .iter()
        .filter(|c| c.missed_reason.is_none() && (start..=end).contains(&c.date))
        .map(|c| i64::from(c.minutes))
        .sum();
    MinutesPeriod {
        start: Date(start),
        end: Date(end),
        owed: i64::from(iep.social_work_minutes_per_week) * weekdays / 5,
        delivered,
    }
}

/// The related-service minutes of `student`'s active IEPs that call for social-work minutes,
/// from `from` to `to` (at most a year).
pub async fn of_student(
    ctx: &Context<'_>,
    student: Uuid,
    (from, to): (NaiveDate, NaiveDate),
) -> AppResult<Vec<RelatedServiceMinutes>> {
    if to < from || (to - from).num_days() > 366 {
        return Err(AppError::bad_input(
            "to",
            "to is on or after from, at most a year later",
        ));
    }
    let (ieps, contacts) = futures::try_join!(
        ctx.mtss().ieps_of_student.load_one(student),
        ctx.casework().contacts_of_student.load_one(student),
    )?;
    let contacts = contacts.unwrap_or_default();
    let owing = ieps.unwrap_or_default().into_iter().filter(|iep| {
        iep.plan_type == PlanType::Iep
            && iep.status == IepStatus::Active
            && iep.social_work_minutes_per_week > 0
    });
    Ok(owing
        .map(|iep| {
            let served: Vec<contact::Model> = contacts
                .iter()
                .filter(|c| c.iep_id == Some(iep.id))
                .cloned()
                .collect();
            let missed: Vec<&contact::Model> = served
                .iter()
                .filter(|c| c.missed_reason.is_some() && (from..=to).contains(&c.date))
                .collect();
            let made_up = |id: Uuid| contacts.iter().any(|c| c.makeup_for_id == Some(id));
            RelatedServiceMinutes {
                minutes_per_week: iep.social_work_minutes_per_week,
                weeks: periods(from, to, monday)
                    .into_iter()
                    .map(|p| tally(&iep, &served, p))
                    .collect(),
                months: periods(from, to, first_of_month)
                    .into_iter()
                    .map(|p| tally(&iep, &served, p))
                    .collect(),
                missed_sessions: missed.len() as i64,
                makeups_due: missed
                    .iter()
                    .filter(|c| c.makeup_due.is_some() && !made_up(c.id))
                    .count() as i64,
                iep: IepParticipation(iep),
            }
        })
        .collect())
}
