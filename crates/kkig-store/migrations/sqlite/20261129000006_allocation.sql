-- The VFU allocation in the product (docs/allocation.md, "In the product"): each university's
-- allocation rules (JSON of kkig_core::allocation::Rules; absent = the defaults) and the
-- coordinator's manual locks of a student to a site on a period, with the reason. A lock goes
-- with its student, period or site (ON DELETE CASCADE), so erasing a student removes it; the
-- audit rows of locks carry the student's person id and are redacted with the person.

CREATE TABLE allocation_rules (
    university TEXT PRIMARY KEY REFERENCES universities (code),
    rules      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE allocation_locks (
    period_id  TEXT NOT NULL REFERENCES vfu_periods (id) ON DELETE CASCADE,
    student_id TEXT NOT NULL REFERENCES vfu_students (id) ON DELETE CASCADE,
    site_id    TEXT NOT NULL REFERENCES placement_sites (id) ON DELETE CASCADE,
    reason     TEXT NOT NULL,
    locked_by  TEXT NOT NULL,
    locked_at  BIGINT NOT NULL,
    PRIMARY KEY (period_id, student_id)
);
