-- 党费: the yearly base verification (核定) per member with versions for mid-year changes,
-- payments per member-month, and remittances (上缴) per organisation and period.
-- Money is BIGINT fen; rates are parts per 100000. Keep column names and order identical to
-- migrations/postgres/0004_dues.sql.

CREATE TABLE dues_verifications (
    id TEXT PRIMARY KEY,
    member_id TEXT NOT NULL REFERENCES members(id),
    org_id TEXT NOT NULL REFERENCES orgs(id),
    year BIGINT NOT NULL,
    version BIGINT NOT NULL,
    effective_month BIGINT NOT NULL,
    person_type TEXT NOT NULL,
    category TEXT NOT NULL,
    base_fen BIGINT,
    items TEXT NOT NULL DEFAULT '[]',
    deductions_fen BIGINT NOT NULL DEFAULT 0,
    tax_fen BIGINT NOT NULL DEFAULT 0,
    bracket TEXT NOT NULL,
    rate BIGINT,
    amount_fen BIGINT NOT NULL,
    reduction_ref TEXT,
    note TEXT,
    status TEXT NOT NULL,
    confirmed_by TEXT,
    confirmed_at BIGINT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX dues_verifications_version ON dues_verifications (member_id, year, version);
CREATE INDEX dues_verifications_org_year ON dues_verifications (org_id, year, status);

CREATE TABLE dues_payments (
    id TEXT PRIMARY KEY,
    member_id TEXT NOT NULL REFERENCES members(id),
    org_id TEXT NOT NULL REFERENCES orgs(id),
    year BIGINT NOT NULL,
    month BIGINT NOT NULL,
    amount_fen BIGINT NOT NULL,
    voluntary_fen BIGINT NOT NULL DEFAULT 0,
    paid_on TEXT NOT NULL,
    payer TEXT NOT NULL,
    payer_name TEXT,
    method TEXT NOT NULL,
    receipt_no TEXT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX dues_payments_member_month ON dues_payments (member_id, year, month);
CREATE INDEX dues_payments_org_paid ON dues_payments (org_id, paid_on);
CREATE INDEX dues_payments_org_month ON dues_payments (org_id, year, month);

CREATE TABLE dues_remittances (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    period TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    remitted_on TEXT NOT NULL,
    voucher TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX dues_remittances_org_period ON dues_remittances (org_id, period);
