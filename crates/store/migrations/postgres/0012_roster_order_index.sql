-- The roster is listed in tree order, then by name: walking each org's members by (name, id)
-- lets a page stop after its rows. With only (org_id, status, name) the two active statuses had
-- to be merged by a sort of the whole org, which took seconds per page in a branch of 100,000.
CREATE INDEX members_org_name ON members (org_id, name, id);
