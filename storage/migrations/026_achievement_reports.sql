-- A nominee's achievement report (báo cáo thành tích), one per nominated pledge: short answers
-- to the report's headings, filed by the nominee (the unit head for a collective) and confirmed
-- by the head. "Thành tích tóm tắt" on the nominee list comes from it.
CREATE TABLE achievement_reports (
    pledge_id     INTEGER PRIMARY KEY REFERENCES pledges(id),
    answers       TEXT NOT NULL DEFAULT '{}',
    status        TEXT NOT NULL CHECK (status IN ('requested', 'submitted', 'confirmed')),
    filed_by      INTEGER REFERENCES people(id),
    confirmed_by  INTEGER REFERENCES people(id),
    updated_at    TEXT NOT NULL
);
