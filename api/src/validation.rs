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
pub struct Check(Vec<UserError>);

impl Check {
    pub fn fail(&mut self, field: &str, code: UserErrorCode, message: impl Into<String>) {
        self.0.push(UserError {
            field: Some(format!("input.{field}")),
            code,
            message: message.into(),
        });
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
        self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

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
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}
