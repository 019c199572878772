//! What is wrong with one field, as data: [`FieldProblem`]. The English message of the API,
//! the CLI and import reports is made from it here ([`FieldProblem::english`]); the web pages
//! render the same problem in the page's language from its [`key`](FieldProblem::key) and
//! [`args`](FieldProblem::args) (Fluent messages `err-KEY` with the field's label as `$field`).

/// Declares [`FieldProblem`] with, for every variant, its message key and an example value
/// (so that tests can iterate every variant: a variant cannot be added without an example).
macro_rules! problems {
    ($(
        $(#[$doc:meta])*
        $name:ident $({ $($f:ident : $t:ty = $ex:expr),* $(,)? })? => $key:literal
    ),* $(,)?) => {
        /// One problem with one field. Arguments are the values the message names (as given,
        /// or formatted as in the English message).
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub enum FieldProblem {
            /// A message made elsewhere, kept as it is (shown untranslated).
            #[default]
            Other,
            $( $(#[$doc])* $name $({ $($f: $t),* })? ),*
        }

        impl FieldProblem {
            /// The message key, unique per variant (`err-KEY` in the web catalogues); `other`
            /// for [`FieldProblem::Other`].
            pub fn key(&self) -> &'static str {
                match self {
                    Self::Other => "other",
                    $( Self::$name { .. } => $key ),*
                }
            }

            /// The message's arguments besides the field, by name.
            pub fn args(&self) -> Vec<(&'static str, String)> {
                match self {
                    Self::Other => Vec::new(),
                    $( Self::$name { $($($f),*)? } => vec![ $($( (stringify!($f), $f.to_string()) ),*)? ] ),*
                }
            }

            /// One example of every variant but `Other`, for tests.
            pub fn examples() -> Vec<FieldProblem> {
                vec![ $( Self::$name $({ $($f: $ex),* })? ),* ]
            }
        }
    };
}

fn s(x: &str) -> String {
    x.to_string()
}

problems! {
    /// Nothing given.
    Required => "required",
    /// No kommunkod given.
    RequiredKommunkod => "required-kommunkod",
    /// Required because `other` is given (`lon` with `lat`).
    RequiredWith { other: String = s("lat") } => "required-with",
    /// Required because `other` has `value` (`training_date` when `training` is `completed`).
    RequiredWhen { other: String = s("training"), value: String = s("completed") } => "required-when",
    /// A reason is required when a site says no for a term.
    ReasonWhenNo => "reason-when-no",
    /// Longer than `max` characters.
    TooLong { max: usize = 200 } => "too-long",
    NotANumber { value: String = s("north") } => "not-a-number",
    NotAWholeNumber { value: String = s("2,5") } => "not-a-whole-number",
    BelowZero { value: i64 = -1 } => "below-zero",
    MoreThan { value: i64 = 51, max: i64 = 50 } => "more-than",
    /// A number outside `min`…`max` (the forecast's shares, years and ages).
    OutOfRange { value: String = s("2"), min: String = s("0"), max: String = s("1") } => "out-of-range",
    /// An age key of the staff table outside `min`…`max`.
    AgeOutOfRange { age: String = s("90"), min: String = s("15"), max: String = s("80") } => "age-out-of-range",
    /// A negative or not finite count.
    Negative { value: String = s("-1") } => "negative",
    EmploymentPercent { value: String = s("120") } => "employment-percent",
    CapacityZeroWhenNo => "capacity-zero-when-no",
    CapacityAtLeastOne => "capacity-at-least-one",
    NotAFlag { value: String = s("kanske") } => "not-a-flag",
    BadEmail { value: String = s("anna.example.se") } => "bad-email",
    BadDate { value: String = s("31/1 2025") } => "bad-date",
    YearOutOfRange { value: String = s("1800-01-01"), year: u32 = 1800 } => "year-out-of-range",
    NotInCalendar { value: String = s("2025-02-30") } => "not-in-calendar",
    BadTerm { value: String = s("VT") } => "bad-term",
    BadKommunkod { value: String = s("24220") } => "bad-kommunkod",
    UnknownCounty { value: String = s("9999"), county: String = s("99") } => "unknown-county",
    UnknownKommunkod { code: String = s("2499") } => "unknown-kommunkod",
    Latitude { value: String = s("91") } => "latitude",
    Longitude { value: String = s("181") } => "longitude",
    /// An id with spaces, `|`, `;`, `/`, `?` or `#`, or longer than 80 characters.
    BadId { value: String = s("a b") } => "bad-id",
    /// A value not among the known codes: `noun` names what (in English), `expected` lists
    /// the codes (or says in English what was expected).
    Unknown { noun: String = s("kind"), value: String = s("fabrik"), expected: String = s("one of school, preschool") } => "unknown",
    NoSite { id: String = s("s-9") } => "no-site",
    NoPeriod { id: String = s("p-9") } => "no-period",
    NoStudent { id: String = s("st-9") } => "no-student",
    NoSupervisor { id: String = s("h-9") } => "no-supervisor",
    /// A wish names a site that does not exist.
    WishNoSite { id: String = s("s-9") } => "wish-no-site",
    /// The supervisor's site is in another municipality than the supervisor.
    SiteElsewhere { site: String = s("s-1"), in_municipality: String = s("2480"), not_in: String = s("2422") } => "site-elsewhere",
    /// A site without fields; `codes` lists the field codes.
    NoSiteFields { codes: String = s("teacher_f3, nurse") } => "no-site-fields",
    /// A supervisor without fields.
    NoSupervisorFields { codes: String = s("teacher_f3, nurse") } => "no-supervisor-fields",
    /// A site of one area (a school) cannot take a field of another (nursing).
    WrongArea { kind: String = s("school"), given: String = s("nurse"), area: String = s("health") } => "wrong-area",
    /// The same `noun` (field, wish, requirement) twice in a list.
    Twice { noun: String = s("field"), value: String = s("nurse") } => "twice",
    SubjectTooLong { value: String = s("x") } => "subject-too-long",
    BadRequirement { value: String = s("hepatit b") } => "bad-requirement",
    BadCourseCode { value: String = s("6PE-1") } => "bad-course-code",
    EndBeforeStart { end: String = s("2025-01-01"), start: String = s("2025-02-01") } => "end-before-start",
    LongerThanYear { start: String = s("2025-01-01"), end: String = s("2026-06-01") } => "longer-than-year",
    TermMismatch { term: String = s("HT2025"), start: String = s("2025-02-01"), start_term: String = s("VT2025") } => "term-mismatch",
    DeadlineAfterStart { deadline: String = s("2025-03-01"), start: String = s("2025-02-01") } => "deadline-after-start",
    /// A student's field is not the period's.
    NotPeriodField { given: String = s("nurse"), period_field: String = s("teacher_f3") } => "not-period-field",
    TooManyWishes { count: usize = 4 } => "too-many-wishes",
    /// A new placement must start as requested or offered.
    NewPlacementStatus { value: String = s("started") } => "new-placement-status",
    /// A placement at a site that does not take the student's field; `takes` in file form.
    SiteLacksField { site: String = s("s-1"), given: String = s("nurse"), takes: String = s("teacher_f3|teacher_4_6") } => "site-lacks-field",
    /// A placement's supervisor works in another municipality than the site.
    SupervisorElsewhere { id: String = s("h-1") } => "supervisor-elsewhere",
    /// Only an active placement can wait for a better one.
    WaitingNotActive => "waiting-not-active",
    /// The lifecycle does not allow the step.
    TransitionNotAllowed { from: String = s("requested"), to: String = s("completed"), allowed: String = s("offered, withdrawn") } => "transition-not-allowed",
    /// The day of a step is before the last step.
    BeforeLastStep { on: String = s("2025-01-01"), last: String = s("offered"), last_on: String = s("2025-02-01") } => "before-last-step",
    /// A RACI task without a row.
    TaskMissing { task: String = s("announce_periods") } => "task-missing",
    /// A RACI task without exactly one accountable role.
    TaskAccountable { task: String = s("announce_periods"), count: usize = 2 } => "task-accountable",
    TaskNoResponsible { task: String = s("announce_periods") } => "task-no-responsible",
    TaskTwice { task: String = s("announce_periods") } => "task-twice",
    /// The e-mail belongs to a person this record may not take (another kind, another scope,
    /// an account holder): one answer whatever the reason, naming nothing of that person
    /// (`kkig_core::vfu::identity`).
    EmailUnusable => "email-unusable",
    /// A registry write would change the e-mail of a person who holds an account.
    EmailOfAccountHolder => "email-of-account-holder",
    /// A registry write would change the name of a person who holds an account.
    NameOfAccountHolder => "name-of-account-holder",
    SupervisorExists { email: String = s("a@b.se") } => "supervisor-exists",
    /// On update: the e-mail is already on the period.
    AlreadyOnPeriod { email: String = s("a@b.se"), period: String = s("p-1") } => "already-on-period",
    /// On create: a student with the e-mail is already on the period.
    StudentOnPeriod { email: String = s("a@b.se"), period: String = s("p-1") } => "student-on-period",
    SiteIdExists { id: String = s("s-1") } => "site-id-exists",
    PeriodIdExists { id: String = s("p-1") } => "period-id-exists",
    SiteHasPlacements { id: String = s("s-1"), count: i64 = 2 } => "site-has-placements",
    PeriodHasStudents { id: String = s("p-1"), count: i64 = 2 } => "period-has-students",
    /// A period's field cannot change while students are on it.
    FieldLocked { count: i64 = 2 } => "field-locked",
}

impl FieldProblem {
    /// The English message for `field` (the field's name, e.g. `capacity`), as the API, the
    /// CLI and import reports show it.
    pub fn english(&self, field: &str) -> String {
        use FieldProblem::*;
        match self {
            Other => String::new(),
            Required => format!("{field} is required"),
            RequiredKommunkod => format!("{field} is required: a kommunkod, e.g. 2422"),
            RequiredWith { other } => format!("{field} is required when {other} is given"),
            RequiredWhen { other, value } => format!("{field} is required when {other} is {value}"),
            ReasonWhenNo => format!("{field} is required when the site does not take students this term"),
            TooLong { max } => format!("{field} is longer than {max} characters"),
            NotANumber { value } => format!("{value:?} is not a number; expected e.g. 87,5 or 100"),
            NotAWholeNumber { value } => format!("{value:?} is not a whole number"),
            BelowZero { value } => format!("{field} {value} is below zero"),
            MoreThan { value, max } => format!("{field} {value} is more than {max}"),
            OutOfRange { value, min, max } => format!("{value} is outside {min}…{max}"),
            AgeOutOfRange { age, min, max } => format!("age {age} is outside {min}…{max}"),
            Negative { value } => format!("{value} must be a number ≥ 0"),
            EmploymentPercent { value } => format!("{field} {value} is outside 0–100 (more than 0, at most 100)"),
            CapacityZeroWhenNo => format!("{field} must be 0 when the site does not take students this term"),
            CapacityAtLeastOne => format!("{field} must be at least 1 when the site takes students"),
            NotAFlag { value } => format!("{value:?} is not yes or no; expected ja/nej, yes/no, 1/0 or x"),
            BadEmail { value } => format!("{value:?} is not an e-mail address"),
            BadDate { value } => format!("{value:?} is not a date; expected YYYY-MM-DD, e.g. 2025-01-31"),
            YearOutOfRange { value, year } => format!("{value:?}: year {year} is outside 1900–2199"),
            NotInCalendar { value } => format!("{value:?} is not a date in the calendar"),
            BadTerm { value } => format!("{value:?} is not a term; expected e.g. VT2026 or HT2026"),
            BadKommunkod { value } => format!("kommunkod {value:?} must be exactly four digits, e.g. \"2422\""),
            UnknownCounty { value, county } => format!("kommunkod {value:?} has unknown county (län) code {county}"),
            UnknownKommunkod { code } => format!("kommunkod {code} is not a municipality kkig knows"),
            Latitude { value } => format!("latitude {value} is outside -90…90"),
            Longitude { value } => format!("longitude {value} is outside -180…180"),
            BadId { value } => {
                format!("{field} {value:?} must be at most 80 characters without spaces, |, ;, /, ? or #")
            }
            Unknown { noun, value, expected } => format!("unknown {noun} {value:?}; expected {expected}"),
            NoSite { id } => format!("no placement site {id:?}"),
            NoPeriod { id } => format!("no VFU period {id:?}"),
            NoStudent { id } => format!("no student {id:?}"),
            NoSupervisor { id } => format!("no supervisor {id:?}"),
            WishNoSite { id } => format!("no placement site {id:?} (a wish is a site id or a kommunkod)"),
            SiteElsewhere {
                site,
                in_municipality,
                not_in,
            } => format!("site {site:?} is in municipality {in_municipality}, not in {not_in}"),
            NoSiteFields { codes } => format!("fields: give at least one field the site can take ({codes})"),
            NoSupervisorFields { codes } => format!("fields: give at least one field ({codes})"),
            WrongArea { kind, given, area } => format!("a {kind} cannot take field {given} (a {area} field)"),
            Twice { noun, value } => format!("{noun} {value} is given twice"),
            SubjectTooLong { value } => format!("subject {value:?} is longer than 60 characters"),
            BadRequirement { value } => format!("requirement {value:?} is not a code of letters, digits, _ or -"),
            BadCourseCode { value } => format!("{field} {value:?} must be letters and digits, e.g. 6PE123"),
            EndBeforeStart { end, start } => format!("end {end} is before start {start}"),
            LongerThanYear { start, end } => format!("the period {start} – {end} is longer than a year"),
            TermMismatch {
                term,
                start,
                start_term,
            } => format!("term {term} does not match the start {start} (which is in {start_term})"),
            DeadlineAfterStart { deadline, start } => format!("{field} {deadline} is after the start {start}"),
            NotPeriodField { given, period_field } => format!("field {given} is not the period's field {period_field}"),
            TooManyWishes { count } => format!("{count} wishes; at most three"),
            NewPlacementStatus { value } => format!("a new placement is requested or offered, not {value:?}"),
            SiteLacksField { site, given, takes } => {
                format!("site {site} does not take field {given} (it takes {takes})")
            }
            SupervisorElsewhere { id } => format!("supervisor {id} works in another municipality than the site"),
            WaitingNotActive => "only an active placement can wait for a better one".to_string(),
            TransitionNotAllowed { from, to, allowed } => {
                format!("a placement cannot go from {from} to {to}; from {from} it can go to {allowed}")
            }
            BeforeLastStep { on, last, last_on } => {
                format!("the day {on} is before the placement became {last} on {last_on}")
            }
            TaskMissing { task } => format!("task {task} is missing"),
            TaskAccountable { task, count } => {
                format!("task {task} has {count} roles accountable (A); exactly one must be")
            }
            TaskNoResponsible { task } => format!("task {task} has no role responsible (R)"),
            TaskTwice { task } => format!("task {task} appears twice"),
            EmailUnusable => "this e-mail address cannot be used here".to_string(),
            EmailOfAccountHolder => "the person has an account and changes their own e-mail address".to_string(),
            NameOfAccountHolder => "the person has an account and changes their own name".to_string(),
            SupervisorExists { email } => format!("a supervisor with e-mail {email} already exists"),
            AlreadyOnPeriod { email, period } => format!("{email} is already on period {period}"),
            StudentOnPeriod { email, period } => format!("a student with e-mail {email} is already on period {period}"),
            SiteIdExists { id } => format!("a placement site with id {id} already exists"),
            PeriodIdExists { id } => format!("a VFU period with id {id} already exists"),
            SiteHasPlacements { id, count } => {
                format!("placement site {id} has {count} placement(s); withdraw or move them first")
            }
            PeriodHasStudents { id, count } => format!("VFU period {id} has {count} student(s); remove them first"),
            FieldLocked { count } => format!("the field cannot change while {count} student(s) are on the period"),
        }
    }
}

impl From<crate::geo::PositionError> for FieldProblem {
    fn from(e: crate::geo::PositionError) -> Self {
        match e {
            crate::geo::PositionError::Latitude(v) => FieldProblem::Latitude { value: v.to_string() },
            crate::geo::PositionError::Longitude(v) => FieldProblem::Longitude { value: v.to_string() },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::FieldProblem::{self, *};
    use std::collections::BTreeSet;

    fn s(x: &str) -> String {
        x.to_string()
    }

    /// The English messages, written out as the API and the CLI have always shown them.
    fn known() -> Vec<(FieldProblem, &'static str, &'static str)> {
        vec![
            (Required, "name", "name is required"),
            (
                RequiredKommunkod,
                "municipality",
                "municipality is required: a kommunkod, e.g. 2422",
            ),
            (
                RequiredWith { other: s("lat") },
                "lon",
                "lon is required when lat is given",
            ),
            (
                RequiredWhen {
                    other: s("training"),
                    value: s("completed"),
                },
                "training_university",
                "training_university is required when training is completed",
            ),
            (
                ReasonWhenNo,
                "reason",
                "reason is required when the site does not take students this term",
            ),
            (TooLong { max: 500 }, "note", "note is longer than 500 characters"),
            (
                NotANumber { value: s("north") },
                "lat",
                "\"north\" is not a number; expected e.g. 87,5 or 100",
            ),
            (
                NotAWholeNumber { value: s("2,5") },
                "capacity",
                "\"2,5\" is not a whole number",
            ),
            (BelowZero { value: -1 }, "capacity", "capacity -1 is below zero"),
            (
                MoreThan { value: 51, max: 50 },
                "capacity",
                "capacity 51 is more than 50",
            ),
            (
                OutOfRange {
                    value: s("2"),
                    min: s("0"),
                    max: s("1"),
                },
                "completion_share",
                "2 is outside 0…1",
            ),
            (
                AgeOutOfRange {
                    age: s("90"),
                    min: s("15"),
                    max: s("80"),
                },
                "staff_by_age.90",
                "age 90 is outside 15…80",
            ),
            (Negative { value: s("-1") }, "vacancies", "-1 must be a number ≥ 0"),
            (
                EmploymentPercent { value: s("120") },
                "employment_percent",
                "employment_percent 120 is outside 0–100 (more than 0, at most 100)",
            ),
            (
                CapacityZeroWhenNo,
                "capacity",
                "capacity must be 0 when the site does not take students this term",
            ),
            (
                CapacityAtLeastOne,
                "capacity",
                "capacity must be at least 1 when the site takes students",
            ),
            (
                NotAFlag { value: s("kanske") },
                "consent_contact",
                "\"kanske\" is not yes or no; expected ja/nej, yes/no, 1/0 or x",
            ),
            (
                BadEmail { value: s("anna") },
                "email",
                "\"anna\" is not an e-mail address",
            ),
            (
                BadDate { value: s("31/1") },
                "start",
                "\"31/1\" is not a date; expected YYYY-MM-DD, e.g. 2025-01-31",
            ),
            (
                YearOutOfRange {
                    value: s("1800-01-01"),
                    year: 1800,
                },
                "start",
                "\"1800-01-01\": year 1800 is outside 1900–2199",
            ),
            (
                NotInCalendar { value: s("2025-02-30") },
                "start",
                "\"2025-02-30\" is not a date in the calendar",
            ),
            (
                BadTerm { value: s("VT") },
                "term",
                "\"VT\" is not a term; expected e.g. VT2026 or HT2026",
            ),
            (
                BadKommunkod { value: s("24220") },
                "municipality",
                "kommunkod \"24220\" must be exactly four digits, e.g. \"2422\"",
            ),
            (
                UnknownCounty {
                    value: s("9999"),
                    county: s("99"),
                },
                "municipality",
                "kommunkod \"9999\" has unknown county (län) code 99",
            ),
            (
                UnknownKommunkod { code: s("2499") },
                "municipality",
                "kommunkod 2499 is not a municipality kkig knows",
            ),
            (Latitude { value: s("91") }, "lat", "latitude 91 is outside -90…90"),
            (
                Longitude { value: s("181") },
                "lon",
                "longitude 181 is outside -180…180",
            ),
            (
                BadId { value: s("a b") },
                "id",
                "id \"a b\" must be at most 80 characters without spaces, |, ;, /, ? or #",
            ),
            (
                Unknown {
                    noun: s("kind"),
                    value: s("fabrik"),
                    expected: s("one of school, care_home"),
                },
                "kind",
                "unknown kind \"fabrik\"; expected one of school, care_home",
            ),
            (NoSite { id: s("s-9") }, "site_id", "no placement site \"s-9\""),
            (NoPeriod { id: s("p-9") }, "period_id", "no VFU period \"p-9\""),
            (NoStudent { id: s("st-9") }, "student_id", "no student \"st-9\""),
            (NoSupervisor { id: s("h-9") }, "supervisor_id", "no supervisor \"h-9\""),
            (
                WishNoSite { id: s("s-9") },
                "wishes",
                "no placement site \"s-9\" (a wish is a site id or a kommunkod)",
            ),
            (
                SiteElsewhere {
                    site: s("s-1"),
                    in_municipality: s("2480"),
                    not_in: s("2422"),
                },
                "site_id",
                "site \"s-1\" is in municipality 2480, not in 2422",
            ),
            (
                NoSiteFields {
                    codes: s("nurse, social_work"),
                },
                "fields",
                "fields: give at least one field the site can take (nurse, social_work)",
            ),
            (
                NoSupervisorFields {
                    codes: s("nurse, social_work"),
                },
                "fields",
                "fields: give at least one field (nurse, social_work)",
            ),
            (
                WrongArea {
                    kind: s("school"),
                    given: s("nurse"),
                    area: s("health"),
                },
                "fields",
                "a school cannot take field nurse (a health field)",
            ),
            (
                Twice {
                    noun: s("wish"),
                    value: s("2422"),
                },
                "wishes",
                "wish 2422 is given twice",
            ),
            (
                SubjectTooLong { value: s("x") },
                "fields",
                "subject \"x\" is longer than 60 characters",
            ),
            (
                BadRequirement { value: s("a b") },
                "requirements",
                "requirement \"a b\" is not a code of letters, digits, _ or -",
            ),
            (
                BadCourseCode { value: s("6PE-1") },
                "course_code",
                "course_code \"6PE-1\" must be letters and digits, e.g. 6PE123",
            ),
            (
                EndBeforeStart {
                    end: s("2025-01-01"),
                    start: s("2025-02-01"),
                },
                "end",
                "end 2025-01-01 is before start 2025-02-01",
            ),
            (
                LongerThanYear {
                    start: s("2025-01-01"),
                    end: s("2026-06-01"),
                },
                "end",
                "the period 2025-01-01 – 2026-06-01 is longer than a year",
            ),
            (
                TermMismatch {
                    term: s("HT2025"),
                    start: s("2025-02-01"),
                    start_term: s("VT2025"),
                },
                "term",
                "term HT2025 does not match the start 2025-02-01 (which is in VT2025)",
            ),
            (
                DeadlineAfterStart {
                    deadline: s("2025-03-01"),
                    start: s("2025-02-01"),
                },
                "capacity_deadline",
                "capacity_deadline 2025-03-01 is after the start 2025-02-01",
            ),
            (
                NotPeriodField {
                    given: s("nurse"),
                    period_field: s("teacher_f3"),
                },
                "field",
                "field nurse is not the period's field teacher_f3",
            ),
            (TooManyWishes { count: 4 }, "wishes", "4 wishes; at most three"),
            (
                NewPlacementStatus { value: s("started") },
                "status",
                "a new placement is requested or offered, not \"started\"",
            ),
            (
                SiteLacksField {
                    site: s("s-1"),
                    given: s("nurse"),
                    takes: s("teacher_f3|teacher_4_6"),
                },
                "site_id",
                "site s-1 does not take field nurse (it takes teacher_f3|teacher_4_6)",
            ),
            (
                SupervisorElsewhere { id: s("h-1") },
                "supervisor_id",
                "supervisor h-1 works in another municipality than the site",
            ),
            (
                WaitingNotActive,
                "waiting_for_better",
                "only an active placement can wait for a better one",
            ),
            (
                TransitionNotAllowed {
                    from: s("completed"),
                    to: s("started"),
                    allowed: s("nothing (it is final)"),
                },
                "to",
                "a placement cannot go from completed to started; from completed it can go to nothing (it is final)",
            ),
            (
                BeforeLastStep {
                    on: s("2025-01-01"),
                    last: s("offered"),
                    last_on: s("2025-02-01"),
                },
                "on",
                "the day 2025-01-01 is before the placement became offered on 2025-02-01",
            ),
            (
                TaskMissing {
                    task: s("announce_periods"),
                },
                "task.announce_periods",
                "task announce_periods is missing",
            ),
            (
                TaskAccountable {
                    task: s("announce_periods"),
                    count: 2,
                },
                "task.announce_periods",
                "task announce_periods has 2 roles accountable (A); exactly one must be",
            ),
            (
                TaskNoResponsible {
                    task: s("announce_periods"),
                },
                "task.announce_periods",
                "task announce_periods has no role responsible (R)",
            ),
            (
                TaskTwice {
                    task: s("announce_periods"),
                },
                "task.announce_periods",
                "task announce_periods appears twice",
            ),
            (EmailUnusable, "email", "this e-mail address cannot be used here"),
            (
                EmailOfAccountHolder,
                "email",
                "the person has an account and changes their own e-mail address",
            ),
            (
                NameOfAccountHolder,
                "name",
                "the person has an account and changes their own name",
            ),
            (
                SupervisorExists { email: s("a@b.se") },
                "email",
                "a supervisor with e-mail a@b.se already exists",
            ),
            (
                AlreadyOnPeriod {
                    email: s("a@b.se"),
                    period: s("p-1"),
                },
                "email",
                "a@b.se is already on period p-1",
            ),
            (
                StudentOnPeriod {
                    email: s("a@b.se"),
                    period: s("p-1"),
                },
                "email",
                "a student with e-mail a@b.se is already on period p-1",
            ),
            (
                SiteIdExists { id: s("s-1") },
                "id",
                "a placement site with id s-1 already exists",
            ),
            (
                PeriodIdExists { id: s("p-1") },
                "id",
                "a VFU period with id p-1 already exists",
            ),
            (
                SiteHasPlacements { id: s("s-1"), count: 2 },
                "id",
                "placement site s-1 has 2 placement(s); withdraw or move them first",
            ),
            (
                PeriodHasStudents { id: s("p-1"), count: 3 },
                "id",
                "VFU period p-1 has 3 student(s); remove them first",
            ),
            (
                FieldLocked { count: 3 },
                "field",
                "the field cannot change while 3 student(s) are on the period",
            ),
        ]
    }

    #[test]
    fn english_messages_are_as_before() {
        for (p, field, want) in known() {
            assert_eq!(p.english(field), want, "{p:?}");
        }
    }

    #[test]
    fn every_variant_has_a_known_english_message_and_its_own_key() {
        let examples = FieldProblem::examples();
        let keys: BTreeSet<&str> = examples.iter().map(|p| p.key()).collect();
        assert_eq!(keys.len(), examples.len(), "keys are unique");
        assert!(!keys.contains("other"));
        let checked: BTreeSet<&str> = known().iter().map(|(p, _, _)| p.key()).collect();
        assert_eq!(checked, keys, "every variant has a written-out English message above");
        for p in &examples {
            let text = p.english("field");
            assert!(!text.is_empty(), "{p:?}");
            for (name, value) in p.args() {
                assert!(
                    text.contains(&value) || name == "noun",
                    "{p:?}: the English message names {name}"
                );
            }
        }
    }

    /// The parsers give the same texts through their `String` API as through the problem.
    #[test]
    fn parsers_keep_their_english_texts() {
        use crate::vfu::input::{parse_decimal, parse_email, parse_flag};
        use crate::vfu::{Day, FieldSpec, Term};
        assert_eq!(
            parse_decimal("north").unwrap_err(),
            "\"north\" is not a number; expected e.g. 87,5 or 100"
        );
        assert_eq!(
            parse_flag("kanske").unwrap_err(),
            "\"kanske\" is not yes or no; expected ja/nej, yes/no, 1/0 or x"
        );
        assert_eq!(parse_email("anna@").unwrap_err(), "\"anna@\" is not an e-mail address");
        assert_eq!(
            Day::parse(" 2025-13-01 ").unwrap_err(),
            "\"2025-13-01\" is not a date in the calendar"
        );
        assert_eq!(
            Day::parse("1899-01-01").unwrap_err(),
            "\"1899-01-01\": year 1899 is outside 1900–2199"
        );
        assert_eq!(
            Day::parse("igår").unwrap_err(),
            "\"igår\" is not a date; expected YYYY-MM-DD, e.g. 2025-01-31"
        );
        assert_eq!(
            Term::parse("VT 1800").unwrap_err(),
            "\"VT 1800\" is not a term; expected e.g. VT2026 or HT2026"
        );
        assert_eq!(
            FieldSpec::parse_list("nurse|nurse").unwrap_err(),
            "field nurse is given twice"
        );
        assert!(FieldSpec::parse_list("teleport")
            .unwrap_err()
            .starts_with("unknown field \"teleport\"; expected one of teacher_forskola, "));
    }
}
