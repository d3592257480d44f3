-- Saved reports: what was generated (template name, version and text; the facts with their
-- record ids as JSON), so a report can be reproduced and audited after the records change,
-- and the 【待填写】 texts written into it. Keep column names and order identical in both
-- migrations/sqlite and migrations/postgres (dates are DATE on PostgreSQL).

CREATE TABLE reports (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    period TEXT NOT NULL,
    template TEXT NOT NULL,
    template_version TEXT NOT NULL,
    template_text TEXT NOT NULL,
    facts TEXT NOT NULL,
    fills TEXT NOT NULL DEFAULT '{}',
    generated_on DATE NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX reports_org_period ON reports (org_id, period);
