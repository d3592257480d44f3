-- Supervision ledgers: a ledger (e.g. the 巡察整改 ledger of one inspection's feedback) holds
-- numbered items tracked to closure, each owned by an organisation (for scope), with progress
-- notes, evidence kept in versions (content in blobs), and weekly dispatch rounds whose
-- snapshot is frozen as JSON. Keep column names and order identical to the other backend's 0005.

CREATE TABLE ledgers (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    feedback_on TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX ledgers_org ON ledgers (org_id);

CREATE TABLE ledger_items (
    id TEXT PRIMARY KEY,
    ledger_id TEXT NOT NULL REFERENCES ledgers(id),
    org_id TEXT NOT NULL REFERENCES orgs(id),
    no BIGINT NOT NULL,
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    measures TEXT NOT NULL DEFAULT '',
    leader TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL,
    owner_name TEXT NOT NULL DEFAULT '',
    owner_member_id TEXT REFERENCES members(id),
    due_on TEXT,
    review_cycle_days BIGINT,
    acceptance TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    last_progress_on TEXT,
    closed_on TEXT,
    closed_by TEXT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ledger_items_no ON ledger_items (ledger_id, no);
CREATE INDEX ledger_items_org ON ledger_items (org_id, status);

CREATE TABLE ledger_notes (
    id TEXT PRIMARY KEY,
    item_id TEXT NOT NULL REFERENCES ledger_items(id),
    on_date TEXT NOT NULL,
    text TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX ledger_notes_item ON ledger_notes (item_id, on_date);

CREATE TABLE ledger_evidence (
    id TEXT PRIMARY KEY,
    item_id TEXT NOT NULL REFERENCES ledger_items(id),
    title TEXT NOT NULL,
    version BIGINT NOT NULL,
    digest TEXT NOT NULL REFERENCES blobs(digest),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ledger_evidence_version ON ledger_evidence (item_id, title, version);

CREATE TABLE dispatch_rounds (
    id TEXT PRIMARY KEY,
    ledger_id TEXT NOT NULL REFERENCES ledgers(id),
    round_no BIGINT NOT NULL,
    as_of TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX dispatch_rounds_no ON dispatch_rounds (ledger_id, round_no);

-- Standing things kept in registers (意识形态阵地 by kind, 廉政风险点 with grade and measures),
-- and campaigns — a bounded effort over chosen targets (风险隐患排查 over positions, 专项检查
-- over branches, 廉政风险点排查, 实施方案) with a checklist result per target and item. Problems a
-- campaign raises, and a program's tasks, are items of the campaign's own ledger.
CREATE TABLE registers (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    subkind TEXT NOT NULL,
    name TEXT NOT NULL,
    responsible TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    measures TEXT NOT NULL DEFAULT '',
    grade TEXT,
    review_cycle_days BIGINT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX registers_org_kind ON registers (org_id, kind);

CREATE TABLE campaigns (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    checklist TEXT,
    title TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    goals TEXT NOT NULL DEFAULT '',
    ledger_id TEXT NOT NULL REFERENCES ledgers(id),
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX campaigns_org_kind ON campaigns (org_id, kind);

CREATE TABLE campaign_targets (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    target_id TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    name TEXT NOT NULL,
    PRIMARY KEY (campaign_id, target_id)
);

CREATE TABLE campaign_results (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    target_id TEXT NOT NULL,
    item TEXT NOT NULL,
    outcome TEXT NOT NULL,
    grade TEXT,
    note TEXT NOT NULL DEFAULT '',
    ledger_item_id TEXT REFERENCES ledger_items(id),
    checked_on TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX campaign_results_target_item ON campaign_results (campaign_id, target_id, item);

CREATE TABLE campaign_activities (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    activity_id TEXT NOT NULL REFERENCES activities(id),
    PRIMARY KEY (campaign_id, activity_id)
);
