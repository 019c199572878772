-- The last run of each `kkig sync` source (PostgreSQL): when it started and finished, whether it
-- succeeded, what it did or why it failed, and when it last succeeded.
CREATE TABLE sync_runs (
    source      TEXT PRIMARY KEY,
    started_at  BIGINT NOT NULL,
    finished_at BIGINT NOT NULL,
    ok          BIGINT NOT NULL CHECK (ok IN (0, 1)),
    summary     TEXT NOT NULL,
    last_ok_at  BIGINT
);
