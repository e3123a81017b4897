//! Listing students: the roster's filter conditions and orders, pages in SQL (one list, or one
//! page per school for a whole page of schools), and the page-level prefetch of the roster's
//! relations.

use std::collections::HashMap;

use async_graphql::{Context, Enum, ID, InputObject, Lookahead};
use chrono::NaiveDate;
use entity::{enrollment, student, values};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, JoinType, QueryFilter, QueryTrait, Select,
    sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement},
};
use uuid::Uuid;

use super::StudentStatus;
use crate::{
    auth::{
        Actor,
        policy::{self, StudentField},
    },
    db::{self, loader::warm_joined},
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids,
        pagination::{
            Connection, CursorKey, OrderDirection, PageArgs, SortKey, paginate,
            paginate_per_parent, selects, selects_nested,
        },
        scalars::Date,
    },
    roster::{
        RosterContext, School,
        schools::{contains_pattern, lower_like},
    },
};

/// The roster's conditions on students (other domains add theirs in `schema`); every
/// condition is applied in SQL, so pages and `totalCount` agree.
#[derive(InputObject, Default, Debug)]
pub struct RosterStudentFilter {
    /// Only students enrolled in this school (today, or on `enrolledOn`).
    pub school_id: Option<ID>,
    /// Only students in one of these grade levels.
    pub grade_levels: Option<Vec<String>>,
    /// Only students with one of these statuses.
    pub statuses: Option<Vec<StudentStatus>>,
    /// Part of a name or the local id, case-insensitive.
    pub search: Option<String>,
    /// Only students enrolled (in any school, or in `schoolId`) on this date.
    pub enrolled_on: Option<Date>,
}

/// Fields students can be sorted by.
#[derive(Enum, Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum StudentOrderField {
    /// Legal last name.
    #[default]
    LastName,
    /// Legal first name.
    FirstName,
    /// Grade level code.
    GradeLevel,
    /// When the record was created.
    Created,
}

/// How to sort students; ties are broken by id, so pages never overlap.
#[derive(InputObject, Default, Debug)]
pub struct StudentOrder {
    /// The field to sort by.
    #[graphql(default)]
    pub field: StudentOrderField,
    /// The direction.
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl StudentOrder {
    /// The order to use: the one asked for, or by last name, or (for roles that may not read
    /// names, whose cursors would otherwise carry names) by creation. Asking a name order
    /// without the right to read names is FORBIDDEN.
    fn for_actor(
        order: Option<&StudentOrder>,
        actor: &Actor,
    ) -> AppResult<SortKey<student::Entity>> {
        let may_read_names = policy::student_field(actor, StudentField::Name);
        match order {
            Some(order)
                if matches!(
                    order.field,
                    StudentOrderField::LastName | StudentOrderField::FirstName
                ) =>
            {
                may_read_names?;
                Ok(order.sort_key())
            }
            Some(order) => Ok(order.sort_key()),
            None if may_read_names.is_ok() => Ok(StudentOrder::default().sort_key()),
            None => Ok(StudentOrder {
                field: StudentOrderField::Created,
                direction: OrderDirection::Asc,
            }
            .sort_key()),
        }
    }

    fn sort_key(&self) -> SortKey<student::Entity> {
        let descending = self.direction == OrderDirection::Desc;
        let (name, column, key_of): (_, _, fn(&student::Model) -> Option<CursorKey>) =
            match self.field {
                StudentOrderField::LastName => (
                    "student.lastName",
                    Some(student::Column::LegalLastName),
                    |r| Some(r.legal_last_name.clone().into()),
                ),
                StudentOrderField::FirstName => (
                    "student.firstName",
                    Some(student::Column::LegalFirstName),
                    |r| Some(r.legal_first_name.clone().into()),
                ),
                StudentOrderField::GradeLevel => (
                    "student.gradeLevel",
                    Some(student::Column::GradeLevel),
                    |r| Some(r.grade_level.clone().into()),
                ),
                // UUIDv7 ids are time-ordered: sorting by id is sorting by creation.
                StudentOrderField::Created => ("student.created", None, |_| None),
            };
        SortKey {
            name: if descending { desc_name(name) } else { name },
            column,
            key_of,
            descending,
        }
    }
}

/// Cursors of a descending order may not be used with the ascending one.
fn desc_name(name: &'static str) -> &'static str {
    match name {
        "student.lastName" => "student.lastName.desc",
        "student.firstName" => "student.firstName.desc",
        "student.gradeLevel" => "student.gradeLevel.desc",
        _ => "student.created.desc",
    }
}

/// Rows whose `student_id` is a student enrolled in `school` on `date`.
pub fn enrolled_in<C: ColumnTrait>(school: Uuid, date: NaiveDate, student_id: C) -> Condition {
    Condition::all().add(student_id.in_subquery(enrolled_ids(school, date)))
}

/// The ids of the students enrolled in `school` on `date` (found by the school's index).
pub fn enrolled_ids(school: Uuid, date: NaiveDate) -> SelectStatement {
    let mut enrolled = enrollments_on(date);
    enrolled
        .and_where(enrollment::Column::SchoolId.eq(school))
        .clear_selects()
        .column(enrollment::Column::StudentId);
    enrolled
}

/// Enrollments (student and school) current on `date`.
fn enrollments_on(date: NaiveDate) -> SelectStatement {
    Query::select()
        .columns([enrollment::Column::StudentId, enrollment::Column::SchoolId])
        .from(enrollment::Entity)
        .and_where(enrollment::Column::DeletedAt.is_null())
        .and_where(enrollment::Column::EntryDate.lte(date))
        .cond_where(
            Condition::any()
                .add(enrollment::Column::ExitDate.is_null())
                .add(enrollment::Column::ExitDate.gte(date)),
        )
        .to_owned()
}

impl RosterStudentFilter {
    fn date(&self, today: NaiveDate) -> NaiveDate {
        self.enrolled_on.map_or(today, |d| d.0)
    }

    /// The students the actor may see that match every condition but the school and date,
    /// and the other domains' `conditions`.
    fn matching(&self, actor: &Actor, conditions: Condition) -> AppResult<Select<student::Entity>> {
        let mut select = student::Entity::find()
            .filter(policy::student_rows(actor)?)
            .filter(conditions);
        if let Some(grades) = &self.grade_levels {
            select = select.filter(student::Column::GradeLevel.is_in(grades.clone()));
        }
        if let Some(statuses) = &self.statuses {
            select = select.filter(
                student::Column::Status
                    .is_in(statuses.iter().map(|s| values::StudentStatus::from(*s))),
            );
        }
        if let Some(search) = self.search.as_deref().filter(|s| !s.trim().is_empty()) {
            policy::student_field(actor, StudentField::Name)?;
            let pattern = contains_pattern(search);
            let mut matches = Condition::any()
                .add(lower_like(student::Column::LegalFirstName, &pattern))
                .add(lower_like(student::Column::LegalLastName, &pattern))
                .add(lower_like(student::Column::PreferredName, &pattern));
            // Searching by an identifier would reveal it: only to those who may read it.
            if policy::student_field(actor, StudentField::Identifiers).is_ok() {
                matches = matches.add(lower_like(student::Column::LocalId, &pattern));
            }
            select = select.filter(matches);
        }
        Ok(select)
    }
}

/// One page of the students the caller may see that match `filter` and `conditions` (the
/// other domains' part of the filter).
pub async fn list(
    ctx: &Context<'_>,
    filter: &RosterStudentFilter,
    conditions: Condition,
    order: Option<&StudentOrder>,
    args: &PageArgs,
) -> AppResult<Connection<student::Model>> {
    let actor = ctx.actor()?;
    let sort = StudentOrder::for_actor(order, actor)?;
    let mut select = filter.matching(actor, conditions)?;
    let school_id = filter
        .school_id
        .as_ref()
        .map(|id| ids::decode_as::<School>(id, "filter.schoolId"))
        .transpose()?;
    let date = filter.date(actor.today);
    if let Some(school) = school_id {
        let backend = ctx.db().get_database_backend();
        select = select.filter(db::in_ids(
            backend,
            student::Column::Id,
            enrolled_ids(school, date),
        ));
    } else if filter.enrolled_on.is_some() {
        let mut enrolled = enrollments_on(date);
        enrolled
            .clear_selects()
            .column(enrollment::Column::StudentId);
        select = select.filter(student::Column::Id.in_subquery(enrolled));
    }
    paginate(ctx.db(), select, &sort, args).await
}

/// Pages of the students enrolled in each of `schools` (`School.students` for a whole page of
/// schools): one windowed query and one count, whatever the number of schools.
pub async fn pages_by_school(
    ctx: &Context<'_>,
    schools: Vec<Uuid>,
    filter: &RosterStudentFilter,
    conditions: Condition,
    order: Option<&StudentOrder>,
    args: &PageArgs,
    count: bool,
) -> AppResult<HashMap<Uuid, Connection<student::Model>>> {
    let actor = ctx.actor()?;
    let sort = StudentOrder::for_actor(order, actor)?;
    let mut select = filter.matching(actor, conditions)?;
    let date = filter.date(actor.today);
    let parent = if let [school] = schools[..] {
        // One school (`school(id:)`): its students looked up by id from its enrollments,
        // instead of a join that hashed every student of the district (9.5 -> 3 ms at 10,000).
        let backend = ctx.db().get_database_backend();
        let enrolled = enrolled_ids(school, date);
        select = select.filter(db::in_ids(backend, student::Column::Id, enrolled));
        Expr::val(school)
    } else {
        let mut enrolled = enrollments_on(date);
        enrolled
            .distinct()
            .and_where(enrollment::Column::SchoolId.is_in(schools.clone()));
        let alias = Alias::new("school_enrollment");
        QueryTrait::query(&mut select).join_subquery(
            JoinType::InnerJoin,
            enrolled,
            alias.clone(),
            Expr::col((alias.clone(), enrollment::Column::StudentId))
                .equals((student::Entity, student::Column::Id)),
        );
        Expr::col((alias, enrollment::Column::SchoolId))
    };
    paginate_per_parent(ctx.db(), &schools, select, parent, &sort, args, count).await
}

/// Loads the roster relations a page of students selects (`nodes`, see
/// `pagination::on_nodes`) for the whole page at once: one query per relation, whatever the
/// page size. Field resolvers then find them in the per-request loader caches. (DataLoader
/// batching alone depends on timing and splits on large pages.)
pub async fn prefetch(
    ctx: &Context<'_>,
    nodes: &[Lookahead<'_>],
    rows: &[&student::Model],
) -> AppResult<()> {
    let loaders = ctx.roster();
    let ids = || rows.iter().map(|row| row.id);
    loaders
        .student
        .feed_many(rows.iter().map(|row| (row.id, (*row).clone())))
        .await;
    let current_school = selects(nodes, "currentSchool");
    let schools = warm_joined(
        &loaders.enrollments_of_student,
        &loaders.school,
        (
            selects(nodes, "enrollments"),
            current_school || selects_nested(nodes, "enrollments", "school"),
        ),
        ids(),
    );
    let guardians = warm_joined(
        &loaders.guardian_links_of_student,
        &loaders.guardian,
        (
            selects(nodes, "guardians"),
            selects_nested(nodes, "guardians", "guardian"),
        ),
        ids(),
    );
    futures::try_join!(schools, guardians)?;
    Ok(())
}
