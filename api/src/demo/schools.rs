//! The district's schools: about 300 students each, at least six; half elementary, a quarter
//! each middle and high; the poorest targeted for a social worker of their own.

use entity::school;
use rand::Rng;
use uuid::Uuid;

use super::{Seeder, names::SCHOOL_NAMES};

/// The kind of school, by the grades it serves.
#[derive(Clone, Copy)]
pub(super) enum Level {
    Elementary,
    Middle,
    High,
}

impl Level {
    pub(super) fn grades(self) -> &'static [&'static str] {
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

impl Seeder {
    /// The schools for `students` students, each with its level.
    pub(super) fn schools(&mut self, students: usize) -> Vec<(school::Model, Level)> {
        let count = (students / 300).clamp(6, 200);
        (0..count).map(|i| self.school(i)).collect()
    }

    fn school(&mut self, i: usize) -> (school::Model, Level) {
        let level = match i % 4 {
            0 | 1 => Level::Elementary,
            2 => Level::Middle,
            _ => Level::High,
        };
        let need: f64 = self.rng.random_range(15.0..90.0);
        let grades = level.grades();
        let base = SCHOOL_NAMES[i % SCHOOL_NAMES.len()];
        let name = if i < SCHOOL_NAMES.len() {
            format!("{base} {}", level.suffix())
        } else {
            format!("{base} {} {}", level.suffix(), i / SCHOOL_NAMES.len() + 1)
        };
        let school = school::Model {
            id: Uuid::now_v7(),
            district_id: self.district_id,
            source_system: Some("demo-sis".into()),
            sourced_id: Some(format!("SCH{i:03}")),
            name,
            state_id: Some(format!("17-{:04}", 1000 + i)),
            nces_id: None,
            lowest_grade: grades[0].into(),
            highest_grade: grades[grades.len() - 1].into(),
            economically_disadvantaged_pct: Some((need * 10.0).round() / 10.0),
            chronic_absence_rate: Some(
                ((need / 4.0 + self.rng.random_range(0.0..8.0)) * 10.0).round() / 10.0,
            ),
            targeted: need >= 65.0,
            created_at: self.now,
            updated_at: self.now,
            deleted_at: None,
            version: 1,
        };
        (school, level)
    }
}
