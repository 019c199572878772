# Field errors on the pages (`err-` keys, see src/field_errors.rs): one message per kind of
# problem kkig-core reports (FieldProblem). $field is the field's label; the message starts
# with it. The English messages of the API and the CLI are made in kkig-core.

err-required = { $field } is required.
err-required-kommunkod = { $field } is required: a municipality code, e.g. 2422.
err-required-with = { $field } is required when “{ $other }” is given.
err-required-when = { $field } is required when “{ $other }” is “{ $value }”.
err-reason-when-no = { $field } is required when the site does not take students that term.
err-too-long = { $field }: at most { $max } characters.
err-not-a-number = { $field }: “{ $value }” is not a number. Write e.g. 87.5 or 100.
err-not-a-whole-number = { $field }: “{ $value }” is not a whole number.
err-below-zero = { $field }: { $value } is below zero.
err-more-than = { $field }: at most { $max } (not { $value }).
err-out-of-range = { $field }: { $value } is outside { $min }–{ $max }.
err-age-out-of-range = { $field }: the age { $age } is outside { $min }–{ $max }.
err-negative = { $field }: write a number of 0 or more (not { $value }).
err-employment-percent = { $field }: { $value } is outside 0–100 (more than 0, at most 100).
err-capacity-zero-when-no = { $field } must be 0 when the site does not take students that term.
err-capacity-at-least-one = { $field } must be at least 1 when the site takes students.
err-not-a-flag = { $field }: “{ $value }” is neither yes nor no. Write yes or no, 1 or 0, or x.
err-bad-email = { $field }: “{ $value }” is not an e-mail address.
err-bad-date = { $field }: “{ $value }” is not a date. Write YYYY-MM-DD, e.g. 2025-01-31.
err-year-out-of-range = { $field }: the year { $year } is outside 1900–2199.
err-not-in-calendar = { $field }: “{ $value }” is not a date in the calendar.
err-bad-term = { $field }: “{ $value }” is not a term. Write e.g. VT2026 (spring) or HT2026 (autumn).
err-bad-kommunkod = { $field }: “{ $value }” is not a municipality code. A code has four digits, e.g. 2422.
err-unknown-county = { $field }: “{ $value }” is not a municipality code; there is no county with code { $county }.
err-unknown-kommunkod = { $field }: the code { $code } is not a municipality kkig knows.
err-latitude = { $field }: the latitude { $value } is outside −90 to 90.
err-longitude = { $field }: the longitude { $value } is outside −180 to 180.
err-bad-id = { $field }: “{ $value }” must be at most 80 characters without spaces, |, ;, /, ? or #.
err-unknown = { $field }: “{ $value }” { $noun ->
        [field] is not a field kkig knows.
        [university] is not a university kkig knows ({ $expected }).
       *[other] is not one of the possible values.
    }
err-no-site = { $field }: there is no placement site “{ $id }”.
err-no-period = { $field }: there is no VFU period “{ $id }”.
err-no-student = { $field }: there is no student “{ $id }”.
err-no-supervisor = { $field }: there is no supervisor “{ $id }”.
err-wish-no-site = { $field }: there is no placement site “{ $id }”. A wish is a site id or a municipality code.
err-site-elsewhere = { $field }: the site is in municipality { $in_municipality }, not in { $not_in }.
err-no-site-fields = { $field }: give at least one field the site can take ({ $codes }).
err-no-supervisor-fields = { $field }: give at least one field ({ $codes }).
err-wrong-area = { $field }: a site of kind { $kind } cannot take { $given }, a field of { $area ->
        [teacher] teacher education
        [nurse] nursing
        [social_work] social work
       *[other] { $area }
    }.
err-twice = { $field }: { $value } is given twice.
err-subject-too-long = { $field }: the subject “{ $value }” is longer than 60 characters.
err-bad-requirement = { $field }: “{ $value }” is not a requirement code. Use letters, digits, _ or -.
err-bad-course-code = { $field }: “{ $value }” must be letters and digits, e.g. 6PE123.
err-end-before-start = { $field }: { $end } is before the start { $start }.
err-longer-than-year = { $field }: the period { $start } – { $end } is longer than a year.
err-term-mismatch = { $field }: { $term } does not match the start { $start }, which is in { $start_term }.
err-deadline-after-start = { $field }: { $deadline } is after the start { $start }.
err-not-period-field = { $field }: { $given } is not the period's field ({ $period_field }).
err-too-many-wishes = { $field }: { $count } wishes; at most three.
err-new-placement-status = { $field }: a new placement is requested or offered, not “{ $value }”.
err-site-lacks-field = { $field }: the site does not take { $given }.
err-supervisor-elsewhere = { $field }: the supervisor works in another municipality than the site.
err-waiting-not-active = { $field }: only an active placement can wait for a better one.
err-transition-not-allowed = { $field }: a placement cannot go from { $from } to { $to }. From there it can go to: { $allowed }.
err-nothing = nothing (the placement has ended)
err-before-last-step = { $field }: { $on } is before the day the placement became { $last } ({ $last_on }).
err-task-missing = { $field }: the task is missing.
err-task-accountable = { $field }: exactly one role must be accountable (A).
err-task-no-responsible = { $field }: some role must be responsible (R).
err-task-twice = { $field }: the task appears twice.
err-email-unusable = { $field }: this e-mail address cannot be used here.
err-email-of-account-holder = { $field }: the person has an account and changes their own e-mail address.
err-name-of-account-holder = { $field }: the person has an account and changes their own name.
err-supervisor-exists = { $field }: a supervisor with the e-mail address { $email } already exists.
err-already-on-period = { $field }: { $email } is already on the period { $period }.
err-student-on-period = { $field }: a student with the e-mail address { $email } is already on the period { $period }.
err-site-id-exists = { $field }: a placement site with id { $id } already exists.
err-period-id-exists = { $field }: a VFU period with id { $id } already exists.
err-site-has-placements = { $field }: the placement site { $id } has { $count ->
        [one] one placement; withdraw or move it
       *[other] { $count } placements; withdraw or move them
    } first.
err-period-has-students = { $field }: the VFU period { $id } has { $count ->
        [one] one student; remove them
       *[other] { $count } students; remove them
    } first.
err-field-locked = { $field }: the field cannot change while students are on the period ({ $count }).
