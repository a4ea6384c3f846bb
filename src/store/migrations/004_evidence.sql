-- csf schema v4 (csf 0.4.0). Adds, never rewrites a row: every v3 row is kept.
-- (Named for the evidence; it also gives plans a history, greetings a
-- salutation and the sources their links and cursors.)

-- `csf health evidence` (docs/health.md): what foretold churn in this
-- book, one row per predictor and measurement day; earlier measurements are
-- kept so that `today` at a past `now` ranks with the evidence of its time.
-- `risk`, `lift` and `catch` are stored as measured (risk and catch in %).
CREATE TABLE evidence (
    measured_on   TEXT    NOT NULL,
    predictor     TEXT    NOT NULL,
    samples       INTEGER NOT NULL CHECK (samples >= 0),
    churned       INTEGER NOT NULL CHECK (churned >= 0 AND churned <= samples),
    total_samples INTEGER NOT NULL CHECK (total_samples > 0),
    total_churned INTEGER NOT NULL CHECK (total_churned > 0),
    risk          REAL    NOT NULL,
    lift          REAL    NOT NULL,
    catch         REAL    NOT NULL,
    from_day      TEXT    NOT NULL,
    to_day        TEXT    NOT NULL,
    every_days    INTEGER NOT NULL,
    horizon_days  INTEGER NOT NULL,
    PRIMARY KEY (measured_on, predictor)
) WITHOUT ROWID;

-- Failed and late invoices by date: the few rows `csf today`'s expand guard
-- looks for ("no failed or late payment in 90 days") without a table scan.
CREATE INDEX billing_unpaid ON billing_records (date) WHERE status IN ('failed', 'late');
CREATE INDEX tickets_low_csat ON tickets (csat_at) WHERE csat <= 2;

-- What a done rescue was about (its band and signs), so that it stays done
-- until something new appears (docs/today.md).
ALTER TABLE touches ADD COLUMN basis TEXT;

-- A skip follows its customer (by `cid`) through a change of id: `slot` is
-- the action without the customer's id (`rescue`, `onboarding-7`,
-- `ticket-T1`). Skips written before have none and match by action id.
ALTER TABLE skips ADD COLUMN slot TEXT;

-- How a customer wants to be greeted in drafts (`{name}`), and the link to
-- the customer's record in Stripe (`csf sync stripe`).
ALTER TABLE customers ADD COLUMN salutation TEXT;
ALTER TABLE customers ADD COLUMN stripe_id TEXT;
CREATE UNIQUE INDEX customers_stripe_id ON customers (stripe_id) WHERE stripe_id IS NOT NULL;

-- Plan with its history (docs/revenue.md): every change with the moment it
-- took effect. An upgraded file starts each history with the current plan
-- at signup.
CREATE TABLE plan_changes (
    cid          INTEGER NOT NULL REFERENCES customers (cid) ON DELETE CASCADE,
    effective_at INTEGER NOT NULL,
    plan         TEXT,
    source       TEXT    NOT NULL CHECK (source IN ('signup', 'import', 'edit', 'sync', 'upgrade')),
    PRIMARY KEY (cid, effective_at)
) WITHOUT ROWID;
INSERT INTO plan_changes (cid, effective_at, plan, source)
SELECT cid, COALESCE(signed_up_at, created_at), plan, 'upgrade'
FROM customers WHERE plan IS NOT NULL;

-- The sources may write MRR changes and churns too: the same tables with
-- `sync` among the sources. Status changes gain `seq`, the order in which
-- they were recorded, so a churn and its undo in the same second end active.
CREATE TABLE mrr_changes_v4 (
    cid          INTEGER NOT NULL REFERENCES customers (cid) ON DELETE CASCADE,
    effective_at INTEGER NOT NULL,
    mrr_cents    INTEGER NOT NULL CHECK (mrr_cents >= 0),
    source       TEXT    NOT NULL CHECK (source IN ('signup', 'import', 'edit', 'sync', 'upgrade')),
    PRIMARY KEY (cid, effective_at)
) WITHOUT ROWID;
INSERT INTO mrr_changes_v4 (cid, effective_at, mrr_cents, source)
SELECT cid, effective_at, mrr_cents, source FROM mrr_changes;
DROP VIEW mrr_changes_v;
DROP TABLE mrr_changes;
ALTER TABLE mrr_changes_v4 RENAME TO mrr_changes;
CREATE VIEW mrr_changes_v AS
SELECT c.id AS customer_id, strftime('%Y-%m-%dT%H:%M:%SZ', m.effective_at, 'unixepoch') AS effective_at,
       m.mrr_cents / 100.0 AS mrr, m.source
FROM mrr_changes m JOIN customers c ON c.cid = m.cid;

CREATE TABLE status_changes_v4 (
    seq     INTEGER PRIMARY KEY,
    cid     INTEGER NOT NULL REFERENCES customers (cid) ON DELETE CASCADE,
    at      INTEGER NOT NULL,
    churned INTEGER NOT NULL CHECK (churned IN (0, 1)),
    source  TEXT    NOT NULL CHECK (source IN ('import', 'record', 'undo', 'edit', 'sync', 'upgrade'))
);
INSERT INTO status_changes_v4 (cid, at, churned, source)
SELECT cid, at, churned, source FROM status_changes ORDER BY cid, at, churned DESC;
DROP TABLE status_changes;
ALTER TABLE status_changes_v4 RENAME TO status_changes;
CREATE UNIQUE INDEX status_changes_key ON status_changes (cid, at, churned);
CREATE INDEX status_changes_order ON status_changes (cid, at, seq);

-- `csf sync`: per source, the cursors of the last successful run (JSON) and
-- when it ran; a failed run writes nothing here.
CREATE TABLE sync_state (
    source    TEXT    PRIMARY KEY,
    cursor    TEXT    NOT NULL DEFAULT '{}',
    synced_at INTEGER NOT NULL,
    summary   TEXT    NOT NULL DEFAULT '{}'
);

DROP VIEW customers_v;
CREATE VIEW customers_v AS
SELECT id, name, email, contact_name, salutation, plan, mrr_cents / 100.0 AS mrr,
       strftime('%Y-%m-%dT%H:%M:%SZ', signed_up_at, 'unixepoch') AS signed_up_at,
       strftime('%Y-%m-%dT%H:%M:%SZ', churned_at, 'unixepoch') AS churned_at,
       stripe_id
FROM customers;

-- MRR is never negative. An older csf accepted a negative `--mrr` or MRR
-- cell: such a customer is kept, its MRR set to 0 (so no report counts a
-- negative MRR) and the value it had kept in `mrr_negative_cents`, which
-- `csf check` names until an MRR is set again (the trigger clears it).
-- A churn record's MRR is the customer's at the time: 0 as well. The MRR
-- history starts at 0 at signup, like any upgraded customer's.
ALTER TABLE customers ADD COLUMN mrr_negative_cents INTEGER CHECK (mrr_negative_cents < 0);
UPDATE customers SET mrr_negative_cents = mrr_cents, mrr_cents = 0 WHERE mrr_cents < 0;
UPDATE churn_records SET mrr_cents = 0 WHERE mrr_cents < 0;
INSERT OR IGNORE INTO mrr_changes (cid, effective_at, mrr_cents, source)
SELECT cid, COALESCE(signed_up_at, created_at), 0, 'upgrade'
FROM customers c WHERE mrr_negative_cents IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM mrr_changes m WHERE m.cid = c.cid);
CREATE TRIGGER customers_mrr_set AFTER UPDATE OF mrr_cents ON customers
WHEN NEW.mrr_negative_cents IS NOT NULL
BEGIN
    UPDATE customers SET mrr_negative_cents = NULL WHERE cid = NEW.cid;
END;
