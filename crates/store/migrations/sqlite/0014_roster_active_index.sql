-- The active roster (full and probationary members) walks one index in page order. PostgreSQL's
-- planner took members_org (org_id, status, name) for the two statuses and sorted a whole
-- branch for every page: 160 ms a page on a branch of 100,000, 10 pages/s under load. This
-- partial index matches the active filter exactly: 1 ms a page.
CREATE INDEX members_active_org_name ON members (org_id, name, id) WHERE status IN ('full', 'probationary');
