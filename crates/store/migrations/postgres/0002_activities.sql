-- Organisational life: activities (one sitting may count as several kinds), attendance,
-- study materials, attachments (content stored once by SM3 digest) and study plans.
-- Keep column names and order identical to migrations/sqlite/0002_activities.sql.

CREATE TABLE materials (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    issued_on DATE,
    source TEXT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX materials_title ON materials (title);

CREATE TABLE activities (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    title TEXT NOT NULL,
    held_on DATE NOT NULL,
    start_time TEXT,
    end_time TEXT,
    place TEXT,
    host TEXT,
    recorder TEXT,
    lecturer TEXT,
    topics TEXT,
    minutes TEXT,
    decisions TEXT,
    flags TEXT NOT NULL DEFAULT '',
    extra TEXT NOT NULL DEFAULT '{}',
    expected_count BIGINT NOT NULL DEFAULT 0,
    present_count BIGINT NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX activities_org_date ON activities (org_id, held_on);
CREATE INDEX activities_date ON activities (held_on);

CREATE TABLE activity_kinds (
    activity_id TEXT NOT NULL REFERENCES activities(id),
    kind TEXT NOT NULL,
    PRIMARY KEY (activity_id, kind)
);
CREATE INDEX activity_kinds_kind ON activity_kinds (kind);

CREATE TABLE activity_attendance (
    id TEXT PRIMARY KEY,
    activity_id TEXT NOT NULL REFERENCES activities(id),
    member_id TEXT REFERENCES members(id),
    name TEXT NOT NULL,
    attendance TEXT NOT NULL,
    reason TEXT
);
CREATE INDEX activity_attendance_activity ON activity_attendance (activity_id);
CREATE INDEX activity_attendance_member ON activity_attendance (member_id);

CREATE TABLE activity_materials (
    activity_id TEXT NOT NULL REFERENCES activities(id),
    material_id TEXT NOT NULL REFERENCES materials(id),
    first_agenda BOOLEAN NOT NULL DEFAULT FALSE,
    sort_order BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (activity_id, material_id)
);
CREATE INDEX activity_materials_material ON activity_materials (material_id);

CREATE TABLE blobs (
    digest TEXT PRIMARY KEY,
    content BYTEA NOT NULL,
    size BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    activity_id TEXT NOT NULL REFERENCES activities(id),
    digest TEXT NOT NULL REFERENCES blobs(digest),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    evidence TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX attachments_activity ON attachments (activity_id);

CREATE TABLE study_plans (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    year BIGINT NOT NULL,
    title TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX study_plans_org_year ON study_plans (org_id, year);

CREATE TABLE study_plan_items (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES study_plans(id),
    month BIGINT NOT NULL,
    topic TEXT NOT NULL,
    form TEXT,
    material_id TEXT REFERENCES materials(id),
    sort_order BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX study_plan_items_plan ON study_plan_items (plan_id, month);
