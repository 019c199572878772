-- The competence-supply forecast (SQLite): a municipality's inputs per occupation, population
-- by age and year (observed and projected, from SCB JSON-stat), Kolada key figures, and named
-- clusters of municipalities. Staff by age is JSON text ({"25": 2, "31": 1.5}), read whole.

CREATE TABLE forecast_inputs (
    municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    ssyk              TEXT NOT NULL,
    base_year         INTEGER NOT NULL,
    staff_by_age      TEXT NOT NULL,
    vacancies         REAL NOT NULL CHECK (vacancies >= 0),
    completion_share  REAL NOT NULL CHECK (completion_share >= 0 AND completion_share <= 1),
    retirement_age    INTEGER NOT NULL,
    exit_rate         REAL NOT NULL,
    entry_age         INTEGER NOT NULL,
    retention         REAL NOT NULL,
    updated_at        INTEGER NOT NULL DEFAULT 0,
    demo              INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    PRIMARY KEY (municipality_code, ssyk)
);

-- Both sexes summed. age: "0"…"99", "100+", ranges "5-9", "tot". value NULL = no value.
CREATE TABLE forecast_population (
    municipality_code TEXT NOT NULL,
    year              INTEGER NOT NULL,
    age               TEXT NOT NULL,
    projection        INTEGER NOT NULL CHECK (projection IN (0, 1)),
    value             REAL,
    demo              INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    PRIMARY KEY (municipality_code, projection, year, age)
);

CREATE TABLE kolada_values (
    kpi               TEXT NOT NULL,
    municipality_code TEXT NOT NULL,
    period            INTEGER NOT NULL,
    gender            TEXT NOT NULL,
    value             REAL,
    PRIMARY KEY (kpi, municipality_code, period, gender)
);

CREATE TABLE forecast_clusters (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    demo       INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
);

CREATE TABLE forecast_cluster_members (
    cluster_id        TEXT NOT NULL REFERENCES forecast_clusters (id) ON DELETE CASCADE,
    municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    PRIMARY KEY (cluster_id, municipality_code)
);
