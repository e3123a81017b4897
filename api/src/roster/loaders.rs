//! The roster's DataLoaders, built per request with the actor's scope in every query.

use entity::{
    district, enrollment, guardian, school, staff, staff_school_assignment as assignment, student,
    student_guardian,
};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, Order};

use crate::{
    auth::{Actor, policy},
    db::loader::{ById, Cached, Children, Keyed, by_id, children},
    errors::AppResult,
    graphql::context::loaders_accessor,
};

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

loaders_accessor!(RosterContext, roster, Loaders);

/// The distinct records `target` names in `assignments` (a school's staff, a staff member's
/// schools), in the assignments' order, loaded through `loader` in one batch.
pub async fn assigned<E>(
    loader: &Cached<ById<E>>,
    assignments: &[assignment::Model],
    target: fn(&assignment::Model) -> uuid::Uuid,
) -> AppResult<Vec<E::Model>>
where
    E: Keyed + Send + Sync + 'static,
    E::Model: Send + Sync + Clone + 'static,
{
    let found = loader.load_many(assignments.iter().map(target)).await?;
    let mut seen = std::collections::HashSet::new();
    Ok(assignments
        .iter()
        .filter_map(|a| found.get(&target(a)).cloned())
        .filter(|row| seen.insert(E::id_of(row)))
        .collect())
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
        use assignment::Column as Assignment;
        Self {
            district: by_id(db, Ok(policy::district_rows(actor))),
            school: by_id(db, policy::school_rows(actor)),
            staff: by_id(db, policy::staff_rows(actor)),
            student: by_id(db, policy::student_rows(actor)),
            enrollment: by_id(db, policy::enrollment_rows(actor)),
            guardian: by_id(db, policy::guardian_rows(actor)),
            guardian_link: by_id(db, policy::guardian_link_rows(actor)),
            assignment: by_id(db, policy::assignment_rows(actor)),
            enrollments_of_student: children(
                db,
                policy::enrollment_rows_of_held(actor),
                enrollment::Column::StudentId,
                (enrollment::Column::EntryDate, Order::Desc),
            ),
            guardian_links_of_student: children(
                db,
                policy::guardian_link_rows_of_held(actor),
                student_guardian::Column::StudentId,
                (student_guardian::Column::ContactPriority, Order::Asc),
            ),
            assignments_of_staff: children(
                db,
                current_assignments(actor),
                Assignment::StaffId,
                (Assignment::StartDate, Order::Asc),
            ),
            assignments_of_school: children(
                db,
                current_assignments(actor),
                Assignment::SchoolId,
                (Assignment::StartDate, Order::Asc),
            ),
        }
    }
}
