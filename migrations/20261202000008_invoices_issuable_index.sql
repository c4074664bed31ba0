-- Issuing claims open invoices that need a BOLT11: new ones (none yet) oldest first, and those
-- whose BOLT11 is about to expire. The open-invoice index made every claim read and sort every
-- open invoice, paid-for BOLT11 or not, so a billing pass cost grew with the square of tenants.
CREATE INDEX invoices_without_bolt11 ON invoices (created_at) WHERE status = 'open' AND bolt11 IS NULL;
CREATE INDEX invoices_bolt11_expiry ON invoices (expires_at) WHERE status = 'open' AND bolt11 IS NOT NULL;
