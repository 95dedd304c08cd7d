-- The durable inbox: an update is stored before the messenger is told it arrived, handled once
-- (handled_at set in the same transaction as everything it changed), and answered from what
-- was committed (replies kept until sent).
CREATE TABLE inbox (
    channel     TEXT NOT NULL,
    update_id   TEXT NOT NULL,
    sender      TEXT NOT NULL DEFAULT '',
    payload     TEXT,
    received_at TEXT NOT NULL,
    handled_at  TEXT,
    replies     TEXT,
    answered_at TEXT,
    PRIMARY KEY (channel, update_id)
);
CREATE INDEX inbox_unfinished ON inbox(channel, answered_at) WHERE answered_at IS NULL;
INSERT INTO inbox (channel, update_id, received_at, handled_at, answered_at)
    SELECT channel, update_id, processed_at, processed_at, processed_at FROM processed_updates;
DROP TABLE processed_updates;

-- Notices are leased, not claimed for ever: one not confirmed sent before its lease ends is
-- sent again; failures are retried with backoff and end as 'failed' with the reason.
ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'pending';
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_at TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN lease_until TEXT;
ALTER TABLE outbox ADD COLUMN files TEXT NOT NULL DEFAULT '[]';
UPDATE outbox SET state = CASE WHEN sent_at IS NOT NULL THEN 'sent'
                               WHEN error IS NOT NULL THEN 'failed' ELSE 'pending' END;
DROP INDEX outbox_pending;
CREATE INDEX outbox_due ON outbox(channel, state, next_at) WHERE state = 'pending';
