-- One small row that changes with every change to a campaign (from any instance): the bot
-- checks it before using its parsed campaigns, instead of reading every definition.
CREATE TABLE revisions (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO revisions (name, value) VALUES ('campaigns', 0);
CREATE TRIGGER campaigns_inserted AFTER INSERT ON campaigns
BEGIN UPDATE revisions SET value = value + 1 WHERE name = 'campaigns'; END;
CREATE TRIGGER campaigns_updated AFTER UPDATE ON campaigns
BEGIN UPDATE revisions SET value = value + 1 WHERE name = 'campaigns'; END;
CREATE TRIGGER campaigns_deleted AFTER DELETE ON campaigns
BEGIN UPDATE revisions SET value = value + 1 WHERE name = 'campaigns'; END;
