-- Files sent as links (Zalo cannot carry documents) are served only by the id of a share: a file
-- of the store of made files (exports, charts, papers, calendars) or of attachments, for one
-- account, until an expiry. The address carries the id, the expiry and a signature over them and
-- the account; never a path. The signing key is the links' own (LINK_SIGNING_KEY, or one made at
-- the first start and kept here), never a messenger's token.
CREATE TABLE kept_secrets (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE file_shares (
    id            INTEGER PRIMARY KEY,
    store         TEXT NOT NULL CHECK (store IN ('made', 'attachment')),
    relative_path TEXT NOT NULL,
    name          TEXT NOT NULL,
    channel       TEXT NOT NULL,
    account       TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX file_shares_expiry ON file_shares(expires_at);
