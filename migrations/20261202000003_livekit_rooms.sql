-- The newest version of each NIP-53 meeting space (kind 30312) the LiveKit watcher has seen on
-- a relay. Relays stop serving a room once it expires (NIP-40) or its author deletes it (NIP-09,
-- by address or by event id); this lets a token request tell those rooms (410) from rooms that
-- never existed (404), across restarts. Kept while the relay exists.
CREATE TABLE livekit_rooms (
    relay_id   TEXT NOT NULL REFERENCES relays (id) ON DELETE CASCADE,
    author     TEXT NOT NULL CHECK (length(author) = 64),
    d          TEXT NOT NULL,
    event_id   TEXT NOT NULL CHECK (length(event_id) = 64),
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    PRIMARY KEY (relay_id, d, author)
) STRICT;
