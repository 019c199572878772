-- Foundation: reference data, demo data, sessions and metadata (PostgreSQL).
-- Integers are BIGINT, floats DOUBLE PRECISION, flags BIGINT 0/1, times unix
-- seconds; the SQLite migration has the same tables with the same column types.

CREATE TABLE municipalities (
    code            TEXT PRIMARY KEY CHECK (length(code) = 4),
    name            TEXT NOT NULL,
    county_code     TEXT NOT NULL,
    county_name     TEXT NOT NULL,
    seat            TEXT NOT NULL,
    lat             DOUBLE PRECISION NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon             DOUBLE PRECISION NOT NULL CHECK (lon BETWEEN -180 AND 180),
    population      BIGINT NOT NULL CHECK (population >= 0),
    population_year BIGINT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('participant', 'campus'))
);

CREATE TABLE universities (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE campuses (
    university_code   TEXT NOT NULL REFERENCES universities (code),
    town              TEXT NOT NULL,
    municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    position          BIGINT NOT NULL,
    PRIMARY KEY (university_code, town)
);

CREATE TABLE learning_centres (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    name              TEXT NOT NULL,
    town              TEXT NOT NULL,
    lat               DOUBLE PRECISION NOT NULL,
    lon               DOUBLE PRECISION NOT NULL,
    position_source   TEXT NOT NULL
);

CREATE TABLE learning_centre_services (
    learning_centre_id TEXT PRIMARY KEY REFERENCES learning_centres (id),
    study_places       BIGINT NOT NULL CHECK (study_places >= 0),
    exam_sittings      BIGINT NOT NULL CHECK (exam_sittings IN (0, 1)),
    video_rooms        BIGINT NOT NULL CHECK (video_rooms >= 0),
    study_guidance     BIGINT NOT NULL CHECK (study_guidance IN (0, 1)),
    demo               BIGINT NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
);

CREATE TABLE occupations (
    ssyk TEXT PRIMARY KEY CHECK (length(ssyk) = 4),
    name TEXT NOT NULL,
    area TEXT NOT NULL CHECK (area IN ('teacher', 'nurse', 'social_work'))
);

CREATE TABLE placement_sites (
    id                TEXT PRIMARY KEY,
    municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL,
    lat               DOUBLE PRECISION NOT NULL,
    lon               DOUBLE PRECISION NOT NULL,
    demo              BIGINT NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
);
CREATE INDEX placement_sites_municipality ON placement_sites (municipality_code);

-- Small facts about this database: when reference data was seeded, which demo seed is loaded.
CREATE TABLE kkig_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Web sessions (tower-sessions records as JSON), shared by every web node.
CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    data        TEXT NOT NULL,
    expiry_unix BIGINT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry_unix);
