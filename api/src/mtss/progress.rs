//! Progress-monitoring arithmetic, kept free of the database so it can be checked by hand.
//!
//! - **Aim line**: the straight line from `baseline` on the start date to `target` on the
//!   planned end date; its value on a date is what the student should have reached by then.
//! - **Trend**: the least-squares slope of the points, in measure units per week.
//! - **Decision** (a four-point rule): with fewer than four points, `INSUFFICIENT_DATA`; when the
//!   last four points are all on the wrong side of the aim line (below it for a goal that
//!   rises, above it for a goal that falls), `INTENSIFY`; when all four are on the right side,
//!   `CONSIDER_EXIT`; otherwise `CONTINUE`. A point exactly on the line is on neither side.
//! - **Dosage**: sessions and minutes delivered (attended) against those planned from the start
//!   date to the earlier of today and the plan's end.

use chrono::NaiveDate;

/// The goal line of a plan.
#[derive(Debug, Clone, Copy)]
pub struct AimLine {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub baseline: f64,
    pub target: f64,
}

impl AimLine {
    /// The expected value on `date` (held at the target after the end date).
    pub fn expected(&self, date: NaiveDate) -> f64 {
        let span = (self.end - self.start).num_days();
        if span <= 0 {
            return self.target;
        }
        let elapsed = (date - self.start).num_days().clamp(0, span);
        self.baseline + (self.target - self.baseline) * elapsed as f64 / span as f64
    }

    /// Whether higher values are better for this goal.
    fn rising(&self) -> bool {
        self.target >= self.baseline
    }
}

/// The four-point decision rule's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Continue,
    Intensify,
    ConsiderExit,
    InsufficientData,
}

/// Points needed before the rule decides anything.
pub const DECISION_POINTS: usize = 4;

/// The decision for points sorted by date.
pub fn decide(aim: &AimLine, points: &[(NaiveDate, f64)]) -> Decision {
    if points.len() < DECISION_POINTS {
        return Decision::InsufficientData;
    }
    let last = &points[points.len() - DECISION_POINTS..];
    let gap = |(date, value): &(NaiveDate, f64)| {
        let above = value - aim.expected(*date);
        if aim.rising() { above } else { -above }
    };
    if last.iter().all(|p| gap(p) < 0.0) {
        Decision::Intensify
    } else if last.iter().all(|p| gap(p) > 0.0) {
        Decision::ConsiderExit
    } else {
        Decision::Continue
    }
}

/// Least-squares slope of the points per week, or `None` with fewer than two distinct dates.
pub fn trend_per_week(points: &[(NaiveDate, f64)]) -> Option<f64> {
    let origin = points.first()?.0;
    let xs: Vec<f64> = points
        .iter()
        .map(|(d, _)| (*d - origin).num_days() as f64 / 7.0)
        .collect();
    let n = points.len() as f64;
    let mean_x = xs.iter().sum::<f64>() / n;
    let mean_y = points.iter().map(|(_, v)| v).sum::<f64>() / n;
    let sxx: f64 = xs.iter().map(|x| (x - mean_x).powi(2)).sum();
    if sxx == 0.0 {
        return None;
    }
    let sxy: f64 = xs
        .iter()
        .zip(points)
        .map(|(x, (_, y))| (x - mean_x) * (y - mean_y))
        .sum();
    Some(sxy / sxx)
}

/// Sessions planned from `start` to `until` (inclusive) at `per_week`, counting whole weeks
/// and the share of a week begun.
pub fn planned_sessions(start: NaiveDate, until: NaiveDate, per_week: i32) -> i64 {
    if until < start {
        return 0;
    }
    let days = (until - start).num_days() + 1;
    (days as f64 / 7.0 * f64::from(per_week)).round() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 9, d).unwrap()
    }

    /// Baseline 10 on Sep 1, target 40 on Sep 29: 30 units over 28 days.
    const AIM: AimLine = AimLine {
        start: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
        end: NaiveDate::from_ymd_opt(2026, 9, 29).unwrap(),
        baseline: 10.0,
        target: 40.0,
    };

    #[test]
    fn aim_line_interpolates_between_baseline_and_target() {
        assert_eq!(AIM.expected(day(1)), 10.0);
        assert_eq!(AIM.expected(day(15)), 25.0); // 14 of 28 days: half way
        assert_eq!(AIM.expected(day(29)), 40.0);
        assert_eq!(
            AIM.expected(day(30)),
            40.0,
            "held at the target after the end"
        );
    }

    #[test]
    fn four_points_below_the_line_intensify_and_above_consider_exit() {
        // Expected on Sep 8, 15, 22, 29: 17.5, 25, 32.5, 40.
        let below = [
            (day(8), 17.0),
            (day(15), 24.0),
            (day(22), 30.0),
            (day(29), 39.9),
        ];
        assert_eq!(decide(&AIM, &below), Decision::Intensify);
        let above = [
            (day(8), 18.0),
            (day(15), 26.0),
            (day(22), 33.0),
            (day(29), 41.0),
        ];
        assert_eq!(decide(&AIM, &above), Decision::ConsiderExit);
        let mixed = [
            (day(8), 18.0),
            (day(15), 24.0),
            (day(22), 33.0),
            (day(29), 39.0),
        ];
        assert_eq!(decide(&AIM, &mixed), Decision::Continue);
        let on_the_line = [
            (day(8), 17.5),
            (day(15), 24.0),
            (day(22), 30.0),
            (day(29), 39.0),
        ];
        assert_eq!(
            decide(&AIM, &on_the_line),
            Decision::Continue,
            "a point on the line breaks the run"
        );
        assert_eq!(decide(&AIM, &below[..3]), Decision::InsufficientData);
    }

    #[test]
    fn only_the_last_four_points_count() {
        let points = [
            (day(2), 0.0),
            (day(8), 18.0),
            (day(15), 26.0),
            (day(22), 33.0),
            (day(29), 41.0),
        ];
        assert_eq!(decide(&AIM, &points), Decision::ConsiderExit);
    }

    #[test]
    fn a_falling_goal_flips_the_sides() {
        // Office referrals per week: from 8 down to 2.
        let aim = AimLine {
            baseline: 8.0,
            target: 2.0,
            ..AIM
        };
        let still_high = [
            (day(8), 7.5),
            (day(15), 6.5),
            (day(22), 5.0),
            (day(29), 3.0),
        ];
        // Expected: 6.5, 5, 3.5, 2 -> every point above: worse.
        assert_eq!(decide(&aim, &still_high), Decision::Intensify);
    }

    #[test]
    fn trend_is_the_least_squares_slope_per_week() {
        // Weekly points 10, 12, 14, 16: slope 2 per week.
        let points = [
            (day(1), 10.0),
            (day(8), 12.0),
            (day(15), 14.0),
            (day(22), 16.0),
        ];
        assert!((trend_per_week(&points).unwrap() - 2.0).abs() < 1e-9);
        // 10, 14, 12, 16 weekly: x = 0,1,2,3 (mean 1.5), y mean 13;
        // sxy = (-1.5)(-3) + (-0.5)(1) + (0.5)(-1) + (1.5)(3) = 8, sxx = 5 -> 1.6.
        let noisy = [
            (day(1), 10.0),
            (day(8), 14.0),
            (day(15), 12.0),
            (day(22), 16.0),
        ];
        assert!((trend_per_week(&noisy).unwrap() - 1.6).abs() < 1e-9);
        assert_eq!(trend_per_week(&points[..1]), None);
    }

    #[test]
    fn planned_sessions_count_weeks_begun() {
        assert_eq!(planned_sessions(day(1), day(28), 3), 12); // 4 weeks x 3
        assert_eq!(planned_sessions(day(1), day(7), 2), 2);
        assert_eq!(planned_sessions(day(1), day(4), 2), 1); // 4/7 of a week x 2 = 1.14
        assert_eq!(planned_sessions(day(5), day(4), 2), 0);
    }
}
