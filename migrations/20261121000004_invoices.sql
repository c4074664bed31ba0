-- Money is integer millisatoshis. A period invoice is unique per tenant and period;
-- prorated invoices (a relay created or upgraded mid-period) may be several.
CREATE TABLE invoices (
    id            TEXT PRIMARY KEY NOT NULL,
    tenant        TEXT NOT NULL REFERENCES tenants (pubkey),
    kind          TEXT NOT NULL CHECK (kind IN ('period', 'prorated')),
    period_start  INTEGER NOT NULL,
    period_end    INTEGER NOT NULL CHECK (period_end > period_start),
    amount_msat   INTEGER NOT NULL CHECK (amount_msat >= 0),
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paid', 'void')),
    bolt11        TEXT,
    payment_hash  TEXT UNIQUE CHECK (payment_hash IS NULL OR length(payment_hash) = 64),
    expires_at    INTEGER,
    due_at        INTEGER NOT NULL,
    paid_at       INTEGER,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    CHECK ((status = 'paid') = (paid_at IS NOT NULL))
) STRICT;

CREATE UNIQUE INDEX invoices_one_per_period ON invoices (tenant, period_start) WHERE kind = 'period';
CREATE INDEX invoices_tenant ON invoices (tenant, created_at);

CREATE TABLE invoice_items (
    id           INTEGER PRIMARY KEY,
    invoice_id   TEXT NOT NULL REFERENCES invoices (id),
    relay_id     TEXT REFERENCES relays (id),
    plan         TEXT NOT NULL REFERENCES plans (id),
    description  TEXT NOT NULL,
    period_start INTEGER NOT NULL,
    period_end   INTEGER NOT NULL CHECK (period_end > period_start),
    amount_msat  INTEGER NOT NULL
) STRICT;

CREATE INDEX invoice_items_invoice ON invoice_items (invoice_id);
CREATE INDEX invoice_items_relay ON invoice_items (relay_id);
