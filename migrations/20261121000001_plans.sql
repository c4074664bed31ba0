-- Plans are data: prices and features live here, so billing reads them from one place.
CREATE TABLE plans (
    id          TEXT PRIMARY KEY NOT NULL CHECK (id GLOB '[a-z]*' AND length(id) <= 32),
    name        TEXT NOT NULL,
    price_sats  INTEGER NOT NULL CHECK (price_sats >= 0),
    max_members INTEGER CHECK (max_members IS NULL OR max_members > 0),
    blossom     INTEGER NOT NULL CHECK (blossom IN (0, 1)),
    livekit     INTEGER NOT NULL CHECK (livekit IN (0, 1)),
    position    INTEGER NOT NULL
) STRICT;

INSERT INTO plans (id, name, price_sats, max_members, blossom, livekit, position) VALUES
    ('free',   'Free',   0,      10,   0, 0, 1),
    ('basic',  'Basic',  10000,  100,  1, 1, 2),
    ('growth', 'Growth', 50000,  NULL, 1, 1, 3);
