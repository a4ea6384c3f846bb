-- csf schema v3 (csf 0.3.0). Adds, never rewrites: every v2 row is kept.
-- (Named for the morning of `csf today`; it also gives revenue its history.)

-- The person to greet in drafts (docs/today.md): `{name}` is its first word.
ALTER TABLE customers ADD COLUMN contact_name TEXT;

-- `csf skip`: an action of `csf today` hidden until a time, without a touch.
-- `cid` is NULL for the `data` action, which belongs to no customer.
CREATE TABLE skips (
    id         INTEGER PRIMARY KEY,
    action     TEXT    NOT NULL,
    cid        INTEGER REFERENCES customers (cid) ON DELETE CASCADE,
    until      INTEGER NOT NULL,
    note       TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX skips_action ON skips (action, until);

-- MRR with its history (docs/revenue.md): every change with the moment it
-- took effect. `customers.mrr_cents` stays the latest value. An upgraded
-- file starts each history with the current MRR at signup.
CREATE TABLE mrr_changes (
    cid          INTEGER NOT NULL REFERENCES customers (cid) ON DELETE CASCADE,
    effective_at INTEGER NOT NULL,
    mrr_cents    INTEGER NOT NULL CHECK (mrr_cents >= 0),
    source       TEXT    NOT NULL CHECK (source IN ('signup', 'import', 'edit', 'upgrade')),
    PRIMARY KEY (cid, effective_at)
) WITHOUT ROWID;
INSERT INTO mrr_changes (cid, effective_at, mrr_cents, source)
SELECT cid, COALESCE(signed_up_at, created_at), mrr_cents, 'upgrade'
FROM customers WHERE mrr_cents IS NOT NULL AND mrr_cents >= 0;

-- Churns and returns as history: a return never erases a past churn, so past
-- months keep it and the month of the return counts a reactivation.
CREATE TABLE status_changes (
    cid     INTEGER NOT NULL REFERENCES customers (cid) ON DELETE CASCADE,
    at      INTEGER NOT NULL,
    churned INTEGER NOT NULL CHECK (churned IN (0, 1)),
    source  TEXT    NOT NULL CHECK (source IN ('import', 'record', 'undo', 'edit', 'upgrade')),
    PRIMARY KEY (cid, at, churned)
) WITHOUT ROWID;
INSERT INTO status_changes (cid, at, churned, source)
SELECT cid, churned_at, 1, 'upgrade' FROM customers WHERE churned_at IS NOT NULL;

CREATE VIEW mrr_changes_v AS
SELECT c.id AS customer_id, strftime('%Y-%m-%dT%H:%M:%SZ', m.effective_at, 'unixepoch') AS effective_at,
       m.mrr_cents / 100.0 AS mrr, m.source
FROM mrr_changes m JOIN customers c ON c.cid = m.cid;

DROP VIEW customers_v;
CREATE VIEW customers_v AS
SELECT id, name, email, contact_name, plan, mrr_cents / 100.0 AS mrr,
       strftime('%Y-%m-%dT%H:%M:%SZ', signed_up_at, 'unixepoch') AS signed_up_at,
       strftime('%Y-%m-%dT%H:%M:%SZ', churned_at, 'unixepoch') AS churned_at
FROM customers;

CREATE VIEW skips_v AS
SELECT s.action, c.id AS customer_id, strftime('%Y-%m-%dT%H:%M:%SZ', s.until, 'unixepoch') AS until,
       s.note, strftime('%Y-%m-%dT%H:%M:%SZ', s.created_at, 'unixepoch') AS created_at
FROM skips s LEFT JOIN customers c ON c.cid = s.cid;
