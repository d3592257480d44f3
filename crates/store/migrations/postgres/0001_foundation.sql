-- Foundation: organisations, committees, members, accounts, sessions, audit chain.
-- Keep column names and order identical to migrations/sqlite/0001_foundation.sql (a test checks).
-- Dates are DATE here and ISO text there; instants are BIGINT unix milliseconds on both.

CREATE TABLE orgs (
    id TEXT PRIMARY KEY,
    parent_id TEXT REFERENCES orgs(id),
    path TEXT COLLATE "C" NOT NULL,
    name TEXT NOT NULL,
    short_name TEXT,
    kind TEXT NOT NULL,
    unit TEXT,
    established_on DATE,
    abolished_on DATE,
    abolish_reason TEXT,
    sort_order BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX orgs_path ON orgs (path);
CREATE INDEX orgs_parent ON orgs (parent_id, sort_order);

CREATE TABLE org_terms (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    term_no BIGINT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    elected_on DATE,
    note TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX org_terms_org ON org_terms (org_id, starts_on);
CREATE INDEX org_terms_ends ON org_terms (ends_on);

CREATE TABLE members (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    name TEXT NOT NULL,
    gender TEXT NOT NULL,
    ethnicity TEXT,
    birth_date DATE NOT NULL,
    id_card_enc TEXT NOT NULL,
    id_card_index TEXT NOT NULL,
    id_card_masked TEXT NOT NULL,
    education TEXT,
    phone TEXT,
    joined_on DATE NOT NULL,
    full_on DATE,
    status TEXT NOT NULL,
    dues_category TEXT NOT NULL,
    work_unit TEXT,
    post TEXT,
    is_party_worker BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX members_id_card ON members (id_card_index);
CREATE INDEX members_org ON members (org_id, status, name);
CREATE INDEX members_name ON members (name);

CREATE TABLE committee_members (
    id TEXT PRIMARY KEY,
    term_id TEXT NOT NULL REFERENCES org_terms(id),
    org_id TEXT NOT NULL REFERENCES orgs(id),
    member_id TEXT REFERENCES members(id),
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE,
    sort_order BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX committee_members_term ON committee_members (term_id, sort_order);
CREATE INDEX committee_members_member ON committee_members (member_id);

CREATE TABLE member_org_history (
    id TEXT PRIMARY KEY,
    member_id TEXT NOT NULL REFERENCES members(id),
    org_id TEXT NOT NULL REFERENCES orgs(id),
    from_date DATE NOT NULL,
    to_date DATE,
    reason TEXT
);
CREATE INDEX member_org_history_member ON member_org_history (member_id, from_date);
CREATE INDEX member_org_history_org ON member_org_history (org_id, from_date);

CREATE TABLE member_events (
    id TEXT PRIMARY KEY,
    member_id TEXT NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL,
    on_date DATE NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    to_org_id TEXT REFERENCES orgs(id),
    note TEXT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX member_events_member ON member_events (member_id, on_date);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    scope_org_id TEXT REFERENCES orgs(id),
    member_id TEXT REFERENCES members(id),
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    password_changed_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_username ON users (username);

CREATE TABLE login_attempts (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    at BIGINT NOT NULL,
    success BOOLEAN NOT NULL,
    ip TEXT
);
CREATE INDEX login_attempts_user ON login_attempts (username, at);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    ip TEXT,
    user_agent TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);

CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_digest TEXT NOT NULL,
    after_digest TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

-- One row: the chain head. Appends lock it, so the chain stays linear under concurrent writers.
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
