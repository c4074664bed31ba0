-- Tenants run their community. The switches an owner sets for their relay, sent to zooid in
-- its configuration (a feature the plan lacks stays off whatever its switch says); the
-- co-admins and inviters they appoint; and the member count the platform last read from
-- the relay's own member list.
ALTER TABLE relays ADD COLUMN public_join INTEGER NOT NULL DEFAULT 0 CHECK (public_join IN (0, 1));
ALTER TABLE relays ADD COLUMN members_may_invite INTEGER NOT NULL DEFAULT 0 CHECK (members_may_invite IN (0, 1));
ALTER TABLE relays ADD COLUMN groups_enabled INTEGER NOT NULL DEFAULT 1 CHECK (groups_enabled IN (0, 1));
ALTER TABLE relays ADD COLUMN push_enabled INTEGER NOT NULL DEFAULT 0 CHECK (push_enabled IN (0, 1));
ALTER TABLE relays ADD COLUMN blossom_enabled INTEGER NOT NULL DEFAULT 1 CHECK (blossom_enabled IN (0, 1));
ALTER TABLE relays ADD COLUMN blossom_members_read INTEGER NOT NULL DEFAULT 1 CHECK (blossom_members_read IN (0, 1));
ALTER TABLE relays ADD COLUMN livekit_enabled INTEGER NOT NULL DEFAULT 1 CHECK (livekit_enabled IN (0, 1));
ALTER TABLE relays ADD COLUMN strip_signatures INTEGER NOT NULL DEFAULT 0 CHECK (strip_signatures IN (0, 1));
-- NULL until the relay's member list was first read.
ALTER TABLE relays ADD COLUMN member_count INTEGER CHECK (member_count IS NULL OR member_count >= 0);
ALTER TABLE relays ADD COLUMN members_counted_at INTEGER;

-- Co-admins (zooid `can_manage` and `can_invite`) and inviters (`can_invite`). The owner is
-- always an admin and never listed here.
CREATE TABLE relay_roles (
    relay_id  TEXT NOT NULL REFERENCES relays (id) ON DELETE CASCADE,
    pubkey    TEXT NOT NULL CHECK (length(pubkey) = 64 AND pubkey NOT GLOB '*[^0-9a-f]*'),
    role      TEXT NOT NULL CHECK (role IN ('admin', 'inviter')),
    added_by  TEXT NOT NULL,
    added_at  INTEGER NOT NULL,
    PRIMARY KEY (relay_id, pubkey)
) STRICT, WITHOUT ROWID;

CREATE INDEX relay_roles_pubkey ON relay_roles (pubkey, role);
