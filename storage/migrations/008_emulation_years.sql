-- A pledge belongs to one emulation year (năm thi đua): one per person (or unit), campaign,
-- title and year. Existing pledges take the year of their reference (TD-2026-0001 → 2026).
ALTER TABLE pledges ADD COLUMN year INTEGER NOT NULL DEFAULT 0;
UPDATE pledges SET year = CAST(substr(ref, 4, 4) AS INTEGER);
DROP INDEX pledges_one_individual;
DROP INDEX pledges_one_collective;
CREATE UNIQUE INDEX pledges_one_individual ON pledges(campaign_id, year, person_id, title)
    WHERE kind = 'individual' AND status != 'withdrawn';
CREATE UNIQUE INDEX pledges_one_collective ON pledges(campaign_id, year, unit_id, title)
    WHERE kind = 'collective' AND status != 'withdrawn';
CREATE INDEX pledges_campaign_year ON pledges(campaign_id, year);

-- Deadline reminders: each (deadline occurrence, days before, person) goes out once, whatever
-- restarts or instances; people can mute a campaign; the desk can cancel one occasion.
CREATE TABLE reminders_sent (
    campaign     TEXT NOT NULL,
    deadline     TEXT NOT NULL,
    due          TEXT NOT NULL,
    days_before  INTEGER NOT NULL,
    person_id    INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    sent_at      TEXT NOT NULL,
    PRIMARY KEY (campaign, deadline, due, days_before, person_id)
);
CREATE TABLE reminder_mutes (
    person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    campaign   TEXT NOT NULL,
    muted_at   TEXT NOT NULL,
    PRIMARY KEY (person_id, campaign)
);
CREATE TABLE reminder_cancels (
    campaign     TEXT NOT NULL,
    deadline     TEXT NOT NULL,
    due          TEXT NOT NULL,
    days_before  INTEGER NOT NULL,
    cancelled_by INTEGER REFERENCES people(id),
    cancelled_at TEXT NOT NULL,
    PRIMARY KEY (campaign, deadline, due, days_before)
);
