-- The zooid nodes relays are served by. Admins add nodes and set their state; the
-- provisioning worker records each node's health. A node without an API URL is the
-- platform's own config directory (the single-zooid settings, at most one).
CREATE TABLE zooid_nodes (
    id             TEXT PRIMARY KEY NOT NULL CHECK (length(id) BETWEEN 1 AND 32
                       AND id GLOB '[a-z]*' AND id NOT GLOB '*[^a-z0-9-]*'),
    api_url        TEXT,
    -- The node's own management key, sealed; NULL: the shared ZOOID_API_SECRET.
    api_secret_enc BLOB,
    -- ip:port the proxy sends the node's relay traffic to.
    upstream       TEXT NOT NULL,
    capacity       INTEGER NOT NULL CHECK (capacity >= 0),
    state          TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'draining', 'down')),
    -- Health: consecutive failed requests (0 = healthy) and when to probe it next while failing.
    failures       INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    last_success_at INTEGER,
    last_error     TEXT,
    probe_at       INTEGER,
    -- Relays on the node plus those moving to it, kept by the triggers below (placement reads
    -- it on every new relay, so it is not counted each time).
    relay_count    INTEGER NOT NULL DEFAULT 0 CHECK (relay_count >= 0),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX zooid_nodes_one_directory ON zooid_nodes ((api_url IS NULL)) WHERE api_url IS NULL;

-- Where each relay is served (set when it is created, changed only by a move), and a move
-- in progress: the node it goes to, the step it is at, the node it left (while retiring
-- there), and the move's own lease and backoff.
ALTER TABLE relays ADD COLUMN node TEXT REFERENCES zooid_nodes (id);
ALTER TABLE relays ADD COLUMN move_to TEXT REFERENCES zooid_nodes (id);
ALTER TABLE relays ADD COLUMN move_from TEXT REFERENCES zooid_nodes (id);
ALTER TABLE relays ADD COLUMN move_step TEXT CHECK (move_step IN ('preparing', 'switching', 'retiring'));
ALTER TABLE relays ADD COLUMN move_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE relays ADD COLUMN move_error TEXT;
ALTER TABLE relays ADD COLUMN move_next_at INTEGER;
ALTER TABLE relays ADD COLUMN move_lease_until INTEGER;

CREATE INDEX relays_node ON relays (node);
CREATE INDEX relays_moving ON relays (move_next_at) WHERE move_step IS NOT NULL;

CREATE TRIGGER relays_count_insert AFTER INSERT ON relays BEGIN
    UPDATE zooid_nodes SET relay_count = relay_count + 1 WHERE id IN (NEW.node, NEW.move_to);
END;
CREATE TRIGGER relays_count_update AFTER UPDATE OF node, move_to ON relays BEGIN
    UPDATE zooid_nodes SET relay_count = relay_count - 1 WHERE id = OLD.node;
    UPDATE zooid_nodes SET relay_count = relay_count - 1 WHERE id = OLD.move_to;
    UPDATE zooid_nodes SET relay_count = relay_count + 1 WHERE id = NEW.node;
    UPDATE zooid_nodes SET relay_count = relay_count + 1 WHERE id = NEW.move_to;
END;
CREATE TRIGGER relays_count_delete AFTER DELETE ON relays BEGIN
    UPDATE zooid_nodes SET relay_count = relay_count - 1 WHERE id IN (OLD.node, OLD.move_to);
END;

-- The audit trail also records what admins do to nodes: SQLite cannot widen a CHECK in
-- place, so the table is rebuilt with its rows, indexes and append-only triggers.
CREATE TABLE activity_next (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    at            INTEGER NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    resource_type TEXT NOT NULL CHECK (resource_type IN ('tenant', 'relay', 'invoice', 'node')),
    resource_id   TEXT NOT NULL,
    tenant        TEXT,
    details       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details))
) STRICT;
INSERT INTO activity_next (id, at, actor, action, resource_type, resource_id, tenant, details)
    SELECT id, at, actor, action, resource_type, resource_id, tenant, details FROM activity;
DROP TABLE activity;
ALTER TABLE activity_next RENAME TO activity;

CREATE INDEX activity_resource ON activity (resource_type, resource_id, id);
CREATE INDEX activity_tenant ON activity (tenant, id);
-- Admins see how many relays were refused for lack of room lately.
CREATE INDEX activity_action ON activity (action, at);
CREATE TRIGGER activity_no_update BEFORE UPDATE ON activity
BEGIN SELECT RAISE(ABORT, 'activity is append-only'); END;
CREATE TRIGGER activity_no_delete BEFORE DELETE ON activity
BEGIN SELECT RAISE(ABORT, 'activity is append-only'); END;
