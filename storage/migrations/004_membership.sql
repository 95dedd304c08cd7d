-- People who picked their unit themselves wait for the unit head or the secretariat to confirm.
ALTER TABLE people ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 1;
