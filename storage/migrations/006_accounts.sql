-- One person, several messenger accounts (Telegram, Zalo): each account points at its person;
-- people.channel/external_id is the account notices go to (the one used last).
CREATE TABLE accounts (
    channel     TEXT NOT NULL,
    external_id TEXT NOT NULL,
    person_id   INTEGER NOT NULL REFERENCES people(id),
    linked_at   TEXT NOT NULL,
    PRIMARY KEY (channel, external_id)
);
CREATE INDEX accounts_person ON accounts(person_id);
INSERT INTO accounts (channel, external_id, person_id, linked_at)
    SELECT channel, external_id, id, created_at FROM people;

-- A one-time code from a new account, typed on the account that holds the records.
CREATE TABLE link_codes (
    code        TEXT PRIMARY KEY,
    channel     TEXT NOT NULL,
    external_id TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
