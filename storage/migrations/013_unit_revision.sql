-- The units' revision, as for campaigns (012): the tree is cached in process and re-read only
-- when it changes, whichever instance changed it.
INSERT INTO revisions (name, value) VALUES ('units', 0);
CREATE TRIGGER units_inserted AFTER INSERT ON units
BEGIN UPDATE revisions SET value = value + 1 WHERE name = 'units'; END;
CREATE TRIGGER units_updated AFTER UPDATE ON units
BEGIN UPDATE revisions SET value = value + 1 WHERE name = 'units'; END;
CREATE TRIGGER units_deleted AFTER DELETE ON units
BEGIN UPDATE revisions SET value = value + 1 WHERE name = 'units'; END;
