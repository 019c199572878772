-- The education catalogue and the measured travel-time matrix (PostgreSQL).

-- One row per offering (Susa-navet event); the whole offering as JSON in `data`, the fields
-- that are filtered or searched in SQL as columns.
CREATE TABLE offerings (
    id            TEXT PRIMARY KEY,
    education_id  TEXT NOT NULL,
    provider_id   TEXT NOT NULL,
    provider_name TEXT NOT NULL,
    title         TEXT NOT NULL,
    code          TEXT NOT NULL,
    school_type   TEXT NOT NULL,
    form          TEXT NOT NULL,
    pace_percent  BIGINT NOT NULL,
    start_date    TEXT NOT NULL,
    end_date      TEXT NOT NULL,
    data          TEXT NOT NULL,
    demo          BIGINT NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    updated_at    BIGINT NOT NULL
);
CREATE INDEX offerings_start ON offerings (start_date);

CREATE TABLE travel_matrix (
    from_code TEXT NOT NULL,
    to_code   TEXT NOT NULL,
    minutes   BIGINT NOT NULL CHECK (minutes >= 0),
    PRIMARY KEY (from_code, to_code)
);
