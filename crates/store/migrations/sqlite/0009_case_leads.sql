-- 问题线索 (case leads), tracked by status only and readable only by 纪检 accounts (users.role =
-- 'discipline'; the role is a value of the existing role column, so no schema change for it).
-- Every status change is a row of case_lead_events (the first one: the initial status).
-- Keep column names and order identical in both migrations/sqlite and migrations/postgres.

CREATE TABLE case_leads (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL,
    received_on TEXT NOT NULL,
    source TEXT NOT NULL,
    subject_org_id TEXT NOT NULL REFERENCES orgs(id),
    summary TEXT NOT NULL,
    status TEXT NOT NULL,
    status_on TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX case_leads_number ON case_leads (number);

CREATE TABLE case_lead_events (
    id TEXT PRIMARY KEY,
    lead_id TEXT NOT NULL REFERENCES case_leads(id),
    on_date TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX case_lead_events_lead ON case_lead_events (lead_id, on_date);
