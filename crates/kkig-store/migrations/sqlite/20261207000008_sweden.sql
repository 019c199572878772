-- All of Sweden's 290 municipalities (SQLite): the role 'other' beside 'participant' and
-- 'campus', for municipalities outside the region that are valid wherever a municipality is
-- entered. SQLite cannot change a CHECK constraint, so the table is rebuilt as SQLite's
-- documentation prescribes: kkig runs the SQLite migrations with foreign keys off (they can
-- only be switched outside a transaction) and checks every foreign key afterwards
-- (`SqlStore::migrate`). The tables that refer to municipalities keep their rows: the rebuilt
-- table holds the same codes.

CREATE TABLE municipalities_sweden (
    code            TEXT PRIMARY KEY CHECK (length(code) = 4),
    name            TEXT NOT NULL,
    county_code     TEXT NOT NULL,
    county_name     TEXT NOT NULL,
    seat            TEXT NOT NULL,
    lat             REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon             REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
    population      INTEGER NOT NULL CHECK (population >= 0),
    population_year INTEGER NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('participant', 'campus', 'other'))
);

INSERT INTO municipalities_sweden
    (code, name, county_code, county_name, seat, lat, lon, population, population_year, role)
SELECT code, name, county_code, county_name, seat, lat, lon, population, population_year, role
FROM municipalities;

DROP TABLE municipalities;

ALTER TABLE municipalities_sweden RENAME TO municipalities;
