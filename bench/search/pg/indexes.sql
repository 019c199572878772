-- Indexes of README.md, then statistics (timed separately from the load).
\set ON_ERROR_STOP on
SET maintenance_work_mem = '256MB';
CREATE INDEX ON offering USING gin (doc);
CREATE INDEX ON offering USING gin (areas);
CREATE INDEX ON offering (school_type); CREATE INDEX ON offering (form);
CREATE INDEX ON offering (start_term);  CREATE INDEX ON offering (pace_percent);
VACUUM ANALYZE offering;
ANALYZE travel;
