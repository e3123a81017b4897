//! A term of attendance days: most students miss a few days, about one in six misses 10% or
//! more (chronically absent).

use entity::{attendance_day, values::AttendanceStatus};
use rand::Rng;
use uuid::Uuid;

use super::Seeder;

/// Students beyond this many get no attendance days, so that 100,000-student seeds stay fast
/// (a term of days for each would be millions of rows).
pub(super) const STUDENTS: usize = 20_000;

impl Seeder<'_> {
    pub(super) fn attendance(&mut self, student: Uuid, school: Uuid) {
        let absence_rate = match self.rng.random::<f64>() {
            r if r < 0.70 => self.rng.random_range(0.0..0.05),
            r if r < 0.85 => self.rng.random_range(0.05..0.095),
            _ => self.rng.random_range(0.12..0.3),
        };
        for day in &self.term {
            let status = if self.rng.random_bool(absence_rate) {
                if self.rng.random_bool(0.6) {
                    AttendanceStatus::Unexcused
                } else {
                    AttendanceStatus::Excused
                }
            } else if self.rng.random_bool(0.04) {
                AttendanceStatus::Tardy
            } else {
                AttendanceStatus::Present
            };
            self.rows.attendance.push(attendance_day::Model {
                id: Uuid::now_v7(),
                district_id: self.roster.district_id,
                student_id: student,
                school_id: school,
                date: *day,
                status,
                created_at: self.roster.now,
                updated_at: self.roster.now,
                version: 1,
            });
        }
    }
}
