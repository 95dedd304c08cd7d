-- Typed secrets (link codes, invitation codes) are limited: each wrong one is kept a while, per
-- account, and a link code dies after too many wrong guesses made anywhere while it lives.
CREATE TABLE wrong_guesses (
    kind    TEXT NOT NULL,
    account TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX wrong_guesses_by_account ON wrong_guesses(kind, account, at);
ALTER TABLE link_codes ADD COLUMN wrong_guesses INTEGER NOT NULL DEFAULT 0;
