-- Sign-in throttling that holds (PostgreSQL): failures per account, per address and per both, counted
-- and recorded in one write transaction per attempt. Replaces login_failures (keys
-- 'account:EMAIL' / 'address:IP'), whose rows are throttling state of at most a day.

DROP TABLE login_failures;

-- One row per failed sign-in, and per attempt still being checked: an attempt is recorded
-- here before its password is checked, and removed again when the password was right.
-- account is the e-mail as typed (trimmed, lower case), also for accounts that do not exist;
-- erasing a person removes the rows of their e-mail.
CREATE TABLE sign_in_failures (
    id      TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    address TEXT NOT NULL,
    at      BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_account ON sign_in_failures (account, address, at);
CREATE INDEX sign_in_failures_address ON sign_in_failures (address, at);
CREATE INDEX sign_in_failures_at ON sign_in_failures (at);

-- One row per account name being signed in to: each attempt's transaction upserts it first,
-- which on PostgreSQL locks the row until commit, so that attempts for one account are counted
-- one after the other (on SQLite the write transaction itself is exclusive).
CREATE TABLE sign_in_locks (
    account TEXT PRIMARY KEY,
    at      BIGINT NOT NULL
);
