-- A notice's lease belongs to the process that took it. Each running process holds a lock file
-- of its own; a process that starts and can take another's lock knows that one is gone (the OS
-- frees the lock of a killed process) and frees its leases at once, instead of after the lease.
CREATE TABLE processes (
    token      TEXT PRIMARY KEY,
    pid        INTEGER NOT NULL,
    started_at TEXT NOT NULL
);
ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
CREATE INDEX outbox_lease_owner ON outbox(lease_owner) WHERE lease_owner IS NOT NULL;
