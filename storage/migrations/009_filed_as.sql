-- A pledge keeps the name, position and unit it was filed under, whatever the person changes
-- later (the workbook and the record show these). Existing pledges take today's values.
ALTER TABLE pledges ADD COLUMN filed_name TEXT NOT NULL DEFAULT '';
ALTER TABLE pledges ADD COLUMN filed_position TEXT NOT NULL DEFAULT '';
ALTER TABLE pledges ADD COLUMN filed_unit TEXT NOT NULL DEFAULT '';
UPDATE pledges SET
    filed_name = coalesce((SELECT full_name FROM people WHERE people.id = pledges.person_id), ''),
    filed_position = coalesce((SELECT position FROM people WHERE people.id = pledges.person_id), ''),
    filed_unit = coalesce((SELECT name FROM units WHERE units.id = pledges.unit_id), '');
