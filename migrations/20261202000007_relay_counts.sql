-- How many relays have each status, kept by triggers: the admins' relay list shows the total
-- (or one status's) on every page, and counting 200,000 rows each time cost milliseconds of a
-- shared core per request.
CREATE TABLE relay_counts (
    status TEXT PRIMARY KEY NOT NULL
               CHECK (status IN ('pending', 'active', 'suspended', 'inactive')),
    n      INTEGER NOT NULL CHECK (n >= 0)
) STRICT, WITHOUT ROWID;

INSERT INTO relay_counts (status, n)
    SELECT s.status, (SELECT count(*) FROM relays WHERE relays.status = s.status)
    FROM (SELECT 'pending' AS status UNION ALL SELECT 'active'
          UNION ALL SELECT 'suspended' UNION ALL SELECT 'inactive') AS s;

CREATE TRIGGER relay_counts_insert AFTER INSERT ON relays BEGIN
    UPDATE relay_counts SET n = n + 1 WHERE status = NEW.status;
END;
CREATE TRIGGER relay_counts_update AFTER UPDATE OF status ON relays
    WHEN OLD.status IS NOT NEW.status BEGIN
    UPDATE relay_counts SET n = n - 1 WHERE status = OLD.status;
    UPDATE relay_counts SET n = n + 1 WHERE status = NEW.status;
END;
CREATE TRIGGER relay_counts_delete AFTER DELETE ON relays BEGIN
    UPDATE relay_counts SET n = n - 1 WHERE status = OLD.status;
END;
