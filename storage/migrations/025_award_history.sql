-- What each person or unit was awarded, per year, with the decision's number and date
-- (quá trình khen thưởng): imported from the secretariat's sheet or written when a decision
-- is recorded. Feeds the eligibility rules. A person is kept by name and unit as written,
-- linked to the people row when known.
CREATE TABLE award_history (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('individual', 'collective')),
    full_name       TEXT NOT NULL,
    folded          TEXT NOT NULL,
    unit_name       TEXT NOT NULL DEFAULT '',
    person_id       INTEGER REFERENCES people(id),
    unit_id         INTEGER REFERENCES units(id),
    year            INTEGER NOT NULL,
    title           TEXT NOT NULL,
    granted_by      TEXT NOT NULL DEFAULT '',
    decision_number TEXT NOT NULL DEFAULT '',
    decision_date   TEXT NOT NULL DEFAULT '',
    source          TEXT NOT NULL CHECK (source IN ('import', 'decision')),
    created_at      TEXT NOT NULL,
    UNIQUE (kind, folded, unit_name, year, title, granted_by)
);
CREATE INDEX award_history_person ON award_history(person_id);
CREATE INDEX award_history_unit ON award_history(unit_id, kind);
CREATE INDEX award_history_folded ON award_history(folded);
