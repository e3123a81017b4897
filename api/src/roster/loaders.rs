//! The roster's DataLoaders, built per request with the actor's scope in every query.

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use entity::{
    district, enrollment, guardian, school, staff, staff_school_assignment as assignment, student,
    student_guardian,
};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, Order};

use crate::{
    auth::{Actor, policy},
    db::loader::{ById, Children},
    errors::AppResult,
};

type Cached<L> = DataLoader<L, HashMapCache>;

pub struct Loaders {
    pub district: Cached<ById<district::Entity>>,
    pub school: Cached<ById<school::Entity>>,
    pub staff: Cached<ById<staff::Entity>>,
    pub student: Cached<ById<student::Entity>>,
    pub enrollment: Cached<ById<enrollment::Entity>>,
    pub guardian: Cached<ById<guardian::Entity>>,
    pub guardian_link: Cached<ById<student_guardian::Entity>>,
    pub assignment: Cached<ById<assignment::Entity>>,
    /// A student's enrollments, newest first.
    pub enrollments_of_student: Cached<Children<enrollment::Entity>>,
    /// A student's guardian links the actor may see, in contact order.
    pub guardian_links_of_student: Cached<Children<student_guardian::Entity>>,
    /// A staff member's current school assignments.
    pub assignments_of_staff: Cached<Children<assignment::Entity>>,
    /// A school's current staff assignments.
    pub assignments_of_school: Cached<Children<assignment::Entity>>,
}

fn cached<L: Loader<uuid::Uuid>>(loader: L) -> Cached<L> {
    DataLoader::with_cache(loader, tokio::spawn, HashMapCache::default())
}

/// Assignments that have started and not ended.
fn current_assignments(actor: &Actor) -> AppResult<Condition> {
    let today = actor.today;
    Ok(policy::assignment_rows(actor)?
        .add(assignment::Column::StartDate.lte(today))
        .add(
            Condition::any()
                .add(assignment::Column::EndDate.is_null())
                .add(assignment::Column::EndDate.gte(today)),
        ))
}

impl Loaders {
    pub fn new(db: &DatabaseConnection, actor: &Actor) -> Self {
        let db = || db.clone();
        Self {
            district: cached(ById::new(db(), Ok(policy::district_rows(actor)))),
            school: cached(ById::new(db(), policy::school_rows(actor))),
            staff: cached(ById::new(db(), policy::staff_rows(actor))),
            student: cached(ById::new(db(), policy::student_rows(actor))),
            enrollment: cached(ById::new(db(), policy::enrollment_rows(actor))),
            guardian: cached(ById::new(db(), policy::guardian_rows(actor))),
            guardian_link: cached(ById::new(db(), policy::guardian_link_rows(actor))),
            assignment: cached(ById::new(db(), policy::assignment_rows(actor))),
            enrollments_of_student: cached(Children::new(
                db(),
                policy::enrollment_rows(actor),
                enrollment::Column::StudentId,
                |row: &enrollment::Model| row.student_id,
                vec![
                    (enrollment::Column::EntryDate, Order::Desc),
                    (enrollment::Column::Id, Order::Desc),
                ],
            )),
            guardian_links_of_student: cached(Children::new(
                db(),
                policy::guardian_link_rows(actor),
                student_guardian::Column::StudentId,
                |row: &student_guardian::Model| row.student_id,
                vec![
                    (student_guardian::Column::ContactPriority, Order::Asc),
                    (student_guardian::Column::Id, Order::Asc),
                ],
            )),
            assignments_of_staff: cached(Children::new(
                db(),
                current_assignments(actor),
                assignment::Column::StaffId,
                |row: &assignment::Model| row.staff_id,
                vec![
                    (assignment::Column::StartDate, Order::Asc),
                    (assignment::Column::Id, Order::Asc),
                ],
            )),
            assignments_of_school: cached(Children::new(
                db(),
                current_assignments(actor),
                assignment::Column::SchoolId,
                |row: &assignment::Model| row.school_id,
                vec![
                    (assignment::Column::StartDate, Order::Asc),
                    (assignment::Column::Id, Order::Asc),
                ],
            )),
        }
    }
}
