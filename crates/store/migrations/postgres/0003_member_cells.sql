-- 党小组 membership: a member belongs to a branch and, optionally, to one of its cells.
ALTER TABLE members ADD COLUMN cell_id TEXT REFERENCES orgs(id);
CREATE INDEX members_cell ON members (cell_id);
