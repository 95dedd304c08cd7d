-- Pledges (đăng ký thi đua), initiatives (sáng kiến) with authors and attachments,
-- human references, the notification outbox, and unit heads / invitation roles.
ALTER TABLE units ADD COLUMN heads TEXT NOT NULL DEFAULT '[]';
ALTER TABLE invites ADD COLUMN role TEXT NOT NULL DEFAULT 'staff';

CREATE TABLE ref_counters (
    prefix TEXT NOT NULL,
    year   INTEGER NOT NULL,
    last   INTEGER NOT NULL,
    PRIMARY KEY (prefix, year)
);

CREATE TABLE pledges (
    id               INTEGER PRIMARY KEY,
    ref              TEXT NOT NULL UNIQUE,
    campaign_id      TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('individual', 'collective')),
    person_id        INTEGER NOT NULL REFERENCES people(id),
    unit_id          INTEGER NOT NULL REFERENCES units(id),
    title            TEXT NOT NULL,
    commitments      TEXT NOT NULL DEFAULT '[]',
    own_commitments  TEXT NOT NULL DEFAULT '[]',
    status           TEXT NOT NULL CHECK (status IN
                     ('submitted', 'confirmed', 'returned', 'accepted', 'achieved', 'not_achieved', 'withdrawn')),
    comment          TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
-- One pledge per person (or unit) per campaign and title; a withdrawn one frees the place.
CREATE UNIQUE INDEX pledges_one_individual ON pledges(campaign_id, person_id, title)
    WHERE kind = 'individual' AND status != 'withdrawn';
CREATE UNIQUE INDEX pledges_one_collective ON pledges(campaign_id, unit_id, title)
    WHERE kind = 'collective' AND status != 'withdrawn';
CREATE INDEX pledges_unit ON pledges(unit_id, status);

CREATE TABLE initiatives (
    id            INTEGER PRIMARY KEY,
    ref           TEXT NOT NULL UNIQUE,
    campaign_id   TEXT NOT NULL,
    person_id     INTEGER NOT NULL REFERENCES people(id),
    title         TEXT NOT NULL,
    reform_area   TEXT NOT NULL,
    applied_on    TEXT NOT NULL,
    description   TEXT NOT NULL,
    conditions    TEXT NOT NULL,
    benefits      TEXT NOT NULL,
    trialled_by   TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN
                  ('submitted', 'under_review', 'needs_changes', 'recognised', 'not_recognised', 'withdrawn')),
    review_comment TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX initiatives_person ON initiatives(person_id);

CREATE TABLE initiative_authors (
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    full_name     TEXT NOT NULL,
    unit_name     TEXT NOT NULL,
    share         INTEGER NOT NULL CHECK (share BETWEEN 1 AND 100),
    person_id     INTEGER REFERENCES people(id),
    PRIMARY KEY (initiative_id, position)
);

CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    file_name     TEXT NOT NULL,
    mime_type     TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    stored_path   TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

-- Notices to people other than the one chatting: written with the change, sent by a sender.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people(id),
    channel     TEXT NOT NULL,
    external_id TEXT NOT NULL,
    text        TEXT NOT NULL,
    options     TEXT NOT NULL DEFAULT '[]',
    created_at  TEXT NOT NULL,
    claimed_at  TEXT,
    sent_at     TEXT,
    error       TEXT
);
CREATE INDEX outbox_pending ON outbox(channel, claimed_at);

ALTER TABLE people ADD COLUMN unreachable INTEGER NOT NULL DEFAULT 0;
