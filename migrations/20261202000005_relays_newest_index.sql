-- The admins' relay list walks relays newest first; without this index every page sorted the
-- whole table, so its cost grew with the platform.
CREATE INDEX relays_newest ON relays (created_at DESC, id);
