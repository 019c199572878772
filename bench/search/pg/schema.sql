-- PostgreSQL side of bench/search/compare.sh: the schema of README.md, loaded from the
-- converted export (pg-offerings.csv) on standard input:
--   psql -f pg/schema.sql < pg-offerings.csv
-- The travel table is filled by compare.sh afterwards (\copy travel FROM pstdin).
\set ON_ERROR_STOP on
SET maintenance_work_mem = '256MB';
CREATE TABLE staging (
  id text, title text, code text, provider_name text, level text, eligibility text,
  towns text, school_type text, form text, pace_percent text, start text, start_term text,
  areas text, meeting_kommunkod text, meetings_per_term text);
-- FORCE_NOT_NULL: an empty field is '' (not NULL), as the README's NULLIF expects.
\copy staging FROM pstdin WITH (FORMAT csv, DELIMITER ';', HEADER true, FORCE_NOT_NULL (id, title, code, provider_name, level, eligibility, towns, school_type, form, pace_percent, start, start_term, areas, meeting_kommunkod, meetings_per_term))
CREATE TABLE offering (
  id text PRIMARY KEY, title text, code text, provider_name text, level text,
  eligibility text, towns text, school_type text, form text, pace_percent int,
  start date, start_term text, areas text[], meeting_kommunkod text, meetings_per_term int,
  doc tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('swedish', title), 'A') ||
    setweight(to_tsvector('swedish', code), 'B') ||
    setweight(to_tsvector('swedish', provider_name || ' ' || replace(towns, '|', ' ')), 'C') ||
    setweight(to_tsvector('swedish', level || ' ' || eligibility), 'D')) STORED);
INSERT INTO offering (id, title, code, provider_name, level, eligibility, towns, school_type,
                      form, pace_percent, start, start_term, areas, meeting_kommunkod,
                      meetings_per_term)
SELECT id, title, code, provider_name, level, eligibility, towns, school_type, form,
       pace_percent::int, start::date, start_term, string_to_array(NULLIF(areas, ''), '|'),
       NULLIF(meeting_kommunkod, ''), meetings_per_term::int
FROM staging;
DROP TABLE staging;
CREATE TABLE travel (from_k text, to_k text, minutes int, PRIMARY KEY (from_k, to_k));
