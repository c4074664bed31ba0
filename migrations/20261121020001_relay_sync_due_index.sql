-- The provisioning worker claims relays that are behind in due order; this index lets
-- the claim and the "next due" look-up read only the front of the queue.
DROP INDEX relays_unsynced;
CREATE INDEX relays_sync_due ON relays (sync_next_at, id) WHERE synced_version < desired_version;
