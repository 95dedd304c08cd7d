-- The part of a plan the conversation was last about ("criteria", "participants"), so that a
-- follow-up such as "còn cá nhân thì sao?" keeps it.
ALTER TABLE conversations ADD COLUMN about_topic TEXT;
