-- The VFU registry (PostgreSQL): placement sites with fields and hosting interest per term,
-- supervisors, VFU periods, students on them, placements, roles and responsibilities.
-- Personal data stays in `persons` (name, e-mail, phone, home municipality); the VFU tables
-- refer to a person by id and are deleted when the person is erased. Lists of values that are
-- only read whole (fields, wishes, needs, history) are JSON text.

ALTER TABLE placement_sites ADD COLUMN address TEXT NOT NULL DEFAULT '';
-- JSON array of {"field": "teacher_f3", "subjects": ["matematik"]}.
ALTER TABLE placement_sites ADD COLUMN fields TEXT NOT NULL DEFAULT '[]';
ALTER TABLE placement_sites ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;

CREATE TABLE vfu_hosting (
    site_id  TEXT NOT NULL REFERENCES placement_sites (id),
    term     TEXT NOT NULL,
    interest TEXT NOT NULL CHECK (interest IN ('yes', 'maybe', 'no')),
    capacity BIGINT NOT NULL CHECK (capacity >= 0),
    reason   TEXT NOT NULL DEFAULT '',
    demo     BIGINT NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    PRIMARY KEY (site_id, term)
);

CREATE TABLE vfu_supervisors (
    id                  TEXT PRIMARY KEY,
    person_id           TEXT NOT NULL UNIQUE REFERENCES persons (id),
    municipality_code   TEXT NOT NULL REFERENCES municipalities (code),
    site_id             TEXT REFERENCES placement_sites (id),
    fields              TEXT NOT NULL,
    employment_percent  DOUBLE PRECISION NOT NULL CHECK (employment_percent > 0 AND employment_percent <= 100),
    training            TEXT NOT NULL CHECK (training IN ('none', 'introduction', 'course_started', 'completed')),
    training_date       TEXT,
    training_university TEXT,
    students_per_period BIGINT NOT NULL CHECK (students_per_period >= 0),
    -- Terms the supervisor cannot take students, e.g. 'VT2027|HT2027'.
    unavailable_terms   TEXT NOT NULL DEFAULT '',
    consent_contact     BIGINT NOT NULL CHECK (consent_contact IN (0, 1)),
    invite              TEXT NOT NULL CHECK (invite IN ('not_invited', 'invited', 'enrolled', 'completed')),
    invite_date         TEXT,
    demo                BIGINT NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    updated_at          BIGINT NOT NULL
);
CREATE INDEX vfu_supervisors_municipality ON vfu_supervisors (municipality_code);

CREATE TABLE vfu_periods (
    id                TEXT PRIMARY KEY,
    university_code   TEXT NOT NULL REFERENCES universities (code),
    programme         TEXT NOT NULL,
    course_code       TEXT NOT NULL,
    term              TEXT NOT NULL,
    start_date        TEXT NOT NULL,
    end_date          TEXT NOT NULL,
    field             TEXT NOT NULL,
    students          BIGINT NOT NULL CHECK (students >= 0),
    requirements      TEXT NOT NULL,
    capacity_deadline TEXT NOT NULL,
    demo              BIGINT NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    updated_at        BIGINT NOT NULL,
    CHECK (end_date >= start_date)
);
CREATE INDEX vfu_periods_university ON vfu_periods (university_code);

CREATE TABLE vfu_students (
    id           TEXT PRIMARY KEY,
    period_id    TEXT NOT NULL REFERENCES vfu_periods (id),
    person_id    TEXT NOT NULL REFERENCES persons (id),
    home_lat     DOUBLE PRECISION,
    home_lon     DOUBLE PRECISION,
    field        TEXT NOT NULL,
    subjects     TEXT NOT NULL DEFAULT '',
    wishes       TEXT NOT NULL,
    needs        TEXT NOT NULL,
    requirements TEXT NOT NULL,
    demo         BIGINT NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    updated_at   BIGINT NOT NULL,
    UNIQUE (period_id, person_id)
);
CREATE INDEX vfu_students_person ON vfu_students (person_id);

CREATE TABLE vfu_placements (
    id                 TEXT PRIMARY KEY,
    student_id         TEXT NOT NULL REFERENCES vfu_students (id),
    site_id            TEXT NOT NULL REFERENCES placement_sites (id),
    supervisor_id      TEXT REFERENCES vfu_supervisors (id),
    status             TEXT NOT NULL CHECK (status IN ('requested', 'offered', 'confirmed', 'started', 'completed', 'withdrawn')),
    history            TEXT NOT NULL,
    waiting_for_better BIGINT NOT NULL DEFAULT 0 CHECK (waiting_for_better IN (0, 1)),
    note               TEXT NOT NULL DEFAULT '',
    demo               BIGINT NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    updated_at         BIGINT NOT NULL
);
CREATE INDEX vfu_placements_student ON vfu_placements (student_id);
CREATE INDEX vfu_placements_site ON vfu_placements (site_id);

-- A municipality's adaptation of the default roles-and-responsibilities model of a programme
-- type: when a municipality has rows for a programme, they are its whole matrix.
CREATE TABLE vfu_raci (
    municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    programme         TEXT NOT NULL CHECK (programme IN ('teacher', 'nursing', 'social_work')),
    task              TEXT NOT NULL,
    role              TEXT NOT NULL,
    cell              TEXT NOT NULL,
    PRIMARY KEY (municipality_code, programme, task, role)
);

-- Named contact persons per role (name and e-mail are the person's).
CREATE TABLE vfu_contacts (
    id                TEXT PRIMARY KEY,
    person_id         TEXT NOT NULL REFERENCES persons (id),
    municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    role              TEXT NOT NULL,
    programme         TEXT,
    title             TEXT NOT NULL DEFAULT '',
    demo              BIGINT NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    updated_at        BIGINT NOT NULL
);
CREATE INDEX vfu_contacts_municipality ON vfu_contacts (municipality_code);
