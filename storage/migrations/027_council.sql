-- How each body is written on its papers (NĐ 30/2020: tên cơ quan, ký hiệu, địa danh, người ký),
-- from the organisation file.
CREATE TABLE issuing_bodies (
    unit_id       INTEGER PRIMARY KEY REFERENCES units(id),
    name          TEXT NOT NULL,
    abbreviation  TEXT NOT NULL DEFAULT '',
    place         TEXT NOT NULL DEFAULT '',
    signer        TEXT NOT NULL DEFAULT '',
    on_behalf     TEXT NOT NULL DEFAULT ''
);

-- The Council (Hội đồng Thi đua – Khen thưởng) of a body, its standing secretariat, members.
CREATE TABLE councils (
    id                INTEGER PRIMARY KEY,
    unit_id           INTEGER NOT NULL UNIQUE REFERENCES units(id),
    secretariat_id    INTEGER REFERENCES units(id),
    name              TEXT NOT NULL
);
CREATE TABLE council_members (
    id           INTEGER PRIMARY KEY,
    council_id   INTEGER NOT NULL REFERENCES councils(id),
    full_name    TEXT NOT NULL,
    role         TEXT NOT NULL DEFAULT '',
    channel      TEXT NOT NULL,
    external_id  TEXT NOT NULL,
    position     INTEGER NOT NULL DEFAULT 0,
    active       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (council_id, channel, external_id)
);

-- A secret ballot on a closed list. The store keeps who has voted (ballot_voters, per nominee,
-- with no choice) and the counts per nominee (ballot_nominees), never who voted how: no row
-- links a member to a choice. Closed at its time or when everyone has voted; never reopened.
CREATE TABLE ballots (
    id           INTEGER PRIMARY KEY,
    campaign_id  TEXT NOT NULL,
    year         INTEGER NOT NULL,
    council_id   INTEGER NOT NULL REFERENCES councils(id),
    members      INTEGER NOT NULL,
    opened_at    TEXT NOT NULL,
    opened_by    INTEGER NOT NULL REFERENCES people(id),
    closes_at    TEXT NOT NULL,
    closed_at    TEXT,
    UNIQUE (campaign_id, year)
);
CREATE TABLE ballot_nominees (
    ballot_id    INTEGER NOT NULL REFERENCES ballots(id),
    pledge_id    INTEGER NOT NULL REFERENCES pledges(id),
    position     INTEGER NOT NULL,
    award_index  INTEGER NOT NULL,
    share        REAL NOT NULL,
    strict       INTEGER NOT NULL,
    yes          INTEGER NOT NULL DEFAULT 0,
    no           INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (ballot_id, pledge_id)
);
CREATE TABLE ballot_voters (
    ballot_id    INTEGER NOT NULL REFERENCES ballots(id),
    member_id    INTEGER NOT NULL REFERENCES council_members(id),
    pledge_id    INTEGER NOT NULL,
    PRIMARY KEY (ballot_id, member_id, pledge_id)
) WITHOUT ROWID;
-- Whether a member attended or sent a written opinion (NĐ: absent members are asked in
-- writing); not what they chose.
CREATE TABLE ballot_attendance (
    ballot_id    INTEGER NOT NULL REFERENCES ballots(id),
    member_id    INTEGER NOT NULL REFERENCES council_members(id),
    written      INTEGER NOT NULL,
    PRIMARY KEY (ballot_id, member_id)
) WITHOUT ROWID;
-- The signed decision, as the desk records it: number and date.
CREATE TABLE award_decisions (
    ballot_id    INTEGER PRIMARY KEY REFERENCES ballots(id),
    number       TEXT NOT NULL,
    signed_on    TEXT NOT NULL,
    recorded_by  INTEGER NOT NULL REFERENCES people(id),
    recorded_at  TEXT NOT NULL
);
