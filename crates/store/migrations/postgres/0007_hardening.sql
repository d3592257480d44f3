-- Audit retention: each purge of old audit entries leaves an anchor, the seq and hash of the
-- last entry removed, so the remaining chain still verifies from there. The purge itself is an
-- audit entry carrying the same seq and hash, so a forged anchor does not verify. Keep column
-- names and order identical in migrations/{sqlite,postgres}/0007_hardening.sql.

CREATE TABLE audit_checkpoints (
    through_seq BIGINT PRIMARY KEY,
    through_hash TEXT NOT NULL,
    through_at BIGINT NOT NULL,
    purged_entries BIGINT NOT NULL,
    purged_at BIGINT NOT NULL,
    purged_by TEXT NOT NULL
);
