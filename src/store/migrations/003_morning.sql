-- csf schema v3 (csf 0.3.0). Adds, never rewrites: every v2 row is kept.

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
