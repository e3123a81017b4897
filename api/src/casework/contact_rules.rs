//! The rules of a contact that need no database: its minutes from its times, missed and
//! billable contacts, and the length of who took part and where.

use chrono::NaiveTime;
use entity::service_contact as contact;

use crate::validation::{Check, UserErrorCode};

/// Minutes from `start` to `end` (`HH:MM`), each checked at its field; `None` when either is
/// missing or wrong.
fn minutes_between(check: &mut Check, start: &str, end: &str) -> Option<i32> {
    let parse = |check: &mut Check, field: &str, text: &str| {
        let parsed = NaiveTime::parse_from_str(text, "%H:%M").ok();
        if parsed.is_none() {
            check.fail(
                field,
                UserErrorCode::Invalid,
                format!("{field} is a time as HH:MM (24-hour)"),
            );
        }
        parsed
    };
    let (start, end) = (
        parse(check, "startTime", start)?,
        parse(check, "endTime", end)?,
    );
    if end <= start {
        check.fail(
            "endTime",
            UserErrorCode::DatesOutOfOrder,
            "endTime must be after startTime",
        );
        return None;
    }
    Some((end - start).num_minutes() as i32)
}

/// Sets the contact's minutes from its times (when it has both), checks them against minutes
/// given, and checks the rules of missed and billable contacts.
pub fn check_minutes_and_billing(
    check: &mut Check,
    row: &mut contact::Model,
    minutes_given: Option<i32>,
) {
    match (row.start_time.as_deref(), row.end_time.as_deref()) {
        (Some(start), Some(end)) => {
            if let Some(derived) = minutes_between(check, start, end) {
                if minutes_given.is_some_and(|given| given != derived) {
                    check.fail("minutes", UserErrorCode::Invalid, format!("minutes must be {derived}, the time from startTime to endTime, or left out"));
                }
                row.minutes = derived;
            }
        }
        (None, None) => row.minutes = minutes_given.unwrap_or(0),
        (None, Some(_)) => check.fail(
            "startTime",
            UserErrorCode::Required,
            "give both times or neither",
        ),
        (Some(_), None) => check.fail(
            "endTime",
            UserErrorCode::Required,
            "give both times or neither",
        ),
    }
    if !(0..=480).contains(&row.minutes) {
        check.fail(
            "minutes",
            UserErrorCode::OutOfRange,
            "minutes is from 0 to 480",
        );
    }
    if row.missed_reason.is_some() {
        if row.minutes > 0 {
            check.fail(
                "minutes",
                UserErrorCode::Invalid,
                "a missed contact delivered no minutes",
            );
        }
    } else {
        // Times that do not parse have their own errors.
        let timed = row.start_time.is_some() && row.end_time.is_some();
        if row.minutes == 0 && !timed {
            check.fail(
                "minutes",
                UserErrorCode::Required,
                "give the minutes, or startTime and endTime",
            );
        }
        if row.makeup_due.is_some() {
            check.fail(
                "makeupDue",
                UserErrorCode::Invalid,
                "only a missed contact has a makeup due",
            );
        }
    }
    match (row.billable, row.omit_reason) {
        (false, None) => check.fail(
            "omitReason",
            UserErrorCode::Required,
            "a contact left out of billing says why",
        ),
        (true, Some(_)) => check.fail(
            "omitReason",
            UserErrorCode::Invalid,
            "a billable contact has no omitReason",
        ),
        _ => {}
    }
}

/// A location and the participants (one a line) are short.
pub fn check_who_and_where(check: &mut Check, location: Option<&str>, participants: Option<&str>) {
    if location.is_some_and(|l| l.chars().count() > 200) {
        let message = "location may be at most 200 characters";
        check.fail("location", UserErrorCode::OutOfRange, message);
    }
    let names: Vec<&str> = participants.unwrap_or_default().lines().collect();
    if names.len() > 50 || names.iter().any(|n| n.chars().count() > 200) {
        let message = "at most 50 participants of at most 200 characters each";
        check.fail("participants", UserErrorCode::OutOfRange, message);
    }
}
