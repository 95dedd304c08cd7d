-- The secretariat's proposals of pledges for an award form, counted against its quota.
CREATE TABLE award_proposals (
    id           INTEGER PRIMARY KEY,
    pledge_id    INTEGER NOT NULL UNIQUE REFERENCES pledges(id),
    campaign_id  TEXT NOT NULL,
    award_index  INTEGER NOT NULL,
    period       TEXT NOT NULL,
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    proposed_by  INTEGER NOT NULL REFERENCES people(id),
    created_at   TEXT NOT NULL
);
CREATE INDEX award_proposals_count ON award_proposals(campaign_id, award_index, period, unit_id);
