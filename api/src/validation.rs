//! Input problems a caller can fix (blank names, dates out of order, a taken key), collected
//! before anything is written. Services check with [`Check`] and answer an [`Outcome`]; the
//! GraphQL edge shows the problems as `userErrors`. Nothing here knows GraphQL, so a command or
//! a bulk import runs the same rules.

/// Why a piece of input was refused.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum UserErrorCode {
    /// A value is required.
    Required,
    /// The value has the wrong form.
    Invalid,
    /// The value lies outside its allowed range.
    OutOfRange,
    /// Two dates are in the wrong order.
    DatesOutOfOrder,
    /// A referenced record does not exist or is not visible to the caller.
    NotFound,
    /// The record would duplicate an existing one.
    Duplicate,
    /// The record's current state does not allow the change (a status it cannot move to).
    InvalidTransition,
}

/// A problem with one input field; the mutation changed nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserError {
    /// The input field at fault (`input.name`), when one is.
    pub field: Option<String>,
    /// A stable code clients can branch on.
    pub code: UserErrorCode,
    /// A sentence a person can act on.
    pub message: String,
}

/// Collects input problems before anything is written.
#[derive(Default)]
pub struct Check {
    errors: Vec<UserError>,
    /// Where in `input` the checked record sits (`records.3.`), for one record of a batch.
    within: String,
}

impl Check {
    /// Checks one record of a list, so every problem's field names it: `within("records.3")`
    /// reports `input.records.3.gradeLevel`.
    pub fn within(path: &str) -> Self {
        Self {
            errors: Vec::new(),
            within: format!("{path}."),
        }
    }

    pub fn fail(&mut self, field: &str, code: UserErrorCode, message: impl Into<String>) {
        self.errors.push(UserError {
            field: Some(format!("input.{}{field}", self.within)),
            code,
            message: message.into(),
        });
    }

    /// Checks a part of the record (`students.1`) with `check_part`: its problems name the part.
    pub fn part(&mut self, path: &str, check_part: impl FnOnce(&mut Check)) {
        let mut part = Check::within(&format!("{}{path}", self.within));
        check_part(&mut part);
        self.errors.append(&mut part.errors);
    }

    /// A referenced record must exist and be the caller's to see; `found` is what the lookup
    /// returned (the two cases are not told apart on purpose).
    pub fn found<T>(&mut self, field: &str, found: Option<T>, what: &str) -> Option<T> {
        if found.is_none() {
            self.fail(field, UserErrorCode::NotFound, format!("no such {what}"));
        }
        found
    }

    /// A required text that must not be blank, at most `max` characters.
    pub fn text(&mut self, field: &str, value: Option<&str>, max: usize) {
        match value.map(str::trim) {
            Some("") => self.fail(
                field,
                UserErrorCode::Required,
                format!("{field} may not be blank"),
            ),
            Some(text) if text.chars().count() > max => self.fail(
                field,
                UserErrorCode::OutOfRange,
                format!("{field} may be at most {max} characters"),
            ),
            _ => {}
        }
    }

    /// A measured value (a baseline, a target, a progress point) must be a number within
    /// [`MAX_MEASUREMENT`] of zero, so that aim lines and trends computed from it stay finite.
    pub fn measurement(&mut self, field: &str, value: Option<f64>) {
        if value.is_some_and(|v| !(-MAX_MEASUREMENT..=MAX_MEASUREMENT).contains(&v)) {
            self.fail(
                field,
                UserErrorCode::OutOfRange,
                format!(
                    "{field} must be a number from -{MAX_MEASUREMENT:e} to {MAX_MEASUREMENT:e}"
                ),
            );
        }
    }

    /// `end` (when set) may not come before `start`.
    pub fn dates_in_order<T: PartialOrd>(
        &mut self,
        start: Option<T>,
        end: Option<T>,
        end_field: &str,
        start_field: &str,
    ) {
        if let (Some(start), Some(end)) = (start, end)
            && end < start
        {
            self.fail(
                end_field,
                UserErrorCode::DatesOutOfOrder,
                format!("{end_field} may not be before {start_field}"),
            );
        }
    }

    /// `value` (when set) may not come after `now` (today, or this moment): a record of what
    /// happened is not dated in the future.
    pub fn not_in_future<T: PartialOrd>(&mut self, field: &str, value: Option<T>, now: T) {
        if value.is_some_and(|value| value > now) {
            let message = format!("{field} may not be in the future");
            self.fail(field, UserErrorCode::OutOfRange, message);
        }
    }

    /// An optional e-mail address must look like one.
    pub fn email(&mut self, field: &str, value: Option<&str>) {
        if let Some(email) = value
            && !email.is_empty()
            && (!email.contains('@')
                || email.starts_with('@')
                || email.ends_with('@')
                || email.len() > 254)
        {
            self.fail(
                field,
                UserErrorCode::Invalid,
                format!("{field} is not an e-mail address"),
            );
        }
    }

    pub fn into_errors(self) -> Vec<UserError> {
        self.errors
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }
}

/// The most characters any text input may hold: the longest text a service keeps (an
/// intervention's description). Fields with a tighter limit check it in their service.
pub const MAX_TEXT_CHARS: usize = 4000;

/// The most items any input list may hold: the longest list a service takes (a call's
/// attendance days). It keeps every list far under the databases' bind-parameter limits.
pub const MAX_LIST_ITEMS: usize = 1000;

/// The most records a bulk call (an SIS sync's `input.records`) takes: a school's or a
/// district's changes in one transaction, still a few statements per thousand rows.
pub const MAX_BULK_ITEMS: usize = 10_000;

/// Why `text` cannot be taken as input, if it cannot: longer than [`MAX_TEXT_CHARS`], or holding
/// a control character other than tab and line breaks. PostgreSQL cannot store NUL at all; the
/// others are invisible, no person types them, and they corrupt logs, exports and terminals.
pub fn unacceptable_text(text: &str) -> Option<String> {
    if text.chars().nth(MAX_TEXT_CHARS).is_some() {
        return Some(format!("may be at most {MAX_TEXT_CHARS} characters"));
    }
    text.chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| {
            format!(
                "may not contain the control character U+{:04X}",
                u32::from(c)
            )
        })
}

/// The largest magnitude a measured value may have: far beyond any score, rate or count a
/// progress measure takes, and small enough that differences, interpolations and sums of
/// squares of such values cannot overflow.
pub const MAX_MEASUREMENT: f64 = 1e9;

/// Grade levels as OneRoster and Ed-Fi name them.
pub const GRADE_LEVELS: [&str; 20] = [
    "IT", "PR", "PK", "TK", "KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11",
    "12", "13", "PS", "Other",
];

impl Check {
    pub fn grade(&mut self, field: &str, value: Option<&str>) {
        if let Some(grade) = value
            && !GRADE_LEVELS.contains(&grade)
        {
            self.fail(
                field,
                UserErrorCode::Invalid,
                format!("{field} must be a OneRoster grade code such as KG, 01 .. 12"),
            );
        }
    }
}

/// The user error of a create whose `sourcedId` is taken.
pub fn duplicate(field: &str, what: &str) -> Vec<UserError> {
    vec![UserError {
        field: Some(format!("input.{field}")),
        code: UserErrorCode::Duplicate,
        message: format!("{what} already exists"),
    }]
}

/// What a write that validates its input comes to: the record, or why nothing was written.
pub type Outcome<T> = Result<T, Vec<UserError>>;

impl Check {
    /// `Err` with the problems found, if any.
    pub fn finish(self) -> Outcome<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self.errors)
        }
    }
}
