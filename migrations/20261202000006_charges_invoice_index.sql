-- An invoice's items are copied from its charges when it is made: without this index each copy
-- read every charge ever made, so billing slowed with the square of the tenants.
CREATE INDEX charges_invoice ON charges (invoice_id) WHERE invoice_id IS NOT NULL;
