-- People and community: communities (双报到) and their needs, teams (党员先锋队, 志愿服务队) and
-- posts (示范岗 …) with members, delegate nominations (代表推选) with per-member marks.
-- A team's service is an activity whose kind field `team` names it. Rates are never stored:
-- they are computed from the roster. Keep column names and order identical to
-- migrations/sqlite/0006_community.sql.

CREATE TABLE communities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    address TEXT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX communities_name ON communities (name);

-- 双报到: an org, or an in-service member, reporting to a community.
CREATE TABLE community_links (
    id TEXT PRIMARY KEY,
    community_id TEXT NOT NULL REFERENCES communities(id),
    org_id TEXT NOT NULL REFERENCES orgs(id),
    member_id TEXT REFERENCES members(id),
    since DATE NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX community_links_community ON community_links (community_id);
CREATE INDEX community_links_org ON community_links (org_id);

CREATE TABLE community_needs (
    id TEXT PRIMARY KEY,
    community_id TEXT NOT NULL REFERENCES communities(id),
    title TEXT NOT NULL,
    raised_on DATE NOT NULL,
    status TEXT NOT NULL,
    org_id TEXT REFERENCES orgs(id),
    member_id TEXT REFERENCES members(id),
    done_on DATE,
    activity_id TEXT REFERENCES activities(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX community_needs_community ON community_needs (community_id, status);
CREATE INDEX community_needs_org ON community_needs (org_id, status);

CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    purpose TEXT,
    community_id TEXT REFERENCES communities(id),
    starts_on DATE NOT NULL,
    ends_on DATE,
    created_at BIGINT NOT NULL
);
CREATE INDEX teams_org ON teams (org_id, kind);

CREATE TABLE team_members (
    team_id TEXT NOT NULL REFERENCES teams(id),
    member_id TEXT NOT NULL REFERENCES members(id),
    PRIMARY KEY (team_id, member_id)
);
CREATE INDEX team_members_member ON team_members (member_id);

CREATE TABLE posts (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    purpose TEXT,
    community_id TEXT REFERENCES communities(id),
    starts_on DATE NOT NULL,
    ends_on DATE,
    created_at BIGINT NOT NULL
);
CREATE INDEX posts_org ON posts (org_id, kind);

CREATE TABLE post_members (
    post_id TEXT NOT NULL REFERENCES posts(id),
    member_id TEXT NOT NULL REFERENCES members(id),
    PRIMARY KEY (post_id, member_id)
);
CREATE INDEX post_members_member ON post_members (member_id);

CREATE TABLE elections (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    title TEXT NOT NULL,
    opens_on DATE NOT NULL,
    closes_on DATE NOT NULL,
    note TEXT,
    ballots TEXT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX elections_org ON elections (org_id, closes_on);

CREATE TABLE election_orgs (
    election_id TEXT NOT NULL REFERENCES elections(id),
    org_id TEXT NOT NULL REFERENCES orgs(id),
    PRIMARY KEY (election_id, org_id)
);

CREATE TABLE election_marks (
    election_id TEXT NOT NULL REFERENCES elections(id),
    member_id TEXT NOT NULL REFERENCES members(id),
    informed BOOLEAN NOT NULL,
    took_part BOOLEAN NOT NULL,
    recommended TEXT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (election_id, member_id)
);
CREATE INDEX election_marks_member ON election_marks (member_id);
