-- The Zalo Official Account's OAuth tokens. The refresh token is single use and rotates at each
-- refresh, so the newest pair is kept here, written before it is used. `seed` is a digest of the
-- ZALO_OA_REFRESH_TOKEN the pair descends from: a new setting (the OA re-authorised) starts a
-- new chain. lock_owner/lock_until: the one process refreshing, for a short lease.
CREATE TABLE oa_tokens (
    app_id            TEXT PRIMARY KEY,
    seed              TEXT NOT NULL,
    access_token      TEXT,
    access_expires_at TEXT,
    refresh_token     TEXT,
    refreshed_at      TEXT,
    refreshes         INTEGER NOT NULL DEFAULT 0,
    lock_owner        TEXT,
    lock_until        TEXT,
    failed_at         TEXT,
    failure           TEXT
);

-- When each account last wrote (any messenger): the OA may send consultation messages only
-- within 7 days of it.
ALTER TABLE accounts ADD COLUMN last_seen_at TEXT;
UPDATE accounts SET last_seen_at = linked_at;

-- Notices: what kind they are (a deadline reminder is summed up with others when it waited),
-- and how they went when not straight to the account they were queued for: 'waiting' (outside
-- the OA's window, until the person writes), rerouted to another of their accounts, or by ZNS.
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'notice';
ALTER TABLE outbox ADD COLUMN via TEXT;
CREATE INDEX outbox_waiting ON outbox(person_id) WHERE state = 'waiting';
