-- Invites as zooid's own claims. An invite without a use limit is also a claim at zooid
-- (NIP-86 `createclaim` as the relay), so the relay's own clients can join with it (kind 28934
-- with a `claim` tag); `claimed_at` says since when it is one. zooid cannot say which claim a
-- join used, so an invite with a use limit is redeemed through the platform only.
ALTER TABLE relay_invites ADD COLUMN claimed_at INTEGER;

CREATE INDEX relay_invites_claimed ON relay_invites (relay_id) WHERE claimed_at IS NOT NULL;

-- A relay whose claims at zooid are to be brought in line with its invites: due at `due_at`
-- (an invite made or withdrawn: now; a claimed invite expiring: its expiry; joins closing or
-- opening at the plan's limit: now), worked under a lease with backoff like every queue.
CREATE TABLE relay_claims (
    relay_id     TEXT PRIMARY KEY NOT NULL REFERENCES relays (id) ON DELETE CASCADE,
    due_at       INTEGER,
    -- Counts the calls for a look; a pass that finishes reschedules only if none came since.
    generation   INTEGER NOT NULL DEFAULT 0,
    attempts     INTEGER NOT NULL DEFAULT 0,
    lease_until  INTEGER,
    last_error   TEXT
) STRICT, WITHOUT ROWID;

CREATE INDEX relay_claims_due ON relay_claims (due_at) WHERE due_at IS NOT NULL;

-- A relay with claims at zooid admits members without the platform too: it is followed live.
DROP VIEW relays_counted;
CREATE VIEW relays_counted AS
    SELECT id, subdomain, secret_enc,
           (public_join = 1 OR members_may_invite = 1
            OR EXISTS (SELECT 1 FROM relay_roles WHERE relay_roles.relay_id = relays.id)
            OR EXISTS (SELECT 1 FROM relay_invites
                       WHERE relay_invites.relay_id = relays.id AND claimed_at IS NOT NULL)) AS live
    FROM relays
    WHERE status = 'active';
