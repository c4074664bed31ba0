-- The relays whose members the platform counts (those zooid serves now), and whether each
-- admits members without the platform: open joining, members who may invite, or any co-admin
-- or inviter. Those are followed live; the others are re-read by a sweep. One home for the
-- rule, read by both.
CREATE VIEW relays_counted AS
    SELECT id, subdomain, secret_enc,
           (public_join = 1 OR members_may_invite = 1
            OR EXISTS (SELECT 1 FROM relay_roles WHERE relay_roles.relay_id = relays.id)) AS live
    FROM relays
    WHERE status = 'active';
