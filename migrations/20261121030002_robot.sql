-- The platform's Nostr identity: its durable message outbox and what it last published.

-- Every message the robot sends, written in the same transaction as the event that causes
-- it. The gift wrap is built once and stored, so a resend publishes the same event id.
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    recipient    TEXT NOT NULL CHECK (length(recipient) = 64),
    topic        TEXT NOT NULL,
    -- Makes enqueueing idempotent: one receipt per invoice, one notice per pull, …
    dedupe_key   TEXT NOT NULL UNIQUE,
    body         TEXT NOT NULL,
    wrap         TEXT CHECK (wrap IS NULL OR json_valid(wrap)),
    wrap_id      TEXT,
    -- Where the recipient's inbox came from: their kind 10050, their kind 10002 read
    -- relays, or the platform's own messaging relays.
    relay_source TEXT CHECK (relay_source IN ('10050', '10002-read', 'platform')),
    relays       TEXT CHECK (relays IS NULL OR json_valid(relays)),
    accepted_by  TEXT CHECK (accepted_by IS NULL OR json_valid(accepted_by)),
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    next_at      INTEGER NOT NULL,
    lease_until  INTEGER,
    created_at   INTEGER NOT NULL,
    sent_at      INTEGER,
    CHECK ((state = 'sent') = (sent_at IS NOT NULL))
) STRICT;

CREATE INDEX outbox_due ON outbox (next_at) WHERE state = 'pending';
CREATE INDEX outbox_recipient ON outbox (recipient, id);

-- The last profile/relay-list event published per kind, to republish only on change.
CREATE TABLE robot_published (
    kind         INTEGER PRIMARY KEY,
    digest       TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    published_at INTEGER NOT NULL
) STRICT;
