-- Billing state: the charge ledger, every BOLT11 issued, pulls from tenants' wallets,
-- and the worker's bookkeeping on invoices and tenants.

-- What each relay was charged or credited, when, and on which invoice. Proration reads
-- this history (never today's prices), so a later price change cannot rewrite a charge.
-- A row covers [from_at, period_end) of one billing period at a flat rate.
CREATE TABLE charges (
    id           INTEGER PRIMARY KEY,
    tenant       TEXT NOT NULL REFERENCES tenants (pubkey),
    relay_id     TEXT REFERENCES relays (id),
    plan         TEXT REFERENCES plans (id),
    reason       TEXT NOT NULL CHECK (reason IN ('period', 'created', 'plan-change', 'reactivated',
                                                 'deactivated', 'carried-over')),
    period_start INTEGER NOT NULL,
    period_end   INTEGER NOT NULL,
    from_at      INTEGER NOT NULL,
    amount_msat  INTEGER NOT NULL,
    description  TEXT NOT NULL,
    invoice_id   TEXT REFERENCES invoices (id),
    created_at   INTEGER NOT NULL,
    CHECK (period_end > from_at AND from_at >= period_start),
    CHECK (amount_msat % 1000 = 0)
) STRICT;

CREATE INDEX charges_relay ON charges (relay_id, period_end);
CREATE INDEX charges_unbilled ON charges (tenant) WHERE invoice_id IS NULL;

-- Every BOLT11 issued for an invoice. A fresh one replaces an expired one; all are kept.
CREATE TABLE payment_attempts (
    id           INTEGER PRIMARY KEY,
    invoice_id   TEXT NOT NULL REFERENCES invoices (id),
    bolt11       TEXT NOT NULL,
    payment_hash TEXT NOT NULL UNIQUE CHECK (length(payment_hash) = 64),
    amount_msat  INTEGER NOT NULL CHECK (amount_msat > 0),
    expires_at   INTEGER NOT NULL,
    state        TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'settled', 'expired')),
    preimage     TEXT,
    settled_at   INTEGER,
    created_at   INTEGER NOT NULL,
    CHECK ((state = 'settled') = (settled_at IS NOT NULL))
) STRICT;

CREATE INDEX payment_attempts_invoice ON payment_attempts (invoice_id, id);

-- Pulls from a tenant's own wallet (recurring billing), recorded before pay_invoice is
-- sent. At most one pull of a BOLT11 can be in flight or done.
CREATE TABLE wallet_pulls (
    id          INTEGER PRIMARY KEY,
    invoice_id  TEXT NOT NULL REFERENCES invoices (id),
    attempt_id  INTEGER NOT NULL REFERENCES payment_attempts (id),
    state       TEXT NOT NULL DEFAULT 'sent' CHECK (state IN ('sent', 'paid', 'failed')),
    error       TEXT,
    created_at  INTEGER NOT NULL,
    finished_at INTEGER
) STRICT;

CREATE UNIQUE INDEX wallet_pulls_one_live ON wallet_pulls (attempt_id) WHERE state IN ('sent', 'paid');

ALTER TABLE invoices ADD COLUMN attempt_id INTEGER REFERENCES payment_attempts (id);
-- Issuing a BOLT11: backoff after the operator's wallet fails, lease while asking it.
ALTER TABLE invoices ADD COLUMN issue_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE invoices ADD COLUMN issue_error TEXT;
ALTER TABLE invoices ADD COLUMN issue_next_at INTEGER;
ALTER TABLE invoices ADD COLUMN lease_until INTEGER;
-- Polling lookup_invoice with backoff.
ALTER TABLE invoices ADD COLUMN check_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE invoices ADD COLUMN check_next_at INTEGER;
-- Recurring billing: when to try the tenant's wallet next.
ALTER TABLE invoices ADD COLUMN pull_next_at INTEGER;
ALTER TABLE invoices ADD COLUMN reminded_at INTEGER;
ALTER TABLE invoices ADD COLUMN suspended_at INTEGER;

CREATE INDEX invoices_open ON invoices (status, due_at) WHERE status = 'open';

-- The end of the last period invoiced: the next period invoice is due at this instant.
ALTER TABLE tenants ADD COLUMN billed_through INTEGER;
CREATE INDEX tenants_billed_through ON tenants (billed_through) WHERE billed_through IS NOT NULL;
