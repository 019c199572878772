-- The last run of each `kkig sync` source (SQLite): when it started and finished, whether it
-- succeeded, what it did or why it failed, and when it last succeeded.
CREATE TABLE sync_runs (
    source      TEXT PRIMARY KEY,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    ok          INTEGER NOT NULL CHECK (ok IN (0, 1)),
    summary     TEXT NOT NULL,
    last_ok_at  INTEGER
);
