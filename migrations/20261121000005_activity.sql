-- The audit trail: every state change, by whom, on what. Append-only, enforced here.
CREATE TABLE activity (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    at            INTEGER NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    resource_type TEXT NOT NULL CHECK (resource_type IN ('tenant', 'relay', 'invoice')),
    resource_id   TEXT NOT NULL,
    tenant        TEXT,
    details       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details))
) STRICT;

CREATE INDEX activity_resource ON activity (resource_type, resource_id, id);
CREATE INDEX activity_tenant ON activity (tenant, id);

CREATE TRIGGER activity_no_update BEFORE UPDATE ON activity
BEGIN SELECT RAISE(ABORT, 'activity is append-only'); END;
CREATE TRIGGER activity_no_delete BEFORE DELETE ON activity
BEGIN SELECT RAISE(ABORT, 'activity is append-only'); END;
