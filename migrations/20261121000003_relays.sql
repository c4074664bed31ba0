-- A relay's desired configuration, and how far zooid has caught up with it.
-- Every change bumps desired_version in the same transaction; the provisioning
-- worker converges zooid and records synced_version.
CREATE TABLE relays (
    id              TEXT PRIMARY KEY NOT NULL,
    tenant          TEXT NOT NULL REFERENCES tenants (pubkey),
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    subdomain       TEXT NOT NULL UNIQUE CHECK (length(subdomain) BETWEEN 3 AND 63
                        AND subdomain GLOB '[a-z]*' AND subdomain NOT GLOB '*[^a-z0-9-]*'
                        AND subdomain NOT GLOB '*-' AND subdomain NOT GLOB '*--*'),
    schema          TEXT NOT NULL UNIQUE CHECK (schema GLOB '[a-z]*' AND schema NOT GLOB '*[^a-z0-9_]*'
                        AND schema NOT GLOB '*_' AND schema NOT GLOB '*__*'),
    icon            TEXT NOT NULL DEFAULT '',
    description     TEXT NOT NULL DEFAULT '',
    plan            TEXT NOT NULL REFERENCES plans (id),
    status          TEXT NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'active', 'suspended', 'inactive')),
    -- Why an inactive relay is off: only 'tenant' is undone by reactivating the tenant.
    inactive_reason TEXT CHECK (inactive_reason IN ('owner', 'admin', 'tenant')),
    pubkey          TEXT NOT NULL CHECK (length(pubkey) = 64),
    secret_enc      BLOB NOT NULL,
    desired_version INTEGER NOT NULL DEFAULT 1 CHECK (desired_version >= 1),
    synced_version  INTEGER NOT NULL DEFAULT 0 CHECK (synced_version >= 0),
    sync_attempts   INTEGER NOT NULL DEFAULT 0,
    sync_error      TEXT,
    sync_next_at    INTEGER,
    sync_lease_until INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    CHECK ((status = 'inactive') = (inactive_reason IS NOT NULL))
) STRICT;

CREATE INDEX relays_tenant ON relays (tenant, created_at);
CREATE INDEX relays_unsynced ON relays (sync_next_at) WHERE synced_version < desired_version;
