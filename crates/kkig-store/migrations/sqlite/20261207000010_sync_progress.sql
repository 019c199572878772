-- A `kkig sync` run in progress (SQLite): which source, when it started, what it is doing and
-- when it last said so. The row goes when the run is recorded in sync_runs.
CREATE TABLE sync_progress (
    source      TEXT PRIMARY KEY,
    started_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    progress    TEXT NOT NULL
);
