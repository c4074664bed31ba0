-- Invite links to a relay: redeemed through the platform, which checks expiry, the use
-- limit, revocation, bans and the plan's member limit before it adds the member at zooid
-- (zooid's own invite claims never expire and cannot be counted).
CREATE TABLE relay_invites (
    id          TEXT PRIMARY KEY NOT NULL,
    relay_id    TEXT NOT NULL REFERENCES relays (id) ON DELETE CASCADE,
    code        TEXT NOT NULL UNIQUE CHECK (length(code) = 32 AND code NOT GLOB '*[^0-9a-f]*'),
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    -- NULL: as many uses as the relay has room for.
    max_uses    INTEGER CHECK (max_uses IS NULL OR max_uses > 0),
    uses        INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0 AND (max_uses IS NULL OR uses <= max_uses)),
    revoked_at  INTEGER
) STRICT;

CREATE INDEX relay_invites_relay ON relay_invites (relay_id, created_at);

-- Who joined with which invite.
CREATE TABLE relay_invite_uses (
    invite_id  TEXT NOT NULL REFERENCES relay_invites (id) ON DELETE CASCADE,
    pubkey     TEXT NOT NULL CHECK (length(pubkey) = 64),
    used_at    INTEGER NOT NULL,
    PRIMARY KEY (invite_id, pubkey)
) STRICT, WITHOUT ROWID;
