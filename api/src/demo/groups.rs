//! Counseling-group demo data: at each school, a social-skills group of up to eight of its
//! students run by the school's social worker, with four weekly sessions this past month,
//! each with a contact in the service log for every member present and one member absent.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use entity::{
    counseling_group, group_attendance, group_member, group_session, service_contact,
    values::{Confidentiality, ContactSetting, ContactType, GroupTopic},
};
use sea_orm::DatabaseTransaction;
use uuid::Uuid;

use super::insert_all;
use crate::errors::AppResult;

/// Members of each demo group.
const MEMBERS: usize = 8;
/// Minutes of each session.
const MINUTES: i32 = 40;

#[derive(Default)]
struct Rows {
    groups: Vec<counseling_group::Model>,
    members: Vec<group_member::Model>,
    sessions: Vec<group_session::Model>,
    attendance: Vec<group_attendance::Model>,
    contacts: Vec<service_contact::Model>,
}

/// Seeds a group per school that has a social worker; answers how many.
pub async fn seed(
    txn: &DatabaseTransaction,
    (district_id, now): (Uuid, DateTime<Utc>),
    enrolled: &[(Uuid, Uuid)],
    worker_of_school: &HashMap<Uuid, Uuid>,
) -> AppResult<usize> {
    let mut students_of: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (student, school) in enrolled {
        let students = students_of.entry(*school).or_default();
        if students.len() < MEMBERS {
            students.push(*student);
        }
    }
    let mut schools: Vec<_> = students_of.into_iter().collect();
    schools.sort();
    let mut rows = Rows::default();
    let today = now.date_naive();
    let starts_on = today - Duration::days(35);
    for (school, students) in schools {
        let Some(worker) = worker_of_school.get(&school).copied() else {
            continue;
        };
        let group = counseling_group::Model {
            id: Uuid::now_v7(),
            district_id,
            school_id: school,
            name: "Friendship and social skills".into(),
            topic: GroupTopic::SocialSkills,
            facilitator_staff_id: worker,
            starts_on,
            ends_on: Some(starts_on + Duration::days(70)),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        for student in &students {
            rows.members.push(group_member::Model {
                id: Uuid::now_v7(),
                district_id,
                group_id: group.id,
                student_id: *student,
                joined_on: starts_on,
                left_on: None,
                created_at: now,
                updated_at: now,
                version: 1,
            });
        }
        for week in 0..4 {
            let date = today - Duration::days(28 - 7 * week);
            // One member misses each session, in turn.
            let absent = students[week as usize % students.len()];
            session(&mut rows, &group, date, &students, absent, now);
        }
        rows.groups.push(group);
    }
    let made = rows.groups.len();
    insert_all(txn, rows.groups).await?;
    insert_all(txn, rows.members).await?;
    insert_all(txn, rows.sessions).await?;
    insert_all(txn, rows.contacts).await?;
    insert_all(txn, rows.attendance).await?;
    Ok(made)
}

/// A session of `group` on `date`: everyone of `members` but `absent` present, with a contact.
fn session(
    rows: &mut Rows,
    group: &counseling_group::Model,
    date: chrono::NaiveDate,
    members: &[Uuid],
    absent: Uuid,
    now: DateTime<Utc>,
) {
    let present = members.iter().filter(|s| **s != absent).count() as i32;
    let session = group_session::Model {
        id: Uuid::now_v7(),
        district_id: group.district_id,
        group_id: group.id,
        facilitator_staff_id: group.facilitator_staff_id,
        date,
        start_time: Some("13:00".into()),
        end_time: Some(format!("13:{MINUTES:02}")),
        minutes: MINUTES,
        present,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    for student in members {
        let contact = (*student != absent).then(|| service_contact::Model {
            id: Uuid::now_v7(),
            district_id: group.district_id,
            student_id: *student,
            provider_staff_id: group.facilitator_staff_id,
            provider_credential: Some("LCSW".into()),
            supervisor_staff_id: None,
            date,
            start_time: session.start_time.clone(),
            end_time: session.end_time.clone(),
            minutes: MINUTES,
            contact_type: ContactType::GroupCounseling,
            setting: ContactSetting::InPerson,
            location: Some("Counseling office".into()),
            participants: String::new(),
            case_id: None,
            plan_id: None,
            iep_id: None,
            session_id: None,
            student_response: Some("Took part; practiced taking turns".into()),
            note: None,
            confidentiality: Confidentiality::Standard,
            billable: true,
            omit_reason: None,
            missed_reason: None,
            makeup_due: None,
            makeup_for_id: None,
            group_session_id: Some(session.id),
            group_size: Some(present),
            signed_by_staff_id: Some(group.facilitator_staff_id),
            signed_at: Some(now),
            created_at: now,
            updated_at: now,
            version: 1,
        });
        rows.attendance.push(group_attendance::Model {
            id: Uuid::now_v7(),
            district_id: group.district_id,
            session_id: session.id,
            student_id: *student,
            present: contact.is_some(),
            contact_id: contact.as_ref().map(|c| c.id),
            created_at: now,
            updated_at: now,
            version: 1,
        });
        rows.contacts.extend(contact);
    }
    rows.sessions.push(session);
}
