-- Each unit's staff as the secretariat lists them (organisation file or Excel), before anyone
-- joins: "not registered" counts everyone who should register, not only those who opened the
-- bot. A line is linked to the person who joined as it.
CREATE TABLE roster (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    full_name   TEXT NOT NULL,
    folded      TEXT NOT NULL,
    position    TEXT NOT NULL DEFAULT '',
    contact     TEXT NOT NULL DEFAULT '',
    person_id   INTEGER UNIQUE REFERENCES people(id),
    updated_at  TEXT NOT NULL,
    UNIQUE (unit_id, folded, position)
);
