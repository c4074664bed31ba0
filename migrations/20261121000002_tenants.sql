-- A tenant is a Nostr pubkey that signed up. The wallet URL is a secret: only its
-- ciphertext is stored, next to the non-secret parts the dashboard may show.
CREATE TABLE tenants (
    pubkey         TEXT PRIMARY KEY NOT NULL CHECK (length(pubkey) = 64 AND pubkey NOT GLOB '*[^0-9a-f]*'),
    status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    nwc_url_enc    BLOB,
    wallet_pubkey  TEXT CHECK (wallet_pubkey IS NULL OR length(wallet_pubkey) = 64),
    wallet_relays  TEXT,
    nwc_error      TEXT,
    billing_anchor INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    CHECK ((nwc_url_enc IS NULL) = (wallet_pubkey IS NULL))
) STRICT;

CREATE INDEX tenants_status ON tenants (status, created_at);
