-- The campaign a person's questions were last about, for follow-ups ("còn tiêu chí cá nhân?").
-- Kept apart from the flow so finishing a form does not forget it.
ALTER TABLE conversations ADD COLUMN about TEXT;
ALTER TABLE conversations ADD COLUMN about_at TEXT;

-- Questions the bot could not answer from the plans, for the secretariat to improve the files.
CREATE TABLE open_questions (
    id          INTEGER PRIMARY KEY,
    asked_at    TEXT NOT NULL,
    person_id   INTEGER REFERENCES people(id) ON DELETE SET NULL,
    campaign    TEXT,
    section     TEXT,
    text        TEXT NOT NULL,
    seen_at     TEXT
);
CREATE INDEX open_questions_unseen ON open_questions(seen_at, asked_at);
