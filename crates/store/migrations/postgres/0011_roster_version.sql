-- A counter bumped by every change that can alter a roster count (a member added, removed, moved
-- or changing status; an org added, removed or moved in the tree), so the roster list can keep
-- its COUNT(*) until the counter moves instead of scanning the subtree on every page. Keep
-- column names and order identical in both migrations/sqlite and migrations/postgres.
-- Statement-level triggers: a 100,000-row import bumps the counter once, not 100,000 times.

CREATE TABLE data_versions (
    name TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO data_versions (name, version) VALUES ('roster', 0);

CREATE FUNCTION bump_roster_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'roster';
    RETURN NULL;
END $$;

CREATE TRIGGER roster_member_insert AFTER INSERT ON members FOR EACH STATEMENT EXECUTE FUNCTION bump_roster_version();
CREATE TRIGGER roster_member_delete AFTER DELETE ON members FOR EACH STATEMENT EXECUTE FUNCTION bump_roster_version();
CREATE TRIGGER roster_member_update AFTER UPDATE OF org_id, status, name, phone, work_unit, post, id_card_index ON members
    FOR EACH STATEMENT EXECUTE FUNCTION bump_roster_version();
CREATE TRIGGER roster_org_insert AFTER INSERT ON orgs FOR EACH STATEMENT EXECUTE FUNCTION bump_roster_version();
CREATE TRIGGER roster_org_delete AFTER DELETE ON orgs FOR EACH STATEMENT EXECUTE FUNCTION bump_roster_version();
CREATE TRIGGER roster_org_update AFTER UPDATE OF path ON orgs FOR EACH STATEMENT EXECUTE FUNCTION bump_roster_version();
