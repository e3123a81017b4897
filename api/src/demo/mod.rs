//! `seed --demo`: a realistic, made-up district. Several schools (the poorest targeted for a
//! social worker), social workers covering clusters of schools, other pupil-services staff,
//! teachers and principals, students with enrollments and guardians (a few restricted).
//!
//! Deterministic (fixed random seed) and bulk-inserted in one transaction, so 100,000 students
//! load in well under a minute. Never called by migrations. MTSS data comes from `mtss`.

mod mtss;

use std::{collections::HashMap, fmt};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use entity::{
    enrollment, guardian, school, staff, staff_school_assignment as assignment, student,
    student_guardian,
    values::{ContactRestriction, StaffRole, StudentStatus},
};
use rand::{Rng, SeedableRng, rngs::StdRng, seq::IndexedRandom};
use sea_orm::{ActiveModelTrait, DatabaseConnection, IntoActiveModel, TransactionTrait};
use uuid::Uuid;

use crate::{db::insert_batches, errors::AppResult, roster::district};

pub const DEFAULT_STUDENTS: usize = 600;

const FIRST_NAMES: [&str; 40] = [
    "Aaliyah", "Aiden", "Amara", "Andre", "Ava", "Benjamin", "Camila", "Carlos", "Chloe", "Daniel",
    "Destiny", "Diego", "Elena", "Elijah", "Emma", "Ethan", "Fatima", "Gabriel", "Grace", "Hana",
    "Isaiah", "Jada", "James", "Jayden", "Kai", "Leah", "Liam", "Lucia", "Malik", "Maya", "Mateo",
    "Mia", "Noah", "Nia", "Olivia", "Omar", "Priya", "Sofia", "Tyler", "Zoe",
];
const LAST_NAMES: [&str; 40] = [
    "Adams",
    "Ahmed",
    "Baker",
    "Brooks",
    "Chen",
    "Clark",
    "Cruz",
    "Davis",
    "Diaz",
    "Evans",
    "Flores",
    "Garcia",
    "Green",
    "Hall",
    "Harris",
    "Hernandez",
    "Jackson",
    "Johnson",
    "Kim",
    "Lee",
    "Lopez",
    "Martin",
    "Martinez",
    "Miller",
    "Moore",
    "Nguyen",
    "Patel",
    "Perez",
    "Reed",
    "Rivera",
    "Robinson",
    "Sanchez",
    "Scott",
    "Smith",
    "Taylor",
    "Thomas",
    "Torres",
    "Walker",
    "Williams",
    "Wright",
];
const SCHOOL_NAMES: [&str; 20] = [
    "Lincoln",
    "Washington",
    "Roosevelt",
    "Jefferson",
    "Madison",
    "Harriet Tubman",
    "Cesar Chavez",
    "Oak Grove",
    "Riverside",
    "Maple Park",
    "Frederick Douglass",
    "Sojourner Truth",
    "Lakeview",
    "Hillcrest",
    "Eastwood",
    "Westfield",
    "Northgate",
    "Southside",
    "Willow Creek",
    "Cedar Ridge",
];
const LANGUAGES: [&str; 5] = ["spa", "vie", "ara", "som", "hmn"];

/// What the seed made, for the operator.
pub struct DemoSummary {
    pub district_id: Uuid,
    pub schools: usize,
    pub staff: usize,
    pub students: usize,
    pub guardians: usize,
    pub restricted_links: usize,
    pub social_worker: (Uuid, Vec<Uuid>),
    pub mtss: mtss::MtssSummary,
}

impl fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (worker, schools) = &self.social_worker;
        let schools: Vec<String> = schools.iter().map(Uuid::to_string).collect();
        writeln!(f, "district {}", self.district_id)?;
        writeln!(f, "{}", self.mtss)?;
        writeln!(
            f,
            "{} schools, {} staff, {} students, {} guardians ({} restricted links)",
            self.schools, self.staff, self.students, self.guardians, self.restricted_links
        )?;
        write!(
            f,
            "a social worker to mint a token for: --role SOCIAL_WORKER --staff {worker} --schools {}",
            schools.join(",")
        )
    }
}

/// The kind of school, by the grades it serves.
#[derive(Clone, Copy)]
enum Level {
    Elementary,
    Middle,
    High,
}

impl Level {
    fn grades(self) -> &'static [&'static str] {
        match self {
            Self::Elementary => &["KG", "01", "02", "03", "04", "05"],
            Self::Middle => &["06", "07", "08"],
            Self::High => &["09", "10", "11", "12"],
        }
    }
    fn suffix(self) -> &'static str {
        match self {
            Self::Elementary => "Elementary School",
            Self::Middle => "Middle School",
            Self::High => "High School",
        }
    }
}

struct Seeder {
    rng: StdRng,
    district_id: Uuid,
    now: DateTime<Utc>,
    school_year_start: NaiveDate,
}

impl Seeder {
    fn name(&mut self) -> (String, String) {
        (
            FIRST_NAMES
                .choose(&mut self.rng)
                .copied()
                .unwrap_or("Alex")
                .to_string(),
            LAST_NAMES
                .choose(&mut self.rng)
                .copied()
                .unwrap_or("Smith")
                .to_string(),
        )
    }

    fn staff(&mut self, role: StaffRole, n: usize) -> staff::Model {
        let (first, last) = self.name();
        staff::Model {
            id: Uuid::now_v7(),
            district_id: self.district_id,
            source_system: Some("demo-sis".into()),
            sourced_id: Some(format!("T{n:05}")),
            email: Some(format!(
                "{}.{}{n}@riverbend.example.org",
                first.to_lowercase(),
                last.to_lowercase()
            )),
            first_name: first,
            last_name: last,
            license: matches!(
                role,
                StaffRole::SocialWorker | StaffRole::Psychologist | StaffRole::Counselor
            )
            .then(|| "Pupil Personnel Services Credential".to_string()),
            role,
            created_at: self.now,
            updated_at: self.now,
            deleted_at: None,
            version: 1,
        }
    }

    fn assignment(&self, staff_id: Uuid, school_id: Uuid) -> assignment::Model {
        assignment::Model {
            id: Uuid::now_v7(),
            district_id: self.district_id,
            staff_id,
            school_id,
            start_date: self.school_year_start,
            end_date: None,
            created_at: self.now,
            updated_at: self.now,
            version: 1,
        }
    }
}

/// Seeds one demo district with `students` students.
pub async fn seed(db: &DatabaseConnection, students: usize) -> AppResult<DemoSummary> {
    let now = Utc::now();
    let year = if now.month() >= 8 {
        now.year()
    } else {
        now.year() - 1
    };
    let district = district::create(
        db,
        "Riverbend Unified School District",
        "IL",
        "America/Chicago",
    )
    .await?;
    let mut seeder = Seeder {
        rng: StdRng::seed_from_u64(2026),
        district_id: district.id,
        now,
        school_year_start: NaiveDate::from_ymd_opt(year, 8, 19).unwrap_or_default(),
    };
    let txn = db.begin().await?;

    // Schools: about 300 students each, at least six; half elementary, a quarter each middle and high.
    let school_count = (students / 300).clamp(6, 200);
    let mut schools = Vec::with_capacity(school_count);
    for i in 0..school_count {
        let level = match i % 4 {
            0 | 1 => Level::Elementary,
            2 => Level::Middle,
            _ => Level::High,
        };
        let need: f64 = seeder.rng.random_range(15.0..90.0);
        let grades = level.grades();
        let base = SCHOOL_NAMES[i % SCHOOL_NAMES.len()];
        let name = if i < SCHOOL_NAMES.len() {
            format!("{base} {}", level.suffix())
        } else {
            format!("{base} {} {}", level.suffix(), i / SCHOOL_NAMES.len() + 1)
        };
        schools.push((
            school::Model {
                id: Uuid::now_v7(),
                district_id: district.id,
                source_system: Some("demo-sis".into()),
                sourced_id: Some(format!("SCH{i:03}")),
                name,
                state_id: Some(format!("17-{:04}", 1000 + i)),
                nces_id: None,
                lowest_grade: grades[0].into(),
                highest_grade: grades[grades.len() - 1].into(),
                economically_disadvantaged_pct: Some((need * 10.0).round() / 10.0),
                chronic_absence_rate: Some(
                    ((need / 4.0 + seeder.rng.random_range(0.0..8.0)) * 10.0).round() / 10.0,
                ),
                targeted: need >= 65.0,
                created_at: now,
                updated_at: now,
                deleted_at: None,
                version: 1,
            },
            level,
        ));
    }
    insert_all(&txn, schools.iter().map(|(s, _)| s.clone())).await?;

    // Staff: a principal, a counselor and teachers per school; nurses and psychologists shared
    // by pairs and triples of schools; social workers in clusters of three schools, except that
    // a targeted school has its own.
    let mut staff_rows = Vec::new();
    let mut assignments = Vec::new();
    let mut n = 0;
    let mut hire = |seeder: &mut Seeder,
                    role,
                    school_ids: &[Uuid],
                    staff_rows: &mut Vec<staff::Model>,
                    assignments: &mut Vec<assignment::Model>| {
        n += 1;
        let member = seeder.staff(role, n);
        for school_id in school_ids {
            assignments.push(seeder.assignment(member.id, *school_id));
        }
        let id = member.id;
        staff_rows.push(member);
        id
    };
    for (school, _) in &schools {
        hire(
            &mut seeder,
            StaffRole::Administrator,
            &[school.id],
            &mut staff_rows,
            &mut assignments,
        );
        hire(
            &mut seeder,
            StaffRole::Counselor,
            &[school.id],
            &mut staff_rows,
            &mut assignments,
        );
        for _ in 0..4 {
            hire(
                &mut seeder,
                StaffRole::Teacher,
                &[school.id],
                &mut staff_rows,
                &mut assignments,
            );
        }
    }
    let ids: Vec<Uuid> = schools.iter().map(|(s, _)| s.id).collect();
    for pair in ids.chunks(2) {
        hire(
            &mut seeder,
            StaffRole::Nurse,
            pair,
            &mut staff_rows,
            &mut assignments,
        );
    }
    for triple in ids.chunks(3) {
        hire(
            &mut seeder,
            StaffRole::Psychologist,
            triple,
            &mut staff_rows,
            &mut assignments,
        );
    }
    let (targeted, clustered): (Vec<_>, Vec<_>) = schools
        .iter()
        .map(|(s, _)| (s.id, s.targeted))
        .partition(|(_, t)| *t);
    let mut first_worker = None;
    let mut worker_of_school = HashMap::new();
    for group in targeted.chunks(1).chain(clustered.chunks(3)) {
        let school_ids: Vec<Uuid> = group.iter().map(|(id, _)| *id).collect();
        let id = hire(
            &mut seeder,
            StaffRole::SocialWorker,
            &school_ids,
            &mut staff_rows,
            &mut assignments,
        );
        worker_of_school.extend(school_ids.iter().map(|school| (*school, id)));
        first_worker.get_or_insert((id, school_ids));
    }
    for _ in 0..2 {
        hire(
            &mut seeder,
            StaffRole::Administrator,
            &[],
            &mut staff_rows,
            &mut assignments,
        );
    }
    let staff_count = staff_rows.len();
    insert_all(&txn, staff_rows).await?;
    insert_all(&txn, assignments).await?;

    // Students, each enrolled in one school; some moved from another school this year.
    let mut student_rows = Vec::with_capacity(students);
    let mut enrollments = Vec::with_capacity(students + students / 10);
    let mut guardians = Vec::with_capacity(students * 2);
    let mut links = Vec::with_capacity(students * 2);
    let mut restricted_links = 0;
    let mut enrolled = Vec::with_capacity(students);
    for i in 0..students {
        let (school, level) = &schools[i % schools.len()];
        let grade = level
            .grades()
            .choose(&mut seeder.rng)
            .copied()
            .unwrap_or("KG");
        let grade_number = if grade == "KG" {
            0
        } else {
            grade.parse::<i32>().unwrap_or(0)
        };
        let birth_year = year - 5 - grade_number - i32::from(seeder.rng.random_bool(0.3));
        let (first, last) = seeder.name();
        let english_learner = seeder.rng.random_bool(0.15);
        let need = school.economically_disadvantaged_pct.unwrap_or(50.0) / 100.0;
        let student = student::Model {
            id: Uuid::now_v7(),
            district_id: district.id,
            source_system: Some("demo-sis".into()),
            sourced_id: Some(format!("STU{i:06}")),
            local_id: Some(format!("{:06}", 100_000 + i)),
            state_id: Some(format!("IL{:09}", 500_000_000 + i)),
            legal_first_name: first,
            legal_last_name: last.clone(),
            preferred_name: seeder.rng.random_bool(0.05).then(|| {
                FIRST_NAMES
                    .choose(&mut seeder.rng)
                    .copied()
                    .unwrap_or("Sam")
                    .to_string()
            }),
            birth_date: NaiveDate::from_ymd_opt(
                birth_year,
                seeder.rng.random_range(1..=12),
                seeder.rng.random_range(1..=28),
            ),
            grade_level: grade.into(),
            language: english_learner.then(|| {
                LANGUAGES
                    .choose(&mut seeder.rng)
                    .copied()
                    .unwrap_or("spa")
                    .to_string()
            }),
            english_learner,
            economically_disadvantaged: seeder.rng.random_bool(need.clamp(0.0, 1.0)),
            status: StudentStatus::Active,
            created_at: now,
            updated_at: now,
            deleted_at: None,
            version: 1,
        };
        let moved = seeder.rng.random_bool(0.08);
        let entry = if moved {
            seeder.school_year_start + chrono::Duration::days(seeder.rng.random_range(20..60))
        } else {
            seeder.school_year_start
        };
        if moved {
            let (previous, _) = &schools[(i + 1) % schools.len()];
            enrollments.push(enrollment_row(
                &seeder,
                &student,
                previous.id,
                seeder.school_year_start,
                Some(entry - chrono::Duration::days(1)),
                grade,
                enrollments.len(),
            ));
        }
        enrollments.push(enrollment_row(
            &seeder,
            &student,
            school.id,
            entry,
            None,
            grade,
            enrollments.len(),
        ));

        for (k, relationship) in ["Mother", "Father"]
            .iter()
            .enumerate()
            .take(if seeder.rng.random_bool(0.6) { 2 } else { 1 })
        {
            let parent_first = FIRST_NAMES
                .choose(&mut seeder.rng)
                .copied()
                .unwrap_or("Pat")
                .to_string();
            let guardian = guardian::Model {
                id: Uuid::now_v7(),
                district_id: district.id,
                source_system: Some("demo-sis".into()),
                sourced_id: Some(format!("GRD{:07}", guardians.len())),
                email: Some(format!(
                    "{}.{}{}@mail.example.com",
                    parent_first.to_lowercase(),
                    last.to_lowercase(),
                    guardians.len()
                )),
                phone: Some(format!("(217) 555-{:04}", guardians.len() % 10_000)),
                first_name: parent_first,
                last_name: last.clone(),
                language: student.language.clone(),
                created_at: now,
                updated_at: now,
                deleted_at: None,
                version: 1,
            };
            let restriction =
                (k == 1 && seeder.rng.random_bool(0.05)).then_some(ContactRestriction::NoContact);
            restricted_links += usize::from(restriction.is_some());
            links.push(student_guardian::Model {
                id: Uuid::now_v7(),
                district_id: district.id,
                student_id: student.id,
                guardian_id: guardian.id,
                relationship: (*relationship).into(),
                lives_with: restriction.is_none(),
                contact_priority: k as i32 + 1,
                restriction,
                created_at: now,
                updated_at: now,
                deleted_at: None,
                version: 1,
            });
            guardians.push(guardian);
        }
        enrolled.push((student.id, school.id));
        student_rows.push(student);
    }
    let guardian_count = guardians.len();
    insert_all(&txn, student_rows).await?;
    insert_all(&txn, enrollments).await?;
    insert_all(&txn, guardians).await?;
    insert_all(&txn, links).await?;
    let mtss = mtss::seed(
        &txn,
        &mtss::Roster {
            district_id: district.id,
            now,
            year_start: seeder.school_year_start,
            enrolled: &enrolled,
            worker_of_school: &worker_of_school,
        },
    )
    .await?;
    crate::mtss::attendance_rollup::rebuild(&txn).await?;
    txn.commit().await?;
    // A bulk load leaves the planner without statistics (autovacuum may be off).
    crate::db::analyze(db).await?;

    Ok(DemoSummary {
        district_id: district.id,
        schools: schools.len(),
        staff: staff_count,
        students,
        guardians: guardian_count,
        restricted_links,
        social_worker: first_worker.unwrap_or_default(),
        mtss,
    })
}

fn enrollment_row(
    seeder: &Seeder,
    student: &student::Model,
    school_id: Uuid,
    entry: NaiveDate,
    exit: Option<NaiveDate>,
    grade: &str,
    n: usize,
) -> enrollment::Model {
    enrollment::Model {
        id: Uuid::now_v7(),
        district_id: seeder.district_id,
        source_system: Some("demo-sis".into()),
        sourced_id: Some(format!("ENR{n:07}")),
        student_id: student.id,
        school_id,
        entry_date: entry,
        exit_date: exit,
        exit_reason: exit.map(|_| "Transferred within the district".to_string()),
        grade_level: grade.into(),
        is_primary: true,
        created_at: seeder.now,
        updated_at: seeder.now,
        deleted_at: None,
        version: 1,
    }
}

/// Inserts models in batches.
pub(crate) async fn insert_all<M, A>(
    txn: &sea_orm::DatabaseTransaction,
    rows: impl IntoIterator<Item = M>,
) -> AppResult<()>
where
    M: IntoActiveModel<A>,
    A: ActiveModelTrait + Send,
{
    insert_batches(
        txn,
        rows.into_iter()
            .map(IntoActiveModel::into_active_model)
            .collect(),
    )
    .await
}
