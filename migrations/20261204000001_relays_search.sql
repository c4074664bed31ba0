-- A trigram index over every relay's name and subdomain, kept by triggers: the admins' search
-- for part of a name walked all 200,000 relays (about 110 ms of a shared core per request), and
-- a trigram lookup finds the few that match in well under a millisecond. The index holds no
-- copy of the text (its content is the relays table, joined by rowid; the relays table has
-- indexes, so neither VACUUM nor the online backup renumbers its rowids). A migration that
-- rebuilds the relays table must end with `INSERT INTO relays_search (relays_search)
-- VALUES ('rebuild')`.
CREATE VIRTUAL TABLE relays_search USING fts5 (
    name, subdomain,
    content = 'relays', content_rowid = 'rowid',
    tokenize = 'trigram'
);

INSERT INTO relays_search (relays_search) VALUES ('rebuild');

CREATE TRIGGER relays_search_insert AFTER INSERT ON relays BEGIN
    INSERT INTO relays_search (rowid, name, subdomain)
        VALUES (NEW.rowid, NEW.name, NEW.subdomain);
END;
CREATE TRIGGER relays_search_update AFTER UPDATE OF name, subdomain ON relays BEGIN
    INSERT INTO relays_search (relays_search, rowid, name, subdomain)
        VALUES ('delete', OLD.rowid, OLD.name, OLD.subdomain);
    INSERT INTO relays_search (rowid, name, subdomain)
        VALUES (NEW.rowid, NEW.name, NEW.subdomain);
END;
CREATE TRIGGER relays_search_delete AFTER DELETE ON relays BEGIN
    INSERT INTO relays_search (relays_search, rowid, name, subdomain)
        VALUES ('delete', OLD.rowid, OLD.name, OLD.subdomain);
END;
