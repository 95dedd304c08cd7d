-- A unit head's proposal is a suggestion to the secretariat: it does not count in a quota
-- until the desk takes it.
ALTER TABLE award_proposals ADD COLUMN suggested INTEGER NOT NULL DEFAULT 0;
-- A campaign year's list, closed when it goes to the Council: proposals are then frozen.
CREATE TABLE nomination_lists (
    campaign_id  TEXT NOT NULL,
    year         INTEGER NOT NULL,
    closed_at    TEXT NOT NULL,
    closed_by    INTEGER NOT NULL REFERENCES people(id),
    PRIMARY KEY (campaign_id, year)
);
